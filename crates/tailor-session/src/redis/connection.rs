//! The store's connection to Redis, a single server or a Redis Cluster: lazy,
//! failing fast while Redis is away.

use std::sync::Arc;
use std::time::Duration;

use redis::aio::{ConnectionLike, ConnectionManager};
use redis::cluster_async::ClusterConnection;
use redis::cluster_routing::{Route, RoutingInfo, SingleNodeRoutingInfo, SlotAddr};
use redis::{Cmd, Pipeline, RedisFuture, Value};

use crate::store::{Result, StoreError};

/// How long a connection attempt or a reply may take before the operation fails.
const TIMEOUT: Duration = Duration::from_millis(1000);

/// A connection to a single Redis (or Valkey) server or to a Redis Cluster,
/// cheap to clone (every clone shares it). Made by [`connect`] or
/// [`connect_cluster`]; the store makes its own with
/// [`RedisStore::open`](super::RedisStore::open), and an app that talks to the
/// same Redis for other things can make one and share it.
#[derive(Clone)]
pub enum Connection {
    /// One server (reconnected after a failure).
    Single(ConnectionManager),
    /// A Redis Cluster: each command goes to the master of its key's slot,
    /// `MOVED` and `ASK` are followed, and the slot map is read again after a
    /// failover.
    Cluster(ClusterConnection),
}

impl Connection {
    /// Whether this is a Redis Cluster (keys of one operation must then share a slot).
    pub fn is_cluster(&self) -> bool {
        matches!(self, Connection::Cluster(_))
    }

    /// Waits until `replicas` replicas of the server holding `key` have every write
    /// it acknowledged so far, or `timeout` passed (`WAIT`); how many did.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when Redis fails.
    pub async fn wait_replicas(&self, key: &str, replicas: u32, timeout: Duration) -> Result<u32> {
        let mut cmd = redis::cmd("WAIT");
        cmd.arg(replicas).arg(timeout.as_millis() as u64);
        let acked = match self {
            Connection::Single(manager) => cmd.query_async(&mut manager.clone()).await,
            Connection::Cluster(cluster) => {
                let route = Route::with_key(key, SlotAddr::Master);
                let routing = RoutingInfo::SingleNode(SingleNodeRoutingInfo::SpecificNode(route));
                let value = cluster.clone().route_command(cmd, routing).await;
                value.and_then(|v| redis::from_redis_value(v).map_err(Into::into))
            }
        };
        acked.map_err(backend)
    }
}

impl ConnectionLike for Connection {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            Connection::Single(c) => c.req_packed_command(cmd),
            Connection::Cluster(c) => c.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Connection::Single(c) => c.req_packed_commands(pipeline, offset, count),
            Connection::Cluster(c) => c.req_packed_commands(pipeline, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Connection::Single(c) => c.get_db(),
            Connection::Cluster(c) => c.get_db(),
        }
    }
}

/// A connection to the Redis server at `url` that fails fast: it connects lazily
/// (an instance starts while Redis is down) and every operation gives up after
/// about a second until Redis is back.
///
/// # Errors
/// [`StoreError::Backend`] when the URL cannot be used.
pub fn connect(url: &str) -> Result<Connection> {
    let client = redis::Client::open(url).map_err(backend)?;
    let config = redis::aio::ConnectionManagerConfig::new()
        .set_connection_timeout(Some(TIMEOUT))
        .set_response_timeout(Some(TIMEOUT))
        .set_number_of_retries(1)
        .set_max_delay(Duration::from_millis(200));
    let manager = ConnectionManager::new_lazy_with_config(client, config).map_err(backend)?;
    Ok(Connection::Single(manager))
}

/// A connection to the Redis Cluster that `nodes` (`redis://host:port` URLs, any
/// of its nodes) belong to, failing fast like [`connect`]'s: it connects in the
/// background, learns the slot map from whichever node answers, and an operation
/// whose node is down fails after its retries (a few hundred milliseconds, or the
/// second a reply may take) until a replica has taken over.
///
/// # Errors
/// [`StoreError::Backend`] when a URL cannot be used or `nodes` is empty.
pub fn connect_cluster(nodes: &[String]) -> Result<Connection> {
    if nodes.is_empty() {
        return Err(StoreError::Backend(
            "a Redis Cluster needs at least one node's URL".into(),
        ));
    }
    let client = redis::cluster::ClusterClient::builder(nodes.iter().map(String::as_str))
        .retries(3)
        .min_retry_wait(20)
        .max_retry_wait(200)
        .connection_timeout(TIMEOUT)
        .response_timeout(TIMEOUT)
        .build()
        .map_err(backend)?;
    let config = redis::cluster::ClusterConfig::new()
        .set_connection_timeout(TIMEOUT)
        .set_response_timeout(TIMEOUT);
    Ok(Connection::Cluster(
        client.get_pending_async_connection_with_config(config),
    ))
}

/// The store's connection and key prefix.
#[derive(Clone)]
pub(super) struct RedisConnection {
    pub(super) conn: Connection,
    pub(super) prefix: Arc<str>,
}

impl RedisConnection {
    /// `{prefix}{name}`.
    pub(super) fn key(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// A connection handle for one operation.
    pub(super) fn conn(&self) -> Connection {
        self.conn.clone()
    }
}

/// A Redis error as a store error.
pub(super) fn backend(e: redis::RedisError) -> StoreError {
    StoreError::Backend(Box::new(e))
}
