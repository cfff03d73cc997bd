//! The Redis store's reads and writes. A session is a hash of a version `v` and
//! the encoded record `d`, and one list per log part of the record (kept apart:
//! [`crate::parts::LogPart`]). A write that changed nothing but logs (the record
//! as read and as written are equal, logs aside) writes only them, and appending
//! never races; a write that changed the rest is a compare-and-set on `v`,
//! from a copy the caller read (no second read when it is still current) or
//! from a fresh read, retried with backoff when the race is lost. Both are one
//! Lua script ([`WRITE`]).

use std::sync::Arc;

use super::cache::Entry;
use super::connection::backend;
use super::lists::{put_logs, take_logs};
use super::scripts::WRITE;
use super::{backoff, RedisStore, MAX_ATTEMPTS};
use crate::codec::encode;
use crate::parts::{LogChange, Parts, WithParts};
use crate::store::{Mutation, Record, Result, Seen, StoreError};
use crate::SessionId;

/// What a write came to.
pub(super) enum Written {
    /// Stored: the rest's version and the count of writes now.
    Done { version: u64, logs: u64 },
    /// The version moved on since the copy written from.
    Lost,
    /// The session is gone (expired, destroyed, moved): nothing was written.
    Gone,
}

impl<R: Record + WithParts + PartialEq> RedisStore<R> {
    /// The log parts kept apart for this store's records.
    pub(super) fn log_names(&self) -> Vec<&'static str> {
        if self.logs {
            Parts::log_names()
        } else {
            Vec::new()
        }
    }

    /// Writes `record` as session `id`, read at version `expected` as `before`
    /// (`0` and `None`: a new session, written only if the id is free). The
    /// record itself is written only when it changed (logs aside), or when
    /// `rewrite` (it held its logs itself), with the next version.
    pub(super) async fn write(
        &self,
        id: &SessionId,
        expected: u64,
        mut before: Option<R>,
        record: &mut R,
        rewrite: bool,
    ) -> Result<Written> {
        let names = self.log_names();
        let logs = take_logs(record, &names);
        let before_logs = before.as_mut().and_then(|b| take_logs(b, &names));
        let rest = (rewrite || expected == 0 || before.as_ref() != Some(&*record))
            .then(|| encode(&*record, self.format))
            .transpose();
        put_logs(record, logs);
        if let Some(before) = before.as_mut() {
            put_logs(before, before_logs);
        }
        let (rest, version) = (rest?, expected + 1);
        let changes = match record.parts() {
            Some(after) if !names.is_empty() => {
                let before = before.as_ref().and_then(|b| b.parts());
                Parts::log_changes(&names, before, Some(after), self.format)?
            }
            _ => Vec::new(),
        };
        let key = self.key(id);
        let mut script = WRITE.prepare_invoke();
        script.key(&key);
        script
            .arg(expected)
            .arg(version)
            .arg(u8::from(rest.is_some()))
            .arg(rest.as_deref().unwrap_or_default())
            .arg(self.idle.as_millis().max(1) as u64)
            .arg(id.to_string())
            .arg(names.len());
        for (name, change) in names.iter().zip(&changes) {
            script.key(self.log_key(id, name));
            let (op, trim, entries) = match change {
                LogChange::Same => ("k", -1, &[][..]),
                LogChange::Append { entries, trim } => {
                    ("a", trim.map_or(-1, |t| t as i64), &entries[..])
                }
                LogChange::Replace(entries) => ("r", -1, &entries[..]),
            };
            script.arg(op).arg(trim).arg(entries.len());
            for entry in entries {
                script.arg(&entry[..]);
            }
        }
        if !self.cluster {
            script.key(self.index_of(id));
        }
        let written: i64 = script
            .invoke_async(&mut self.redis.conn())
            .await
            .map_err(backend)?;
        if written >= 1 {
            // On a cluster the index is another master's: marked when the record
            // itself was written (a creation, and an active session's `last_seen`
            // at least once a minute), not at every appended visit.
            if self.cluster && rest.is_some() {
                self.mark(id).await;
            }
            self.replicated(&key).await?;
        }
        Ok(match written {
            1.. => Written::Done {
                version: if rest.is_some() { version } else { expected },
                logs: written as u64,
            },
            0 => Written::Lost,
            _ => Written::Gone,
        })
    }

    /// Reads the record and applies `mutate` to it, retrying on a lost race.
    /// `None`, writing nothing, when the session is gone.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when Redis fails or the race is lost [`MAX_ATTEMPTS`] times.
    pub(super) async fn update_read(
        &self,
        id: &SessionId,
        mutate: Mutation<'_, R>,
    ) -> Result<Option<Seen<R>>> {
        for attempt in 0..MAX_ATTEMPTS {
            if attempt > 0 {
                rocket::tokio::time::sleep(backoff(attempt)).await;
            }
            // A missing key is a session that expired or was destroyed: it is not
            // written again.
            let Some(read) = self.read(id, false).await? else {
                return Ok(None);
            };
            // Log entries the record held itself are new to its lists, and the
            // record is rewritten without them.
            let rewrite = read.before.is_some();
            let mut record = Arc::unwrap_or_clone(read.record);
            let before = read.before.unwrap_or_else(|| record.clone());
            mutate(&mut record);
            let written = self.write(id, read.version, Some(before), &mut record, rewrite);
            match written.await? {
                Written::Done { version, logs } => {
                    return Ok(Some(self.kept(id, Some(read.logs), version, logs, record)));
                }
                Written::Lost => continue,
                Written::Gone => return Ok(None),
            }
        }
        Err(StoreError::Backend(
            format!("too many concurrent updates of one session, gave up after {MAX_ATTEMPTS}")
                .into(),
        ))
    }

    /// The record and its version, sliding the expiry, in one round trip.
    pub(super) async fn read_seen(&self, id: &SessionId) -> Result<Option<Seen<R>>> {
        Ok(self.read(id, true).await?.map(|read| Seen {
            record: read.record,
            // Unknown when a write must start from a fresh read.
            version: if read.before.is_some() {
                0
            } else {
                read.version
            },
        }))
    }

    /// `record` as written (at `version`, logs now at `logs`), kept decoded when
    /// the write followed the copy it started from (logs at `base`) directly.
    pub(super) fn kept(
        &self,
        id: &SessionId,
        base: Option<u64>,
        version: u64,
        logs: u64,
        record: R,
    ) -> Seen<R> {
        let record = Arc::new(record);
        if let Some(decoded) = &self.decoded {
            decoded.written(
                id,
                base,
                Entry {
                    version,
                    logs,
                    record: record.clone(),
                },
            );
        }
        Seen { record, version }
    }

    /// See [`SessionStore::update_seen`](crate::SessionStore::update_seen).
    pub(super) async fn write_seen(
        &self,
        id: &SessionId,
        seen: Seen<R>,
        mutate: Mutation<'_, R>,
    ) -> Result<Option<Seen<R>>> {
        if seen.version > 0 {
            let base = self.decoded.as_ref().and_then(|c| c.base_of(id, &seen));
            let before = Arc::unwrap_or_clone(seen.record);
            let mut record = before.clone();
            mutate(&mut record);
            match self
                .write(id, seen.version, Some(before), &mut record, false)
                .await?
            {
                Written::Done { version, logs } => {
                    return Ok(Some(self.kept(id, base, version, logs, record)));
                }
                Written::Gone => return Ok(None),
                Written::Lost => {}
            }
        }
        self.update_read(id, mutate).await
    }
}
