//! What the consent ledger adds to the visitor's rights: their events in the
//! export, and on `/privacy` their consent id and history, to hand over. Forgetting
//! the visitor forgets the consent id with the session; the events stay in the
//! ledger, anonymous (the proof that consent was asked outlives the data).

use crate::web::AppError;
use serde_json::json;

use super::admin::history;
use super::ConsentPolicy;
use crate::data::Db;
use crate::preferences::Preferences;
use crate::privacy::{Export, PrivacyHook, Summary, Visitor};
use crate::web::Page;

/// The consent's privacy hook.
pub struct ConsentRights;

#[rocket::async_trait]
impl PrivacyHook for ConsentRights {
    async fn export(&self, visitor: &Visitor<'_, '_>, export: &mut Export) -> Result<(), AppError> {
        let id = visitor
            .data
            .part::<Preferences>()
            .and_then(Preferences::consent_id);
        let events = match (id, visitor.rocket().state::<Db>()) {
            (Some(id), Some(db)) => db.consent_history(id).await?,
            _ => Vec::new(),
        };
        export.put("consent_ledger", events);
        Ok(())
    }

    async fn summarize_async(
        &self,
        page: &Page<'_>,
        summary: &mut Summary,
    ) -> Result<(), AppError> {
        let id = page.data().and_then(|d| {
            d.part::<Preferences>()
                .and_then(|p| p.consent_id().map(str::to_owned))
        });
        let events = match (&id, page.state::<Db>()) {
            (Some(id), Some(db)) => history(db, id).await?,
            _ => Vec::new(),
        };
        let policy = page.state::<ConsentPolicy>();
        summary.consent = json!({
            "id": id,
            "events": events,
            "policy_version": policy.map(|p| &p.version),
            "policy_date": policy
                .and_then(|p| p.date.as_deref()?.parse().ok())
                .map(|d| page.lang.date(d)),
            "cookieless_counts": policy.is_some_and(|p| p.cookieless_counts),
        });
        Ok(())
    }
}
