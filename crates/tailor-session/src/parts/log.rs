//! Log parts: entries appended at the end and dropped from the front beyond a
//! bound (a history of page views). Everywhere a record is stored whole (JSON,
//! the binary form, snapshots, the memory store) a log is a part like any other;
//! a store that keeps records out of the process may keep each log apart (the
//! Redis store: a list per session), so that appending an entry neither reads
//! nor rewrites the rest of the record. Such a store learns what a write did to
//! a log by comparing the record as read with the record as written
//! ([`LogChange`]): the entries after the last one read were appended, the ones
//! before the first one kept were dropped, and anything else rewrote it.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::erased::{AnyPart, LogCodec, REGISTRY};
use super::{register, Part, Parts};
use crate::codec::{decode, encode, RecordFormat};
use crate::StoreError;

/// A part that is a log of entries, oldest first; register it with
/// [`register_log`].
///
/// # Examples
///
/// ```
/// use serde::{Deserialize, Serialize};
/// use tailor_session::parts::{self, LogPart, Part};
///
/// #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
/// struct Views(Vec<String>);
///
/// impl Part for Views {
///     const NAME: &'static str = "views";
/// }
///
/// impl LogPart for Views {
///     type Entry = String;
///     fn entries(&self) -> &[String] {
///         &self.0
///     }
///     fn from_entries(entries: Vec<String>) -> Self {
///         Views(entries)
///     }
/// }
///
/// parts::register_log::<Views>();
/// ```
pub trait LogPart: Part {
    /// One entry, stored as its own value (in the record's form).
    type Entry: Clone + PartialEq + Serialize + DeserializeOwned + Send + Sync;

    /// The entries, oldest first.
    fn entries(&self) -> &[Self::Entry];

    /// The part holding `entries`, oldest first.
    fn from_entries(entries: Vec<Self::Entry>) -> Self;

    /// One entry from its stored bytes, in either form ([`decode`]); a log read
    /// on every request may read its binary form faster by hand.
    ///
    /// # Errors
    /// [`StoreError::Decode`] when the bytes are not an entry.
    fn decode_entry(bytes: &[u8]) -> Result<Self::Entry, StoreError> {
        decode(bytes)
    }
}

/// Registers log part `T` ([`register`]s it, and says it is a log).
///
/// # Panics
/// As [`register`] does.
pub fn register_log<T: LogPart>() {
    register::<T>();
    let mut registry = REGISTRY.write().unwrap_or_else(|e| e.into_inner());
    if let Some(entry) = registry.get_mut(T::NAME) {
        entry.log = Some(LogCodec {
            read: read::<T>,
            change: change::<T>,
        });
    }
}

/// A record made of [`Parts`] (alone, or beside fields of its own), which a
/// store keeping logs apart reaches through this. A record with no parts says
/// `None` (the default), and is stored whole.
pub trait WithParts {
    /// The record's parts.
    fn parts(&self) -> Option<&Parts> {
        None
    }

    /// The record's parts, to change.
    fn parts_mut(&mut self) -> Option<&mut Parts> {
        None
    }
}

impl WithParts for Parts {
    fn parts(&self) -> Option<&Parts> {
        Some(self)
    }
    fn parts_mut(&mut self) -> Option<&mut Parts> {
        Some(self)
    }
}

/// What a write did to one log, for a store that keeps it apart; entries are
/// encoded, one value each.
#[derive(Debug, PartialEq)]
pub enum LogChange {
    /// Nothing.
    Same,
    /// These entries were appended; `trim`: the log then keeps only its last
    /// `trim` entries (older ones were dropped).
    Append {
        entries: Vec<Vec<u8>>,
        trim: Option<usize>,
    },
    /// The log was rewritten (cleared, removed, or changed otherwise): these
    /// are all its entries now.
    Replace(Vec<Vec<u8>>),
}

/// The logs of a record, taken out of it to store the rest alone.
pub struct Logs(Vec<Box<dyn AnyPart>>);

