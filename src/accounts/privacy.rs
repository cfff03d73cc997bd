//! What accounts add to the visitor's rights: the login and, while logged in, the
//! account with its signed-in browsers in the export; the user's name on the page.

use crate::web::AppError;
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome};
use serde_json::json;

use super::{Accounts, LoggedIn, Login};
use crate::privacy::{Export, PrivacyHook, Summary, Visitor};
use crate::web::Page;

/// This visitor's login, as the `Login` guard checks it.
pub async fn login_of(visitor: &Visitor<'_, '_>) -> Result<Option<LoggedIn>, AppError> {
    match Login::from_request(visitor.request).await {
        Outcome::Success(Login(login)) => Ok(login),
        Outcome::Error((status, ())) => Err(status.into()),
        Outcome::Forward(status) => Err(status.into()),
    }
}

/// The accounts' privacy hook.
pub struct AccountRights;

#[rocket::async_trait]
impl PrivacyHook for AccountRights {
    async fn export(&self, visitor: &Visitor<'_, '_>, export: &mut Export) -> Result<(), AppError> {
        let Some(login) = login_of(visitor).await? else {
            export.put("user", ());
            return Ok(());
        };
        export.put(
            "user",
            json!({
                "username": login.account.username,
                "logged_in_at": login.auth.logged_in_at,
                "last_active": login.auth.last_active,
            }),
        );
        let accounts = visitor
            .rocket()
            .state::<Accounts>()
            .ok_or(Status::ServiceUnavailable)?;
        let devices = accounts.devices(visitor.session, &login).await?;
        let account = export.account();
        account.insert("username".into(), json!(login.account.username));
        account.insert("created_at".into(), json!(login.account.created_at));
        account.insert("experiments".into(), json!({}));
        account.insert("sessions".into(), json!(devices));
        Ok(())
    }

    fn summarize(&self, page: &Page<'_>, summary: &mut Summary) {
        summary.user = page.fact::<LoggedIn>().map(|l| l.account.username.clone());
    }
}
