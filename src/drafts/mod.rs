//! Form drafts: the request-information form (and any other declared form) saved as
//! the visitor types (JavaScript autosave through the API) or with a "Save draft"
//! button, resumed on return, listed at `/drafts`, submitted with server-side
//! validation. Drafts carry a version so two tabs never silently overwrite each
//! other, and expire after `drafts.max_age_days`.

mod api;
pub mod forms;
pub mod model;
pub mod part;
mod plugs;
mod routes;
mod send;
pub mod settings;
pub mod submissions;

use std::collections::{BTreeMap, HashMap};

use crate::web::template::Template;
use chrono::{Duration, Utc};
use std::sync::Arc;

use rocket::fairing::AdHoc;
use rocket::form::Form;
use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{get, post, routes};
use serde::Serialize;

use crate::conversions::Conversion;
use crate::data::Db;
use crate::i18n::local_time;
use crate::i18n::Timezone;
use crate::limits::{ClientKey, Limiter};
use crate::record::SessionData;
use crate::web::FieldError;
use crate::web::{FormOutcome, Page};
pub use forms::{FormSpec, FORMS};
pub use model::{Draft, DraftLimits, SaveError};
pub use part::{Drafts, Sent, Submissions};
pub use settings::DraftSettings;
use tailor_session::SessionError;

/// The drafts' limits as managed state.
pub struct DraftConfig {
    pub limits: DraftLimits,
    /// Forms one session may send per hour.
    pub per_session_per_hour: u64,
    /// Forms one client address may send per hour.
    pub per_address_per_hour: u64,
}

/// A draft as a page shows it: when, how long ago, its first words.
#[derive(Serialize)]
pub struct DraftInfo {
    pub form: &'static str,
    pub version: u64,
    pub updated_at: String,
    pub local_time: String,
    pub ago: String,
    pub excerpt: String,
    /// When the draft will be deleted (local time), once that is near: in the
    /// last day of its life, or its last half when drafts live less than two days.
    pub expires_soon: Option<String>,
}

impl DraftInfo {
    pub fn new(form: &'static str, draft: &Draft, page: &Page<'_>, zone: Timezone) -> Self {
        let DraftNotice {
            form,
            local_time,
            expires_soon,
        } = DraftNotice::new(form, draft, page, zone);
        DraftInfo {
            expires_soon,
            form,
            version: draft.version,
            updated_at: draft.updated_at.to_rfc3339(),
            local_time,
            ago: page.lang.ago(draft.updated_at, Utc::now()),
            excerpt: model::excerpt(draft, 12),
        }
    }
}

/// What a draft's notice on another page shows (the home page's "you have a draft
/// of …"): only what its template reads, so a view formats no more than that.
#[derive(Serialize)]
pub struct DraftNotice {
    pub form: &'static str,
    pub local_time: String,
    pub expires_soon: Option<String>,
}

impl DraftNotice {
    pub fn new(form: &'static str, draft: &Draft, page: &Page<'_>, zone: Timezone) -> Self {
        let max_age = page
            .state::<DraftConfig>()
            .map_or(Duration::days(30), |c| c.limits.max_age);
        let expires = draft.updated_at + max_age;
        let warn_within = Duration::days(1).min(max_age / 2);
        DraftNotice {
            expires_soon: (expires - Utc::now() <= warn_within).then(|| local_time(expires, zone)),
            form,
            local_time: local_time(draft.updated_at, zone),
        }
    }
}

/// The live drafts of a page's visitor, in form order, made into `T` (a
/// [`DraftInfo`] for lists, a [`DraftNotice`] for notices).
pub fn drafts_as<T>(
    page: &Page<'_>,
    make: fn(&'static str, &Draft, &Page<'_>, Timezone) -> T,
) -> Vec<T> {
    let Some(data) = page.data() else {
        return Vec::new();
    };
    let Some(drafts) = data.part::<Drafts>() else {
        return Vec::new();
    };
    FORMS
        .iter()
        .filter_map(|spec| {
            drafts
                .get(spec.id)
                .map(|d| make(spec.id, d, page, page.zone))
        })
        .collect()
}

/// Removes drafts older than the configured age; returns whether any was dropped.
pub fn expire(data: &mut SessionData, limits: &DraftLimits) -> bool {
    // Checked first so that a session without drafts stays without its extras.
    has_expired(data, limits)
        && !model::drop_expired(data.part_mut::<Drafts>(), limits, Utc::now()).is_empty()
}

/// Whether the record holds a draft past its age.
pub fn has_expired(data: &SessionData, limits: &DraftLimits) -> bool {
    let now = Utc::now();
    data.part::<Drafts>()
        .is_some_and(|drafts| drafts.values().any(|d| model::is_expired(d, limits, now)))
}

/// The form pages, the drafts list, the drafts API, the submissions report and
/// the submissions' retention.
pub fn stage() -> AdHoc {
    // Before any record is read (snapshots load at ignite).
    part::register();
    AdHoc::try_on_ignite("Drafts", |rocket| async move {
        let Some(settings) = crate::config::read(&rocket, DraftSettings::from_figment) else {
            return Err(rocket);
        };
        let Some(db) = crate::config::shared::<Db>(&rocket, "the database") else {
            return Err(rocket);
        };
        let limits = DraftLimits {
            max_bytes: settings.max_bytes,
            max_drafts: settings.max_per_session,
            max_age: Duration::seconds(settings.max_age_secs as i64),
        };
        let purge = submissions::Purge {
            db,
            retention_days: settings.submissions_retention_days,
        };
        crate::web::add_page_hook(&rocket, plugs::ExpiryHook);
        crate::web::add_page_title(&rocket, plugs::FormTitles);
        crate::personalisation::add_facts_hook(&rocket, plugs::DraftFacts);
        crate::privacy::add_privacy_hook(&rocket, plugs::DraftRights);
        Ok(rocket
            .manage(DraftConfig {
                limits,
                per_session_per_hour: settings.submissions_per_session_per_hour,
                per_address_per_hour: settings.submissions_per_address_per_hour,
            })
            .attach(purge)
            .mount("/", routes::routes())
            .mount("/", api::routes())
            .mount("/", submissions::routes()))
    })
}
