//! What experiments plug into the others' hooks: conversions (counted for the
//! variant each experiment's participant saw), login (the account's assignments
//! win), and the visitor's rights (their assignments in the export).

use super::part::{Assigned, Assignments};
use crate::accounts::plugs::login_of;
use crate::accounts::{AccountHook, LoginEvent};
use crate::conversions::{Conversion, ConversionHook, ConversionRows};
use crate::data::experiments::Converted;
use crate::data::Db;
use crate::personalisation::rules::Goal;
use crate::personalisation::Decision;
use crate::privacy::{Export, PrivacyHook, Visitor};
use crate::record::SessionData;
use crate::web::{AppError, Page};
use rocket::http::Status;
use serde_json::json;

/// Experiments count a conversion for the variant each experiment's participant
/// has when converting (once per participant and goal, by the database).
pub struct ExperimentConversions;

impl ConversionHook for ExperimentConversions {
    fn converted(&self, page: &Page<'_>, kind: Conversion, rows: &mut ConversionRows) {
        let Some(decision) = page.fact::<Decision>() else {
            return;
        };
        let goal = match kind {
            Conversion::Contact => Goal::Contact,
            Conversion::Checkout => Goal::Checkout,
        };
        let rules = decision.rules();
        for t in decision.taking() {
            let Some((name, experiment)) = rules.experiments.iter().nth(t.experiment) else {
                continue;
            };
            if experiment.goals.contains(&goal) {
                rows.experiments.push(Converted {
                    experiment: name.clone(),
                    version: i64::from(experiment.version),
                    epoch: i64::from(t.epoch),
                    variant: experiment.variants[t.variant].name.clone(),
                    participant: t.participant,
                    goal: goal.code().to_owned(),
                });
            }
        }
    }
}

/// The experiments' account hook.
pub struct AssignmentsAtLogin;

#[rocket::async_trait]
impl AccountHook for AssignmentsAtLogin {
    async fn logged_in(&self, event: &LoginEvent<'_, '_>) -> Result<(), AppError> {
        let db = &event.accounts.db;
        let id = event.account.id;
        let mut merged = Assignments::default();
        // By experiment and version: the latest version's stays.
        for row in db.account_assignments(id).await? {
            merged.0.insert(row.experiment.clone(), Assigned::from(row));
        }
        let data = event.session.data();
        let mine = data.as_deref().and_then(|d| d.part::<Assignments>());
        for row in mine.map(Assignments::rows).unwrap_or_default() {
            let newer = |m: &Assigned| i64::from(m.version) >= row.version;
            if merged.0.get(&row.experiment).is_some_and(newer) {
                continue;
            }
            // Another device may give the account one meanwhile: that one wins.
            if let Some((stored, _)) = db.assign_account(id, &row).await? {
                merged.add(&stored.experiment.clone(), stored.into());
            }
        }
        if merged.0.is_empty() {
            return Ok(());
        }
        event
            .session
            .update(|d: &mut SessionData| d.set_part(merged.clone()))
            .await?;
        Ok(())
    }
}

/// The experiments' privacy hook.
pub struct AssignmentRights;

#[rocket::async_trait]
impl PrivacyHook for AssignmentRights {
    async fn export(&self, visitor: &Visitor<'_, '_>, export: &mut Export) -> Result<(), AppError> {
        export.put("experiments", visitor.data.part_or_default::<Assignments>());
        if let Some(login) = login_of(visitor).await? {
            let db = visitor
                .rocket()
                .state::<Db>()
                .ok_or(Status::ServiceUnavailable)?;
            // By experiment: the latest version's, earlier versions' under it.
            let mut theirs = serde_json::Map::new();
            for r in db.account_assignments(login.id).await? {
                let mut one = json!({
                    "variant": r.variant,
                    "participant": r.participant,
                    "version": r.version,
                });
                if let Some(mut older) = theirs.remove(&r.experiment) {
                    let mut earlier = match older.as_object_mut().and_then(|o| o.remove("earlier"))
                    {
                        Some(serde_json::Value::Array(list)) => list,
                        _ => Vec::new(),
                    };
                    earlier.push(older);
                    one["earlier"] = earlier.into();
                }
                theirs.insert(r.experiment, one);
            }
            export.account().insert("experiments".into(), theirs.into());
        }
        Ok(())
    }

    /// A visitor without a login: their participant numbers are theirs alone.
    /// (A login's are the account's, which stays.)
    async fn forget(&self, visitor: &Visitor<'_, '_>) -> Result<(), AppError> {
        let Some(assignments) = visitor.data.part::<Assignments>() else {
            return Ok(());
        };
        if login_of(visitor).await?.is_some() {
            return Ok(());
        }
        let db = visitor
            .rocket()
            .state::<Db>()
            .ok_or(Status::ServiceUnavailable)?;
        let participants: Vec<i64> = assignments.0.values().map(|a| a.participant).collect();
        db.forget_participants(&participants).await?;
        Ok(())
    }
}
