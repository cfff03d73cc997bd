//! The Redis (or Valkey) store, for several tailor instances sharing sessions.
//!
//! A session is a hash `{prefix}session:{id}` with fields `v` (a version) and `d`
//! (the record as JSON). Expiry is Redis's own (`PEXPIRE`, slid on every load).
//! `update` is optimistic: read `v` and `d`, apply the closure, and write back only
//! if `v` is unchanged (a Lua compare-and-set); on a lost race it retries with the
//! fresh record, up to [`MAX_ATTEMPTS`] times, then fails with a clear error.

use std::sync::Arc;
use std::time::Duration;

use redis::aio::ConnectionManager;
use redis::{AsyncCommands, Script};

use super::store::{Mutation, Record, Result, SessionStore, StoreError};
use super::SessionId;

/// Attempts of an optimistic update before it gives up.
pub const MAX_ATTEMPTS: u32 = 64;

/// A pause before retry `attempt` of a lost race: random, growing to 50 ms, so
/// contenders spread out instead of colliding again.
fn backoff(attempt: u32) -> Duration {
    use rand::Rng;
    let ceiling = (1u64 << attempt.min(6)).min(50);
    Duration::from_micros(rand::thread_rng().gen_range(0..=ceiling * 1000))
}

/// Writes `fields` if the hash's version is still `ARGV[1]` (`0`: the key must not
/// exist), then sets its expiry. Returns 1 when written, 0 when the race was lost.
const COMPARE_AND_SET: &str = r"
local current = redis.call('HGET', KEYS[1], 'v')
if (current == false and ARGV[1] == '0') or current == ARGV[1] then
  redis.call('HSET', KEYS[1], 'v', ARGV[2], 'd', ARGV[3])
  if ARGV[4] ~= '0' then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
  return 1
end
return 0
";

/// Moves a live key to a new name, keeping its expiry fresh. 1 moved, 0 unknown.
const MOVE: &str = r"
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('PEXPIRE', KEYS[2], ARGV[1])
  return 1
end
return 0
";

/// A connection to Redis shared by every store of an instance, with key prefix.
#[derive(Clone)]
pub struct RedisConnection {
    pub manager: ConnectionManager,
    pub prefix: Arc<str>,
}

impl RedisConnection {
    /// Connects lazily to `url`: the instance starts even while Redis is down, and
    /// every operation fails fast (about a second) until it is back.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when the URL cannot be used.
    pub fn open(url: &str, prefix: &str) -> Result<Self> {
        let client = redis::Client::open(url).map_err(backend)?;
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_millis(1000)))
            .set_response_timeout(Some(Duration::from_millis(1000)))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(200));
        let manager = ConnectionManager::new_lazy_with_config(client, config).map_err(backend)?;
        Ok(RedisConnection {
            manager,
            prefix: prefix.into(),
        })
    }

    /// `{prefix}{name}`.
    pub fn key(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// A connection handle for one operation.
    pub fn conn(&self) -> ConnectionManager {
        self.manager.clone()
    }

    /// Reads a versioned JSON hash: (version, value); version 0 when absent.
    pub async fn read_versioned<T: serde::de::DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<(u64, Option<T>)> {
        let (v, d): (Option<u64>, Option<Vec<u8>>) = redis::cmd("HMGET")
            .arg(key)
            .arg("v")
            .arg("d")
            .query_async(&mut self.conn())
            .await
            .map_err(backend)?;
        match (v, d) {
            (Some(v), Some(d)) => Ok((
                v,
                Some(serde_json::from_slice(&d).map_err(|e| StoreError::Decode(e.into()))?),
            )),
            _ => Ok((0, None)),
        }
    }

    /// Writes `value` at `key` if its version is still `expected`; `ttl` 0 means no expiry.
    pub async fn compare_and_set<T: serde::Serialize>(
        &self,
        key: &str,
        expected: u64,
        value: &T,
        ttl: Duration,
    ) -> Result<bool> {
        let bytes = serde_json::to_vec(value).map_err(|e| StoreError::Encode(e.into()))?;
        let written: i32 = Script::new(COMPARE_AND_SET)
            .key(key)
            .arg(expected)
            .arg(expected + 1)
            .arg(bytes)
            .arg(ttl.as_millis() as u64)
            .invoke_async(&mut self.conn())
            .await
            .map_err(backend)?;
        Ok(written == 1)
    }

    /// Applies `mutate` to the JSON value at `key` optimistically; `None` from
    /// `mutate` means "leave it as it is".
    ///
    /// # Errors
    /// [`StoreError::Backend`] when Redis fails or the race is lost [`MAX_ATTEMPTS`] times.
    pub async fn update_versioned<T, F>(
        &self,
        key: &str,
        ttl: Duration,
        mut mutate: F,
    ) -> Result<Option<T>>
    where
        T: serde::Serialize + serde::de::DeserializeOwned + Send,
        F: FnMut(Option<T>) -> Option<T> + Send,
    {
        for attempt in 0..MAX_ATTEMPTS {
            if attempt > 0 {
                rocket::tokio::time::sleep(backoff(attempt)).await;
            }
            let (version, current) = self.read_versioned::<T>(key).await?;
            let Some(next) = mutate(current) else {
                return Ok(None);
            };
            if self.compare_and_set(key, version, &next, ttl).await? {
                return Ok(Some(next));
            }
        }
        Err(StoreError::Backend(
            format!("{key}: too many concurrent updates, gave up after {MAX_ATTEMPTS}").into(),
        ))
    }
}

