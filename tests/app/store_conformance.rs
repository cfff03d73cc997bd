//! The store contract (`tailor_session::conformance!`) on both stores as tailor
//! configures them.

use std::sync::Arc;

use tailor_session::conformance::{Counter, Store};
use tailor_session::{MemoryStore, RedisStore};

tailor_session::conformance!(memory, |idle| async move {
    Arc::new(MemoryStore::<Counter>::new(idle, 100_000)) as Store
});

tailor_session::conformance!(redis, |idle| async move {
    let url = crate::support::redis_url()?;
    let prefix = crate::support::unique_prefix();
    let store = RedisStore::<Counter>::open(&url, &prefix, idle);
    Some(Arc::new(store.unwrap()) as Store)
});
