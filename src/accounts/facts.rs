//! What accounts offer the personalisation rules: whether the visitor is logged in.

use rocket::Request;

use super::LoggedIn;
use crate::personalisation::{FactsHook, VisitorFacts};
use crate::record::SessionData;
use crate::web::Facts;

/// The accounts' facts hook.
pub struct LoginFacts;

impl FactsHook for LoginFacts {
    fn facts<'a>(
        &self,
        _: &Request<'_>,
        _: Option<&'a SessionData>,
        page: &'a Facts,
        out: &mut VisitorFacts<'a>,
    ) {
        out.logged_in = page.get::<LoggedIn>().is_some();
    }
}
