//! Preferences: theme, language, time zone, tracking consent and the name to greet
//! the visitor with. Pages `GET/POST /preferences`, API `GET/PUT /api/v1/preferences`.

mod api;
pub mod consent;
mod model;
pub mod part;
mod plugs;
mod routes;
mod zones;

use crate::web::AppError;
use std::collections::BTreeMap;

use crate::web::Json;
use rocket::fairing::AdHoc;
use rocket::form::{Form, FromForm};
use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{get, post, put, routes, uri, State};
use serde::Serialize;

pub use model::*;

use crate::accounts::{Accounts, LoggedIn, Login};
use crate::i18n::{Language, Negotiated};
use crate::record::SessionData;
use crate::web::{ApiError, ApiJson, FormOutcome, Page};
use tailor_session::Session;

/// The preferences as the API shows them: the effective language, and where it came from.
#[derive(Serialize)]
pub struct PreferencesView {
    pub theme: Theme,
    pub language: Language,
    /// `chosen` when saved, `negotiated` when taken from `Accept-Language`.
    pub language_source: &'static str,
    pub timezone: Timezone,
    pub tracking: bool,
    pub display_name: Option<DisplayName>,
}

impl PreferencesView {
    pub fn new(prefs: &Preferences, negotiated: Language, policy: &consent::ConsentPolicy) -> Self {
        PreferencesView {
            theme: prefs.theme,
            language: prefs.language.unwrap_or(negotiated),
            language_source: if prefs.language.is_some() {
                "chosen"
            } else {
                "negotiated"
            },
            timezone: prefs.timezone,
            tracking: prefs.tracking_on(policy),
            display_name: prefs.display_name.clone(),
        }
    }
}

/// Applies `patch` to the visitor's preferences (the account's while logged in,
/// mirrored in the session; else the session's) and returns them.
async fn change(
    session: &Session<'_, SessionData>,
    login: Option<&LoggedIn>,
    accounts: &Accounts,
    patch: &PreferencesPatch,
) -> Result<Preferences, AppError> {
    if let Some(login) = login {
        // Boxed: the database's future is large, and most visitors never await it;
        // inline, every handler's future (copied on each request) would carry it.
        let changed = Box::pin(accounts.change_preferences(
            session,
            login.id,
            |p: &mut Preferences| patch.apply(p),
        ));
        if let Some(prefs) = changed.await? {
            return Ok(prefs);
        }
    }
    let prefs = session
        .update(|data: &mut SessionData| {
            patch.apply(data.part_mut::<Preferences>());
            data.part_or_default::<Preferences>()
        })
        .await?;
    Ok(prefs)
}

/// The preference pages and API.
pub fn stage() -> AdHoc {
    // Before any record is read (snapshots load at ignite).
    part::register();
    consent::register();
    AdHoc::on_ignite("Preferences", |rocket| async {
        crate::web::add_page_hook(&rocket, plugs::PreferencesHook);
        crate::personalisation::add_facts_hook(&rocket, plugs::PreferenceFacts);
        crate::privacy::add_privacy_hook(&rocket, plugs::PreferenceRights);
        // After the cart's, which may undo the login.
        crate::accounts::add_account_hook(
            &rocket,
            crate::accounts::LoginPhase::Bring,
            plugs::PreferencesAtLogin,
        );
        rocket
            .attach(consent::stage())
            .mount("/", routes::routes())
            .mount("/", api::routes())
    })
}
