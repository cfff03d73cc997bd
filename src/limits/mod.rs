//! Fixed-window rate limits: how many times something happened to a key (a failed
//! login of an account, a failure from an address, a sent form) within a window,
//! and when the window ends.
//!
//! On Redis when `session.store = "redis"` (`INCR`, and `PEXPIRE` on the first hit
//! of a window, in one script), so N instances allow no more than one; in this
//! process otherwise, in a map bounded in entries whose windows expire.
//!
//! Client addresses are keyed by [`client_key`]: the peer's address, or the
//! rightmost `X-Forwarded-For` hop that a trusted proxy vouches for; an IPv6
//! address by its /64, which one subscriber usually holds whole.

use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use dashmap::DashMap;
use redis::Script;
use rocket::Request;

use tailor_session::redis::Connection;
use tailor_session::store::Result;
use tailor_session::StoreError;

mod client;

pub use client::{client_address, client_key, ClientKey, TrustedProxies};

/// Where one window of a key stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// Hits within the window so far.
    pub count: u64,
    /// How long until the window ends (and the count starts again at zero).
    pub resets_in: Duration,
}

impl Window {
    const EMPTY: Window = Window {
        count: 0,
        resets_in: Duration::ZERO,
    };

    /// The `Retry-After` seconds of a refusal in this window (at least 1).
    pub fn retry_after_secs(&self) -> u64 {
        self.resets_in.as_secs().max(1)
    }
}

/// tailor's own handle on Redis (the session store has its own): the limiter's
/// counters and the one-time import of an earlier version's keys.
#[derive(Clone)]
pub struct Redis {
    conn: Connection,
    prefix: Arc<str>,
}

impl Redis {
    /// A fail-fast connection to `url` (see [`tailor_session::redis::connect`])
    /// whose keys start with `prefix`.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when the URL cannot be used.
    pub fn open(url: &str, prefix: &str) -> Result<Self> {
        Ok(Redis {
            conn: tailor_session::redis::connect(url)?,
            prefix: prefix.into(),
        })
    }

    /// A fail-fast connection to the Redis Cluster of `nodes` (see
    /// [`tailor_session::redis::connect_cluster`]) whose keys start with `prefix`.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when a URL cannot be used or there is none.
    pub fn open_cluster(nodes: &[String], prefix: &str) -> Result<Self> {
        Ok(Redis {
            conn: tailor_session::redis::connect_cluster(nodes)?,
            prefix: prefix.into(),
        })
    }

    /// `{prefix}{name}`.
    pub fn key(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// A connection handle for one operation.
    pub fn conn(&self) -> Connection {
        self.conn.clone()
    }
}

fn backend(e: redis::RedisError) -> StoreError {
    StoreError::Backend(Box::new(e))
}

/// Keys one process tracks at most; past it, expired windows are dropped, then
/// the windows nearest their end.
const MAX_KEYS: usize = 100_000;

enum Backend {
    Memory(DashMap<String, (u64, Instant)>),
    Redis(Redis),
}

/// Takes back one hit of a window that is still running (never below zero).
const REFUND: &str = r"
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n > 0 then redis.call('DECR', KEYS[1]) end
return 0
";

/// The counters.
pub struct Limiter {
    backend: Backend,
    /// Hits on Redis that failed and were let through (the limiter fails open
    /// rather than locking everyone out while Redis is away).
    failures: AtomicU64,
}

/// `INCR`, and the window's expiry on its first hit; returns the count and the
/// milliseconds left.
const HIT: &str = r"
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
";

impl Limiter {
    /// Counters in this process.
    pub fn memory() -> Self {
        Limiter {
            backend: Backend::Memory(DashMap::new()),
            failures: AtomicU64::new(0),
        }
    }

    /// Counters on Redis, shared by every instance.
    pub fn redis(redis: Redis) -> Self {
        Limiter {
            backend: Backend::Redis(redis),
            failures: AtomicU64::new(0),
        }
    }

    /// Where the window of `key` stands, without counting a hit.
    ///
    /// # Errors
    /// [`StoreError`](tailor_session::StoreError) when Redis fails.
    pub async fn peek(&self, key: &str) -> Result<Window> {
        match &self.backend {
            Backend::Memory(map) => {
                let now = Instant::now();
                Ok(map
                    .get(key)
                    .filter(|e| e.1 > now)
                    .map_or(Window::EMPTY, |e| Window {
                        count: e.0,
                        resets_in: e.1 - now,
                    }))
            }
            Backend::Redis(redis) => {
                let key = redis.key(&format!("limit:{key}"));
                let (count, ttl): (Option<u64>, i64) = redis::pipe()
                    .get(&key)
                    .pttl(&key)
                    .query_async(&mut redis.conn())
                    .await
                    .map_err(backend)?;
                Ok(Window {
                    count: count.unwrap_or(0),
                    resets_in: Duration::from_millis(ttl.max(0) as u64),
                })
            }
        }
    }

