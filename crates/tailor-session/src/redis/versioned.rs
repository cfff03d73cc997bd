//! The Redis store's reads and writes. A session is a hash of a version `v` and
//! the encoded record `d`, and one list per log part of the record (kept apart:
//! [`crate::parts::LogPart`]). The version is a digest of `d`, so a write that
//! changed nothing but logs is seen as such and writes only them (appending
//! never races); a write that changed the rest is a compare-and-set on `v`,
//! from a copy the caller read (no second read when it is still current) or
//! from a fresh read, retried with backoff when the race is lost. Both are one
//! Lua script ([`WRITE`]).

use std::sync::Arc;

use redis::{FromRedisValue, Value};

use super::connection::backend;
use super::scripts::WRITE;
use super::{backoff, RedisStore, MAX_ATTEMPTS};
use crate::codec::{decode, encode};
use crate::parts::{LogChange, Parts, WithParts};
use crate::store::{Mutation, Record, Result, Seen, StoreError};
use crate::SessionId;

/// A session as read: its record with its logs, and the version of its rest.
pub(super) struct Read<R> {
    pub(super) version: u64,
    pub(super) record: R,
    /// When the record held log entries itself (written before its logs were
    /// kept apart), the record as its lists alone have it: its next write
    /// starts from a fresh read and appends those entries to the lists.
    pub(super) before: Option<R>,
}

/// What a write came to.
pub(super) enum Written {
    /// Stored; the rest's version now.
    Done(u64),
    /// The version moved on since the copy written from.
    Lost,
    /// The session is gone (expired, destroyed, moved): nothing was written.
    Gone,
}

/// The version of a record's stored form (never 0, which means "absent").
fn digest(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes).max(1)
}

fn parsed<T: FromRedisValue>(value: Value) -> Result<T> {
    T::from_redis_value(value).map_err(|e| StoreError::Decode(Box::new(e)))
}

impl<R: Record + WithParts> RedisStore<R> {
    /// The log parts kept apart for this store's records.
    pub(super) fn log_names(&self) -> Vec<&'static str> {
        if self.logs {
            Parts::log_names()
        } else {
            Vec::new()
        }
    }

    /// The list holding log `name` of session `id`.
    pub(super) fn log_key(&self, id: &SessionId, name: &str) -> String {
        format!("{}:{name}", self.key(id))
    }

    /// Session `id` with its logs, sliding their expiry when `slide`, in one
    /// round trip.
    pub(super) async fn read(&self, id: &SessionId, slide: bool) -> Result<Option<Read<R>>> {
        let key = self.key(id);
        let names = self.log_names();
        let idle = self.idle.as_millis() as i64;
        let mut pipe = redis::pipe();
        pipe.cmd("HMGET").arg(&key).arg("v").arg("d");
        if slide {
            pipe.pexpire(&key, idle).ignore();
        }
        for name in &names {
            let list = self.log_key(id, name);
            pipe.lrange(&list, 0, -1);
            if slide {
                pipe.pexpire(&list, idle).ignore();
            }
        }
        let values: Vec<Value> = pipe
            .query_async(&mut self.redis.conn())
            .await
            .map_err(backend)?;
        let mut values = values.into_iter();
        let head = values.next().unwrap_or(Value::Nil);
        let (Some(version), Some(d)) = parsed::<(Option<u64>, Option<Vec<u8>>)>(head)? else {
            return Ok(None);
        };
        let lists = values
            .map(parsed::<Vec<Vec<u8>>>)
            .collect::<Result<Vec<_>>>()?;
        let mut record: R = decode(&d)?;
        let mut before = None;
        if join_logs(&mut record, &names, &lists)? {
            let mut alone: R = decode(&d)?;
            if let Some(parts) = alone.parts_mut() {
                drop(parts.take_logs());
            }
            join_logs(&mut alone, &names, &lists)?;
            before = Some(alone);
        }
        Ok(Some(Read {
            version,
            record,
            before,
        }))
    }

    /// Writes `record` as session `id`, read at version `expected` as `before`
    /// (`0` and `None`: a new session, written only if the id is free).
    pub(super) async fn write(
        &self,
        id: &SessionId,
        expected: u64,
        before: Option<&R>,
        record: &mut R,
    ) -> Result<Written> {
        let names = self.log_names();
        let (bytes, changes) = match record.parts_mut() {
            Some(parts) if !names.is_empty() => {
                let logs = parts.take_logs();
                let bytes = encode(&*record, self.format);
                if let Some(parts) = record.parts_mut() {
                    parts.put_logs(logs);
                }
                let before = before.and_then(|b| b.parts());
                let changes = Parts::log_changes(&names, before, record.parts(), self.format)?;
                (bytes?, changes)
            }
            _ => (encode(&*record, self.format)?, Vec::new()),
        };
        let version = digest(&bytes);
        let rest = expected == 0 || version != expected;
        let mut script = WRITE.prepare_invoke();
        script.key(self.key(id)).key(&self.index);
        script
            .arg(expected)
            .arg(version)
            .arg(u8::from(rest))
            .arg(if rest { &bytes[..] } else { &[] })
            .arg(self.idle.as_millis().max(1) as u64)
            .arg(id.to_string());
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
        let written: i32 = script
            .invoke_async(&mut self.redis.conn())
            .await
            .map_err(backend)?;
        Ok(match written {
            1 => Written::Done(if rest { version } else { expected }),
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
            // Log entries the record held itself are new to its lists.
            let before = read.before.unwrap_or_else(|| read.record.clone());
            let mut record = read.record;
            mutate(&mut record);
            match self
                .write(id, read.version, Some(&before), &mut record)
                .await?
            {
                Written::Done(version) => {
                    return Ok(Some(Seen {
                        record: Arc::new(record),
                        version,
                    }))
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
            record: Arc::new(read.record),
            // Unknown when a write must start from a fresh read.
            version: if read.before.is_some() {
                0
            } else {
                read.version
            },
        }))
    }

    /// See [`SessionStore::update_seen`](crate::SessionStore::update_seen).
    pub(super) async fn write_seen(
        &self,
        id: &SessionId,
        seen: Seen<R>,
        mutate: Mutation<'_, R>,
    ) -> Result<Option<Seen<R>>> {
        if seen.version > 0 {
            let mut record = R::clone(&seen.record);
            mutate(&mut record);
            match self
                .write(id, seen.version, Some(&seen.record), &mut record)
                .await?
            {
                Written::Done(version) => {
                    return Ok(Some(Seen {
                        record: Arc::new(record),
                        version,
                    }))
                }
                Written::Gone => return Ok(None),
                Written::Lost => {}
            }
        }
        self.update_read(id, mutate).await
    }
}

/// Joins the logs' `lists` to `record`; whether it held entries of them itself.
fn join_logs<R: WithParts>(
    record: &mut R,
    names: &[&'static str],
    lists: &[Vec<Vec<u8>>],
) -> Result<bool> {
    let mut inline = false;
    if let Some(parts) = record.parts_mut() {
        for (name, list) in names.iter().zip(lists) {
            inline |= parts.join_log(name, list)?;
        }
    }
    Ok(inline)
}
