//! Visit history and campaign tracking, with privacy built in.
//!
//! The [`Page`](crate::web::Page) guard asks [`plan`] what this request may record;
//! when tracking is allowed it makes sure a session exists (so the cookie goes out
//! with this response) and leaves the visit and any campaign touch pending. The
//! [`Recorder`] fairing writes them only when the page answered 200. A first visit
//! is written with the session it creates (one store write), and taken back by the
//! recorder if the page did not answer 200. Nothing is
//! recorded, and no session made for it, when the visitor's preference is off, the
//! request sends `Sec-GPC: 1` or `DNT: 1`, or (opt-in mode) consent was not given.

mod admin;
mod attribution;
pub mod banners;
mod chart;
mod credit;
mod landing;
pub mod model;
mod page;
pub mod part;
mod plugs;
mod recorder;
mod report;
mod routes;
pub mod settings;
mod stage;
pub mod stats;
pub mod undecided;

use std::path::PathBuf;
use std::sync::Arc;

use chrono::Utc;
use rocket::fairing::{AdHoc, Fairing, Info, Kind};
use rocket::http::{Method, Status};
use rocket::{Request, Response};
use serde::Serialize;

pub use banners::CampaignBanner;
pub use model::{Campaigns, Touch, Visit};
pub use part::Visits;
pub use stats::{CampaignStats, Conversion};

use crate::data::Db;
use crate::record::SessionData;
use crate::web::{ContextPiece, PrivacySignals};
pub use credit::{conversion, credit, goal_shares};
pub use landing::record as record_page_view;
pub use page::{allowed, banner, with_recent_paths};
pub use recorder::record_touch;
use recorder::{Flusher, Recorder};
pub use settings::TrackingSettings;
use tailor_session::log_error_chain;

