//! The embedded store: typed records in a sharded `DashMap`, no serialisation on
//! the hot path.
//!
//! * Idle expiry is checked on every read, so an expired record is never served.
//! * The map has many small shards ([`SHARDS`]): a shard that grows rehashes a
//!   few thousand entries, not an eighth of the store, so inserts stay short with
//!   a million sessions.
//! * [`MemoryStore::sweep`] scans one shard at a time under its read lock, removes
//!   that shard's expired ids, and yields to the runtime before the next shard, so
//!   requests run between slices of the sweep instead of waiting for all of it.
//! * Two bounds, a count (`capacity`) and bytes (`max_bytes`, as the [`Weigher`]
//!   estimates them), evict the least recently used sessions, those that hold
//!   nothing their visitor chose first (a flood of first visits evicts first
//!   visits, never a visitor's saved preferences, cart or login); eviction removes
//!   1% (at least the excess) in one pass, which amortises the scan over many
//!   inserts.
//! * An entry is the 16-byte id, the record's `Arc` and one timestamp.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use dashmap::mapref::entry::Entry as MapEntry;
use dashmap::DashMap;

use crate::store::{Mutation, Record, Result, SessionStore, StoreError};
use crate::SessionId;

mod evict;
mod transfer;
mod weigher;

pub use weigher::Weigher;

/// Shards of the map: a power of two, enough that each holds a few thousand
/// sessions at a million.
pub const SHARDS: usize = 512;

struct Entry<R> {
    data: Arc<R>,
    /// Milliseconds since the store's epoch of the last read or write; also the
    /// LRU order.
    last_access_ms: AtomicU64,
}

/// What an entry costs besides its record: the id, the `Arc` and its counts, the
/// timestamp, the table's control byte and slack.
const ENTRY_OVERHEAD: usize = 64;

/// In-process session store: a sharded `DashMap`, bounded in count and (with a
/// [`Weigher`]) in bytes; past a bound the least recently used sessions go, those
/// the weigher says are not worth keeping first. Expiry is checked on every read
/// and swept in the background by [`stage`](crate::stage).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
///
/// use tailor_session::{MemoryStore, SessionId, SessionStore, Values, Weigher};
///
/// # rocket::execute(async {
/// // At most 10,000 sessions or about 16 MiB; records with nothing in them go first.
/// let weigher = Weigher { keep: |v: &Values| !v.is_empty(), bytes: |v| 64 + 32 * v.len() };
/// let store = MemoryStore::<Values>::new(Duration::from_secs(1800), 10_000)
///     .with_weigher(weigher, 16 << 20);
/// store.create(&SessionId::generate(), &mut |v| v.insert("theme", "dark")).await?;
/// assert_eq!(store.count().await?, 1);
/// # Ok::<(), tailor_session::StoreError>(())
/// # }).unwrap();
/// ```
pub struct MemoryStore<R> {
    map: DashMap<SessionId, Entry<R>>,
    idle: Duration,
    capacity: usize,
    max_bytes: usize,
    weigher: Weigher<R>,
    epoch: Instant,
    evicting: AtomicBool,
    /// Entries in the map, kept with every insert and removal: `DashMap::len`
    /// locks all 512 shards, too slow to ask on every new session.
    len: AtomicUsize,
    /// The weight of every entry, kept the same way.
    bytes: AtomicUsize,
}

impl<R> std::fmt::Debug for MemoryStore<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryStore")
            .field("sessions", &self.map.len())
            .field("capacity", &self.capacity)
            .field("bytes", &self.bytes.load(Ordering::Relaxed))
            .field("idle", &self.idle)
            .finish_non_exhaustive()
    }
}

impl<R: Record> MemoryStore<R> {
    /// A store whose sessions expire after `idle` without use, holding at most
    /// `capacity` sessions.
    pub fn new(idle: Duration, capacity: usize) -> Self {
        MemoryStore {
            map: DashMap::with_shard_amount(SHARDS),
            idle,
            capacity: capacity.max(1),
            max_bytes: usize::MAX,
            weigher: Weigher::default(),
            epoch: Instant::now(),
            len: AtomicUsize::new(0),
            bytes: AtomicUsize::new(0),
            evicting: AtomicBool::new(false),
        }
    }

