//! The operators' campaign counters: per attribution model, dimension and value,
//! the sessions, contact submissions and checkouts credited to it. Each change is
//! an upsert that adds (never read-then-write), so instances never lose counts.

use sqlx::FromRow;

use super::{on, Db, Result};

/// Rows per upsert statement (6 binds each, well under either backend's limit).
pub const MAX_ROWS_PER_STATEMENT: usize = 500;

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

/// The increments a conversion (or a touch) makes, one per row.
pub type Increments = Vec<(CounterKey, CounterDelta)>;

/// Adds `$rows` (`&[(&CounterKey, &CounterDelta)]`, distinct keys, at most
/// [`MAX_ROWS_PER_STATEMENT`]) to their rows on executor `$exec`, in one statement
/// (atomic by itself, one round trip whatever the number of rows).
macro_rules! upsert_counts {
    ($exec:expr, $rows:expr) => {{
        let mut query = sqlx::QueryBuilder::new(
            "INSERT INTO campaign_counters (model, dimension, value, sessions, contact, checkout) ",
        );
        query.push_values($rows, |mut row, (key, delta)| {
            row.push_bind(key.model)
                .push_bind(key.dimension)
                .push_bind(&key.value)
                .push_bind(delta.sessions)
                .push_bind(delta.contact)
                .push_bind(delta.checkout);
        });
        query.push(
            " ON CONFLICT (model, dimension, value) DO UPDATE SET \
             sessions = campaign_counters.sessions + excluded.sessions, \
             contact = campaign_counters.contact + excluded.contact, \
             checkout = campaign_counters.checkout + excluded.checkout",
        );
        query.build().execute($exec).await.map(|_| ())
    }};
}
pub(crate) use upsert_counts;

impl Db {
    /// Adds `deltas` (one per key) to their rows: one statement per 500 rows, so a
    /// flush of more rows than that is applied in parts.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails; the part that
    /// failed added nothing.
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
        for chunk in deltas.chunks(MAX_ROWS_PER_STATEMENT) {
            on!(self.writes(), p => upsert_counts!(p, chunk))?;
        }
        Ok(())
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
