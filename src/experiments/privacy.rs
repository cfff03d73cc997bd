//! What experiments add to the visitor's rights: the assignments in the export
//! (the session's, and the account's while logged in); forgetting a visitor
//! forgets which goals their participant numbers converted on (the counts stay,
//! anonymous, as the campaign report's do). Deleting an account deletes its
//! assignments (the database's cascade).

use crate::web::AppError;
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
