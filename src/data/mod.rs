//! Durable data: accounts, orders, submissions and the operators' counters, in SQL.
//!
//! SQLite by default (`<data_dir>/tailor.db`, WAL, one writer connection, readers
//! beside it); PostgreSQL when `data.url` names one, so several instances share it.
//! Versioned migrations (`migrations/sqlite`, `migrations/postgres`) run at launch;
//! a database written by a newer tailor stops the launch. Every write a visitor
//! waits for is committed before it returns.
//!
//! One [`Db`] handle in managed state; one repository module per kind of data
//! ([`accounts`], [`orders`], [`submissions`], [`counters`]). Handlers never write
//! SQL. The queries are written once, in the dialect both backends share (`$1`
//! placeholders, `ON CONFLICT`, `RETURNING`, BIGINT epoch milliseconds), and the
//! [`on!`] macro runs them on whichever pool is configured; the few places where
//! the dialects differ say so.

pub mod account_documents;
pub mod account_sessions;
pub mod accounts;
pub mod consent;
pub mod counters;
pub mod doc;
pub mod epochs;
pub mod experiments;
pub mod goals;
pub mod import;
mod open;
pub mod orders;
pub mod subjects;
pub mod submissions;
pub mod undecided;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use serde::Deserialize;
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Postgres, Sqlite, Transaction};

pub use accounts::AccountId;
pub use doc::Doc;
pub use open::OpenError;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// How long a request waits for a database connection before it answers 503.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// SQLite's `synchronous` setting: what an acknowledged write survives.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Synchronous {
    /// Survives a crash of tailor (`kill -9`); a power loss may lose the last commits.
    #[default]
    Normal,
    /// Survives a power loss too (an fsync per commit).
    Full,
}

/// The `[<profile>.data]` table.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DataSettings {
    /// `postgres://…` for PostgreSQL; `sqlite://path` for another SQLite file; unset:
    /// `<session.data_dir>/tailor.db`.
    pub url: Option<String>,
    /// SQLite only: `normal` or `full`.
    pub synchronous: Synchronous,
    /// PostgreSQL only: the most connections one instance opens.
    pub max_connections: u32,
    /// How many seconds a process may serve a logged-in page from what it last read
    /// of the account (epoch, preferences, cart) before reading it again.
    pub account_cache_secs: u64,
}

impl Default for DataSettings {
    fn default() -> Self {
        DataSettings {
            url: None,
            synchronous: Synchronous::Normal,
            max_connections: 10,
            account_cache_secs: 2,
        }
    }
}

/// Where the data lives, as `data.url` says.
#[derive(Clone, Debug)]
pub enum Location {
    Sqlite(PathBuf),
    Postgres(Box<PgConnectOptions>),
}

impl DataSettings {
    /// Where the data lives: the parsed `data.url`, or the SQLite file in `data_dir`.
    ///
    /// # Errors
    /// A sentence saying what is wrong with `data.url`.
    pub fn location(&self, data_dir: &Path) -> std::result::Result<Location, String> {
        let Some(url) = self.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) else {
            return Ok(Location::Sqlite(data_dir.join("tailor.db")));
        };
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return PgConnectOptions::from_str(url)
                .map(|o| Location::Postgres(Box::new(o)))
                .map_err(|_| "not a valid postgres:// URL".to_owned());
        }
        match url.strip_prefix("sqlite://") {
            Some(path) if !path.is_empty() && !path.contains('?') => {
                Ok(Location::Sqlite(PathBuf::from(path)))
            }
            _ => Err("expected postgres://user:password@host/database or sqlite://path".into()),
        }
    }
}

/// A connection pool of either backend.
#[derive(Clone, Debug)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$p` bound to the pool, whichever backend it is. The body is
/// compiled once per backend, so the same query text serves both.
macro_rules! on {
    ($pool:expr, $p:ident => $body:expr) => {
        match $pool {
            $crate::data::Pool::Sqlite($p) => $body,
            $crate::data::Pool::Postgres($p) => $body,
        }
    };
}
pub(crate) use on;

/// What differs between the backends inside a write transaction.
pub(crate) trait Dialect {
    type Db: sqlx::Database;
    /// `FOR UPDATE` where row locks exist (PostgreSQL); SQLite's write
    /// transaction already holds the database's one write lock.
    const FOR_UPDATE: &'static str;
    /// A transaction that may write: `BEGIN IMMEDIATE` on SQLite, so it takes the
    /// write lock before its first read rather than failing to upgrade later.
    async fn begin_write(&self)
        -> std::result::Result<Transaction<'static, Self::Db>, sqlx::Error>;
}