    /// Counts a hit of `key` in a window of `window`; returns where it stands.
    ///
    /// # Errors
    /// [`StoreError`](tailor_session::StoreError) when Redis fails.
    pub async fn hit(&self, key: &str, window: Duration) -> Result<Window> {
        match &self.backend {
            Backend::Memory(map) => {
                let now = Instant::now();
                if map.len() >= MAX_KEYS && !map.contains_key(key) {
                    make_room(map, now);
                }
                let mut entry = map.entry(key.to_owned()).or_insert((0, now + window));
                if entry.1 <= now {
                    *entry = (0, now + window);
                }
                entry.0 += 1;
                Ok(Window {
                    count: entry.0,
                    resets_in: entry.1 - now,
                })
            }
            Backend::Redis(redis) => {
                let (count, ttl): (u64, i64) = Script::new(HIT)
                    .key(redis.key(&format!("limit:{key}")))
                    .arg(window.as_millis() as u64)
                    .invoke_async(&mut redis.conn())
                    .await
                    .map_err(backend)?;
                Ok(Window {
                    count,
                    resets_in: Duration::from_millis(ttl.max(0) as u64),
                })
            }
        }
    }

    /// Takes back a hit of `key` counted by [`Limiter::hit`] (a check that passed,
    /// or that never ran): its window keeps its end. A Redis failure is logged.
    pub async fn refund(&self, key: &str) {
        let result = match &self.backend {
            Backend::Memory(map) => {
                if let Some(mut entry) = map.get_mut(key) {
                    if entry.1 > Instant::now() {
                        entry.0 = entry.0.saturating_sub(1);
                    }
                }
                Ok(())
            }
            Backend::Redis(redis) => Script::new(REFUND)
                .key(redis.key(&format!("limit:{key}")))
                .invoke_async::<i64>(&mut redis.conn())
                .await
                .map(drop)
                .map_err(backend),
        };
        if let Err(e) = result {
            self.failures.fetch_add(1, Ordering::Relaxed);
            tailor_session::log_error_chain(&e);
        }
    }

    /// Whether `key` has reached `max` hits in its window: the window when it has.
    /// A Redis failure lets the request through (and is counted and logged).
    pub async fn reached(&self, key: &str, max: u64) -> Option<Window> {
        match self.peek(key).await {
            Ok(w) if w.count >= max => Some(w),
            Ok(_) => None,
            Err(e) => {
                self.failures.fetch_add(1, Ordering::Relaxed);
                tailor_session::log_error_chain(&e);
                None
            }
        }
    }

    /// Counts a hit, logging (not passing on) a Redis failure.
    pub async fn note(&self, key: &str, window: Duration) -> Option<Window> {
        match self.hit(key, window).await {
            Ok(w) => Some(w),
            Err(e) => {
                self.failures.fetch_add(1, Ordering::Relaxed);
                tailor_session::log_error_chain(&e);
                None
            }
        }
    }

    /// How many keys this process tracks (0 on Redis).
    pub fn len(&self) -> usize {
        match &self.backend {
            Backend::Memory(map) => map.len(),
            Backend::Redis(_) => 0,
        }
    }

    /// Whether this process tracks no key.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Drops the expired windows; if none was, the hundredth nearest their end.
fn make_room(map: &DashMap<String, (u64, Instant)>, now: Instant) {
    map.retain(|_, (_, end)| *end > now);
    if map.len() < MAX_KEYS {
        return;
    }
    let mut ends: Vec<(Instant, String)> = map.iter().map(|e| (e.1, e.key().clone())).collect();
    let n = (ends.len() / 100).max(1);
    ends.select_nth_unstable_by_key(n - 1, |(end, _)| *end);
    for (_, key) in ends.into_iter().take(n) {
        map.remove(&key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_keyed_by_host_or_64() {
        assert_eq!(
            client_key(Some("203.0.113.9".parse().unwrap())),
            "203.0.113.9"
        );
        let a = client_key(Some("2001:db8:1:2:aaaa::1".parse().unwrap()));
        let b = client_key(Some("2001:db8:1:2:bbbb::2".parse().unwrap()));
        assert_eq!(a, b);
        assert_eq!(a, "2001:db8:1:2::/64");
        assert_eq!(
            client_key(Some("::ffff:198.51.100.7".parse().unwrap())),
            "198.51.100.7"
        );
    }

    #[rocket::async_test]
    async fn windows_count_and_expire() {
        let limiter = Limiter::memory();
        let window = Duration::from_millis(80);
        for n in 1..=3 {
            assert_eq!(limiter.hit("k", window).await.unwrap().count, n);
        }
        assert!(limiter.reached("k", 3).await.is_some());
        assert!(limiter.reached("k", 4).await.is_none());
        rocket::tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(limiter.peek("k").await.unwrap(), Window::EMPTY);
        assert_eq!(limiter.hit("k", window).await.unwrap().count, 1);
    }

    #[rocket::async_test]
    async fn a_refund_takes_back_one_hit_and_never_goes_below_zero() {
        let limiter = Limiter::memory();
        let window = Duration::from_secs(60);
        limiter.hit("k", window).await.unwrap();
        limiter.hit("k", window).await.unwrap();
        limiter.refund("k").await;
        assert_eq!(limiter.peek("k").await.unwrap().count, 1);
        limiter.refund("k").await;
        limiter.refund("k").await;
        limiter.refund("unknown").await;
        assert_eq!(limiter.peek("k").await.unwrap().count, 0);
        assert_eq!(limiter.hit("k", window).await.unwrap().count, 1);
    }

    #[rocket::async_test]
    async fn the_memory_map_is_bounded() {
        let limiter = Limiter::memory();
        for i in 0..(MAX_KEYS + 50) {
            limiter
                .hit(&format!("key-{i}"), Duration::from_secs(60))
                .await
                .unwrap();
        }
        assert!(limiter.len() <= MAX_KEYS);
    }
}
