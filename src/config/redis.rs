//! The Redis settings of the `session` table: where Redis is (one server or a
//! cluster's nodes), the prefix, and the wait for replicas.

use super::{invalid, ConfigError, SessionSettings, StoreKind};

/// Checks the Redis settings: URLs that parse, a prefix without spaces (and,
/// on a cluster, without braces: it would put every session in one slot), a
/// sane wait.
///
/// # Errors
/// [`ConfigError`] naming the first wrong key.
pub fn check(s: &SessionSettings) -> Result<(), ConfigError> {
    let bad_node =
        |node: &String| node.contains(',') || ::redis::Client::open(node.as_str()).is_err();
    if s.redis_cluster_nodes.iter().any(bad_node) || s.redis_cluster_nodes.len() > 64 {
        return Err(invalid(
            "session.redis_cluster_nodes",
            "a list of at most 64 redis:// or rediss:// URLs",
        ));
    }
    if !s.redis_cluster_nodes.is_empty() && s.redis_prefix.contains(['{', '}']) {
        return Err(invalid(
            "session.redis_prefix",
            "no braces on a Redis Cluster: tailor puts each session's id in braces (a hash tag)",
        ));
    }
    if !(1..=10_000).contains(&s.redis_wait_timeout_ms) {
        return Err(invalid("session.redis_wait_timeout_ms", "from 1 to 10000"));
    }
    if s.redis_cache_sessions > 1_000_000 {
        return Err(invalid("session.redis_cache_sessions", "at most 1000000"));
    }
    if s.redis_wait_replicas > 16 {
        return Err(invalid("session.redis_wait_replicas", "at most 16"));
    }
    if s.store == StoreKind::Redis && ::redis::Client::open(s.redis_url.as_str()).is_err() {
        return Err(invalid(
            "session.redis_url",
            "not a redis:// or rediss:// URL",
        ));
    }
    if s.redis_prefix.len() > 64
        || s.redis_prefix
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(invalid(
            "session.redis_prefix",
            "at most 64 characters, no spaces",
        ));
    }
    Ok(())
}
