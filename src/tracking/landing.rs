//! What an evaluation for the operator's own page lets the rules see of it.

use chrono::Utc;

use super::model::{self, Visit};
use super::{ConsentMode, Plan, TrackingConfig};

/// What an evaluation for the operator's page `landing` lets the rules see: its
/// visit and campaign touch as pending, as a page's own (opt-in without consent:
/// nothing). Only the request's page hooks see it: no hook records it.
pub(super) fn plan(config: &TrackingConfig, allowed: bool, landing: &crate::web::Landing) -> Plan {
    let opted_in = config.mode == ConsentMode::OptOut || allowed;
    if !allowed || !opted_in {
        return Plan::default();
    }
    let now = Utc::now();
    let host = landing.host.to_ascii_lowercase();
    let referrer = landing
        .referrer
        .as_deref()
        .and_then(model::referrer_origin)
        .filter(|origin| !origin.ends_with(&format!("://{host}")));
    let path = format!("{host}{}", landing.path);
    let pairs = landing.query.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    let touch = model::touch_from_query(pairs, &path, referrer.clone(), now);
    let visit = Visit {
        path: model::cap(&path, model::MAX_PATH_CHARS).into(),
        at: now,
        referrer: referrer.map(String::into_boxed_str),
    };
    Plan {
        allowed,
        needs_session: false,
        pending: Some((visit, touch)),
        consent: None,
        stateless: false,
    }
}
