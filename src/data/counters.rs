//! The operators' campaign counters: per attribution model, dimension and value,
//! the sessions, contact submissions and checkouts credited to it. Each change is
//! an upsert that adds (never read-then-write), so instances never lose counts.

use sqlx::FromRow;

use super::{on, Db, Dialect, Result};

/// A change to one row: what to add to each count (sessions may go down when a
/// session's last touch moves to another campaign).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CounterDelta {
    pub sessions: i64,
    pub contact: i64,
    pub checkout: i64,
}

impl CounterDelta {
    /// Adds `other` to this delta.
    pub fn add(&mut self, other: &CounterDelta) {
        self.sessions = self.sessions.saturating_add(other.sessions);
        self.contact = self.contact.saturating_add(other.contact);
        self.checkout = self.checkout.saturating_add(other.checkout);
    }
}

/// The key of a row.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CounterKey {
    pub model: &'static str,
    pub dimension: &'static str,
    pub value: String,
}

/// A stored row.
#[derive(Clone, Debug, FromRow)]
pub struct CounterRow {
    pub model: String,
    pub dimension: String,
    pub value: String,
    pub sessions: i64,
    pub contact: i64,
    pub checkout: i64,
}

impl Db {
    /// Adds `deltas` to their rows, all in one transaction.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails; nothing was added then.
    pub async fn add_counts<'a>(
        &self,
        deltas: impl IntoIterator<Item = (&'a CounterKey, &'a CounterDelta)>,
    ) -> Result<()> {
        // A delta that sums to zero still writes its row: a campaign that brought a
        // session keeps its row even when the session moved on to another.
        let deltas: Vec<_> = deltas.into_iter().collect();
        if deltas.is_empty() {
            return Ok(());
        }
        on!(self.writes(), p => {
            let mut tx = p.begin_write().await?;
            for (key, delta) in &deltas {
                sqlx::query(
                    "INSERT INTO campaign_counters (model, dimension, value, sessions, contact, checkout) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (model, dimension, value) DO UPDATE SET \
                     sessions = campaign_counters.sessions + excluded.sessions, \
                     contact = campaign_counters.contact + excluded.contact, \
                     checkout = campaign_counters.checkout + excluded.checkout",
                )
                .bind(key.model)
                .bind(key.dimension)
                .bind(&key.value)
                .bind(delta.sessions)
                .bind(delta.contact)
                .bind(delta.checkout)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Every row of the campaign report.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn counter_rows(&self) -> Result<Vec<CounterRow>> {
        Ok(on!(self.reads(), p => {
            sqlx::query_as(
                "SELECT model, dimension, value, sessions, contact, checkout FROM campaign_counters",
            )
            .fetch_all(p)
            .await
        })?)
    }
}
