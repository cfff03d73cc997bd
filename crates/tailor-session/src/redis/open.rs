//! Making a Redis store: on a connection of either kind, and its options.

use std::time::Duration;

use super::{
    cache, connect, connect_cluster, Connection, RedisConnection, RedisStore, DECODED, INDEX_SHARDS,
};
use crate::codec::RecordFormat;
use crate::parts::WithParts;
use crate::store::{Record, Result};

impl<R: Record + WithParts + PartialEq> RedisStore<R> {
    /// A store on `conn` (see [`connect`] and [`connect_cluster`]) whose keys
    /// start with `prefix` and whose sessions expire after `idle` without use.
    /// On a cluster, `prefix` should hold no brace (it would make its own hash
    /// tag, putting every session in one slot): tailor's settings refuse one.
    pub fn new(conn: Connection, prefix: &str, idle: Duration) -> Self {
        let cluster = conn.is_cluster();
        let redis = RedisConnection {
            conn,
            prefix: prefix.into(),
        };
        let index = if cluster {
            (0..INDEX_SHARDS)
                .map(|n| redis.key(&format!("sessions:{{{n}}}")))
                .collect()
        } else {
            vec![redis.key("sessions")]
        };
        RedisStore {
            index,
            cluster,
            replicas: None,
            decoded: Some(cache::Decoded::new(DECODED)),
            redis,
            idle,
            format: RecordFormat::default(),
            logs: R::default().parts().is_some(),
            _record: std::marker::PhantomData,
        }
    }

    /// The same store, writing records in `format` (records in either form are
    /// read whatever it is).
    #[must_use]
    pub fn with_format(mut self, format: RecordFormat) -> Self {
        self.format = format;
        self
    }

    /// The same store, acknowledging a write (or a removal) only once
    /// `replicas` replicas of its server have it, waiting `timeout` at most
    /// (`WAIT`); a write they did not all confirm in time fails with
    /// [`StoreError::Backend`](crate::StoreError::Backend) (it is on the master, and lost if the master
    /// fails before it reaches a replica). Redis replicates asynchronously:
    /// without this, a failover loses the writes of the last moments.
    #[must_use]
    pub fn with_replicas(mut self, replicas: u32, timeout: Duration) -> Self {
        self.replicas = (replicas > 0).then_some((replicas, timeout));
        self
    }

    /// The same store, keeping at most `sessions` records decoded ([`DECODED`]
    /// by default; 0: none). A read still asks Redis every time, sending the
    /// version of the copy kept here: when the session is still at it, Redis
    /// answers with the version alone and the record is neither sent nor decoded
    /// again. Memory: about one encoded record's worth each, decoded.
    #[must_use]
    pub fn with_cache(mut self, sessions: usize) -> Self {
        self.decoded = (sessions > 0).then(|| cache::Decoded::new(sessions));
        self
    }

    /// A store on a new connection to `url` (see [`connect`]).
    ///
    /// # Errors
    /// [`StoreError::Backend`](crate::StoreError::Backend) when the URL cannot be used.
    pub fn open(url: &str, prefix: &str, idle: Duration) -> Result<Self> {
        Ok(RedisStore::new(connect(url)?, prefix, idle))
    }

    /// A store on a new connection to the Redis Cluster of `nodes` (see
    /// [`connect_cluster`]).
    ///
    /// # Errors
    /// [`StoreError::Backend`](crate::StoreError::Backend) when a URL cannot be used or there is none.
    pub fn open_cluster(nodes: &[String], prefix: &str, idle: Duration) -> Result<Self> {
        Ok(RedisStore::new(connect_cluster(nodes)?, prefix, idle))
    }
}