    /// The same store, weighing records with `weigher` and holding at most about
    /// `max_bytes` of them.
    pub fn with_weigher(mut self, weigher: Weigher<R>, max_bytes: usize) -> Self {
        self.weigher = weigher;
        self.max_bytes = max_bytes.max(1);
        self
    }

    /// About how many bytes the sessions take (as the weigher counts them).
    pub fn bytes(&self) -> usize {
        self.bytes.load(Ordering::Relaxed)
    }

    fn weight(&self, record: &R) -> usize {
        (self.weigher.bytes)(record) + ENTRY_OVERHEAD
    }

    fn over_bounds(&self) -> bool {
        self.len.load(Ordering::Relaxed) > self.capacity
            || self.bytes.load(Ordering::Relaxed) > self.max_bytes
    }

    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    fn is_expired(&self, entry: &Entry<R>, now_ms: u64) -> bool {
        let last = entry.last_access_ms.load(Ordering::Relaxed);
        now_ms.saturating_sub(last) >= self.idle.as_millis() as u64
    }

    fn touch(&self, entry: &Entry<R>, now_ms: u64) {
        entry.last_access_ms.store(now_ms, Ordering::Relaxed);
    }

    fn added(&self, record: &R) {
        self.len.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(self.weight(record), Ordering::Relaxed);
    }

    fn removed(&self, record: &R) {
        self.len.fetch_sub(1, Ordering::Relaxed);
        self.bytes.fetch_sub(self.weight(record), Ordering::Relaxed);
    }

    /// Notes that a record went from weighing `before` to `after` bytes.
    fn reweighed(&self, before: usize, after: usize) {
        if after >= before {
            self.bytes.fetch_add(after - before, Ordering::Relaxed);
        } else {
            self.bytes.fetch_sub(before - after, Ordering::Relaxed);
        }
    }

    fn fresh_entry(&self, data: Arc<R>, now_ms: u64) -> Entry<R> {
        Entry {
            data,
            last_access_ms: AtomicU64::new(now_ms),
        }
    }
}

#[rocket::async_trait]
impl<R: Record> SessionStore<R> for MemoryStore<R> {
    async fn load(&self, id: &SessionId) -> Result<Option<Arc<R>>> {
        let now = self.now_ms();
        let Some(entry) = self.map.get(id) else {
            return Ok(None);
        };
        if self.is_expired(&entry, now) {
            drop(entry);
            if let Some((_, gone)) = self.map.remove_if(id, |_, e| self.is_expired(e, now)) {
                self.removed(&gone.data);
            }
            return Ok(None);
        }
        self.touch(&entry, now);
        Ok(Some(entry.data.clone()))
    }

    async fn peek(&self, id: &SessionId) -> Result<Option<Arc<R>>> {
        let now = self.now_ms();
        Ok(self
            .map
            .get(id)
            .filter(|e| !self.is_expired(e, now))
            .map(|e| e.data.clone()))
    }

    async fn create(&self, id: &SessionId, mutate: Mutation<'_, R>) -> Result<Arc<R>> {
        let now = self.now_ms();
        let data = match self.map.entry(id.clone()) {
            MapEntry::Occupied(_) => {
                return Err(StoreError::Backend("the new session's id is in use".into()))
            }
            MapEntry::Vacant(vacant) => {
                let mut record = R::default();
                mutate(&mut record);
                let data = Arc::new(record);
                self.added(&data);
                vacant.insert(self.fresh_entry(data.clone(), now));
                data
            }
        };
        self.enforce_capacity();
        Ok(data)
    }

    async fn update(&self, id: &SessionId, mutate: Mutation<'_, R>) -> Result<Option<Arc<R>>> {
        let now = self.now_ms();
        let data = {
            let MapEntry::Occupied(mut occupied) = self.map.entry(id.clone()) else {
                return Ok(None);
            };
            if self.is_expired(occupied.get(), now) {
                let gone = occupied.remove();
                self.removed(&gone.data);
                return Ok(None);
            }
            let entry = occupied.get_mut();
            let before = (self.weigher.bytes)(&entry.data);
            mutate(Arc::make_mut(&mut entry.data));
            self.reweighed(before, (self.weigher.bytes)(&entry.data));
            self.touch(entry, now);
            entry.data.clone()
        };
        // A record that grew may push the store past its bytes (the shard's lock
        // is released by now: eviction takes every shard's).
        self.enforce_capacity();
        Ok(Some(data))
    }

