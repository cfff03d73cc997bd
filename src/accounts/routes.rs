//! `/register`, `/login`, `POST /logout`, `/account` (active sessions, log out
//! the others, change password).

use crate::web::template::Template;
use chrono::Utc;
use rocket::form::Form;
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::Redirect;
use rocket::{get, post, Route, State};
use serde::Serialize;

use super::{
    check_username, current_user, device, hash_password, verify_password, Account, Accounts,
    AuthState,
};
use crate::privacy::local_time;
use crate::record::SessionData;
use crate::session::SessionError;
use crate::web::{FormOutcome, Page};

/// The request's `User-Agent`, capped.
struct UserAgent(String);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for UserAgent {
    type Error = std::convert::Infallible;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let ua = request.headers().get_one("User-Agent").unwrap_or_default();
        Outcome::Success(UserAgent(ua.chars().take(300).collect()))
    }
}

#[derive(rocket::FromForm)]
struct Credentials {
    csrf_token: Option<String>,
    username: Option<String>,
    password: Option<String>,
}

impl Credentials {
    /// The trimmed username and the password as typed (empty when missing).
    fn parts(&self) -> (String, String) {
        let username = self
            .username
            .as_deref()
            .unwrap_or_default()
            .trim()
            .to_owned();
        (username, self.password.clone().unwrap_or_default())
    }
}

#[derive(Serialize, Default)]
struct AuthView {
    username: String,
    /// A catalog key under `accounts.errors`.
    error: Option<&'static str>,
}

fn auth_page(page: &Page<'_>, name: &'static str, view: AuthView, status: Status) -> FormOutcome {
    FormOutcome::Invalid((status, page.render(name, view)))
}

#[get("/register")]
async fn register_page(page: Page<'_>) -> Result<Template, Status> {
    page.ensure_session().await?;
    Ok(page.render("register", AuthView::default()))
}

#[get("/login")]
async fn login_page(page: Page<'_>) -> Result<Template, Status> {
    page.ensure_session().await?;
    Ok(page.render("login", AuthView::default()))
}

/// Logs the session in to `account`: new id, carts merged, saved preferences applied.
async fn log_in(
    page: &Page<'_>,
    accounts: &Accounts,
    account: Account,
    ua: String,
) -> Result<(), SessionError> {
    page.session.regenerate().await?;
    let now = Utc::now();
    let user = AuthState {
        username: account.username.clone(),
        logged_in_at: now,
        last_active: now,
        user_agent: ua,
    };
    page.session
        .update(|d: &mut SessionData| {
            let mut cart = account.cart.clone();
            cart.merge(d.cart());
            *d.cart_mut() = cart;
            d.preferences = account.preferences.clone();
            d.set_user(Some(user.clone()));
            d.flash("success", "flash.logged_in");
        })
        .await?;
    if let Some(id) = page.session.id() {
        accounts.store.add_session(&account.username, &id).await?;
    }
    accounts.remember(page.data().as_deref()).await;
    Ok(())
}

#[post("/register", data = "<form>")]
async fn register(
    page: Page<'_>,
    form: Form<Credentials>,
    accounts: &State<Accounts>,
    ua: UserAgent,
) -> Result<FormOutcome, Status> {
    page.check_csrf(form.csrf_token.as_deref())?;
    let (username, password) = form.parts();
    let refuse = |error| {
        Ok(auth_page(
            &page,
            "register",
            AuthView {
                username: username.clone(),
                error: Some(error),
            },
            Status::UnprocessableEntity,
        ))
    };
    if let Err(e) = check_username(&username).and_then(|_| accounts.check_password(&password)) {
        return refuse(e);
    }
    let Some(password_hash) = hash_password(password).await else {
        return Err(Status::InternalServerError);
    };
    let data = page.data();
    let account = Account {
        username: username.clone(),
        password_hash,
        preferences: data
            .as_ref()
            .map(|d| d.preferences.clone())
            .unwrap_or_default(),
        cart: Default::default(),
        created_at: Utc::now(),
    };
    if !accounts
        .store
        .create(account.clone())
        .await
        .map_err(SessionError::from)?
    {
        return refuse("username_taken");
    }
    log_in(&page, accounts, account, ua.0).await?;
    Ok(FormOutcome::Redirect(Redirect::to("/account")))
}

