//! The Redis store's read: a session's hash and its logs' lists in one script
//! ([`READ`]), or only its version and count of writes when the copy kept
//! decoded here ([`super::cache`]) is still current.

use std::sync::Arc;

use redis::{FromRedisValue, Value};

use super::cache::Entry;
use super::connection::backend;
use super::lists::{join_logs, unpack};
use super::scripts::READ;
use super::RedisStore;
use crate::codec::decode;
use crate::parts::WithParts;
use crate::store::{Record, Result, StoreError};
use crate::SessionId;

/// A session as read: its record with its logs, and the version of its rest.
pub(super) struct Read<R> {
    pub(super) version: u64,
    /// The count of writes to its logs (the hash's `l`).
    pub(super) logs: u64,
    pub(super) record: Arc<R>,
    /// When the record held log entries itself (written before its logs were
    /// kept apart), the record as its lists alone have it: its next write
    /// starts from a fresh read and appends those entries to the lists.
    pub(super) before: Option<R>,
}

fn parsed<T: FromRedisValue>(value: Value) -> Result<T> {
    T::from_redis_value(value).map_err(|e| StoreError::Decode(Box::new(e)))
}

impl<R: Record + WithParts + PartialEq> RedisStore<R> {
    /// Session `id` with its logs, sliding their expiry when `slide`, in one
    /// script ([`READ`]).
    pub(super) async fn read(&self, id: &SessionId, slide: bool) -> Result<Option<Read<R>>> {
        let names = self.log_names();
        let mut script = READ.prepare_invoke();
        script.key(self.key(id));
        for name in &names {
            script.key(self.log_key(id, name));
        }
        if !self.cluster {
            script.key(self.legacy_key(id));
            for name in &names {
                script.key(self.legacy_log_key(id, name));
            }
        }
        let idle = if slide {
            self.idle.as_millis().max(1)
        } else {
            0
        };
        let cached = self.decoded.as_ref().and_then(|c| c.get(id));
        let (at, logs_at) = cached.as_ref().map_or((String::new(), String::new()), |e| {
            (e.version.to_string(), e.logs.to_string())
        });
        let values: Vec<Value> = script
            .arg(idle as u64)
            .arg(names.len())
            .arg(at)
            .arg(logs_at)
            .invoke_async(&mut self.redis.conn())
            .await
            .map_err(backend)?;
        let mut values = values.into_iter();
        let (Some(v), Some(l)) = (values.next(), values.next()) else {
            if let Some(decoded) = &self.decoded {
                decoded.forget(id);
            }
            return Ok(None);
        };
        let (version, logs): (u64, u64) = (parsed(v)?, parsed(l)?);
        let Some(d) = values.next() else {
            // Still at the copy kept here.
            let entry = cached.filter(|e| e.version == version && e.logs == logs);
            let entry = entry
                .ok_or_else(|| StoreError::Decode("a read answered for another copy".into()))?;
            return Ok(Some(Read {
                version,
                logs,
                record: entry.record,
                before: None,
            }));
        };
        let d: Vec<u8> = parsed(d)?;
        let packed = values.map(parsed::<Vec<u8>>).collect::<Result<Vec<_>>>()?;
        let lists = packed
            .iter()
            .map(|bytes| unpack(bytes))
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
        let record = Arc::new(record);
        if let Some(decoded) = &self.decoded {
            match before {
                None => decoded.put(
                    id,
                    Entry {
                        version,
                        logs,
                        record: record.clone(),
                    },
                ),
                Some(_) => decoded.forget(id),
            }
        }
        Ok(Some(Read {
            version,
            logs,
            record,
            before,
        }))
    }
}
