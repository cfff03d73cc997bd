//! The Redis store's versioned writes: every record is a hash of a version `v`
//! and the encoded record `d`; a write is a compare-and-set on `v` (a Lua
//! script), from a copy the caller read (no second read when it is still
//! current) or from a fresh read, retried with backoff when the race is lost.

use std::sync::Arc;

use redis::Script;

use super::connection::backend;
use super::scripts::COMPARE_AND_SET;
use super::{backoff, RedisStore, MAX_ATTEMPTS};
use crate::codec::{decode, encode};
use crate::store::{Mutation, Record, Result, Seen, StoreError};
use crate::SessionId;

impl<R: Record> RedisStore<R> {
    /// Reads a session's hash: (version, record); version 0 when absent.
    pub(super) async fn read_versioned(&self, id: &SessionId) -> Result<(u64, Option<R>)> {
        let (v, d): (Option<u64>, Option<Vec<u8>>) = redis::cmd("HMGET")
            .arg(self.key(id))
            .arg("v")
            .arg("d")
            .query_async(&mut self.redis.conn())
            .await
            .map_err(backend)?;
        match (v, d) {
            (Some(v), Some(d)) => Ok((v, Some(decode(&d)?))),
            _ => Ok((0, None)),
        }
    }

    /// Writes `value` as session `id` if its version is still `expected`, and
    /// notes its expiry in the index.
    pub(super) async fn compare_and_set(
        &self,
        id: &SessionId,
        expected: u64,
        value: &R,
    ) -> Result<bool> {
        let bytes = encode(value, self.format)?;
        let written: i32 = Script::new(COMPARE_AND_SET)
            .key(self.key(id))
            .key(&self.index)
            .arg(expected)
            .arg(expected + 1)
            .arg(bytes)
            .arg(self.idle.as_millis().max(1) as u64)
            .arg(id.to_string())
            .invoke_async(&mut self.redis.conn())
            .await
            .map_err(backend)?;
        Ok(written == 1)
    }

    /// Applies `mutate` to session `id` optimistically; `None` from `mutate`
    /// means "leave it as it is".
    ///
    /// # Errors
    /// [`StoreError::Backend`] when Redis fails or the race is lost [`MAX_ATTEMPTS`] times.
    pub(super) async fn update_versioned<F>(
        &self,
        id: &SessionId,
        mut mutate: F,
    ) -> Result<Option<(u64, R)>>
    where
        F: FnMut(Option<R>) -> Option<R> + Send,
    {
        for attempt in 0..MAX_ATTEMPTS {
            if attempt > 0 {
                rocket::tokio::time::sleep(backoff(attempt)).await;
            }
            let (version, current) = self.read_versioned(id).await?;
            let Some(next) = mutate(current) else {
                return Ok(None);
            };
            if self.compare_and_set(id, version, &next).await? {
                return Ok(Some((version + 1, next)));
            }
        }
        Err(StoreError::Backend(
            format!("too many concurrent updates of one session, gave up after {MAX_ATTEMPTS}")
                .into(),
        ))
    }

    /// Reads the record and applies `mutate` to it, retrying on a lost race.
    pub(super) async fn update_read(
        &self,
        id: &SessionId,
        mutate: Mutation<'_, R>,
    ) -> Result<Option<Seen<R>>> {
        let updated = self
            .update_versioned(id, |current: Option<R>| {
                // A missing key is a session that expired or was destroyed: it is
                // not written again.
                let mut record = current?;
                mutate(&mut record);
                Some(record)
            })
            .await?;
        Ok(updated.map(|(version, record)| Seen {
            record: Arc::new(record),
            version,
        }))
    }

    /// The record and its version, sliding the expiry, in one round trip.
    pub(super) async fn read_seen(&self, id: &SessionId) -> Result<Option<Seen<R>>> {
        let ((v, d), _): ((Option<u64>, Option<Vec<u8>>), i32) = redis::pipe()
            .cmd("HMGET")
            .arg(self.key(id))
            .arg("v")
            .arg("d")
            .pexpire(self.key(id), self.idle.as_millis() as i64)
            .query_async(&mut self.redis.conn())
            .await
            .map_err(backend)?;
        match (v, d) {
            (Some(version), Some(d)) => Ok(Some(Seen {
                record: Arc::new(decode(&d)?),
                version,
            })),
            _ => Ok(None),
        }
    }

    /// See [`SessionStore::update_seen`].
    pub(super) async fn write_seen(
        &self,
        id: &SessionId,
        seen: Seen<R>,
        mutate: Mutation<'_, R>,
    ) -> Result<Option<Seen<R>>> {
        if seen.version > 0 {
            let mut record = Arc::unwrap_or_clone(seen.record);
            mutate(&mut record);
            if self.compare_and_set(id, seen.version, &record).await? {
                let version = seen.version + 1;
                return Ok(Some(Seen {
                    record: Arc::new(record),
                    version,
                }));
            }
        }
        self.update_read(id, mutate).await
    }
}
