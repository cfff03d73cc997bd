//! `/register`, `/login`, `POST /logout`, `/account` (active sessions, log out
//! the others, change password, delete the account).

use crate::web::template::Template;
use chrono::Utc;
use rocket::form::Form;
use rocket::http::{CookieJar, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::Redirect;
use rocket::{get, post, uri, Route, State};
use serde::Serialize;

use super::{check_username, trust, Account, Accounts, AuthState, LoggedIn, Unavailable};
use crate::cart::Cart;
use crate::data::accounts::NewAccount;
use crate::hashing;
use crate::limits::{ClientKey, Window};
use crate::privacy::local_time;
use crate::record::SessionData;
use crate::web::{FormOutcome, Page, Wait};

/// The request's `User-Agent`, capped.
pub(super) struct UserAgent(String);

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
    /// A catalog key under `accounts.errors`, about the whole form.
    error: Option<&'static str>,
    /// Catalog keys under `accounts.errors`, beside their fields.
    username_error: Option<&'static str>,
    password_error: Option<&'static str>,
    /// Where to go after logging in (a local path).
    next: String,
}

fn auth_page(page: &Page<'_>, name: &'static str, view: AuthView, status: Status) -> FormOutcome {
    FormOutcome::Invalid((status, page.render(name, view)))
}

/// The form again, refused for now: `Retry-After` says for how long.
fn wait(
    page: &Page<'_>,
    name: &'static str,
    view: AuthView,
    status: Status,
    secs: u64,
) -> FormOutcome {
    FormOutcome::Wait(Wait {
        status,
        page: page.render(name, view),
        retry_after_secs: secs,
    })
}

/// The form again, the hashing pool being full: 503, try again shortly.
fn busy(page: &Page<'_>, name: &'static str, mut view: AuthView) -> FormOutcome {
    view.error = Some("busy");
    wait(
        page,
        name,
        view,
        Status::ServiceUnavailable,
        hashing::RETRY_AFTER_SECS,
    )
}

/// A place to return to after logging in: a local path in normal form (not an
/// account page), else `/`. `//host`, `/\\host`, absolute URLs and anything odd go to `/`.
fn local_return(path: Option<&str>) -> String {
    let Some(path) = path.map(str::trim) else {
        return "/".to_owned();
    };
    let local = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains(['\\', ':', '\r', '\n'])
        && path.len() <= 200;
    let (route, _query) = path.split_once('?').unwrap_or((path, ""));
    let loops = ["/login", "/register", "/logout"].contains(&route);
    if local && !loops && crate::web::is_normal_path(route) {
        path.to_owned()
    } else {
        "/".to_owned()
    }
}

/// The path of a same-site `Referer`, if any.
fn referring_path(request: &Request<'_>) -> Option<String> {
    let referer = request.headers().get_one("Referer")?;
    let host = request.headers().get_one("Host")?;
    let rest = referer
        .strip_prefix("http://")
        .or_else(|| referer.strip_prefix("https://"))?;
    let path = rest.strip_prefix(host)?;
    path.starts_with('/').then(|| path.to_owned())
}

/// Where the login page will send the visitor back to.
struct ReturnTo(String);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ReturnTo {
    type Error = std::convert::Infallible;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let asked = request
            .query_value::<&str>("next")
            .and_then(Result::ok)
            .map(str::to_owned)
            .or_else(|| referring_path(request));
        Outcome::Success(ReturnTo(local_return(asked.as_deref())))
    }
}

#[get("/register")]
async fn register_page(page: Page<'_>) -> Result<Template, Status> {
    page.ensure_session().await?;
    Ok(page.render("register", AuthView::default()))
}

#[get("/login")]
async fn login_page(page: Page<'_>, next: ReturnTo) -> Result<Template, Status> {
    page.ensure_session().await?;
    let view = AuthView {
        next: next.0,
        ..AuthView::default()
    };
    Ok(page.render("login", view))
}

