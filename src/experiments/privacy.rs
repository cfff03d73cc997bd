//! What experiments add to the visitor's rights: the assignments in the export
//! (the session's, and the account's while logged in); forgetting a visitor
//! forgets which goals their participant numbers converted on (the counts stay,
//! anonymous, as the campaign report's do). Deleting an account deletes its
//! assignments (the database's cascade).

use rocket::http::Status;
use serde_json::json;

use super::part::Assignments;
use crate::accounts::privacy::login_of;
use crate::data::Db;
use crate::privacy::{Export, PrivacyHook, Visitor};

/// The experiments' privacy hook.
pub struct AssignmentRights;

#[rocket::async_trait]
impl PrivacyHook for AssignmentRights {
    async fn export(&self, visitor: &Visitor<'_, '_>, export: &mut Export) -> Result<(), Status> {
        export.put("experiments", visitor.data.part_or_default::<Assignments>());
        if let Some(login) = login_of(visitor).await? {
            let db = visitor
                .rocket()
                .state::<Db>()
                .ok_or(Status::ServiceUnavailable)?;
            let theirs: serde_json::Map<_, _> = db
                .account_assignments(login.id)
                .await?
                .into_iter()
                .map(|r| {
                    (
                        r.experiment,
                        json!({"variant": r.variant, "participant": r.participant}),
                    )
                })
                .collect();
            export.account().insert("experiments".into(), theirs.into());
        }
        Ok(())
    }

    /// A visitor without a login: their participant numbers are theirs alone.
    /// (A login's are the account's, which stays.)
    async fn forget(&self, visitor: &Visitor<'_, '_>) -> Result<(), Status> {
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
