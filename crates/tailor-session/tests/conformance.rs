//! The store contract on both stores of this crate.

use std::sync::Arc;

use tailor_session::conformance::{Counter, Store};
use tailor_session::{MemoryStore, RedisStore};

tailor_session::conformance!(memory, |idle| async move {
    Arc::new(MemoryStore::<Counter>::new(idle, 100_000)) as Store
});

tailor_session::conformance!(redis, |idle| async move {
    let url = tailor_session::conformance::redis_url()?;
    let prefix = format!("test:{}:", tailor_session::random_token(9));
    let store = RedisStore::<Counter>::open(&url, &prefix, idle).unwrap();
    Some(Arc::new(store) as Store)
});

tailor_session::conformance!(redis_cluster, |idle| async move {
    let nodes = tailor_session::conformance::redis_cluster_nodes()?;
    let prefix = format!("test:{}:", tailor_session::random_token(9));
    let store = RedisStore::<Counter>::open_cluster(&nodes, &prefix, idle).unwrap();
    Some(Arc::new(store) as Store)
});
