//! The account page and what it changes: other sessions, the password, the account.

use super::{
    get, hashing, local_time, post, uri, Accounts, ClientKey, CookieJar, Form, FormOutcome,
    FromRequest, LoggedIn, Outcome, Page, Redirect, Request, Serialize, SessionData, State, Status,
    Template, TokenForm, Wait,
};
use crate::accounts::credentials::{confirm_password, delete_account, Changed, Confirmed};
use crate::web::AppError;

#[derive(Serialize)]
struct SessionRow {
    pub browser: &'static str,
    pub os: &'static str,
    pub signed_in: String,
    pub last_seen: String,
    pub this_device: bool,
}

/// One of the account's orders, as its list shows it.
#[derive(Serialize)]
struct OrderRow {
    reference: Option<String>,
    placed_at: String,
    items: i64,
    total: String,
}

#[derive(Serialize)]
struct AccountView {
    username: String,
    since: String,
    sessions: Vec<SessionRow>,
    /// The account's orders, newest first (the 20 newest).
    orders: Vec<OrderRow>,
    error: Option<&'static str>,
}

/// Orders the account page lists at most.
const ORDERS_LISTED: usize = 20;

async fn account_view(
    page: &Page<'_>,
    accounts: &Accounts,
    error: Option<&'static str>,
) -> Result<Option<AccountView>, AppError> {
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
    let orders = accounts
        .db
        .orders_of(&[], Some(login.id))
        .await?
        .into_iter()
        .take(ORDERS_LISTED)
        .map(|o| OrderRow {
            items: o.lines.iter().map(|l| l.quantity).sum(),
            total: crate::i18n::format_price(u64::try_from(o.total_cents).unwrap_or(0), page.lang),
            placed_at: local_time(o.created_at, zone),
            reference: o.reference,
        })
        .collect();
    Ok(Some(AccountView {
        username: login.account.username.clone(),
        since,
        sessions,
        orders,
        error,
    }))
}

#[get("/account")]
pub(super) async fn account(
    page: Page<'_>,
    accounts: &State<Accounts>,
) -> Result<Result<Template, Redirect>, AppError> {
    match account_view(&page, accounts, None).await? {
        Some(view) => Ok(Ok(page.render("account", view))),
        None => Ok(Err(Redirect::to("/login?next=/account"))),
    }
}

/// The logged-in user of this page, or 401.
fn logged_in<'p>(page: &'p Page<'_>) -> Result<&'p LoggedIn, AppError> {
    page.fact::<crate::accounts::LoggedIn>()
        .ok_or(Status::Unauthorized.into())
}

#[post("/account/logout-others", data = "<form>")]
pub(super) async fn logout_others(
    page: Page<'_>,
    form: Form<TokenForm>,
    accounts: &State<Accounts>,
) -> Result<Redirect, AppError> {
    page.check_csrf(form.csrf_token.as_deref())?;
    let login = logged_in(&page)?;
    let epoch = accounts
        .db
        .bump_epoch(login.id)
        .await?
        .ok_or(Status::Unauthorized)?;
    accounts
        .end_other_sessions(&page.session, login, epoch)
        .await?;
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
) -> Result<FormOutcome, AppError> {
    let view = account_view(page, accounts, Some(error))
        .await?
        .ok_or(Status::Unauthorized)?;
    Ok(FormOutcome::Invalid((status, page.render("account", view))))
}

/// The account page answering a refused confirmation (or `None` to go on).
async fn refused_confirmation(
    page: &Page<'_>,
    accounts: &Accounts,
    confirmed: Confirmed,
    wrong: (&'static str, Status),
) -> Result<Option<FormOutcome>, AppError> {
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

/// Request guard: what confirming the account's password needs besides the page
/// (the accounts, the client's address for the limits, the device cookie).
pub(super) struct Confirmer<'r> {
    accounts: &'r Accounts,
    client: ClientKey,
    cookies: &'r CookieJar<'r>,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Confirmer<'r> {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        match request.rocket().state::<Accounts>() {
            Some(accounts) => Outcome::Success(Confirmer {
                accounts,
                client: ClientKey::of(request),
                cookies: request.cookies(),
            }),
            None => Outcome::Error((Status::InternalServerError, ())),
        }
    }
}

impl Confirmer<'_> {
    /// Confirms `password` for the logged-in account: `None` to go on, else the
    /// account page saying why not (`wrong` for a wrong password).
    async fn refusal(
        &self,
        page: &Page<'_>,
        login: &LoggedIn,
        password: Option<&String>,
        wrong: (&'static str, Status),
    ) -> Result<Option<FormOutcome>, AppError> {
        let password = password.cloned().unwrap_or_default();
        let accounts = self.accounts;
        let confirmed = confirm_password(accounts, login, password, &self.client, self.cookies);
        refused_confirmation(page, accounts, confirmed.await?, wrong).await
    }
}

#[post("/account/password", data = "<form>")]
pub(super) async fn change_password(
    page: Page<'_>,
    form: Form<PasswordForm>,
    confirmer: Confirmer<'_>,
) -> Result<FormOutcome, AppError> {
    page.check_csrf(form.csrf_token.as_deref())?;
    let (login, accounts) = (logged_in(&page)?, confirmer.accounts);
    let new = form.new.clone().unwrap_or_default();
    if let Err(e) = accounts.check_password(&new) {
        return account_refused(&page, accounts, e, Status::UnprocessableEntity).await;
    }
    let wrong = ("current_wrong", Status::UnprocessableEntity);
    let refusal = confirmer.refusal(&page, login, form.current.as_ref(), wrong);
    if let Some(refused) = refusal.await? {
        return Ok(refused);
    }
    if accounts.change_password(&page.session, login, new).await? == Changed::Busy {
        let busy = refused_confirmation(&page, accounts, Confirmed::Busy, wrong).await?;
        return busy.ok_or(Status::ServiceUnavailable.into());
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

#[post("/account/delete", data = "<form>")]
pub(super) async fn delete(
    page: Page<'_>,
    form: Form<DeleteForm>,
    confirmer: Confirmer<'_>,
) -> Result<FormOutcome, AppError> {
    page.check_csrf(form.csrf_token.as_deref())?;
    let login = logged_in(&page)?;
    let wrong = ("delete_wrong", Status::Unauthorized);
    let refusal = confirmer.refusal(&page, login, form.password.as_ref(), wrong);
    if let Some(refused) = refusal.await? {
        return Ok(refused);
    }
    let templates = page.state::<crate::web::template::Templates>();
    delete_account(&page.session, confirmer.accounts, login, templates).await?;
    Ok(FormOutcome::Redirect(Redirect::to(uri!(
        "/privacy?account_deleted=true"
    ))))
}