#[post("/login", data = "<form>")]
async fn login(
    page: Page<'_>,
    form: Form<Credentials>,
    accounts: &State<Accounts>,
    ua: UserAgent,
) -> Result<FormOutcome, Status> {
    page.check_csrf(form.csrf_token.as_deref())?;
    let (username, password) = form.parts();
    let view = |error| AuthView {
        username: username.clone(),
        error: Some(error),
    };
    let now = Utc::now();
    if accounts.locked(&username, now) {
        return Ok(auth_page(
            &page,
            "login",
            view("locked"),
            Status::TooManyRequests,
        ));
    }
    if password.chars().count() > super::MAX_PASSWORD_CHARS {
        return Ok(auth_page(
            &page,
            "login",
            view("password_long"),
            Status::UnprocessableEntity,
        ));
    }
    let account = accounts
        .store
        .get(&username)
        .await
        .map_err(SessionError::from)?;
    let valid = verify_password(password, account.as_ref().map(|a| a.password_hash.clone())).await;
    match account.filter(|_| valid) {
        Some(account) => {
            log_in(&page, accounts, account, ua.0).await?;
            Ok(FormOutcome::Redirect(Redirect::to("/")))
        }
        None => {
            accounts.failed(&username, now);
            Ok(auth_page(
                &page,
                "login",
                view("wrong_credentials"),
                Status::Unauthorized,
            ))
        }
    }
}

#[derive(rocket::FromForm)]
struct TokenForm {
    csrf_token: Option<String>,
}

#[post("/logout", data = "<form>")]
async fn logout(
    page: Page<'_>,
    form: Form<TokenForm>,
    accounts: &State<Accounts>,
) -> Result<Redirect, Status> {
    page.check_csrf(form.csrf_token.as_deref())?;
    if let (Some(user), Some(id)) = (
        page.data().and_then(|d| d.user().cloned()),
        page.session.id(),
    ) {
        accounts
            .store
            .remove_session(&user.username, &id)
            .await
            .map_err(SessionError::from)?;
    }
    page.session.destroy().await?;
    Ok(Redirect::to("/"))
}

#[derive(Serialize)]
struct SessionRow {
    browser: &'static str,
    os: &'static str,
    last_seen: String,
    this_device: bool,
}

#[derive(Serialize)]
struct AccountView {
    username: String,
    since: String,
    sessions: Vec<SessionRow>,
    error: Option<&'static str>,
}

/// The live sessions of `username`, pruning the index of the ones that are gone.
async fn live_sessions(
    page: &Page<'_>,
    accounts: &Accounts,
    username: &str,
) -> Result<Vec<SessionRow>, SessionError> {
    let store = page.session.layer().store();
    let zone = page.preferences().timezone;
    let current = page.session.id();
    let mut rows = Vec::new();
    for id in accounts.store.sessions(username).await? {
        let data = store.peek(&id).await?;
        let user = data
            .as_deref()
            .and_then(|d| current_user(d, accounts).cloned());
        match (data, user) {
            (Some(data), Some(user)) if user.username.eq_ignore_ascii_case(username) => {
                rows.push(SessionRow {
                    browser: device::browser(&user.user_agent),
                    os: device::os(&user.user_agent),
                    last_seen: local_time(data.last_seen.max(user.last_active), zone),
                    this_device: current.as_ref() == Some(&id),
                })
            }
            _ => accounts.store.remove_session(username, &id).await?,
        }
    }
    rows.sort_by_key(|r| !r.this_device);
    Ok(rows)
}

async fn account_view(
    page: &Page<'_>,
    accounts: &Accounts,
    error: Option<&'static str>,
) -> Result<Option<AccountView>, SessionError> {
    let Some(user) = page
        .data()
        .and_then(|d| current_user(&d, accounts).cloned())
    else {
        return Ok(None);
    };
    let sessions = live_sessions(page, accounts, &user.username).await?;
    let since = local_time(user.logged_in_at, page.preferences().timezone);
    Ok(Some(AccountView {
        username: user.username,
        since,
        sessions,
        error,
    }))
}

