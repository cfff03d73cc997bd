//! Conversions of the goals the operator's site declares (`[goals.<name>]`),
//! reported by its pages as events: each event's id is kept as a keyed hash, so
//! a repeated id counts nothing; the experiments count it once per participant
//! (as tailor's own conversions); the campaign report credits it under every
//! model, at most once per session, goal and day.

use chrono::{DateTime, Utc};

use super::counters::CounterKey;
use super::experiments::{count_conversions, Converted};
use super::{millis, on, Db, Dialect, Result};

/// Campaign rows per upsert (7 binds each).
const ROWS_PER_STATEMENT: usize = 500;

/// One conversion event of a declared goal, as it is recorded.
pub struct GoalEvent<'a> {
    /// The keyed hash of the goal and the event's id.
    pub event: &'a str,
    pub goal: &'a str,
    pub at: DateTime<Utc>,
    /// The experiments' conversions (their participants converted).
    pub experiments: &'a [Converted],
    /// The campaign rows credited, with their shares (none: not tracked).
    pub campaign: &'a [(CounterKey, i64)],
    /// The session's credit key (a keyed hash); none: the visitor has no
    /// session, the id alone dedupes.
    pub credit: Option<&'a str>,
}

/// A campaign row's conversions of one goal.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct GoalRow {
    pub model: String,
    pub dimension: String,
    pub value: String,
    pub goal: String,
    pub conversions: i64,
}

impl Db {
    /// Records conversion `e` in one transaction; whether it counted (false: its
    /// id was seen before, nothing changed).
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails; nothing was written then.
    pub async fn record_goal(&self, e: &GoalEvent<'_>) -> Result<bool> {
        let day = e.at.date_naive().to_string();
        on!(self.writes(), p => {
            let mut tx = p.begin_write().await?;
            let new = sqlx::query(
                "INSERT INTO conversion_events (id, at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(e.event)
            .bind(millis(e.at))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if new == 0 {
                return Ok(false);
            }
            count_conversions!(tx, e.experiments);
            if !e.campaign.is_empty() {
                let credited = match e.credit {
                    Some(session) => sqlx::query(
                        "INSERT INTO campaign_goal_credits (session, goal, day, at) \
                         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                    )
                    .bind(session)
                    .bind(e.goal)
                    .bind(&day)
                    .bind(millis(e.at))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected() == 1,
                    None => true,
                };
                for chunk in e.campaign.chunks(ROWS_PER_STATEMENT).filter(|_| credited) {
                    let mut query = sqlx::QueryBuilder::new(
                        "INSERT INTO campaign_goal_counters (model, dimension, value, label, goal, conversions) ",
                    );
                    query.push_values(chunk, |mut row, (key, n)| {
                        row.push_bind(key.model)
                            .push_bind(key.dimension)
                            .push_bind(&key.value)
                            .push_bind(&key.label)
                            .push_bind(e.goal)
                            .push_bind(*n);
                    });
                    query.push(
                        " ON CONFLICT (model, dimension, value, goal) DO UPDATE SET \
                         conversions = campaign_goal_counters.conversions + excluded.conversions",
                    );
                    query.build().execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Every campaign row's conversions of the declared goals.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn goal_rows(&self) -> Result<Vec<GoalRow>> {
        Ok(on!(self.reads(), p => {
            sqlx::query_as(
                "SELECT model, dimension, value, goal, conversions FROM campaign_goal_counters",
            )
            .fetch_all(p)
            .await
        })?)
    }

    /// Forgets the conversion ids seen before `ids_before` and the campaign
    /// credits given before `credits_before`; how many rows went.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn purge_goal_events(
        &self,
        ids_before: DateTime<Utc>,
        credits_before: DateTime<Utc>,
    ) -> Result<u64> {
        on!(self.writes(), p => {
            let ids = sqlx::query("DELETE FROM conversion_events WHERE at < $1")
                .bind(millis(ids_before))
                .execute(p)
                .await?
                .rows_affected();
            let credits = sqlx::query("DELETE FROM campaign_goal_credits WHERE at < $1")
                .bind(millis(credits_before))
                .execute(p)
                .await?
                .rows_affected();
            Ok(ids + credits)
        })
    }
}