impl Parts {
    /// The names of the registered log parts, in a stable order.
    pub fn log_names() -> Vec<&'static str> {
        let registry = REGISTRY.read().unwrap_or_else(|e| e.into_inner());
        let mut names: Vec<&'static str> = registry
            .iter()
            .filter(|(_, entry)| entry.log.is_some())
            .map(|(name, _)| *name)
            .collect();
        names.sort_unstable();
        names
    }

    fn is_log(name: &str) -> bool {
        let registry = REGISTRY.read().unwrap_or_else(|e| e.into_inner());
        registry.get(name).is_some_and(|entry| entry.log.is_some())
    }

    /// Takes the log parts out, to store the rest without them.
    pub fn take_logs(&mut self) -> Logs {
        let Some(slots) = self.parts.take() else {
            return Logs(Vec::new());
        };
        let (logs, rest): (Vec<_>, Vec<_>) = slots
            .into_vec()
            .into_iter()
            .partition(|p| Parts::is_log(p.name()));
        self.parts = (!rest.is_empty()).then(|| rest.into_boxed_slice());
        Logs(logs)
    }

    /// Puts back the logs [`take_logs`](Self::take_logs) took.
    pub fn put_logs(&mut self, logs: Logs) {
        for part in logs.0 {
            let index = self.position(part.name());
            self.put(index, part);
        }
    }

    /// Adds log `name` as a store kept it apart (`list`: its entries, oldest
    /// first, one encoded value each), before any entries the record held
    /// itself (a record written before its log was kept apart). Returns whether
    /// it held some.
    ///
    /// # Errors
    /// [`StoreError::Decode`] when an entry is not one of the log's.
    pub fn join_log(&mut self, name: &str, list: &[&[u8]]) -> Result<bool, StoreError> {
        let inline = self.position(name).map(|i| self.slots()[i].clone_part());
        let read = REGISTRY
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
            .and_then(|entry| entry.log.as_ref().map(|log| log.read));
        let Some(read) = read else {
            return Ok(false);
        };
        if list.is_empty() {
            return Ok(inline.is_some());
        }
        if let Some(part) = read(list, inline.as_deref())? {
            let index = self.position(name);
            self.put(index, part);
        }
        Ok(inline.is_some())
    }

    /// What a write did to each log of `names`, from `before` (the record as
    /// read; `None`: a new record) to `after`, entries encoded in `format`.
    ///
    /// # Errors
    /// [`StoreError::Encode`] when an entry cannot be encoded.
    pub fn log_changes(
        names: &[&'static str],
        before: Option<&Parts>,
        after: Option<&Parts>,
        format: RecordFormat,
    ) -> Result<Vec<LogChange>, StoreError> {
        let registry = REGISTRY.read().unwrap_or_else(|e| e.into_inner());
        fn part<'a>(parts: Option<&'a Parts>, name: &str) -> Option<&'a dyn AnyPart> {
            parts.and_then(|p| p.position(name).map(|i| &*p.slots()[i]))
        }
        names
            .iter()
            .map(|name| {
                let Some(log) = registry.get(name).and_then(|e| e.log.as_ref()) else {
                    return Ok(LogChange::Same);
                };
                (log.change)(part(before, name), part(after, name), format)
            })
            .collect()
    }
}

/// The entries of `part` if it is a `T`.
fn entries_of<T: LogPart>(part: Option<&dyn AnyPart>) -> &[T::Entry] {
    part.and_then(|p| p.as_any().downcast_ref::<T>())
        .map_or(&[], |t| t.entries())
}

/// Log `T` from its kept-apart `list`, followed by the entries the record held.
fn read<T: LogPart>(
    list: &[&[u8]],
    inline: Option<&dyn AnyPart>,
) -> Result<Option<Box<dyn AnyPart>>, StoreError> {
    let inline = entries_of::<T>(inline);
    let mut entries = Vec::with_capacity(list.len() + inline.len());
    for bytes in list {
        entries.push(T::decode_entry(bytes)?);
    }
    entries.extend_from_slice(inline);
    let part = T::from_entries(entries);
    Ok((part != T::default()).then(|| Box::new(part) as Box<dyn AnyPart>))
}

