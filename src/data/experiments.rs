//! Experiments' durable data: an account's assignments (every device of the
//! account sees the same variant), the operators' counters per experiment and
//! variant, and which participant converted on which goal (a conversion counts
//! once per participant and goal).

use sqlx::FromRow;

use super::{on, AccountId, Db, Dialect, Result};

/// An assignment: the variant, and the participant (a random number, never the
/// session's or the account's id) its conversions count under.
#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct AssignmentRow {
    pub experiment: String,
    pub variant: String,
    pub participant: i64,
    /// The experiment's version it was drawn in.
    pub version: i64,
    /// The split it was drawn under (0: before epochs were kept).
    pub epoch: i64,
}

/// Where a count goes: an experiment's version, its epoch, and the variant.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Arm {
    pub experiment: String,
    pub version: i64,
    pub epoch: i64,
    pub variant: String,
}

/// What page views add to one experiment's variant: participants (new
/// assignments) and exposures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ViewCounts {
    pub participants: i64,
    pub exposures: i64,
    /// Stored assignments whose variant changed (must stay 0).
    pub flips: i64,
}

/// A conversion of a participant, counted (once) in its order's or submission's
/// transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Converted {
    pub experiment: String,
    pub version: i64,
    pub epoch: i64,
    pub variant: String,
    pub participant: i64,
    /// `contact`, `checkout`, or a goal the operator's site declares.
    pub goal: String,
}

/// One row of the experiments report.
#[derive(Clone, Debug, Default, PartialEq, Eq, FromRow)]
pub struct ExperimentRow {
    pub experiment: String,
    pub version: i64,
    pub epoch: i64,
    pub variant: String,
    pub participants: i64,
    pub exposures: i64,
    pub contact: i64,
    pub checkout: i64,
    pub flips: i64,
    /// Conversions of the operator's site's goals, by goal.
    #[sqlx(skip)]
    pub goals: std::collections::BTreeMap<String, i64>,
}

