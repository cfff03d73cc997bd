//! The Redis (or Valkey) store, for several tailor instances sharing sessions,
//! on one Redis server or a Redis Cluster.
//!
//! A session is a hash `{prefix}session:{<id>}` with fields `v` (a version) and
//! `d` (the encoded record), and a list `{prefix}session:{<id>}:{name}` per log
//! part of the record ([`LogPart`](crate::parts::LogPart): a page-view history),
//! kept apart so that appending an entry neither reads nor rewrites the record.
//! The braces are a hash tag: every key of one session is in one slot of a
//! cluster, so each operation on it is one script on one node. Expiry is Redis's
//! own (`PEXPIRE`, slid on every load, on the hash and its lists alike).
//! `update` is optimistic: read, apply the closure, and write the record back
//! only if `v` is unchanged (a Lua compare-and-set; appended log entries go in
//! the same script, and a write that changed only logs needs no version); on a
//! lost race it retries with the fresh record, up to [`MAX_ATTEMPTS`] times,
//! then fails with a clear error.
//!
//! Beside the sessions, a sorted set holds every id with the time it expires:
//! counting the live sessions is one `ZCOUNT`, and the sweep one
//! `ZREMRANGEBYSCORE`, whatever the number of keys (never a `SCAN` of the
//! keyspace). On one server it is `{prefix}sessions`, written by the same
//! scripts that write the session; on a cluster it is sharded in
//! [`INDEX_SHARDS`] sets `{prefix}sessions:{<n>}` (spread over the masters),
//! each written just after the session's script (it is in another slot) when
//! that script wrote the record, not when it only appended to a log.
//! A read slides the key's expiry but not its score; the session layer writes
//! an active session at least once a minute, which moves it, so the count lags
//! by that minute at most.
//!
//! On one server, a session written by an earlier version under
//! `{prefix}session:<id>` (no braces) is renamed at its first read.

use std::sync::Arc;
use std::time::Duration;

use crate::codec::RecordFormat;
use crate::parts::WithParts;
use crate::store::{Mutation, Record, Result, Seen, SessionStore, StoreError};
use crate::SessionId;

mod cache;
mod connection;
mod lists;
mod open;
mod placement;
mod reading;
mod scripts;
mod versioned;

use connection::{backend, RedisConnection};
pub use connection::{connect, connect_cluster, Connection};

use scripts::{COUNT, MOVE, SWEEP};

/// Sets the expiry index is sharded in on a Redis Cluster.
pub const INDEX_SHARDS: usize = 16;

/// Decoded records a store keeps by default (see [`RedisStore::with_cache`]).
pub const DECODED: usize = 10_000;

/// Attempts of an optimistic update before it gives up.
pub const MAX_ATTEMPTS: u32 = 64;

/// A pause before retry `attempt` of a lost race: random, growing to 50 ms, so
/// contenders spread out instead of colliding again.
fn backoff(attempt: u32) -> Duration {
    use rand::Rng;
    let ceiling = (1u64 << attempt.min(6)).min(50);
    Duration::from_micros(rand::thread_rng().gen_range(0..=ceiling * 1000))
}

/// The session store on Redis (cargo feature `redis`).
///
/// # Examples
///
/// ```no_run
/// use std::{sync::Arc, time::Duration};
///
/// use tailor_session::{RedisStore, SessionConfig, Values};
///
/// #[rocket::launch]
/// fn rocket() -> _ {
///     let idle = Duration::from_secs(1800);
///     let store = RedisStore::<Values>::open("redis://127.0.0.1/", "myapp:", idle)
///         .expect("a valid Redis URL");
///     let config = SessionConfig { idle_timeout: idle, ..SessionConfig::default() };
///     rocket::build().attach(tailor_session::stage(Arc::new(store), config))
/// }
/// ```
pub struct RedisStore<R> {
    redis: RedisConnection,
    idle: Duration,
    /// Every id with the time it expires: `{prefix}sessions` on one server, or
    /// [`INDEX_SHARDS`] sets `{prefix}sessions:{<n>}` on a cluster.
    index: Vec<String>,
    /// Whether on a Redis Cluster.
    cluster: bool,
    /// Replicas every write waits for, and for how long at most.
    replicas: Option<(u32, Duration)>,
    /// Records read or written here, decoded, checked against Redis at each read.
    decoded: Option<cache::Decoded<R>>,
    /// The form records are written in (both are read).
    format: RecordFormat,
    /// Whether the records have parts, whose logs are kept apart.
    logs: bool,
    _record: std::marker::PhantomData<fn() -> R>,
}

