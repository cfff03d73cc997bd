//! Registering, logging in and out.

use super::{
    auth_page, busy, credentials, get, local_return, post, return_to, trust, unfinished, wait,
    Account, Accounts, AuthState, AuthView, ClientKey, CookieJar, Credentials, Form, FormOutcome,
    LoginEvent, Page, Redirect, ReturnTo, SessionData, State, Status, Template, UserAgent, Utc,
};
use crate::accounts::auth::Refused;
use crate::web::AppError;

#[get("/register")]
pub(super) async fn register_page(page: Page<'_>) -> Result<Template, AppError> {
    page.ensure_session().await?;
    Ok(page.render("register", AuthView::default()))
}

#[get("/login")]
pub(super) async fn login_page(page: Page<'_>, next: ReturnTo) -> Result<Template, AppError> {
    page.ensure_session().await?;
    let view = AuthView {
        next: next.0,
        ..AuthView::default()
    };
    Ok(page.render("login", view))
}

/// Logs the session in to `account`: a new id and the login in the session, then
/// each account hook's share (the visitor's cart moved into the account's, the
/// account's preferences mirrored, or the visitor's given to a new account). A
/// hook that fails undoes the login.
async fn log_in(
    page: &Page<'_>,
    accounts: &Accounts,
    account: &Account,
    user_agent: String,
    registered: bool,
) -> Result<(), AppError> {
    let before = page.data().and_then(|d| d.part::<AuthState>().cloned());
    let old_id = page.session.id();
    page.session.regenerate().await?;
    let now = Utc::now();
    let user = AuthState {
        account_id: Some(account.id),
        epoch: account.epoch,
        prefs_version: account.prefs_version,
        username: account.username.clone(),
        logged_in_at: now,
        last_active: now,
        user_agent,
    };
    page.session
        .update(|d: &mut SessionData| {
            d.set_part(user.clone());
            d.flash("success", "flash.logged_in");
        })
        .await?;
    let event = LoginEvent {
        session: &page.session,
        accounts,
        account,
        registered,
    };
    for hook in accounts.hooks.all() {
        if let Err(e) = hook.logged_in(&event).await {
            let undone = page.session.update(|d: &mut SessionData| {
                d.take_part::<AuthState>();
                d.take_flash();
            });
            if let Err(lost) = undone.await {
                tailor_session::log_error_chain(&lost);
            }
            return Err(e);
        }
    }
    if let (Some(previous), Some(old)) = (before.and_then(|u| u.account_id), old_id) {
        accounts
            .db
            .remove_session(previous, &old.to_string())
            .await?;
    }
    if let Some(id) = page.session.id() {
        let stale = accounts.stale_before(now);
        let ua = &user.user_agent;
        let id = id.to_string();
        let noted = accounts.db.add_session(account.id, &id, ua, now, stale);
        noted.await?;
    }
    Ok(())
}

#[post("/register", data = "<form>")]
pub(super) async fn register(
    page: Page<'_>,
    form: Form<Credentials>,
    accounts: &State<Accounts>,
    ua: UserAgent,
    client: ClientKey,
    cookies: &CookieJar<'_>,
) -> Result<FormOutcome, AppError> {
    page.check_csrf(form.csrf_token.as_deref())?;
    let (username, password) = form.parts();
    let view = AuthView {
        username: username.clone(),
        ..AuthView::default()
    };
    match accounts.register(&username, password, &client.0).await? {
        Ok(account) => {
            trust::remember(cookies, accounts.cookie_secure, account.id);
            if let Err(failure) = log_in(&page, accounts, &account, ua.0, true).await {
                return Ok(unfinished(&page, "register", view, failure));
            }
            Ok(FormOutcome::Redirect(Redirect::to("/account")))
        }
        Err(refused) => Ok(refused_page(&page, "register", view, refused)),
    }
}

#[derive(rocket::FromForm)]
pub(super) struct LoginForm {
    csrf_token: Option<String>,
    username: Option<String>,
    password: Option<String>,
    next: Option<String>,
}