#[get("/account")]
async fn account(
    page: Page<'_>,
    accounts: &State<Accounts>,
) -> Result<Result<Template, Redirect>, Status> {
    match account_view(&page, accounts, None).await? {
        Some(view) => Ok(Ok(page.render("account", view))),
        None => Ok(Err(Redirect::to("/login"))),
    }
}

/// Ends every session of `username` but this one.
async fn end_others(
    page: &Page<'_>,
    accounts: &Accounts,
    username: &str,
) -> Result<(), SessionError> {
    let current = page.session.id();
    for id in accounts.store.sessions(username).await? {
        if Some(&id) != current.as_ref() {
            page.session.layer().store().remove(&id).await?;
            accounts.store.remove_session(username, &id).await?;
        }
    }
    Ok(())
}

/// The logged-in user of this page, or 401.
fn logged_in(page: &Page<'_>, accounts: &Accounts) -> Result<AuthState, Status> {
    page.data()
        .and_then(|d| current_user(&d, accounts).cloned())
        .ok_or(Status::Unauthorized)
}

#[post("/account/logout-others", data = "<form>")]
async fn logout_others(
    page: Page<'_>,
    form: Form<TokenForm>,
    accounts: &State<Accounts>,
) -> Result<Redirect, Status> {
    page.check_csrf(form.csrf_token.as_deref())?;
    let user = logged_in(&page, accounts)?;
    end_others(&page, accounts, &user.username).await?;
    page.session
        .update(|d: &mut SessionData| d.flash("success", "flash.others_logged_out"))
        .await?;
    Ok(Redirect::to("/account"))
}

#[derive(rocket::FromForm)]
struct PasswordForm {
    csrf_token: Option<String>,
    current: Option<String>,
    new: Option<String>,
}

async fn password_refused(
    page: &Page<'_>,
    accounts: &Accounts,
    error: &'static str,
) -> Result<FormOutcome, Status> {
    let view = account_view(page, accounts, Some(error))
        .await?
        .ok_or(Status::Unauthorized)?;
    Ok(FormOutcome::Invalid((
        Status::UnprocessableEntity,
        page.render("account", view),
    )))
}

#[post("/account/password", data = "<form>")]
async fn change_password(
    page: Page<'_>,
    form: Form<PasswordForm>,
    accounts: &State<Accounts>,
) -> Result<FormOutcome, Status> {
    page.check_csrf(form.csrf_token.as_deref())?;
    let user = logged_in(&page, accounts)?;
    let new = form.new.clone().unwrap_or_default();
    if let Err(e) = accounts.check_password(&new) {
        return password_refused(&page, accounts, e).await;
    }
    let account = accounts
        .store
        .get(&user.username)
        .await
        .map_err(SessionError::from)?
        .ok_or(Status::Unauthorized)?;
    if !verify_password(
        form.current.clone().unwrap_or_default(),
        Some(account.password_hash),
    )
    .await
    {
        return password_refused(&page, accounts, "current_wrong").await;
    }
    let Some(hash) = hash_password(new).await else {
        return Err(Status::InternalServerError);
    };
    accounts
        .store
        .update(&user.username, &mut |a: &mut Account| {
            a.password_hash = hash.clone()
        })
        .await
        .map_err(SessionError::from)?;
    end_others(&page, accounts, &user.username).await?;
    // A privilege change: this session gets a new id too.
    let old = page.session.id();
    page.session.regenerate().await?;
    if let (Some(old), Some(new_id)) = (old, page.session.id()) {
        accounts
            .store
            .remove_session(&user.username, &old)
            .await
            .map_err(SessionError::from)?;
        accounts
            .store
            .add_session(&user.username, &new_id)
            .await
            .map_err(SessionError::from)?;
    }
    page.session
        .update(|d: &mut SessionData| d.flash("success", "flash.password_changed"))
        .await?;
    Ok(FormOutcome::Redirect(Redirect::to("/account")))
}

/// The account routes.
pub fn routes() -> Vec<Route> {
    rocket::routes![
        register_page,
        login_page,
        register,
        login,
        logout,
        account,
        logout_others,
        change_password
    ]
}