impl<R> std::fmt::Debug for RedisStore<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("prefix", &self.redis.prefix)
            .field("idle", &self.idle)
            .finish_non_exhaustive()
    }
}

impl<R: Record + WithParts + PartialEq> RedisStore<R> {
    async fn get(&self, id: &SessionId, slide: bool) -> Result<Option<Arc<R>>> {
        Ok(self.read(id, slide).await?.map(|read| read.record))
    }
}

#[rocket::async_trait]
impl<R: Record + WithParts + PartialEq> SessionStore<R> for RedisStore<R> {
    async fn load(&self, id: &SessionId) -> Result<Option<Arc<R>>> {
        self.get(id, true).await
    }

    async fn peek(&self, id: &SessionId) -> Result<Option<Arc<R>>> {
        self.get(id, false).await
    }

    async fn create(&self, id: &SessionId, mutate: Mutation<'_, R>) -> Result<Arc<R>> {
        let mut record = R::default();
        mutate(&mut record);
        // Version 0: written only if the key does not exist.
        match self.write(id, 0, None, &mut record, false).await? {
            versioned::Written::Done { version, logs } => {
                Ok(self.kept(id, Some(0), version, logs, record).record)
            }
            _ => Err(StoreError::Backend("the new session's id is in use".into())),
        }
    }

    async fn update(&self, id: &SessionId, mutate: Mutation<'_, R>) -> Result<Option<Arc<R>>> {
        Ok(self.update_read(id, mutate).await?.map(|seen| seen.record))
    }

    async fn load_seen(&self, id: &SessionId) -> Result<Option<Seen<R>>> {
        self.read_seen(id).await
    }

    /// Writes `seen` changed by `mutate` if the stored record is still at its
    /// version (no read, no decoding); else, or without a version, reads and
    /// retries as [`update`](SessionStore::update) does.
    async fn update_seen(
        &self,
        id: &SessionId,
        seen: Seen<R>,
        mutate: Mutation<'_, R>,
    ) -> Result<Option<Seen<R>>> {
        self.write_seen(id, seen, mutate).await
    }

    async fn remove(&self, id: &SessionId) -> Result<()> {
        self.delete(id).await
    }

    async fn regenerate(&self, old: &SessionId, new: &SessionId) -> Result<bool> {
        if let Some(decoded) = &self.decoded {
            decoded.forget(old);
        }
        if self.cluster {
            return self.copy(old, new).await;
        }
        let mut script = MOVE.prepare_invoke();
        script
            .key(self.key(old))
            .key(self.key(new))
            .key(self.index_of(new));
        for name in self.log_names() {
            script
                .key(self.log_key(old, name))
                .key(self.log_key(new, name));
        }
        let moved: i32 = script
            .arg(self.idle.as_millis() as u64)
            .arg(old.to_string())
            .arg(new.to_string())
            .invoke_async(&mut self.redis.conn())
            .await
            .map_err(backend)?;
        if moved == 1 {
            self.replicated(&self.key(new)).await?;
        }
        Ok(moved == 1)
    }

    async fn count(&self) -> Result<usize> {
        // One command per index set, whatever the number of sessions.
        let counts = self.index.iter().map(|index| async move {
            COUNT
                .key(index)
                .invoke_async::<usize>(&mut self.redis.conn())
                .await
                .map_err(backend)
        });
        Ok(rocket::futures::future::try_join_all(counts)
            .await?
            .into_iter()
            .sum())
    }

    async fn sweep(&self) -> Result<usize> {
        // Redis expires the sessions themselves; the index drops their entries.
        let sweeps = self.index.iter().map(|index| async move {
            SWEEP
                .key(index)
                .invoke_async::<usize>(&mut self.redis.conn())
                .await
                .map_err(backend)
        });
        Ok(rocket::futures::future::try_join_all(sweeps)
            .await?
            .into_iter()
            .sum())
    }

    async fn ping(&self) -> Result<()> {
        redis::cmd("PING")
            .query_async::<String>(&mut self.redis.conn())
            .await
            .map(|_| ())
            .map_err(backend)
    }
}