/// What became of log `T` from `before` to `after`.
fn change<T: LogPart>(
    before: Option<&dyn AnyPart>,
    after: Option<&dyn AnyPart>,
    format: RecordFormat,
) -> Result<LogChange, StoreError> {
    let (old, new) = (entries_of::<T>(before), entries_of::<T>(after));
    let encoded = |entries: &[T::Entry]| -> Result<Vec<Vec<u8>>, StoreError> {
        entries.iter().map(|e| encode(e, format)).collect()
    };
    let Some(last) = old.last() else {
        return Ok(match new.is_empty() {
            true => LogChange::Same,
            false => LogChange::Append {
                entries: encoded(new)?,
                trim: None,
            },
        });
    };
    // `new` starts with the last `kept` entries of `old`: the last one read is
    // at `kept - 1`, searched from the end (entries may repeat).
    for kept in (1..=new.len().min(old.len())).rev() {
        if new[kept - 1] == *last && new[..kept] == old[old.len() - kept..] {
            let appended = &new[kept..];
            let dropped = old.len() - kept;
            if appended.is_empty() && dropped == 0 {
                return Ok(LogChange::Same);
            }
            return Ok(LogChange::Append {
                entries: encoded(appended)?,
                trim: (dropped > 0).then_some(new.len()),
            });
        }
    }
    Ok(LogChange::Replace(encoded(new)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Seen(Vec<u32>);

    impl Part for Seen {
        const NAME: &'static str = "seen_log";
    }

    impl LogPart for Seen {
        type Entry = u32;
        fn entries(&self) -> &[u32] {
            &self.0
        }
        fn from_entries(entries: Vec<u32>) -> Self {
            Seen(entries)
        }
    }

    fn parts(entries: &[u32]) -> Parts {
        register_log::<Seen>();
        let mut parts = Parts::default();
        parts.set(Seen(entries.to_vec()));
        parts
    }

    fn change(before: &[u32], after: &[u32]) -> LogChange {
        let (before, after) = (parts(before), parts(after));
        let mut changes = Parts::log_changes(
            &["seen_log"],
            Some(&before),
            Some(&after),
            RecordFormat::Json,
        )
        .unwrap();
        changes.pop().unwrap()
    }

    fn bytes(entries: &[u32]) -> Vec<Vec<u8>> {
        entries.iter().map(|e| e.to_string().into_bytes()).collect()
    }

    #[test]
    fn a_write_appends_trims_or_replaces() {
        assert_eq!(change(&[1, 2], &[1, 2]), LogChange::Same);
        assert_eq!(
            change(&[], &[1]),
            LogChange::Append {
                entries: bytes(&[1]),
                trim: None
            }
        );
        assert_eq!(
            change(&[1, 2], &[1, 2, 3]),
            LogChange::Append {
                entries: bytes(&[3]),
                trim: None
            }
        );
        // At its bound: one in, one out.
        assert_eq!(
            change(&[1, 2, 3], &[2, 3, 4]),
            LogChange::Append {
                entries: bytes(&[4]),
                trim: Some(3)
            }
        );
        // Repeated entries: the longest overlap wins.
        assert_eq!(
            change(&[7, 7], &[7, 7, 7]),
            LogChange::Append {
                entries: bytes(&[7]),
                trim: None
            }
        );
        assert_eq!(change(&[1, 2], &[]), LogChange::Replace(vec![]));
        assert_eq!(change(&[1, 2], &[5]), LogChange::Replace(bytes(&[5])));
        assert_eq!(
            change(&[1, 2, 3], &[1, 3]),
            LogChange::Replace(bytes(&[1, 3]))
        );
    }

    #[test]
    fn logs_come_out_and_go_back_and_a_list_joins_what_the_record_held() {
        let mut record = parts(&[3]);
        record.set(Other(true));
        let logs = record.take_logs();
        assert!(record.get::<Seen>().is_none() && record.get::<Other>().is_some());
        record.put_logs(logs);
        assert_eq!(record.get::<Seen>(), Some(&Seen(vec![3])));
        let list = bytes(&[1, 2]);
        let list: Vec<&[u8]> = list.iter().map(Vec::as_slice).collect();
        assert!(record.join_log("seen_log", &list).unwrap(), "it held some");
        assert_eq!(record.get::<Seen>(), Some(&Seen(vec![1, 2, 3])));
        let mut fresh = Parts::default();
        assert!(!fresh.join_log("seen_log", &list).unwrap());
        assert_eq!(fresh.get::<Seen>(), Some(&Seen(vec![1, 2])));
        assert!(fresh.join_log("seen_log", &[b"x"]).is_err());
        assert!(Parts::log_names().contains(&"seen_log"));
    }

    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Other(bool);

    impl Part for Other {
        const NAME: &'static str = "other_part";
    }
}
