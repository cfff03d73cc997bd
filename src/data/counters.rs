//! The operators' campaign counters: per attribution model, dimension and value,
//! the sessions, contact submissions and checkouts credited to it. Each change is
//! an upsert that adds (never read-then-write), so instances never lose counts.

use sqlx::FromRow;

use super::{on, Db, Result};

/// Rows per upsert statement (7 binds each, well under either backend's limit).
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

/// The key of a row: model, dimension and the value lower-cased (one campaign,
/// one row, whatever its letter case). Two keys are the same row whatever their
/// `label`, the spelling a new row is shown with.
#[derive(Clone, Debug)]
pub struct CounterKey {
    pub model: &'static str,
    pub dimension: &'static str,
    pub value: String,
    pub label: String,
}

impl CounterKey {
    /// The key of `label`'s row (its value folded to lower case).
    pub fn new(model: &'static str, dimension: &'static str, label: &str) -> Self {
        CounterKey {
            model,
            dimension,
            value: label.to_lowercase(),
            label: label.to_owned(),
        }
    }

    fn row(&self) -> (&str, &str, &str) {
        (self.model, self.dimension, &self.value)
    }
}

impl PartialEq for CounterKey {
    fn eq(&self, other: &Self) -> bool {
        self.row() == other.row()
    }
}

impl Eq for CounterKey {}

impl std::hash::Hash for CounterKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.row().hash(state);
    }
}

/// A stored row.
#[derive(Clone, Debug, FromRow)]
pub struct CounterRow {
    pub model: String,
    pub dimension: String,
    /// The value lower-cased.
    pub value: String,
    /// The first spelling seen, for the report.
    pub label: String,
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
            "INSERT INTO campaign_counters (model, dimension, value, label, sessions, contact, checkout) ",
        );
        query.push_values($rows, |mut row, (key, delta)| {
            row.push_bind(key.model)
                .push_bind(key.dimension)
                .push_bind(&key.value)
                .push_bind(&key.label)
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
    /// The values each dimension has a row for (lower-cased), across models.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn counter_values(&self) -> Result<Vec<(String, String)>> {
        Ok(on!(self.reads(), p => {
            sqlx::query_as("SELECT DISTINCT dimension, value FROM campaign_counters")
                .fetch_all(p)
                .await
        })?)
    }

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
                "SELECT model, dimension, value, label, sessions, contact, checkout FROM campaign_counters",
            )
            .fetch_all(p)
            .await
        })?)
    }
}