impl Dialect for SqlitePool {
    type Db = Sqlite;
    const FOR_UPDATE: &'static str = "";
    async fn begin_write(&self) -> std::result::Result<Transaction<'static, Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl Dialect for PgPool {
    type Db = Postgres;
    const FOR_UPDATE: &'static str = " FOR UPDATE";
    async fn begin_write(
        &self,
    ) -> std::result::Result<Transaction<'static, Postgres>, sqlx::Error> {
        self.begin().await
    }
}

/// The row-lock clause of the pool's dialect, for a `SELECT` that is about to write.
pub(crate) fn for_update<P: Dialect>(_: &P) -> &'static str {
    P::FOR_UPDATE
}

/// Appends `(id, id, …)` (each bound) to a query being built: an `IN` list.
pub(crate) fn push_ids<DB>(query: &mut sqlx::QueryBuilder<DB>, ids: &[i64])
where
    DB: sqlx::Database,
    for<'t> i64: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    query.push("(");
    let mut list = query.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    query.push(")");
}

/// The database: pools for reading and for writing (the same pool on PostgreSQL;
/// on SQLite one writer connection and a few readers, which WAL lets run beside it).
#[derive(Clone, Debug)]
pub struct Db {
    read: Pool,
    write: Pool,
    /// Where it is, for messages (never with a password).
    describe: String,
}

/// A database operation failed. `Display` is safe to show; the source has details.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// The database could not be reached or refused the operation.
    #[error("the database is unavailable")]
    Unavailable(#[from] sqlx::Error),
    /// A stored document could not be read or written.
    #[error("stored data could not be read")]
    Corrupt(#[from] serde_json::Error),
}

/// The result of a data operation.
pub type Result<T> = std::result::Result<T, DataError>;

static FAILURES: AtomicU64 = AtomicU64::new(0);

/// How many database operations have failed since launch.
pub fn failures() -> u64 {
    FAILURES.load(Ordering::Relaxed)
}

impl DataError {
    /// Logs the error with its causes and counts it (for `/metrics`): for a
    /// failure no request answers (a background task's).
    pub fn report(&self) {
        FAILURES.fetch_add(1, Ordering::Relaxed);
        tailor_session::log_error_chain(self);
    }
}

/// A request's failure: counted now (for `/metrics`), logged once where the
/// request's answer is made ([`crate::web::AppError`]).
impl From<DataError> for crate::web::AppError {
    fn from(error: DataError) -> Self {
        FAILURES.fetch_add(1, Ordering::Relaxed);
        crate::web::AppError::Data(Box::new(error))
    }
}

/// A time as stored: milliseconds since the Unix epoch.
pub fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

/// A stored time back as a `DateTime` (out-of-range values clamp to the epoch).
pub fn from_millis(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked() {
        let dir = Path::new("data");
        let settings = |url: &str| DataSettings {
            url: Some(url.into()),
            ..DataSettings::default()
        };
        assert!(matches!(
            DataSettings::default().location(dir),
            Ok(Location::Sqlite(p)) if p == dir.join("tailor.db")
        ));
        assert!(matches!(
            settings("postgres://u:p@db.internal:5433/tailor").location(dir),
            Ok(Location::Postgres(_))
        ));
        assert!(matches!(
            settings("sqlite:///var/lib/tailor/x.db").location(dir),
            Ok(Location::Sqlite(_))
        ));
        for bad in [
            "mysql://x",
            "postgres://u:p@host:notaport/db",
            "sqlite://",
            "nonsense",
        ] {
            assert!(settings(bad).location(dir).is_err(), "{bad}");
        }
    }

    #[test]
    fn times_round_trip_through_milliseconds() {
        let at = from_millis(1_700_000_000_123);
        assert_eq!(millis(at), 1_700_000_000_123);
    }

    #[test]
    fn both_backends_have_the_same_migration_versions() {
        let versions = |m: &Migrator| m.iter().map(|m| m.version).collect::<Vec<_>>();
        assert_eq!(versions(&SQLITE_MIGRATIONS), versions(&POSTGRES_MIGRATIONS));
        assert!(!versions(&SQLITE_MIGRATIONS).is_empty());
    }
}
