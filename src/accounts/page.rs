//! What accounts add to every page: the login, checked before anything else reads
//! the session (a login past its lifetime ends here), and the user's name.

use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};

use super::{AuthState, EndedElsewhere, LoggedIn, Login};
use crate::record::SessionData;
use crate::web::{ContextPiece, Facts, PageContext, PageHook, PagePhase, Prepare};

/// The accounts' piece of a logged-in visitor's pages: `page.account.user`, the
/// user's name (absent when nobody is logged in).
#[derive(serde::Serialize)]
pub struct AccountSummary {
    pub user: String,
}

impl ContextPiece for AccountSummary {
    const NAME: &'static str = "account";
}
use tailor_session::{SessionError, StoreError};

/// The accounts' page hook; leaves the [`LoggedIn`] fact when there is a login.
pub struct LoginHook;

#[rocket::async_trait]
impl PageHook for LoginHook {
    /// First: a login that ends renews the session before others read it.
    fn phase(&self) -> PagePhase {
        PagePhase::Identify
    }

    /// Only a session with a login has one to check (the account may have to be
    /// read), or one whose login was ended elsewhere (it gets a new id); every
    /// other page skips the `Login` guard.
    fn is_async(&self, _request: &Request<'_>, page: &Prepare<'_, '_>) -> bool {
        page.session.data().is_some_and(|d| {
            d.part::<AuthState>().is_some() || d.part::<EndedElsewhere>().is_some()
        })
    }

    async fn prepare_async(
        &self,
        request: &Request<'_>,
        page: &mut Prepare<'_, '_>,
    ) -> Result<(), (Status, SessionError)> {
        match Login::from_request(request).await {
            Outcome::Success(Login(login)) => {
                if let Some(login) = login {
                    page.facts.insert(login);
                }
                Ok(())
            }
            Outcome::Error((Status::Conflict, ())) => Err((Status::Conflict, SessionError::Gone)),
            _ => {
                let e = StoreError::Backend("the login could not be checked".into());
                Err((Status::ServiceUnavailable, SessionError::Store(e)))
            }
        }
    }

    fn layout(&self, facts: &Facts, _data: Option<&SessionData>, layout: &mut PageContext) {
        if let Some(login) = facts.get::<LoggedIn>() {
            layout.put(AccountSummary {
                user: login.account.username.clone(),
            });
        }
    }
}

/// The account pages' titles.
pub struct AccountTitles;

impl crate::web::PageTitle for AccountTitles {
    fn title(&self, path: &str, lang: crate::i18n::Language) -> Option<String> {
        let key = match path {
            "/login" => "accounts.login_title",
            "/register" => "accounts.register_title",
            _ => return None,
        };
        Some(lang.text(key).to_owned())
    }
}