impl LoginForm {
    /// The form's view (the name, where to go next) and the password typed.
    fn read(&self) -> (AuthView, String) {
        let (username, password) = credentials(self.username.as_deref(), self.password.as_deref());
        let view = AuthView {
            username,
            next: local_return(self.next.as_deref()),
            ..AuthView::default()
        };
        (view, password)
    }
}

#[post("/login", data = "<form>")]
pub(super) async fn login(
    page: Page<'_>,
    form: Form<LoginForm>,
    accounts: &State<Accounts>,
    ua: UserAgent,
    client: ClientKey,
    cookies: &CookieJar<'_>,
) -> Result<FormOutcome, AppError> {
    page.check_csrf(form.csrf_token.as_deref())?;
    let (mut view, password) = form.read();
    // Refused before any limiter or lookup: no such account can exist, and a long
    // name must not make a key of its own.
    if let Some(error) = login_too_long(&mut view, &password) {
        return Ok(auth_page(&page, "login", view, error));
    }
    let tried = accounts.authenticate(&view.username, password, &client.0, cookies);
    match tried.await? {
        Ok(account) => {
            // Nothing after the new session id may fail: an error answer would
            // drop the new session's cookie (and the device cookie) with it.
            let next = return_to(&view.next);
            trust::remember(cookies, accounts.cookie_secure, account.id);
            if let Err(failure) = log_in(&page, accounts, &account, ua.0, false).await {
                return Ok(unfinished(&page, "login", view, failure));
            }
            Ok(FormOutcome::Redirect(next))
        }
        Err(refused) => Ok(refused_page(&page, "login", view, refused)),
    }
}

/// A login form whose name or password is longer than any account's: the error
/// set on `view` (the name cut to fit), and the status.
fn login_too_long(view: &mut AuthView, password: &str) -> Option<Status> {
    if view.username.chars().count() > crate::accounts::MAX_USERNAME_CHARS {
        let max = crate::accounts::MAX_USERNAME_CHARS;
        view.username = view.username.chars().take(max).collect();
        view.error = Some("wrong_credentials");
    } else if password.chars().count() > crate::accounts::MAX_PASSWORD_CHARS {
        view.error = Some("password_long");
    } else {
        return None;
    }
    Some(Status::UnprocessableEntity)
}

/// The form again, with what refused it.
fn refused_page(
    page: &Page<'_>,
    name: &'static str,
    mut view: AuthView,
    refused: Refused,
) -> FormOutcome {
    let status = match refused {
        Refused::Locked(window) | Refused::Limited(window) => {
            view.error = Some(match refused {
                Refused::Limited(_) => "register_limited",
                _ => "locked",
            });
            let secs = window.retry_after_secs();
            return wait(page, name, view, Status::TooManyRequests, secs);
        }
        Refused::Busy => return busy(page, name, view),
        Refused::Invalid { username, password } => {
            (view.username_error, view.password_error) = (username, password);
            Status::UnprocessableEntity
        }
        Refused::Taken => {
            view.username_error = Some("username_taken");
            Status::UnprocessableEntity
        }
        Refused::Wrong => {
            view.error = Some("wrong_credentials");
            Status::Unauthorized
        }
    };
    auth_page(page, name, view, status)
}

#[derive(rocket::FromForm)]
pub(super) struct TokenForm {
    pub(super) csrf_token: Option<String>,
}

#[post("/logout", data = "<form>")]
pub(super) async fn logout(
    page: Page<'_>,
    form: Form<TokenForm>,
    accounts: &State<Accounts>,
) -> Result<Redirect, AppError> {
    page.check_csrf(form.csrf_token.as_deref())?;
    if let (Some(login), Some(id)) = (page.fact::<crate::accounts::LoggedIn>(), page.session.id()) {
        accounts
            .db
            .remove_session(login.id, &id.to_string())
            .await?;
    }
    page.session.destroy().await?;
    // A new session holds only the notice (the old one and its data are gone).
    page.notice("success", "flash.logged_out").await;
    Ok(Redirect::to("/"))
}