    async fn remove(&self, id: &SessionId) -> Result<()> {
        if let Some((_, gone)) = self.map.remove(id) {
            self.removed(&gone.data);
        }
        Ok(())
    }

    async fn regenerate(&self, old: &SessionId, new: &SessionId) -> Result<bool> {
        let now = self.now_ms();
        let Some((_, entry)) = self.map.remove(old) else {
            return Ok(false);
        };
        self.removed(&entry.data);
        if self.is_expired(&entry, now) {
            return Ok(false);
        }
        self.added(&entry.data);
        if let Some(replaced) = self
            .map
            .insert(new.clone(), self.fresh_entry(entry.data, now))
        {
            self.removed(&replaced.data);
        }
        Ok(true)
    }

    async fn count(&self) -> Result<usize> {
        Ok(self.len.load(Ordering::Relaxed))
    }

    async fn sweep(&self) -> Result<usize> {
        Ok(self.sweep_expired().await)
    }

    async fn ping(&self) -> Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rocket::async_test]
    async fn capacity_evicts_the_least_recently_used() {
        let store = MemoryStore::<u32>::new(Duration::from_secs(60), 3);
        let ids: Vec<SessionId> = (0..4).map(|_| SessionId::generate()).collect();
        // Recency has millisecond resolution: the steps are 2 ms apart.
        let tick = || rocket::tokio::time::sleep(Duration::from_millis(2));
        for id in &ids[..3] {
            store.create(id, &mut |n| *n += 1).await.unwrap();
            tick().await;
        }
        // Touch the oldest so the second becomes least recently used.
        assert!(store.load(&ids[0]).await.unwrap().is_some());
        tick().await;
        store.create(&ids[3], &mut |n| *n += 1).await.unwrap();

        assert_eq!(store.count().await.unwrap(), 3);
        assert!(store.load(&ids[1]).await.unwrap().is_none());
        for id in [&ids[0], &ids[2], &ids[3]] {
            assert!(store.load(id).await.unwrap().is_some());
        }
    }

    #[rocket::async_test]
    async fn the_count_follows_every_insert_and_removal() {
        let store = MemoryStore::<u32>::new(Duration::from_millis(50), 5);
        let exact = |store: &MemoryStore<u32>| store.map.len();
        let ids: Vec<SessionId> = (0..8).map(|_| SessionId::generate()).collect();
        for id in &ids {
            store.create(id, &mut |n| *n += 1).await.unwrap();
            store.update(id, &mut |n| *n += 1).await.unwrap();
        }
        assert_eq!(
            store.count().await.unwrap(),
            exact(&store),
            "after evictions"
        );
        assert!(exact(&store) <= 5);
        let live: Vec<SessionId> = ids
            .iter()
            .filter(|id| store.map.contains_key(*id))
            .cloned()
            .collect();
        store.remove(&live[0]).await.unwrap();
        store.remove(&live[0]).await.unwrap();
        assert_eq!(
            store.count().await.unwrap(),
            exact(&store),
            "after removals"
        );
        let new = SessionId::generate();
        assert!(store.regenerate(&live[1], &new).await.unwrap());
        assert!(!store.regenerate(&live[1], &new).await.unwrap());
        assert_eq!(
            store.count().await.unwrap(),
            exact(&store),
            "after regenerate"
        );
        rocket::tokio::time::sleep(Duration::from_millis(60)).await;
        assert!(store.load(&new).await.unwrap().is_none(), "expired on read");
        assert_eq!(
            store.count().await.unwrap(),
            exact(&store),
            "after expiry on read"
        );
        store.sweep().await.unwrap();
        assert_eq!(store.count().await.unwrap(), 0);
        assert_eq!(exact(&store), 0);
        store.import(vec![(SessionId::generate(), Duration::ZERO, 1)]);
        assert_eq!(store.count().await.unwrap(), 1);
    }
}
