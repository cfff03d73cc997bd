//! Assignments at login (an accounts hook): the account keeps them, so every
//! device sees the same variant. The account's assignment wins; one the account
//! lacks (or holds only of an earlier version) is given to it.

use super::part::{Assigned, Assignments};
use crate::accounts::{AccountHook, LoginEvent};
use crate::record::SessionData;
use crate::web::AppError;

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
