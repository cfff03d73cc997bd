//! What accounts offer the personalisation rules: whether the visitor is logged in.

use rocket::Request;

use super::LoggedIn;
use crate::personalisation::{Fact, FactKind, FactSpec, FactsHook, VisitorFacts};
use crate::record::SessionData;
use crate::web::Facts;

/// The accounts' facts hook.
pub struct LoginFacts;

impl FactsHook for LoginFacts {
    /// `logged_in = true`.
    fn offers(&self) -> &'static [FactSpec] {
        &[FactSpec {
            name: "logged_in",
            kind: FactKind::Flag,
        }]
    }

    fn facts<'a>(
        &self,
        _: &Request<'_>,
        _: Option<&'a SessionData>,
        page: &'a Facts,
        out: &mut VisitorFacts<'a>,
    ) {
        out.set("logged_in", Fact::Flag(page.get::<LoggedIn>().is_some()));
    }
}
