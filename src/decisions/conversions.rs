//! A `conversion` event: a goal of the operator's site reached by the session's
//! visitor, credited to the experiments that list the goal (the variant each
//! counted participant has) and to the campaign report under every model, when
//! the visitor may be tracked. A repeated id counts nothing; a session's campaign
//! credit for a goal is given at most once a UTC day.

use crate::web::AppError;
use std::sync::Arc;

use chrono::Utc;
use rocket::Request;

use super::{keys, Decisions};
use crate::data::experiments::Converted;
use crate::data::goals::GoalEvent;
use crate::data::Db;
use crate::experiments::Assignments;
use crate::personalisation::rules::{Goal, Rules};
use crate::record::SessionData;
use crate::tracking::{CampaignStats, TrackingConfig};
use tailor_session::Session;

/// A conversion as the event names it.
pub struct Converting<'e> {
    pub goal: &'e str,
    pub id: &'e str,
}

/// The experiments' conversions of `goal` by the visitor with record `data`:
/// each experiment listing the goal in which they are a counted participant.
fn experiments(rules: &Rules, data: Option<&SessionData>, goal: &str) -> Vec<Converted> {
    let (Some(assignments), Some(goal)) = (
        data.and_then(|d| d.part::<Assignments>()),
        Goal::named(goal, rules),
    ) else {
        return Vec::new();
    };
    rules
        .experiments
        .iter()
        .filter(|(_, e)| e.running() && e.goals.contains(&goal))
        .filter_map(|(name, e)| {
            let a = assignments.of(name, e.version).filter(|a| a.counted)?;
            Some(Converted {
                experiment: name.clone(),
                version: i64::from(a.version),
                epoch: i64::from(a.epoch),
                variant: a.variant.clone(),
                participant: a.participant,
                goal: goal.code().to_owned(),
            })
        })
        .collect()
}

/// Records `c` for `session`'s visitor; whether it counted (a new id, from a
/// visitor who may be tracked).
///
/// # Errors
/// The status to answer when the database fails (nothing was recorded).
pub async fn convert(
    request: &Request<'_>,
    session: &Session<'_, SessionData>,
    rules: &Rules,
    c: Converting<'_>,
) -> Result<bool, AppError> {
    let rocket = request.rocket();
    let (Some(decisions), Some(db)) = (rocket.state::<Decisions>(), rocket.state::<Db>()) else {
        return Ok(false);
    };
    let data = session.data();
    let data = data.as_deref();
    let event = keys::mac_hex(
        &decisions.subject_key,
        format!("conversion\0{}\0{}", c.goal, c.id).as_bytes(),
    );
    let signals = crate::web::PrivacySignals::of(request);
    let tracked = rocket.state::<TrackingConfig>().is_some()
        && crate::privacy::consent_of(rocket, data, signals).allowed;
    let stats = rocket.state::<Arc<CampaignStats>>();
    let rows = match stats {
        Some(stats) if tracked => crate::tracking::goal_shares(stats, true, data),
        _ => Vec::new(),
    };
    // Keyed on the session's creation, which survives the id's regeneration.
    let credit = data.map(|d| {
        let created = d.created_at.timestamp_nanos_opt().unwrap_or_default();
        keys::mac_hex(
            &decisions.subject_key,
            format!("credit\0{created}").as_bytes(),
        )
    });
    let experiments = if tracked {
        experiments(rules, data, c.goal)
    } else {
        Vec::new()
    };
    let recorded = GoalEvent {
        event: &event,
        goal: c.goal,
        at: Utc::now(),
        experiments: &experiments,
        campaign: &rows,
        credit: credit.as_deref(),
    };
    // Untracked, the id is still remembered (consent given later does not turn
    // an old order into a new conversion), but nothing counted.
    let new = db.record_goal(&recorded).await?;
    Ok(new && tracked)
}
