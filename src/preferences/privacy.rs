//! What the preferences add to the export: the session's, and the account's while
//! logged in.

use crate::web::AppError;
use serde_json::json;

use super::Preferences;
use crate::accounts::privacy::login_of;
use crate::privacy::{Export, PrivacyHook, Visitor};

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
