//! The store's connection to Redis: lazy, failing fast while Redis is away.

use std::sync::Arc;
use std::time::Duration;

use redis::aio::ConnectionManager;

use crate::store::{Result, StoreError};

/// A connection to Redis that fails fast: it connects lazily (an instance starts
/// while Redis is down) and every operation gives up after about a second until
/// Redis is back. The store makes its own with [`RedisStore::open`](super::RedisStore::open); an app that
/// talks to the same Redis for other things can make one here and share it.
///
/// # Errors
/// [`StoreError::Backend`] when the URL cannot be used.
pub fn connect(url: &str) -> Result<ConnectionManager> {
    let client = redis::Client::open(url).map_err(backend)?;
    let config = redis::aio::ConnectionManagerConfig::new()
        .set_connection_timeout(Some(Duration::from_millis(1000)))
        .set_response_timeout(Some(Duration::from_millis(1000)))
        .set_number_of_retries(1)
        .set_max_delay(Duration::from_millis(200));
    ConnectionManager::new_lazy_with_config(client, config).map_err(backend)
}

/// The store's connection and key prefix.
#[derive(Clone)]
pub(super) struct RedisConnection {
    pub(super) manager: ConnectionManager,
    pub(super) prefix: Arc<str>,
}

impl RedisConnection {
    /// `{prefix}{name}`.
    pub(super) fn key(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// A connection handle for one operation.
    pub(super) fn conn(&self) -> ConnectionManager {
        self.manager.clone()
    }
}

/// A Redis error as a store error.
pub(super) fn backend(e: redis::RedisError) -> StoreError {
    StoreError::Backend(Box::new(e))
}
