//! What drafts add to every page: drafts past their age are dropped in the page's
//! housekeeping write, and the visitor is told.

use rocket::Request;

use super::{expire, has_expired, DraftConfig};
use crate::record::SessionData;
use crate::web::{Facts, PageHook};

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
