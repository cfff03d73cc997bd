//! Keeping the memory store within its bounds: which sessions go when it is full,
//! and the sweep of expired ones.

use super::*;

impl<R: Record> MemoryStore<R> {
    /// Evicts sessions while the map is over either bound: those holding nothing
    /// their visitor chose first, each kind least recently used first.
    pub(super) fn enforce_capacity(&self) {
        if !self.over_bounds() || self.evicting.swap(true, Ordering::Acquire) {
            return;
        }
        while self.over_bounds() {
            let len = self.len.load(Ordering::Relaxed);
            let excess = len.saturating_sub(self.capacity);
            let batch = excess.max(len / 100).max(1);
            let mut victims: Vec<(bool, u64, SessionId)> = self
                .map
                .iter()
                .map(|e| {
                    let keep = (self.weigher.keep)(&e.data);
                    let last = e.last_access_ms.load(Ordering::Relaxed);
                    (keep, last, e.key().clone())
                })
                .collect();
            if victims.is_empty() {
                break;
            }
            if batch < victims.len() {
                victims.select_nth_unstable_by_key(batch, |(keep, t, _)| (*keep, *t));
                victims.truncate(batch);
            }
            let mut evicted = 0;
            for (_, last, id) in victims {
                // Skip a session touched since the scan: it is no longer the oldest.
                let gone = self
                    .map
                    .remove_if(&id, |_, e| e.last_access_ms.load(Ordering::Relaxed) == last);
                if let Some((_, entry)) = gone {
                    self.removed(&entry.data);
                    evicted += 1;
                }
            }
            if evicted == 0 {
                // Every candidate was used meanwhile; the next insert tries again.
                break;
            }
        }
        self.evicting.store(false, Ordering::Release);
    }

    /// Removes the expired sessions, one shard at a time (yielding between
    /// shards); returns how many went.
    pub(super) async fn sweep_expired(&self) -> usize {
        let now = self.now_ms();
        let mut removed = 0;
        for shard in self.map.shards() {
            let expired: Vec<SessionId> = {
                let table = shard.read();
                // SAFETY: the buckets are read while the shard's read lock is held,
                // so the table can neither move nor free them meanwhile.
                unsafe {
                    table
                        .iter()
                        .map(|bucket| bucket.as_ref())
                        .filter(|(_, e)| self.is_expired(e.get(), now))
                        .map(|(id, _)| id.clone())
                        .collect()
                }
            };
            for id in expired {
                // Re-checked under the write lock: a request may have used it since.
                if let Some((_, gone)) = self.map.remove_if(&id, |_, e| self.is_expired(e, now)) {
                    self.removed(&gone.data);
                    removed += 1;
                }
            }
            rocket::tokio::task::yield_now().await;
        }
        removed
    }
}
