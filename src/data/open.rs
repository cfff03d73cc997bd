//! Opening the database: SQLite (WAL, one writer, readers beside it) or
//! PostgreSQL, and the migrations run at launch.

use super::{
    on, DataSettings, Db, Duration, Location, MigrateError, Path, PathBuf, PgConnectOptions,
    PgPoolOptions, Pool, Result, SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions,
    SqliteSynchronous, Synchronous, ACQUIRE_TIMEOUT, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS,
};
/// Why the database could not be opened: the launch stops with this message.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("invalid configuration: data.url: {0}")]
    Url(String),
    #[error("cannot open the database {describe}: {source}")]
    Connect {
        describe: String,
        #[source]
        source: sqlx::Error,
    },
    #[error(
        "the database {describe} was written by a newer tailor (it has migration {version}, \
this build knows up to {known}): run that version of tailor, or restore a backup made \
before the upgrade"
    )]
    Newer {
        describe: String,
        version: i64,
        known: i64,
    },
    #[error("cannot migrate the database {describe}: {source}")]
    Migrate {
        describe: String,
        #[source]
        source: MigrateError,
    },
    #[error("cannot create {path}: {source}")]
    Dir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Db {
    /// Opens (creating if need be) and migrates the database `settings` name.
    ///
    /// # Errors
    /// [`OpenError`] naming what is wrong: the URL, the connection, or a database
    /// written by a newer tailor.
    pub async fn open(
        settings: &DataSettings,
        data_dir: &Path,
    ) -> std::result::Result<Db, OpenError> {
        let db = match settings.location(data_dir).map_err(OpenError::Url)? {
            Location::Sqlite(path) => Self::open_sqlite(&path, settings.synchronous).await?,
            Location::Postgres(options) => Self::open_postgres(*options, settings).await?,
        };
        db.migrate().await?;
        Ok(db)
    }

    async fn open_sqlite(path: &Path, sync: Synchronous) -> std::result::Result<Db, OpenError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(dir).map_err(|source| OpenError::Dir {
                path: dir.to_owned(),
                source,
            })?;
        }
        create_private(path).map_err(|source| OpenError::Dir {
            path: path.to_owned(),
            source,
        })?;
        let describe = format!("sqlite://{}", path.display());
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(match sync {
                Synchronous::Normal => SqliteSynchronous::Normal,
                Synchronous::Full => SqliteSynchronous::Full,
            })
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        let connect = |source| OpenError::Connect {
            describe: describe.clone(),
            source,
        };
        // One writer: SQLite allows one write transaction at a time anyway, and
        // queuing them here is fairer than retrying on SQLITE_BUSY.
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options.clone())
            .await
            .map_err(connect)?;
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options)
            .await
            .map_err(connect)?;
        Ok(Db {
            read: Pool::Sqlite(read),
            write: Pool::Sqlite(write),
            describe,
        })
    }

    async fn open_postgres(
        options: PgConnectOptions,
        settings: &DataSettings,
    ) -> std::result::Result<Db, OpenError> {
        let describe = format!(
            "postgres://{}:{}/{}",
            options.get_host(),
            options.get_port(),
            options.get_database().unwrap_or_default()
        );
        let pool = PgPoolOptions::new()
            .max_connections(settings.max_connections.max(1))
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options)
            .await
            .map_err(|source| OpenError::Connect {
                describe: describe.clone(),
                source,
            })?;
        Ok(Db {
            read: Pool::Postgres(pool.clone()),
            write: Pool::Postgres(pool),
            describe,
        })
    }

    async fn migrate(&self) -> std::result::Result<(), OpenError> {
        let (migrator, result) = match &self.write {
            Pool::Sqlite(p) => (&SQLITE_MIGRATIONS, SQLITE_MIGRATIONS.run(p).await),
            Pool::Postgres(p) => (&POSTGRES_MIGRATIONS, POSTGRES_MIGRATIONS.run(p).await),
        };
        let describe = self.describe.clone();
        match result {
            Ok(()) => Ok(()),
            Err(MigrateError::VersionMissing(version)) => Err(OpenError::Newer {
                describe,
                version,
                known: migrator.iter().map(|m| m.version).max().unwrap_or(0),
            }),
            Err(source) => Err(OpenError::Migrate { describe, source }),
        }
    }

    /// Where the database is, without credentials.
    pub fn describe(&self) -> &str {
        &self.describe
    }

    /// Whether this is PostgreSQL (shared by instances) rather than an SQLite file.
    pub fn is_shared(&self) -> bool {
        matches!(self.write, Pool::Postgres(_))
    }

    /// Succeeds when the database answers (for `/readyz`).
    ///
    /// # Errors
    /// [`DataError`] when it does not.
    pub async fn ping(&self) -> Result<()> {
        on!(&self.read, p => sqlx::query("SELECT 1").execute(p).await.map(|_| ()))?;
        Ok(())
    }

    pub(crate) fn reads(&self) -> &Pool {
        &self.read
    }

    pub(crate) fn writes(&self) -> &Pool {
        &self.write
    }

    /// A fact about the database, from `tailor_meta`.
    ///
    /// # Errors
    /// [`DataError`] when the database fails.
    pub async fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(on!(self.reads(), p => {
            sqlx::query_scalar("SELECT value FROM tailor_meta WHERE key = $1")
                .bind(key)
                .fetch_optional(p)
                .await
        })?)
    }
}

/// Creates the SQLite file `path` empty and 0600 if it does not exist, so the
/// database and the `-wal` and `-shm` files SQLite makes beside it (with the
/// database's mode) are its owner's only: they hold password hashes, submitted
/// forms and session ids.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}
