//! The store contract (`tailor_session::conformance!`) on both stores as tailor
//! configures them (`tailor::stores`): the memory store with its capacity, its
//! memory budget and a weigher, the Redis store under a prefix (one server and a
//! Redis Cluster), each behind the
//! timed store that feeds `/metrics`.

use tailor::config::SessionSettings;
use tailor::ops::metrics::Metrics;
use tailor::stores::{memory_store, redis_store, timed};
use tailor_session::conformance::{Counter, Store};
use tailor_session::Weigher;

/// A weigher of the test record, as tailor's weighs its records.
fn weigher() -> Weigher<Counter> {
    Weigher {
        keep: |c| !c.note.is_empty(),
        bytes: |c| 64 + c.note.len(),
    }
}

tailor_session::conformance!(memory, |idle| async move {
    let store = memory_store(&SessionSettings::default(), idle, weigher());
    Some(timed(store, &Metrics::new(true)) as Store)
});

tailor_session::conformance!(redis, |idle| async move {
    let url = crate::support::redis_url()?;
    let redis = tailor::limits::Redis::open(&url, &crate::support::unique_prefix()).ok()?;
    let store = redis_store(
        &redis,
        &crate::support::unique_prefix(),
        idle,
        &SessionSettings::default(),
    );
    Some(timed(store, &Metrics::new(false)) as Store)
});

tailor_session::conformance!(redis_cluster, |idle| async move {
    let nodes = tailor_session::conformance::redis_cluster_nodes()?;
    let prefix = crate::support::unique_prefix();
    let redis = tailor::limits::Redis::open_cluster(&nodes, &prefix).ok()?;
    let store = redis_store(&redis, &prefix, idle, &SessionSettings::default());
    Some(timed(store, &Metrics::new(false)) as Store)
});