/// Logs the session in to `account`: a new id, the account's preferences, and the
/// visitor's cart moved into the account's (the session keeps no copy, so logging
/// in again merges nothing twice).
async fn log_in(
    page: &Page<'_>,
    accounts: &Accounts,
    account: &Account,
    user_agent: String,
) -> Result<(), Unavailable> {
    let before = page.data().and_then(|d| d.user().cloned());
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
    let (anonymous, origin) = page
        .session
        .update(|d: &mut SessionData| {
            let cart = std::mem::take(d.cart_mut());
            let origin = d.cart_origin().cloned();
            d.set_cart_origin(None);
            d.preferences = account.preferences.clone();
            d.set_user(Some(user.clone()));
            d.flash("success", "flash.logged_in");
            (cart, origin)
        })
        .await?;
    // A copy of this account's cart (left by a login that timed out) adds only
    // what the visitor put in since; any other cart adds all it holds.
    let added = match &origin {
        Some(origin) if origin.account == account.id => anonymous.beyond(&origin.cart),
        _ => anonymous.clone(),
    };
    if !added.lines.is_empty() {
        if let Err(e) = accounts.change_cart(account.id, |c| c.merge(&added)).await {
            // Undo: the cart back in the session, not logged in.
            let restored = page.session.update(|d: &mut SessionData| {
                d.cart_mut().merge(&anonymous);
                d.set_cart_origin(origin.clone());
                d.set_user(None);
                d.take_flash();
            });
            if let Err(lost) = restored.await {
                tailor_session::log_error_chain(&lost);
            }
            return Err(e.into());
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
async fn register(
    page: Page<'_>,
    form: Form<Credentials>,
    accounts: &State<Accounts>,
    ua: UserAgent,
    client: ClientKey,
    cookies: &CookieJar<'_>,
) -> Result<FormOutcome, Status> {
    page.check_csrf(form.csrf_token.as_deref())?;
    let (username, password) = form.parts();
    let mut view = AuthView {
        username: username.clone(),
        ..AuthView::default()
    };
    let attempt = accounts.registration(&client.0);
    if let Some(window) = accounts.locked(&attempt).await {
        view.error = Some("locked");
        let secs = window.retry_after_secs();
        return Ok(wait(&page, "register", view, Status::TooManyRequests, secs));
    }
    // Every error at once, each beside its field.
    view.username_error = check_username(&username).err();
    view.password_error = accounts.check_password(&password).err();
    if view.username_error.is_some() || view.password_error.is_some() {
        return Ok(auth_page(
            &page,
            "register",
            view,
            Status::UnprocessableEntity,
        ));
    }
    let Ok(password_hash) = hashing::hash_password(password).await else {
        return Ok(busy(&page, "register", view));
    };
    let preferences = page.preferences();
    let created_at = Utc::now();
    let new = NewAccount {
        username: &username,
        password_hash: &password_hash,
        preferences: &preferences,
        cart: &Cart::default(),
        created_at,
    };
    let Some(id) = accounts.db.create_account(new).await? else {
        // A taken name counts against the address: names cannot be probed freely.
        accounts.failed(&attempt).await;
        view.username_error = Some("username_taken");
        return Ok(auth_page(
            &page,
            "register",
            view,
            Status::UnprocessableEntity,
        ));
    };
    let account = Account {
        id,
        username: username.clone(),
        password_hash,
        created_at,
        preferences,
        prefs_version: 0,
        cart: Cart::default(),
        epoch: 0,
    };
    log_in(&page, accounts, &account, ua.0).await?;
    trust::remember(cookies, accounts.cookie_secure, account.id);
    Ok(FormOutcome::Redirect(Redirect::to("/account")))
}

#[derive(rocket::FromForm)]
struct LoginForm {
    csrf_token: Option<String>,
    username: Option<String>,
    password: Option<String>,
    next: Option<String>,
}

#[post("/login", data = "<form>")]
async fn login(
    page: Page<'_>,
    form: Form<LoginForm>,
    accounts: &State<Accounts>,
    ua: UserAgent,
    client: ClientKey,
    cookies: &CookieJar<'_>,
) -> Result<FormOutcome, Status> {
    page.check_csrf(form.csrf_token.as_deref())?;
    let username = form
        .username
        .as_deref()
        .unwrap_or_default()
        .trim()
        .to_owned();
    let password = form.password.clone().unwrap_or_default();
    let next = local_return(form.next.as_deref());
    let mut view = AuthView {
        username: username.clone(),
        next: next.clone(),
        ..AuthView::default()
    };
    // Refused before any limiter or lookup: no such account can exist, and a long
    // name must not make a key of its own.
    if username.chars().count() > super::MAX_USERNAME_CHARS {
        view.username = username.chars().take(super::MAX_USERNAME_CHARS).collect();
        view.error = Some("wrong_credentials");
        return Ok(auth_page(&page, "login", view, Status::UnprocessableEntity));
    }
    if password.chars().count() > super::MAX_PASSWORD_CHARS {
        view.error = Some("password_long");
        return Ok(auth_page(&page, "login", view, Status::UnprocessableEntity));
    }
    let account: Option<Account> = accounts.db.account_by_username(&username).await?;
    let device = account
        .as_ref()
        .and_then(|a| trust::nonce_for(cookies, accounts.cookie_secure, a.id));
    let attempt = accounts.attempt(&username, &client.0, device);
    if let Some(window) = accounts.locked(&attempt).await {
        view.error = Some("locked");
        let secs = window.retry_after_secs();
        return Ok(wait(&page, "login", view, Status::TooManyRequests, secs));
    }
    // An unknown user is verified against a decoy: the same work as a wrong password.
    let hash = account.as_ref().map(|a| a.password_hash.clone());
    let Ok(valid) = hashing::verify_password(password, hash).await else {
        return Ok(busy(&page, "login", view));
    };
    match account.filter(|_| valid) {
        Some(account) => {
            log_in(&page, accounts, &account, ua.0).await?;
            trust::remember(cookies, accounts.cookie_secure, account.id);
            Ok(FormOutcome::Redirect(Redirect::to(next)))
        }
        None => {
            accounts.failed(&attempt).await;
            view.error = Some("wrong_credentials");
            Ok(auth_page(&page, "login", view, Status::Unauthorized))
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
    if let (Some(login), Some(id)) = (page.login(), page.session.id()) {
        accounts
            .db
            .remove_session(login.id, &id.to_string())
            .await?;
    }
    page.session.destroy().await?;
    Ok(Redirect::to("/"))
}

#[derive(Serialize)]
struct SessionRow {
    pub browser: &'static str,
    pub os: &'static str,
    pub signed_in: String,
    pub last_seen: String,
    pub this_device: bool,
}

#[derive(Serialize)]
struct AccountView {
    username: String,
    since: String,
    sessions: Vec<SessionRow>,
    error: Option<&'static str>,
}

async fn account_view(
    page: &Page<'_>,
    accounts: &Accounts,
    error: Option<&'static str>,
) -> Result<Option<AccountView>, Unavailable> {
    let Some(login) = page.login() else {
        return Ok(None);
    };
    let zone = page.preferences().timezone;
    let sessions = accounts
        .devices(&page.session, login)
        .await?
        .into_iter()
        .map(|d| SessionRow {
            browser: d.browser,
            os: d.os,
            signed_in: local_time(d.logged_in_at, zone),
            last_seen: local_time(d.last_seen, zone),
            this_device: d.this_device,
        })
        .collect();
    let since = local_time(login.auth.logged_in_at, zone);
    Ok(Some(AccountView {
        username: login.account.username.clone(),
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
        None => Ok(Err(Redirect::to("/login?next=/account"))),
    }
}

/// The logged-in user of this page, or 401.
fn logged_in<'p>(page: &'p Page<'_>) -> Result<&'p LoggedIn, Status> {
    page.login().ok_or(Status::Unauthorized)
}

/// Moves the account's epoch (ending its other sessions everywhere), ends the
/// ones this instance can reach at once, and keeps this session logged in.
async fn end_other_sessions(
    page: &Page<'_>,
    accounts: &Accounts,
    login: &LoggedIn,
    epoch: i64,
) -> Result<(), Unavailable> {
    let current = page.session.id().map(|id| id.to_string());
    accounts
        .end_sessions(&page.session, login.id, current.as_deref())
        .await?;
    accounts.revise(login.id, |a| a.epoch = epoch);
    page.session
        .update(|d: &mut SessionData| {
            if let Some(user) = d.user_mut() {
                user.epoch = epoch;
            }
        })
        .await?;
    Ok(())
}

#[post("/account/logout-others", data = "<form>")]
async fn logout_others(
    page: Page<'_>,
    form: Form<TokenForm>,
    accounts: &State<Accounts>,
) -> Result<Redirect, Status> {
    page.check_csrf(form.csrf_token.as_deref())?;
    let login = logged_in(&page)?;
    let epoch = accounts
        .db
        .bump_epoch(login.id)
        .await?
        .ok_or(Status::Unauthorized)?;
    end_other_sessions(&page, accounts, login, epoch).await?;
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

async fn account_refused(
    page: &Page<'_>,
    accounts: &Accounts,
    error: &'static str,
    status: Status,
) -> Result<FormOutcome, Status> {
    let view = account_view(page, accounts, Some(error))
        .await?
        .ok_or(Status::Unauthorized)?;
    Ok(FormOutcome::Invalid((status, page.render("account", view))))
}

/// How a password confirmation of the logged-in account went.
pub(super) enum Confirmed {
    Yes,
    /// Wrong (counted as a failed login).
    No,
    /// Locked out by failed logins: wait this window.
    Locked(Window),
    /// The hashing pool is full: try again shortly.
    Busy,
}

/// Whether `password` is the logged-in account's, as stored now. A wrong one
/// counts as a failed login, under the same limits as a login from this browser.
pub(super) async fn confirm_password(
    accounts: &Accounts,
    login: &LoggedIn,
    password: String,
    client: &ClientKey,
    cookies: &CookieJar<'_>,
) -> Result<Confirmed, Unavailable> {
    let username = &login.account.username;
    let device = trust::nonce_for(cookies, accounts.cookie_secure, login.id);
    let attempt = accounts.attempt(username, &client.0, device);
    if let Some(window) = accounts.locked(&attempt).await {
        return Ok(Confirmed::Locked(window));
    }
    if password.chars().count() > super::MAX_PASSWORD_CHARS {
        accounts.failed(&attempt).await;
        return Ok(Confirmed::No);
    }
    let hash = accounts
        .db
        .account::<crate::preferences::Preferences, Cart>(login.id)
        .await?
        .map(|a| a.password_hash);
    let known = hash.is_some();
    match hashing::verify_password(password, hash).await {
        Ok(true) if known => Ok(Confirmed::Yes),
        Ok(_) => {
            accounts.failed(&attempt).await;
            Ok(Confirmed::No)
        }
        Err(_) => Ok(Confirmed::Busy),
    }
}

/// The account page answering a refused confirmation (or `None` to go on).
async fn refused_confirmation(
    page: &Page<'_>,
    accounts: &Accounts,
    confirmed: Confirmed,
    wrong: (&'static str, Status),
) -> Result<Option<FormOutcome>, Status> {
    let (error, status, retry) = match confirmed {
        Confirmed::Yes => return Ok(None),
        Confirmed::No => (wrong.0, wrong.1, None),
        Confirmed::Locked(w) => (
            "locked",
            Status::TooManyRequests,
            Some(w.retry_after_secs()),
        ),
        Confirmed::Busy => (
            "busy",
            Status::ServiceUnavailable,
            Some(hashing::RETRY_AFTER_SECS),
        ),
    };
    let view = account_view(page, accounts, Some(error))
        .await?
        .ok_or(Status::Unauthorized)?;
    let template = page.render("account", view);
    Ok(Some(match retry {
        Some(secs) => FormOutcome::Wait(Wait {
            status,
            page: template,
            retry_after_secs: secs,
        }),
        None => FormOutcome::Invalid((status, template)),
    }))
}

#[post("/account/password", data = "<form>")]
async fn change_password(
    page: Page<'_>,
    form: Form<PasswordForm>,
    accounts: &State<Accounts>,
    client: ClientKey,
    cookies: &CookieJar<'_>,
) -> Result<FormOutcome, Status> {
    page.check_csrf(form.csrf_token.as_deref())?;
    let login = logged_in(&page)?;
    let new = form.new.clone().unwrap_or_default();
    if let Err(e) = accounts.check_password(&new) {
        return account_refused(&page, accounts, e, Status::UnprocessableEntity).await;
    }
    let current = form.current.clone().unwrap_or_default();
    let confirmed = confirm_password(accounts, login, current, &client, cookies).await?;
    let wrong = ("current_wrong", Status::UnprocessableEntity);
    if let Some(refused) = refused_confirmation(&page, accounts, confirmed, wrong).await? {
        return Ok(refused);
    }
    let Ok(hash) = hashing::hash_password(new).await else {
        let busy = refused_confirmation(&page, accounts, Confirmed::Busy, wrong).await?;
        return busy.ok_or(Status::ServiceUnavailable);
    };
    let epoch = accounts
        .db
        .set_password(login.id, &hash)
        .await?
        .ok_or(Status::Unauthorized)?;
    accounts.revise(login.id, |a| a.password_hash = hash.clone());
    end_other_sessions(&page, accounts, login, epoch).await?;
    // A privilege change: this session gets a new id too.
    let old = page.session.id();
    page.session.regenerate().await?;
    if let (Some(old), Some(new_id)) = (old, page.session.id()) {
        accounts
            .db
            .remove_session(login.id, &old.to_string())
            .await?;
        let now = Utc::now();
        let stale = accounts.stale_before(now);
        let ua = &login.auth.user_agent;
        let new_id = new_id.to_string();
        let noted = accounts.db.add_session(login.id, &new_id, ua, now, stale);
        noted.await?;
    }
    page.session
        .update(|d: &mut SessionData| d.flash("success", "flash.password_changed"))
        .await?;
    Ok(FormOutcome::Redirect(Redirect::to("/account")))
}

#[derive(rocket::FromForm)]
struct DeleteForm {
    csrf_token: Option<String>,
    password: Option<String>,
}

/// Deletes the logged-in account: its saved data, its submissions and every
/// session of it; its orders stay, without it.
pub(super) async fn delete_account(
    page_session: &tailor_session::Session<'_, SessionData>,
    accounts: &Accounts,
    login: &LoggedIn,
) -> Result<(), Unavailable> {
    // The index is read before the account (and its index rows) go.
    let sessions = accounts.db.sessions(login.id).await?;
    accounts.db.delete_account(login.id).await?;
    accounts.remember(login.id, None);
    let store = page_session.layer().store();
    for entry in sessions {
        if let Ok(sid) = tailor_session::SessionId::parse(&entry.session_id) {
            if let Err(e) = store.remove(&sid).await {
                tailor_session::log_error_chain(&e);
            }
        }
    }
    page_session.destroy().await?;
    Ok(())
}

#[post("/account/delete", data = "<form>")]
async fn delete(
    page: Page<'_>,
    form: Form<DeleteForm>,
    accounts: &State<Accounts>,
    client: ClientKey,
    cookies: &CookieJar<'_>,
) -> Result<FormOutcome, Status> {
    page.check_csrf(form.csrf_token.as_deref())?;
    let login = logged_in(&page)?;
    let password = form.password.clone().unwrap_or_default();
    let confirmed = confirm_password(accounts, login, password, &client, cookies).await?;
    let wrong = ("delete_wrong", Status::Unauthorized);
    if let Some(refused) = refused_confirmation(&page, accounts, confirmed, wrong).await? {
        return Ok(refused);
    }
    delete_account(&page.session, accounts, login).await?;
    Ok(FormOutcome::Redirect(Redirect::to(uri!(
        "/privacy?account_deleted=true"
    ))))
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
        change_password,
        delete
    ]
}