/// A Redis error as a store error.
pub fn backend(e: redis::RedisError) -> StoreError {
    StoreError::Backend(Box::new(e))
}

/// The session store on Redis.
pub struct RedisStore<R> {
    redis: RedisConnection,
    idle: Duration,
    _record: std::marker::PhantomData<fn() -> R>,
}

impl<R: Record> RedisStore<R> {
    /// A store whose sessions expire after `idle` without use.
    pub fn new(redis: RedisConnection, idle: Duration) -> Self {
        RedisStore {
            redis,
            idle,
            _record: std::marker::PhantomData,
        }
    }

    fn key(&self, id: &SessionId) -> String {
        self.redis.key(&format!("session:{id}"))
    }

    async fn get(&self, id: &SessionId, slide: bool) -> Result<Option<Arc<R>>> {
        let key = self.key(id);
        let mut conn = self.redis.conn();
        let data: Option<Vec<u8>> = if slide {
            let (data, _): (Option<Vec<u8>>, i32) = redis::pipe()
                .hget(&key, "d")
                .pexpire(&key, self.idle.as_millis() as i64)
                .query_async(&mut conn)
                .await
                .map_err(backend)?;
            data
        } else {
            conn.hget(&key, "d").await.map_err(backend)?
        };
        data.map(|bytes| {
            serde_json::from_slice(&bytes)
                .map(Arc::new)
                .map_err(|e| StoreError::Decode(e.into()))
        })
        .transpose()
    }
}

#[rocket::async_trait]
impl<R: Record> SessionStore<R> for RedisStore<R> {
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
        if self
            .redis
            .compare_and_set(&self.key(id), 0, &record, self.idle)
            .await?
        {
            Ok(Arc::new(record))
        } else {
            Err(StoreError::Backend("the new session's id is in use".into()))
        }
    }

    async fn update(&self, id: &SessionId, mutate: Mutation<'_, R>) -> Result<Option<Arc<R>>> {
        let key = self.key(id);
        let updated = self
            .redis
            .update_versioned(&key, self.idle, |current: Option<R>| {
                // A missing key is a session that expired or was destroyed: it is
                // not written again.
                let mut record = current?;
                mutate(&mut record);
                Some(record)
            })
            .await?;
        Ok(updated.map(Arc::new))
    }

    async fn remove(&self, id: &SessionId) -> Result<()> {
        self.redis
            .conn()
            .del::<_, ()>(self.key(id))
            .await
            .map_err(backend)
    }

    async fn regenerate(&self, old: &SessionId, new: &SessionId) -> Result<bool> {
        let moved: i32 = Script::new(MOVE)
            .key(self.key(old))
            .key(self.key(new))
            .arg(self.idle.as_millis() as u64)
            .invoke_async(&mut self.redis.conn())
            .await
            .map_err(backend)?;
        Ok(moved == 1)
    }

    async fn count(&self) -> Result<usize> {
        // SCAN walks the keyspace in steps without blocking Redis; fine for metrics
        // scrapes, not for a hot path.
        let pattern = self.redis.key("session:*");
        let mut conn = self.redis.conn();
        let mut cursor = 0u64;
        let mut count = 0;
        loop {
            let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg(&pattern)
                .arg("COUNT")
                .arg(1000)
                .query_async(&mut conn)
                .await
                .map_err(backend)?;
            count += keys.len();
            if next == 0 {
                return Ok(count);
            }
            cursor = next;
        }
    }

    async fn sweep(&self) -> Result<usize> {
        // Redis expires keys itself.
        Ok(0)
    }

    async fn ping(&self) -> Result<()> {
        redis::cmd("PING")
            .query_async::<String>(&mut self.redis.conn())
            .await
            .map(|_| ())
            .map_err(backend)
    }
}
