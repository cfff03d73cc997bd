//! What drafts plug into the others' hooks: every page (drafts past their age
//! dropped in the page's one housekeeping write; the forms' titles), the rules'
//! facts (`draft`), and the visitor's rights (the drafts and the forms they sent
//! in the export; erasure).

use super::{expire, has_expired, DraftConfig, Drafts, Submissions};
use crate::accounts::plugs::login_of;
use crate::data::Db;
use crate::personalisation::{Fact, FactKind, FactSpec, FactsHook, VisitorFacts};
use crate::privacy::{Export, PrivacyHook, Summary, Visitor};
use crate::record::SessionData;
use crate::web::{AppError, Facts, Page, PageHook};
use rocket::http::Status;
use rocket::Request;
use serde_json::json;

/// The drafts' page hook.
pub struct ExpiryHook;

impl ExpiryHook {
    fn config<'r>(request: &'r Request<'_>) -> Option<&'r DraftConfig> {
        request.rocket().state::<DraftConfig>()
    }
}

#[rocket::async_trait]
impl PageHook for ExpiryHook {
    fn needs_write(&self, request: &Request<'_>, data: &SessionData, _facts: &Facts) -> bool {
        Self::config(request).is_some_and(|c| has_expired(data, &c.limits))
    }

    fn housekeep(&self, request: &Request<'_>, data: &mut SessionData, _facts: &Facts) {
        if Self::config(request).is_some_and(|c| expire(data, &c.limits)) {
            data.flash("info", "flash.draft_expired");
        }
    }
}

/// A form's pages' title: the form's.
pub struct FormTitles;

impl crate::web::PageTitle for FormTitles {
    fn title(&self, path: &str, lang: crate::i18n::Language) -> Option<String> {
        let rest = path.strip_prefix("/forms/")?;
        let id = rest.strip_suffix("/thanks").unwrap_or(rest);
        let form = super::FormSpec::find(id)?;
        Some(lang.text(&format!("forms.{}.title", form.id)).to_owned())
    }
}

/// The drafts' facts hook.
pub struct DraftFacts;

impl FactsHook for DraftFacts {
    /// `draft = "contact"`: a saved draft of one of those forms.
    fn offers(&self) -> &'static [FactSpec] {
        &[FactSpec {
            name: "draft",
            kind: FactKind::Words(&[]),
        }]
    }

    fn facts<'a>(
        &self,
        _: &Request<'_>,
        data: Option<&'a SessionData>,
        _: &'a Facts,
        out: &mut VisitorFacts<'a>,
    ) {
        let forms = data
            .and_then(|d| d.part::<Drafts>())
            .map(|drafts| drafts.keys().map(String::as_str).collect())
            .unwrap_or_default();
        out.set("draft", Fact::Words(forms));
    }
}

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
