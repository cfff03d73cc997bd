//! What accounts plug into the others' hooks: every page (the login, checked
//! before anything else reads the session: a login past its lifetime ends here;
//! the user's name), the rules' facts (`logged_in`), and the visitor's rights
//! (the account, its devices and what it sent, in the export).

use super::{Accounts, AuthState, EndedElsewhere, LoggedIn, Login};
use crate::personalisation::{Fact, FactKind, FactSpec, FactsHook, VisitorFacts};
use crate::privacy::{Export, PrivacyHook, Summary, Visitor};
use crate::record::SessionData;
use crate::web::{AppError, ContextPiece, Facts, Page, PageContext, PageHook, PagePhase, Prepare};
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use serde_json::json;

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