/// The consent banner (or, opt-out, the notice) of a visitor who must be asked:
/// where they landed and the landing's campaign parameters, carried in hidden
/// fields rather than stored before consent. The templates' `page.consent` (null
/// when there is nothing to ask).
#[derive(Clone, Debug, Serialize)]
pub struct ConsentView {
    pub return_to: String,
    pub referrer: Option<String>,
    pub utm: Vec<(&'static str, String)>,
    /// The visitor chose under another policy version: it changed since.
    pub policy_changed: bool,
    /// The day the policy in force took effect.
    pub policy_date: Option<String>,
    /// Opt-out mode: a notice with the choice, not a request for consent.
    pub notice: bool,
}

/// The page's consent banner, if it shows one.
#[derive(Serialize)]
#[serde(transparent)]
pub struct ConsentBanner(pub Option<ConsentView>);

impl ContextPiece for ConsentBanner {
    const NAME: &'static str = "consent";
}

/// Tracking settings as managed state.
pub struct TrackingConfig {
    pub history_size: usize,
    pub touches_kept: usize,
    pub banners: Vec<CampaignBanner>,
}

/// What a page request may record.
#[derive(Default)]
pub struct Plan {
    /// Tracking is allowed for this visitor on this request.
    pub allowed: bool,
    /// A session must exist before the response (to record, or for the banner's token).
    pub needs_session: bool,
    /// The visit and touch to record if the page answers 200.
    pub pending: Option<(Visit, Option<Touch>)>,
    /// The consent banner to show (opt-in mode, no choice made yet).
    pub consent: Option<ConsentView>,
    /// The visitor has no choice recorded in opt-in mode: nothing may be stored
    /// for them from a page, so their forms take stateless tokens.
    pub stateless: bool,
    /// The path of an undecided visitor's view, to count without a cookie.
    pub undecided: Option<Box<str>>,
}

/// The decoded query pairs of a request.
fn query_pairs(request: &Request<'_>) -> Vec<(String, String)> {
    request
        .uri()
        .query()
        .map(|q| {
            q.segments()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

/// A session's campaign touches (none when it has no such part).
fn campaigns(data: &SessionData) -> &Campaigns {
    static NONE: Campaigns = Campaigns {
        first_touch: None,
        last_touch: None,
        touches: Vec::new(),
    };
    data.part::<Campaigns>().unwrap_or(&NONE)
}

/// Decides what `request` (a page) may record for a visitor with record `data`.
pub fn plan(request: &Request<'_>, data: Option<&SessionData>) -> Plan {
    if request.rocket().state::<TrackingConfig>().is_none() {
        return Plan::default();
    }
    let signals = PrivacySignals::of(request);
    let consent = crate::privacy::consent_of(request.rocket(), data, signals);
    let allowed = consent.allowed;
    if let Some(landing) = crate::web::landing(request) {
        return landing::plan(allowed, &landing);
    }
    // In opt-in mode, before the visitor chose (GPC, DNT or not), nothing is stored
    // for them from a page: their forms take stateless tokens.
    let stateless = consent.opt_in && consent.undecided;
    let path = request.uri().path().as_str();
    // Operator pages and the privacy page are never visits: reading how your data is
    // handled (or confirming it was erased) must not start tracking you.
    let page_view = request.method() == Method::Get
        && request.route().is_some()
        && !path.starts_with("/admin")
        && !path.starts_with("/api/")
        && path != "/privacy";
    if !page_view {
        return Plan {
            allowed,
            stateless,
            ..Plan::default()
        };
    }
    // Only other sites count as referrers; moving around this site is not one.
    let host = crate::http::header(request, "Host")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let referrer = crate::http::header(request, "Referer")
        .and_then(model::referrer_origin)
        .filter(|origin| host.is_empty() || !origin.ends_with(&format!("://{host}")));
    let pairs = query_pairs(request);
    let pairs = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    let now = Utc::now();
    let banner = consent.ask.then(|| {
        crate::privacy::asked(request.rocket());
        let touch = model::touch_from_query(pairs.clone(), path, referrer.clone(), now);
        ConsentView {
            return_to: model::cap(path, model::MAX_PATH_CHARS),
            referrer: referrer.clone(),
            utm: touch.map(|t| utm_fields(&t)).unwrap_or_default(),
            // A choice made under another policy version: it changed since.
            policy_changed: consent.policy_changed,
            policy_date: consent.policy_date.map(str::to_owned),
            notice: !consent.opt_in,
        }
    });
    if consent.opt_in && banner.is_some() {
        // A visitor who never chose, counted without a cookie when the operator
        // turned that on (GPC and DNT never reach here).
        let counted = request.rocket().state::<Arc<undecided::Undecided>>();
        let undecided = (consent.undecided && counted.is_some())
            .then(|| Box::<str>::from(model::cap(path, model::MAX_PATH_CHARS).as_ref()));
        // Nothing is stored before the choice: the banner's form (and every other)
        // takes a stateless token until the visitor has a session.
        return Plan {
            allowed,
            needs_session: false,
            pending: None,
            consent: banner,
            stateless,
            undecided,
        };
    }
    if !allowed {
        return Plan {
            stateless,
            consent: banner,
            ..Plan::default()
        };
    }
    let touch = model::touch_from_query(pairs, path, referrer.clone(), now);
    let visit = Visit {
        path: model::cap(path, model::MAX_PATH_CHARS).into(),
        at: now,
        referrer: referrer.map(String::into_boxed_str),
    };
    Plan {
        allowed,
        needs_session: true,
        pending: Some((visit, touch)),
        consent: banner,
        stateless: false,
        undecided: None,
    }
}

/// A touch's values as UTM form fields.
fn utm_fields(touch: &Touch) -> Vec<(&'static str, String)> {
    let values = [
        &touch.source,
        &touch.medium,
        &touch.campaign,
        &touch.term,
        &touch.content,
        &touch.id,
    ];
    model::UTM_KEYS
        .iter()
        .zip(values)
        .filter_map(|(k, v)| v.clone().map(|v| (*k, v)))
        .collect()
}

pub use stage::stage;
