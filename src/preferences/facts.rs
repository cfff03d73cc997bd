//! What the preferences offer the personalisation rules: the theme.

use rocket::Request;

use super::Preferences;
use crate::personalisation::{Fact, FactKind, FactSpec, FactsHook, VisitorFacts};
use crate::record::SessionData;
use crate::web::Facts;

/// The preferences' facts hook.
pub struct PreferenceFacts;

impl FactsHook for PreferenceFacts {
    /// `theme = ["dark", "high-contrast"]`: the visitor's theme.
    fn offers(&self) -> &'static [FactSpec] {
        &[FactSpec {
            name: "theme",
            kind: FactKind::Words(&["light", "dark", "system", "high-contrast"]),
        }]
    }

    fn facts<'a>(
        &self,
        _: &Request<'_>,
        data: Option<&'a SessionData>,
        _: &'a Facts,
        out: &mut VisitorFacts<'a>,
    ) {
        let theme = data.and_then(|d| d.part::<Preferences>()).map(|p| p.theme);
        out.set("theme", Fact::Words(vec![theme.unwrap_or_default().code()]));
    }
}
