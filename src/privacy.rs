//! The visitor's rights over their data: the `/privacy` page (what is stored,
//! whether tracking is in force), export (`GET /api/v1/session`: the session, and
//! the account, orders and submissions in the database) and erasure
//! (`DELETE /api/v1/session`, `POST /privacy/forget`: the session and the forms it
//! sent without an account; deleting the account is on `/account`).

use crate::web::template::Template;
use rocket::fairing::AdHoc;
use rocket::form::{Form, FromForm};
use rocket::http::Status;
use rocket::response::Redirect;
use rocket::serde::json::Json;
use rocket::{delete, get, post, routes, uri, State};
use serde::Serialize;
use serde_json::{json, Value};

use std::sync::Arc;

use crate::accounts::{Accounts, LoggedIn, Login, Unavailable};
use crate::cart::{Cart, Orders};
use crate::cart::{CartView, Catalog};
use crate::data::orders::Order;
use crate::data::submissions::Submission;
use crate::data::Db;
use crate::drafts::{Drafts, Submissions};
use crate::i18n::local_time;
use crate::preferences::Preferences;
use crate::record::SessionData;
use crate::tracking::ConsentMode;
use crate::tracking::TrackingConfig;
use crate::tracking::{Campaigns, Visits};
use crate::web::{ApiError, Page, SameOrigin};
use tailor_session::Session;

pub use crate::web::PrivacySignals;

#[derive(Serialize)]
struct PrivacyView {
    stored: bool,
    created_at: Option<String>,
    visits: usize,
    touches: usize,
    drafts: usize,
    signals: PrivacySignals,
    opt_in: bool,
    tracking_preference: bool,
    tracking_active: bool,
    forgotten: bool,
    account_deleted: bool,
    /// The logged-in user's name: their account stays when the session is erased.
    user: Option<String>,
}

#[get("/privacy?<forgotten>&<account_deleted>")]
fn show(
    page: Page<'_>,
    signals: PrivacySignals,
    forgotten: Option<bool>,
    account_deleted: Option<bool>,
    config: &State<TrackingConfig>,
) -> Template {
    let prefs = page.part_or_default::<crate::preferences::Preferences>();
    let data = page.data();
    let view = PrivacyView {
        stored: data.is_some(),
        created_at: data
            .as_ref()
            .map(|d| local_time(d.created_at, prefs.timezone)),
        visits: data
            .as_ref()
            .map_or(0, |d| d.part::<Visits>().map_or(0, |v| v.len())),
        touches: data
            .as_ref()
            .map_or(0, |d| d.part::<Campaigns>().map_or(0, |c| c.touches.len())),
        drafts: data
            .as_ref()
            .map_or(0, |d| d.part::<Drafts>().map_or(0, |v| v.len())),
        signals,
        opt_in: config.mode == ConsentMode::OptIn,
        tracking_preference: config.preference(Some(&prefs)),
        tracking_active: crate::tracking::allowed(&page),
        forgotten: forgotten.unwrap_or(false),
        account_deleted: account_deleted.unwrap_or(false),
        user: page
            .fact::<crate::accounts::LoggedIn>()
            .map(|l| l.account.username.clone()),
    };
    page.render("privacy", view)
}

#[derive(FromForm)]
struct ForgetForm {
    csrf_token: Option<String>,
}

/// Erases the session and the forms it sent without an account (they can be found
/// through nothing else); the account's data is erased by deleting the account.
async fn erase(session: &Session<'_, SessionData>, db: &Db) -> Result<(), Unavailable> {
    if let Some(data) = session.data() {
        db.delete_anonymous_submissions(submission_ids(&data))
            .await?;
    }
    session.destroy().await?;
    Ok(())
}

#[post("/privacy/forget", data = "<form>")]
async fn forget(
    page: Page<'_>,
    form: Form<ForgetForm>,
    db: &State<Db>,
) -> Result<Redirect, Status> {
    page.check_csrf(form.csrf_token.as_deref())?;
    erase(&page.session, db).await?;
    Ok(Redirect::to(uri!("/privacy?forgotten=true")))
}

/// The ids of the forms this session sent.
fn submission_ids(data: &SessionData) -> &[i64] {
    data.part::<Submissions>().map_or(&[], |s| &s.0)
}

fn order_json(order: &Order) -> Value {
    json!({
        "id": order.id,
        "created_at": order.created_at,
        "items": order.lines,
        "total_cents": order.total_cents,
    })
}

fn submission_json(submission: &Submission) -> Value {
    json!({
        "id": submission.id,
        "form": submission.form,
        "created_at": submission.created_at,
        "fields": submission.fields,
    })
}

/// Everything stored for the visitor: the session, and (from the database) the
/// account while logged in, the orders and the submissions of this session and
/// of the account.
async fn export(
    session: &Session<'_, SessionData>,
    data: &SessionData,
    login: Option<&LoggedIn>,
    accounts: &Accounts,
    catalog: &Catalog,
) -> Result<Value, Unavailable> {
    let account_id = login.map(|l| l.id);
    let orders = accounts
        .db
        .orders_of(data.part::<Orders>().map_or(&[][..], |o| &o.0), account_id)
        .await?;
    let submissions = accounts
        .db
        .submissions_of(submission_ids(data), account_id)
        .await?;
    let account = match login {
        Some(login) => {
            let devices = accounts.devices(session, login).await?;
            let a = &login.account;
            Some(json!({
                "username": a.username,
                "created_at": a.created_at,
                "preferences": a.preferences,
                "cart": CartView::new(&a.cart, catalog),
                "experiments": {},
                "sessions": devices,
            }))
        }
        None => None,
    };
    let cart = login.map_or_else(
        || data.part_or_default::<Cart>(),
        |l| l.account.cart.clone(),
    );
    Ok(json!({
        "created_at": data.created_at,
        "last_seen": data.last_seen,
        "preferences": data.part_or_default::<Preferences>(),
        "drafts": data.part_or_default::<Drafts>(),
        "visits": data.part_or_default::<Visits>(),
        "campaigns": data.part_or_default::<Campaigns>(),
        "cart": CartView::new(&cart, catalog),
        "user": login.map(|l| json!({
            "username": l.account.username,
            "logged_in_at": l.auth.logged_in_at,
            "last_active": l.auth.last_active,
        })),
        "csrf_token": data.csrf_token,
        "account": account,
        "orders": orders.iter().map(order_json).collect::<Vec<_>>(),
        "submissions": submissions.iter().map(submission_json).collect::<Vec<_>>(),
        "experiments": {},
    }))
}

#[get("/api/v1/session")]
async fn api_export(
    session: Session<'_, SessionData>,
    login: Login,
    accounts: &State<Accounts>,
    catalog: &State<Arc<Catalog>>,
) -> Result<Json<Value>, ApiError> {
    let data = session.data().ok_or_else(|| {
        ApiError::new(
            Status::NotFound,
            "no_session",
            "Nothing is stored for this visitor.",
        )
    })?;
    let exported = export(&session, &data, login.0.as_ref(), accounts, catalog).await?;
    Ok(Json(exported))
}

#[delete("/api/v1/session")]
async fn api_delete(
    session: Session<'_, SessionData>,
    _origin: SameOrigin,
    db: &State<Db>,
) -> Result<Status, ApiError> {
    erase(&session, db).await?;
    Ok(Status::NoContent)
}

/// The privacy page, export and erasure.
pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Privacy", |rocket| async {
        rocket.mount("/", routes![show, forget, api_export, api_delete])
    })
}
