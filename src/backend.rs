//! Where the app's shared data lives besides sessions: in this process, or in the
//! Redis that the sessions use (`session.store`). [`Journal`] is a bounded,
//! newest-first log (submissions, orders) on either.

use std::collections::VecDeque;
use std::sync::Mutex;

use redis::AsyncCommands;
use serde::{de::DeserializeOwned, Serialize};

use crate::session::redis::backend as redis_error;
use crate::session::store::{Result, StoreError};
use crate::session::RedisConnection;

/// The backend chosen by `session.store`.
#[derive(Clone)]
pub enum Backend {
    Memory,
    Redis(RedisConnection),
}

enum Log<T> {
    Memory {
        items: Mutex<VecDeque<T>>,
        sequence: Mutex<u64>,
    },
    Redis {
        redis: RedisConnection,
        key: String,
        sequence: String,
    },
}

/// A bounded log, newest first, numbered.
pub struct Journal<T> {
    kept: usize,
    log: Log<T>,
}

impl<T: Serialize + DeserializeOwned + Clone + Send + Sync> Journal<T> {
    /// A journal called `name` keeping the newest `kept` entries.
    pub fn new(backend: &Backend, name: &str, kept: usize) -> Self {
        let log = match backend {
            Backend::Memory => Log::Memory {
                items: Mutex::new(VecDeque::new()),
                sequence: Mutex::new(0),
            },
            Backend::Redis(redis) => Log::Redis {
                redis: redis.clone(),
                key: redis.key(&format!("journal:{name}")),
                sequence: redis.key(&format!("sequence:{name}")),
            },
        };
        Journal {
            kept: kept.max(1),
            log,
        }
    }

    /// The next number of this journal's sequence (1, 2, …), unique across instances.
    ///
    /// # Errors
    /// [`StoreError`] when Redis fails.
    pub async fn next_number(&self) -> Result<u64> {
        match &self.log {
            Log::Memory { sequence, .. } => {
                let mut n = sequence.lock().unwrap_or_else(|p| p.into_inner());
                *n += 1;
                Ok(*n)
            }
            Log::Redis {
                redis, sequence, ..
            } => redis.conn().incr(sequence, 1).await.map_err(redis_error),
        }
    }

    /// Adds an entry, dropping the oldest beyond the bound.
    ///
    /// # Errors
    /// [`StoreError`] when Redis fails or the entry cannot be encoded.
    pub async fn push(&self, item: T) -> Result<()> {
        match &self.log {
            Log::Memory { items, .. } => {
                let mut items = items.lock().unwrap_or_else(|p| p.into_inner());
                items.push_front(item);
                items.truncate(self.kept);
                Ok(())
            }
            Log::Redis { redis, key, .. } => {
                let bytes = serde_json::to_vec(&item).map_err(|e| StoreError::Encode(e.into()))?;
                redis::pipe()
                    .lpush(key, bytes)
                    .ltrim(key, 0, self.kept as isize - 1)
                    .query_async::<()>(&mut redis.conn())
                    .await
                    .map_err(redis_error)
            }
        }
    }

    /// Every entry, newest first.
    ///
    /// # Errors
    /// [`StoreError`] when Redis fails or an entry cannot be decoded.
    pub async fn newest_first(&self) -> Result<Vec<T>> {
        match &self.log {
            Log::Memory { items, .. } => Ok(items
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .iter()
                .cloned()
                .collect()),
            Log::Redis { redis, key, .. } => {
                let raw: Vec<Vec<u8>> =
                    redis.conn().lrange(key, 0, -1).await.map_err(redis_error)?;
                raw.iter()
                    .map(|bytes| {
                        serde_json::from_slice(bytes).map_err(|e| StoreError::Decode(e.into()))
                    })
                    .collect()
            }
        }
    }
}
