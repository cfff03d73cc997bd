//! The account page and what it changes: other sessions, the password, the account.

use super::*;

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
    let Some(login) = page.fact::<crate::accounts::LoggedIn>() else {
        return Ok(None);
    };
    let zone = page.zone;
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
pub(super) async fn account(
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
    page.fact::<crate::accounts::LoggedIn>()
        .ok_or(Status::Unauthorized)
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
            if let Some(user) = d.existing_mut::<AuthState>() {
                user.epoch = epoch;
            }
        })
        .await?;
    Ok(())
}

#[post("/account/logout-others", data = "<form>")]
pub(super) async fn logout_others(
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
pub(super) struct PasswordForm {
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
pub(crate) enum Confirmed {
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
pub(crate) async fn confirm_password(
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
    if password.chars().count() > crate::accounts::MAX_PASSWORD_CHARS {
        accounts.failed(&attempt).await;
        return Ok(Confirmed::No);
    }
    let hash = accounts
        .db
        .account::<Doc, Doc>(login.id)
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
pub(super) async fn change_password(
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
pub(super) struct DeleteForm {
    csrf_token: Option<String>,
    password: Option<String>,
}

/// Deletes the logged-in account: its saved data, its submissions and every
/// session of it; its orders stay, without it.
pub(crate) async fn delete_account(
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
pub(super) async fn delete(
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
