//! Moving every session out of and into the memory store (snapshots use it).

use super::*;

impl<R: Record> MemoryStore<R> {
    /// Every live session with how long it has been idle, for a snapshot.
    pub fn export(&self) -> Vec<(SessionId, Duration, Arc<R>)> {
        let now = self.now_ms();
        self.map
            .iter()
            .filter(|e| !self.is_expired(e.value(), now))
            .map(|e| {
                let idle = now.saturating_sub(e.last_access_ms.load(Ordering::Relaxed));
                (e.key().clone(), Duration::from_millis(idle), e.data.clone())
            })
            .collect()
    }

    /// Adds sessions from a snapshot, each idle for the given time already; those
    /// idle past the timeout are dropped. Returns how many were loaded.
    pub fn import(&self, sessions: Vec<(SessionId, Duration, R)>) -> usize {
        let now = self.now_ms();
        let mut loaded = 0;
        for (id, idle, data) in sessions {
            if idle >= self.idle {
                continue;
            }
            // The store's clock starts at zero: an entry older than the store is
            // stamped at zero and expires that much earlier, never later.
            let last = now.saturating_sub(idle.as_millis() as u64);
            let data = Arc::new(data);
            self.added(&data);
            if let Some(replaced) = self.map.insert(id, self.fresh_entry(data, last)) {
                self.removed(&replaced.data);
            }
            loaded += 1;
        }
        self.enforce_capacity();
        loaded
    }
}
