//! What drafts offer the personalisation rules: the forms with a saved draft.

use rocket::Request;

use super::Drafts;
use crate::personalisation::{Fact, FactKind, FactSpec, FactsHook, VisitorFacts};
use crate::record::SessionData;
use crate::web::Facts;

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
