//! Registering, logging in and out.

use super::*;

#[get("/register")]
pub(super) async fn register_page(page: Page<'_>) -> Result<Template, Status> {
    page.ensure_session().await?;
    Ok(page.render("register", AuthView::default()))
}

#[get("/login")]
pub(super) async fn login_page(page: Page<'_>, next: ReturnTo) -> Result<Template, Status> {
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
) -> Result<(), Unavailable> {
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
    // Its documents start empty; the account hooks fill them at the login below
    // (the visitor's preferences and cart become the account's).
    let created_at = Utc::now();
    let new = NewAccount {
        username: &username,
        password_hash: &password_hash,
        preferences: &Doc::default(),
        cart: &Doc::default(),
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
        preferences: Doc::default(),
        prefs_version: 0,
        cart: Doc::default(),
        epoch: 0,
    };
    log_in(&page, accounts, &account, ua.0, true).await?;
    trust::remember(cookies, accounts.cookie_secure, account.id);
    Ok(FormOutcome::Redirect(Redirect::to("/account")))
}

#[derive(rocket::FromForm)]
pub(super) struct LoginForm {
    csrf_token: Option<String>,
    username: Option<String>,
    password: Option<String>,
    next: Option<String>,
}

#[post("/login", data = "<form>")]
pub(super) async fn login(
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
    if username.chars().count() > crate::accounts::MAX_USERNAME_CHARS {
        view.username = username
            .chars()
            .take(crate::accounts::MAX_USERNAME_CHARS)
            .collect();
        view.error = Some("wrong_credentials");
        return Ok(auth_page(&page, "login", view, Status::UnprocessableEntity));
    }
    if password.chars().count() > crate::accounts::MAX_PASSWORD_CHARS {
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
            log_in(&page, accounts, &account, ua.0, false).await?;
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
pub(super) struct TokenForm {
    pub(super) csrf_token: Option<String>,
}

#[post("/logout", data = "<form>")]
pub(super) async fn logout(
    page: Page<'_>,
    form: Form<TokenForm>,
    accounts: &State<Accounts>,
) -> Result<Redirect, Status> {
    page.check_csrf(form.csrf_token.as_deref())?;
    if let (Some(login), Some(id)) = (page.fact::<crate::accounts::LoggedIn>(), page.session.id()) {
        accounts
            .db
            .remove_session(login.id, &id.to_string())
            .await?;
    }
    page.session.destroy().await?;
    Ok(Redirect::to("/"))
}
