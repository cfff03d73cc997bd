//! A session's logs in Redis: taken out of the record to write it alone, read
//! back packed, and joined to it.

use crate::parts::{Logs, WithParts};
use crate::store::{Result, StoreError};

/// The logs of `names` taken out of `record` (to compare and write the rest).
pub(super) fn take_logs<R: WithParts>(record: &mut R, names: &[&'static str]) -> Option<Logs> {
    let parts = record.parts_mut().filter(|_| !names.is_empty())?;
    Some(parts.take_logs())
}

/// Puts back what [`take_logs`] took.
pub(super) fn put_logs<R: WithParts>(record: &mut R, logs: Option<Logs>) {
    if let (Some(parts), Some(logs)) = (record.parts_mut(), logs) {
        parts.put_logs(logs);
    }
}

/// The entries of a list as [`READ`] packs it: a MessagePack array of strings
/// (nothing for an empty list).
pub(super) fn unpack(mut bytes: &[u8]) -> Result<Vec<&[u8]>> {
    let bad = |e: String| StoreError::Decode(format!("a packed log: {e}").into());
    if bytes.is_empty() {
        return Ok(Vec::new());
    }
    let count = rmp::decode::read_array_len(&mut bytes).map_err(|e| bad(e.to_string()))?;
    let mut entries = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let len = rmp::decode::read_str_len(&mut bytes).map_err(|e| bad(e.to_string()))? as usize;
        let (entry, rest) = bytes
            .split_at_checked(len)
            .ok_or_else(|| bad("cut short".into()))?;
        entries.push(entry);
        bytes = rest;
    }
    Ok(entries)
}

/// Joins the logs' `lists` to `record`; whether it held entries of them itself.
pub(super) fn join_logs<R: WithParts>(
    record: &mut R,
    names: &[&'static str],
    lists: &[Vec<&[u8]>],
) -> Result<bool> {
    let mut inline = false;
    if let Some(parts) = record.parts_mut() {
        for (name, list) in names.iter().zip(lists) {
            inline |= parts.join_log(name, list)?;
        }
    }
    Ok(inline)
}
