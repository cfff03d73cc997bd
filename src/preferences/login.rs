//! The preferences at login (an accounts hook): a new account takes the visitor's
//! preferences; logging in to an existing one brings its preferences into the
//! session (an account that never chose adopts this browser's tracking choice and
//! consent id), and a change made on another device is mirrored.

use super::Preferences;
use crate::accounts::{Account, AccountHook, LoginEvent};
use crate::record::SessionData;
use crate::web::AppError;

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
