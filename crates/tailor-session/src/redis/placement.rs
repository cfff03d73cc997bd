//! Where a session's keys are: their names (under a hash tag, and the names
//! before it, read on one server), the expiry index set that holds the id,
//! and what moves or deletes them; and the wait for replicas after a write.

use std::sync::Arc;

use super::connection::backend;
use super::scripts::MARK;
use super::versioned::Written;
use super::RedisStore;
use crate::parts::WithParts;
use crate::store::{Record, Result, StoreError};
use crate::SessionId;

impl<R: Record + WithParts + PartialEq> RedisStore<R> {
    /// `{prefix}session:{<id>}`: the braces put every key of the session in one
    /// slot of a cluster.
    pub(super) fn key(&self, id: &SessionId) -> String {
        self.redis.key(&format!("session:{{{id}}}"))
    }

    /// The key of session `id` before hash tags (read on one server only).
    pub(super) fn legacy_key(&self, id: &SessionId) -> String {
        self.redis.key(&format!("session:{id}"))
    }

    /// The index set holding `id`.
    pub(super) fn index_of(&self, id: &SessionId) -> &str {
        let n = id.to_string().bytes().map(usize::from).sum::<usize>();
        &self.index[n % self.index.len()]
    }

    /// Marks `id` in its index set after its script (on a cluster). The index
    /// set is on another master, which may be failing over: the write stands
    /// without it (the index only counts and sweeps; the session's next write
    /// marks it again), with a warning.
    pub(super) async fn mark(&self, id: &SessionId) {
        let marked = MARK
            .key(self.index_of(id))
            .arg(self.idle.as_millis().max(1) as u64)
            .arg(id.to_string())
            .invoke_async::<()>(&mut self.redis.conn())
            .await;
        if let Err(e) = marked {
            rocket::warn!("a session's entry in the expiry index was not updated: {e}");
        }
    }

    /// Waits for the replicas this store was told to wait for (if any) to have
    /// the writes made on `key`'s server.
    pub(super) async fn replicated(&self, key: &str) -> Result<()> {
        let Some((replicas, timeout)) = self.replicas else {
            return Ok(());
        };
        let acked = self
            .redis
            .conn
            .wait_replicas(key, replicas, timeout)
            .await?;
        if acked < replicas {
            return Err(StoreError::Backend(
                format!("the write reached {acked} of {replicas} replicas in {timeout:?}").into(),
            ));
        }
        Ok(())
    }

    /// The list holding log `name` of session `id`.
    pub(super) fn log_key(&self, id: &SessionId, name: &str) -> String {
        format!("{}:{name}", self.key(id))
    }

    /// The list of log `name` of session `id` before hash tags.
    pub(super) fn legacy_log_key(&self, id: &SessionId, name: &str) -> String {
        format!("{}:{name}", self.legacy_key(id))
    }

    /// Deletes session `id`'s keys (on one server, under either name) and its
    /// index entry.
    pub(super) async fn delete(&self, id: &SessionId) -> Result<()> {
        if let Some(decoded) = &self.decoded {
            decoded.forget(id);
        }
        let key = self.key(id);
        let names = self.log_names();
        let mut keys = vec![key.clone()];
        keys.extend(names.iter().map(|name| self.log_key(id, name)));
        let member = id.to_string();
        if self.cluster {
            // The session's keys are in its slot, its index entry in another.
            let (mut a, mut b) = (self.redis.conn(), self.redis.conn());
            let (mut del, mut zrem) = (redis::cmd("DEL"), redis::cmd("ZREM"));
            del.arg(keys);
            zrem.arg(self.index_of(id)).arg(&member);
            let del = del.query_async::<()>(&mut a);
            let (deleted, unindexed) =
                rocket::futures::future::join(del, zrem.query_async::<()>(&mut b)).await;
            deleted.map_err(backend)?;
            // Like `mark`: the session is gone, its index entry goes when it expires.
            if let Err(e) = unindexed {
                rocket::warn!("a removed session's entry in the expiry index stays: {e}");
            }
        } else {
            keys.push(self.legacy_key(id));
            keys.extend(names.iter().map(|name| self.legacy_log_key(id, name)));
            redis::pipe()
                .atomic()
                .del(keys)
                .ignore()
                .zrem(self.index_of(id), member)
                .ignore()
                .query_async::<()>(&mut self.redis.conn())
                .await
                .map_err(backend)?;
        }
        self.replicated(&key).await
    }

    /// Copies session `old` to `new`, then deletes it (`regenerate` on a
    /// cluster, where the new id is in another slot): whether `old` was there.
    /// A write to `old` between the copy and the delete is not carried over.
    pub(super) async fn copy(&self, old: &SessionId, new: &SessionId) -> Result<bool> {
        let Some(read) = self.read(old, false).await? else {
            self.delete(old).await?;
            return Ok(false);
        };
        let mut record = Arc::unwrap_or_clone(read.record);
        match self.write(new, 0, None, &mut record, false).await? {
            Written::Done { .. } => {}
            _ => return Err(StoreError::Backend("the new session's id is in use".into())),
        }
        self.delete(old).await?;
        Ok(true)
    }
}
