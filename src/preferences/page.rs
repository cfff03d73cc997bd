//! What the preferences add to every page: the saved language (else the browser's),
//! the zone, the theme and the display name.

use rocket::http::Status;
use rocket::Request;

use super::Preferences;
use crate::record::SessionData;
use crate::web::{ContextPiece, Facts, PageContext, PageHook, Prepare};
use tailor_session::SessionError;

/// The preferences' piece of the pages of a visitor who gave a name:
/// `page.preferences.display_name` (absent when they gave none).
#[derive(serde::Serialize)]
pub struct NameSummary {
    pub display_name: String,
}

impl ContextPiece for NameSummary {
    const NAME: &'static str = "preferences";
}

/// The preferences' page hook.
pub struct PreferencesHook;

#[rocket::async_trait]
impl PageHook for PreferencesHook {
    fn prepare(
        &self,
        _request: &Request<'_>,
        page: &mut Prepare<'_, '_>,
    ) -> Result<(), (Status, SessionError)> {
        if let Some(data) = page.session.data() {
            if let Some(prefs) = data.part::<Preferences>() {
                page.lang = prefs.language.unwrap_or(page.lang);
                page.zone = prefs.timezone;
            }
        }
        Ok(())
    }

    fn layout(&self, _facts: &Facts, data: Option<&SessionData>, layout: &mut PageContext) {
        let Some(prefs) = data.and_then(|d| d.part::<Preferences>()) else {
            return;
        };
        layout.theme = prefs.theme.code();
        if let Some(name) = &prefs.display_name {
            layout.put(NameSummary {
                display_name: name.as_str().to_owned(),
            });
        }
    }
}