/// Counts `$list` (`&[Converted]`) inside transaction `$tx`: each conversion
/// once per participant and goal (the first one wins; a repeat adds nothing).
macro_rules! count_conversions {
    ($tx:expr, $list:expr) => {{
        for c in $list {
            let new = sqlx::query(
                "INSERT INTO experiment_conversions (experiment, participant, goal) \
                 VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(&c.experiment)
            .bind(c.participant)
            .bind(&c.goal)
            .execute(&mut *$tx)
            .await?
            .rows_affected();
            if new == 1 && !["contact", "checkout"].contains(&c.goal.as_str()) {
                // A goal of the operator's site: its own row.
                sqlx::query(
                    "INSERT INTO experiment_goal_counters \
                     (experiment, version, epoch, variant, goal, conversions) \
                     VALUES ($1, $2, $3, $4, $5, 1) \
                     ON CONFLICT (experiment, version, epoch, variant, goal) DO UPDATE SET \
                     conversions = experiment_goal_counters.conversions + 1",
                )
                .bind(&c.experiment)
                .bind(c.version)
                .bind(c.epoch)
                .bind(&c.variant)
                .bind(&c.goal)
                .execute(&mut *$tx)
                .await?;
            } else if new == 1 {
                // The goal is one of two fixed names, never the visitor's text.
                let sql = format!(
                    "INSERT INTO experiment_counters (experiment, version, epoch, variant, {goal}) \
                     VALUES ($1, $2, $3, $4, 1) \
                     ON CONFLICT (experiment, version, epoch, variant) DO UPDATE SET \
                     {goal} = experiment_counters.{goal} + 1",
                    goal = if c.goal == "checkout" { "checkout" } else { "contact" }
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(&c.experiment)
                    .bind(c.version)
                    .bind(c.epoch)
                    .bind(&c.variant)
                    .execute(&mut *$tx)
                    .await?;
            }
        }
    }};
}
pub(crate) use count_conversions;

impl Db {
    /// The assignments of account `id`.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn account_assignments(&self, id: AccountId) -> Result<Vec<AssignmentRow>> {
        Ok(on!(self.reads(), p => {
            sqlx::query_as(
                "SELECT experiment, variant, participant, version, epoch \
                 FROM experiment_assignments WHERE account_id = $1 ORDER BY experiment, version",
            )
            .bind(id.to_string())
            .fetch_all(p)
            .await
        })?)
    }

    /// Gives account `id` assignment `row` unless it has one for that experiment
    /// and version; returns the account's assignment and whether it is `row`
    /// (new).
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails; `Ok(None)` when
    /// the account is gone.
    pub async fn assign_account(
        &self,
        id: AccountId,
        row: &AssignmentRow,
    ) -> Result<Option<(AssignmentRow, bool)>> {
        let account = id.to_string();
        let inserted = on!(self.writes(), p => {
            sqlx::query(
                "INSERT INTO experiment_assignments \
                 (account_id, experiment, variant, participant, version, epoch) \
                 SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM accounts WHERE id = $1) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(&account)
            .bind(&row.experiment)
            .bind(&row.variant)
            .bind(row.participant)
            .bind(row.version)
            .bind(row.epoch)
            .execute(p)
            .await
            .map(|done| done.rows_affected())
        })?;
        if inserted == 1 {
            return Ok(Some((row.clone(), true)));
        }
        let stored: Option<AssignmentRow> = on!(self.writes(), p => {
            sqlx::query_as(
                "SELECT experiment, variant, participant, version, epoch \
                 FROM experiment_assignments \
                 WHERE account_id = $1 AND experiment = $2 AND version = $3",
            )
            .bind(&account)
            .bind(&row.experiment)
            .bind(row.version)
            .fetch_optional(p)
            .await
        })?;
        Ok(stored.map(|s| (s, false)))
    }

    /// Adds what page views counted (one statement per row, in one transaction).
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails; nothing was added.
    pub async fn add_view_counts<'a>(
        &self,
        counts: impl IntoIterator<Item = (&'a Arm, &'a ViewCounts)>,
    ) -> Result<()> {
        let counts: Vec<_> = counts.into_iter().collect();
        if counts.is_empty() {
            return Ok(());
        }
        on!(self.writes(), p => {
            let mut tx = p.begin_write().await?;
            for (arm, n) in &counts {
                sqlx::query(
                    "INSERT INTO experiment_counters \
                     (experiment, version, epoch, variant, participants, exposures, flips) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) \
                     ON CONFLICT (experiment, version, epoch, variant) DO UPDATE SET \
                     participants = experiment_counters.participants + excluded.participants, \
                     exposures = experiment_counters.exposures + excluded.exposures, \
                     flips = experiment_counters.flips + excluded.flips",
                )
                .bind(&arm.experiment)
                .bind(arm.version)
                .bind(arm.epoch)
                .bind(&arm.variant)
                .bind(n.participants)
                .bind(n.exposures)
                .bind(n.flips)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Every row of the experiments report.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn experiment_rows(&self) -> Result<Vec<ExperimentRow>> {
        let mut rows: Vec<ExperimentRow> = on!(self.reads(), p => {
            sqlx::query_as(
                "SELECT experiment, version, epoch, variant, participants, exposures, contact, \
                 checkout, flips FROM experiment_counters ORDER BY experiment, version, epoch, variant",
            )
            .fetch_all(p)
            .await
        })?;
        let goals: Vec<(String, i64, i64, String, String, i64)> = on!(self.reads(), p => {
            sqlx::query_as(
                "SELECT experiment, version, epoch, variant, goal, conversions \
                 FROM experiment_goal_counters",
            )
            .fetch_all(p)
            .await
        })?;
        for (experiment, version, epoch, variant, goal, n) in goals {
            let at = rows.iter().position(|r| {
                r.experiment == experiment
                    && (r.version, r.epoch) == (version, epoch)
                    && r.variant == variant
            });
            let row = match at {
                Some(at) => &mut rows[at],
                None => {
                    rows.push(ExperimentRow {
                        experiment,
                        version,
                        epoch,
                        variant,
                        ..ExperimentRow::default()
                    });
                    rows.last_mut().expect("just pushed")
                }
            };
            row.goals.insert(goal, n);
        }
        Ok(rows)
    }

    /// Forgets which goals `participants` converted on (their counts stay).
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn forget_participants(&self, participants: &[i64]) -> Result<()> {
        for participant in participants {
            on!(self.writes(), p => {
                sqlx::query("DELETE FROM experiment_conversions WHERE participant = $1")
                    .bind(participant)
                    .execute(p)
                    .await
                    .map(|_| ())
            })?;
        }
        Ok(())
    }
}
