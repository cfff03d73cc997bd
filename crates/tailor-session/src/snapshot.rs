//! Snapshots of the memory store, so sessions survive a restart.
//!
//! Every interval and at graceful shutdown the live sessions are written to the
//! snapshot file (the app names it `<data_dir>/sessions.snapshot.json`, the name
//! earlier versions used; it holds the binary form or JSON, see
//! [`codec`](crate::codec), and either is read): to a temporary file, fsynced,
//! then renamed over the old snapshot, so a crash mid-write never leaves half a
//! file. At start the snapshot is loaded; sessions that expired meanwhile (the
//! downtime counts as idle time) are dropped. A snapshot that cannot be read is
//! moved aside (`.unreadable-<time>`), reported in the log, never overwritten, and
//! the server starts empty.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rocket::fairing::AdHoc;
use serde::{Deserialize, Serialize};

use crate::codec::{decode, encode, RecordFormat};
use crate::{log_error_chain, MemoryStore, Record, SessionId};

/// The snapshot file's name in the data directory.
pub const FILE: &str = "sessions.snapshot.json";

#[derive(Serialize, Deserialize)]
struct Snapshot<R> {
    saved_at: DateTime<Utc>,
    sessions: Vec<Saved<R>>,
}

#[derive(Serialize, Deserialize)]
struct Saved<R> {
    id: String,
    idle_ms: u64,
    data: R,
}

/// Snapshotting of one memory store.
pub struct Snapshots<R> {
    store: Arc<MemoryStore<R>>,
    path: PathBuf,
    every: Option<Duration>,
    /// The form the snapshot is written in (either is read).
    format: RecordFormat,
}

impl<R: Record> Snapshots<R> {
    /// Snapshots of `store` kept in the file `path`, written every `every` and at
    /// shutdown; `None`: no snapshots (nothing is loaded or written).
    pub fn new(
        store: Arc<MemoryStore<R>>,
        path: impl Into<PathBuf>,
        every: Option<Duration>,
    ) -> Self {
        Snapshots {
            store,
            path: path.into(),
            every,
            format: RecordFormat::default(),
        }
    }

    /// The same snapshots, written in `format` (a snapshot in either form is read).
    #[must_use]
    pub fn with_format(mut self, format: RecordFormat) -> Self {
        self.format = format;
        self
    }

    /// Writes the snapshot atomically: temporary file, fsync, rename, fsync the directory.
    ///
    /// # Errors
    /// The I/O error; the previous snapshot is untouched then.
    pub fn save(&self) -> std::io::Result<usize> {
        let live = self.store.export();
        let sessions: Vec<Saved<&R>> = live
            .iter()
            .map(|(id, idle, data)| Saved {
                id: id.to_string(),
                idle_ms: idle.as_millis() as u64,
                data: &**data,
            })
            .collect();
        let count = sessions.len();
        let snapshot = Snapshot {
            saved_at: Utc::now(),
            sessions,
        };
        let bytes = encode(&snapshot, self.format).map_err(std::io::Error::other)?;
        let dir = self.path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir)?;
        let temporary = self.path.with_extension("json.tmp");
        {
            let mut options = fs::OpenOptions::new();
            options.write(true).create(true).truncate(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut file = options.open(&temporary)?;
            file.write_all(&bytes)?;
            file.sync_all()?;
        }
        fs::rename(&temporary, &self.path)?;
        if let Ok(dir) = fs::File::open(dir) {
            let _ = dir.sync_all();
        }
        Ok(count)
    }

    /// Loads the snapshot, if any, into the store; returns how many sessions came back.
    pub fn load(&self) -> usize {
        let bytes = match fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return 0,
            Err(e) => {
                self.set_aside(&e.to_string());
                return 0;
            }
        };
        let snapshot: Snapshot<R> = match decode(&bytes) {
            Ok(snapshot) => snapshot,
            Err(e) => {
                self.set_aside(&e.to_string());
                return 0;
            }
        };
        let downtime = (Utc::now() - snapshot.saved_at)
            .to_std()
            .unwrap_or_default();
        let sessions = snapshot
            .sessions
            .into_iter()
            .filter_map(|s| {
                let id = SessionId::parse(&s.id).ok()?;
                Some((id, Duration::from_millis(s.idle_ms) + downtime, s.data))
            })
            .collect();
        self.store.import(sessions)
    }

    fn set_aside(&self, reason: &str) {
        let aside = self.path.with_extension(format!(
            "json.unreadable-{}",
            Utc::now().format("%Y%m%dT%H%M%S")
        ));
        match fs::rename(&self.path, &aside) {
            Ok(()) => rocket::error!(
                "the session snapshot {} cannot be read ({reason}); moved to {}, starting without it",
                self.path.display(),
                aside.display()
            ),
            Err(e) => rocket::error!("the session snapshot {} cannot be read ({reason}) nor moved aside: {e}", self.path.display()),
        }
    }

    /// Loads the snapshot at ignite, writes one every interval and at shutdown.
    pub fn stage(self) -> AdHoc {
        let Some(every) = self.every else {
            return AdHoc::on_ignite("Session snapshots (off)", |rocket| async { rocket });
        };
        let this = Arc::new(self);
        AdHoc::on_ignite("Session snapshots", move |rocket| async move {
            let loaded = this.load();
            if loaded > 0 {
                rocket::info!("restored {loaded} sessions from {}", this.path.display());
            }
            let (periodic, last) = (this.clone(), this.clone());
            rocket
                .attach(AdHoc::on_liftoff("Session snapshot timer", move |rocket| {
                    let mut shutdown = rocket.shutdown();
                    Box::pin(async move {
                        rocket::tokio::spawn(async move {
                            let mut timer = rocket::tokio::time::interval(every);
                            timer.tick().await;
                            loop {
                                rocket::tokio::select! {
                                    _ = timer.tick() => periodic.save_logged().await,
                                    _ = &mut shutdown => break,
                                }
                            }
                        });
                    })
                }))
                .attach(AdHoc::on_shutdown(
                    "Session snapshot at shutdown",
                    move |_| Box::pin(async move { last.save_logged().await }),
                ))
        })
    }

    async fn save_logged(self: &Arc<Self>) {
        let this = self.clone();
        match rocket::tokio::task::spawn_blocking(move || this.save()).await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => log_error_chain(&e),
            Err(e) => log_error_chain(&e),
        }
    }
}
