//! What an evaluation for the operator's own page lets the rules see of it.

use chrono::Utc;

use super::model::{self, Visit};
use super::{Plan, TrackingConfig};

/// What an evaluation for the operator's page `landing` lets the rules see: its
/// visit and campaign touch as pending, as a page's own (opt-in without consent:
/// nothing). Only the request's page hooks see it: no hook records it.
pub(super) fn plan(allowed: bool, landing: &crate::web::Landing) -> Plan {
    if !allowed {
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
        undecided: None,
    }
}

/// Records a view of the operator's page `landing` by `session`'s visitor (a
/// `page_view` event), as a view of tailor's own pages is recorded: its visit
/// and campaign touch, counted for the campaign report, under the same consent
/// rules (GPC, DNT, tracking off, opt-in without consent: nothing). A new
/// visitor's session starts with it. Whether it was recorded.
///
/// # Errors
/// [`SessionError`] when the store fails (nothing recorded).
pub async fn record(
    request: &rocket::Request<'_>,
    session: &tailor_session::Session<'_, crate::record::SessionData>,
    landing: &crate::web::Landing,
) -> Result<bool, tailor_session::SessionError> {
    use std::sync::Arc;
    let rocket = request.rocket();
    let (Some(config), Some(stats)) = (
        rocket.state::<TrackingConfig>(),
        rocket.state::<Arc<super::CampaignStats>>(),
    ) else {
        return Ok(false);
    };
    let data = session.data();
    let signals = crate::web::PrivacySignals::of(request);
    if !crate::privacy::consent_of(rocket, data.as_deref(), signals).allowed {
        return Ok(false);
    }
    let Some((visit, touch)) = plan(true, landing).pending else {
        return Ok(false);
    };
    let mut recorded = None;
    session
        .update(|d: &mut crate::record::SessionData| {
            recorded = Some(super::recorder::record_view(
                d,
                &visit,
                touch.as_ref(),
                config,
            ));
        })
        .await?;
    if let Some(recorded) = recorded {
        recorded.count(stats, touch.as_ref());
    }
    Ok(true)
}
