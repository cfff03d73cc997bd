//! What drafts add to the visitor's rights: the drafts and the sent forms in the
//! export, the drafts' count on the page, and the forms this session sent without
//! an account erased with it (nothing else can find them).

use crate::web::AppError;
use rocket::http::Status;
use serde_json::json;

use super::{Drafts, Submissions};
use crate::accounts::privacy::login_of;
use crate::data::Db;
use crate::privacy::{Export, PrivacyHook, Summary, Visitor};
use crate::record::SessionData;
use crate::web::Page;

/// The ids of the forms a session sent.
fn sent(data: &SessionData) -> &[i64] {
    data.part::<Submissions>().map_or(&[], |s| &s.0)
}

/// The drafts' privacy hook.
pub struct DraftRights;

#[rocket::async_trait]
impl PrivacyHook for DraftRights {
    async fn export(&self, visitor: &Visitor<'_, '_>, export: &mut Export) -> Result<(), AppError> {
        export.put("drafts", visitor.data.part_or_default::<Drafts>());
        let db = visitor
            .rocket()
            .state::<Db>()
            .ok_or(Status::ServiceUnavailable)?;
        let account = login_of(visitor).await?.map(|l| l.id);
        let submissions = db.submissions_of(sent(visitor.data), account).await?;
        let submissions: Vec<_> = submissions
            .iter()
            .map(|s| {
                json!({
                    "id": s.id,
                    "form": s.form,
                    "created_at": s.created_at,
                    "fields": s.fields,
                })
            })
            .collect();
        export.put("submissions", submissions);
        Ok(())
    }

    fn summarize(&self, page: &Page<'_>, summary: &mut Summary) {
        summary.drafts = page
            .data()
            .and_then(|d| d.part::<Drafts>().map(|drafts| drafts.len()))
            .unwrap_or(0);
    }

    async fn forget(&self, visitor: &Visitor<'_, '_>) -> Result<(), AppError> {
        let db = visitor
            .rocket()
            .state::<Db>()
            .ok_or(Status::ServiceUnavailable)?;
        db.delete_anonymous_submissions(sent(visitor.data)).await?;
        Ok(())
    }
}
