//! Records this instance read or wrote, decoded, each with the version of its
//! rest (`v`) and the count of writes to its logs (`l`) it was read at. A read
//! sends both to Redis; when the session is still at them, Redis answers with
//! the two numbers alone and the record is not sent nor decoded again (a page
//! view's history is most of what a read would decode). Every read still goes
//! to Redis, which checks the session exists, slides its expiry and tells
//! whether another instance changed it; nothing is served that Redis did not
//! just confirm.

use std::sync::Arc;

use crate::store::Seen;
use crate::SessionId;

/// A decoded record and what it was read at.
pub(super) struct Entry<R> {
    pub(super) version: u64,
    pub(super) logs: u64,
    pub(super) record: Arc<R>,
}

impl<R> Clone for Entry<R> {
    fn clone(&self) -> Self {
        Entry {
            version: self.version,
            logs: self.logs,
            record: self.record.clone(),
        }
    }
}

/// At most `capacity` decoded records, the least recently used dropped first.
pub(super) struct Decoded<R> {
    entries: quick_cache::sync::Cache<SessionId, Entry<R>>,
}

impl<R> Decoded<R> {
    pub(super) fn new(capacity: usize) -> Self {
        Decoded {
            entries: quick_cache::sync::Cache::new(capacity),
        }
    }

    pub(super) fn get(&self, id: &SessionId) -> Option<Entry<R>> {
        self.entries.get(id)
    }

    pub(super) fn put(&self, id: &SessionId, entry: Entry<R>) {
        self.entries.insert(id.clone(), entry);
    }

    pub(super) fn forget(&self, id: &SessionId) {
        self.entries.remove(id);
    }

    /// Keeps `record`, written at `version` with its logs now at `logs`, when
    /// that write came right after the copy it started from (logs at `base`):
    /// then the record is what Redis holds. Else another write came between
    /// (an append from elsewhere, which is not compared and set): forgotten.
    pub(super) fn written(&self, id: &SessionId, base: Option<u64>, entry: Entry<R>) {
        if base.is_some_and(|base| entry.logs == base + 1) {
            self.entries.insert(id.clone(), entry);
        } else {
            self.forget(id);
        }
    }

    /// The logs' count `seen` was read at, when `seen` is the copy kept here.
    pub(super) fn base_of(&self, id: &SessionId, seen: &Seen<R>) -> Option<u64> {
        let entry = self.get(id)?;
        (entry.version == seen.version && Arc::ptr_eq(&entry.record, &seen.record))
            .then_some(entry.logs)
    }
}
