//! What the preferences plug into the others' hooks: every page (the saved
//! language, else the browser's; the zone, the theme and the display name), the
//! rules' facts (the theme), login (a new account takes the visitor's
//! preferences; logging in brings the account's, and an account that never chose
//! adopts this browser's tracking choice and consent id), and the export (the
//! session's, and the account's while logged in).

use super::Preferences;
use crate::accounts::plugs::login_of;
use crate::accounts::{Account, AccountHook, LoginEvent};
use crate::personalisation::{Fact, FactKind, FactSpec, FactsHook, VisitorFacts};
use crate::privacy::{Export, PrivacyHook, Visitor};
use crate::record::SessionData;
use crate::web::{AppError, ContextPiece, Facts, PageContext, PageHook, Prepare};
use rocket::http::Status;
use rocket::Request;
use serde_json::json;
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

/// The preferences' account hook.
pub struct PreferencesAtLogin;

#[rocket::async_trait]
impl AccountHook for PreferencesAtLogin {
    async fn logged_in(&self, event: &LoginEvent<'_, '_>) -> Result<(), AppError> {
        let session = event.session;
        if event.registered {
            let mine = session
                .data()
                .and_then(|d| d.part::<Preferences>().cloned())
                .unwrap_or_default();
            let id = event.account.id;
            let given = event
                .accounts
                .change_preferences(session, id, |p: &mut Preferences| *p = mine);
            given.await?;
        } else {
            let mut theirs = event.account.preferences.get::<Preferences>().clone();
            let mine = session
                .data()
                .and_then(|d| d.part::<Preferences>().cloned());
            // An account that never chose adopts the choice this browser made, with
            // its consent id, so the ledger's rows stay the visitor's.
            if let Some(mine) = mine.filter(|m| m.consent.is_some() && theirs.consent.is_none()) {
                let adopt = |p: &mut Preferences| {
                    p.consent.clone_from(&mine.consent);
                    if p.tracking.is_none() {
                        p.tracking = mine.tracking;
                    }
                };
                adopt(&mut theirs);
                let id = event.account.id;
                event
                    .accounts
                    .change_preferences(session, id, adopt)
                    .await?;
            }
            session
                .update(|d: &mut SessionData| d.set_part(theirs.clone()))
                .await?;
        }
        Ok(())
    }

    fn account_changed(&self, data: &mut SessionData, account: &Account) {
        data.set_part(account.preferences.get::<Preferences>().clone());
    }
}

/// The preferences' privacy hook.
pub struct PreferenceRights;

#[rocket::async_trait]
impl PrivacyHook for PreferenceRights {
    async fn export(&self, visitor: &Visitor<'_, '_>, export: &mut Export) -> Result<(), AppError> {
        export.put("preferences", visitor.data.part_or_default::<Preferences>());
        if let Some(login) = login_of(visitor).await? {
            let theirs = json!(login.account.preferences);
            export.account().insert("preferences".into(), theirs);
        }
        Ok(())
    }
}
