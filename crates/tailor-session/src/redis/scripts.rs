//! The store's Lua scripts: each runs atomically in Redis. Each is hashed once
//! (Redis runs it by its SHA-1, sending the source only the first time).

use std::sync::LazyLock;

use redis::Script;

/// Writes a session: its record when it changed, compare-and-set on its
/// version, and what the write did to each of its logs, in one step.
///
/// `KEYS[1]` the record's hash, `KEYS[2..n+1]` the `n` logs' lists, then on a
/// single Redis `KEYS[n+2]` the index (on a cluster the index is in other slots
/// and the caller updates it after, with [`MARK`]). `ARGV`: the version read
/// (`0`: the key must not exist), the new one, whether the record is written
/// (`1`/`0`), the record, the idle time in ms, the id (the index's member), `n`,
/// then for each log: its operation (`k` keep, `a` append, `r` replace), how many
/// entries it keeps after (`-1`: no trim), how many entries follow, and the
/// entries.
///
/// A write of logs alone checks only that the session exists: an append commutes
/// with any other write, so it never loses a race. Every write counts itself in
/// the hash's field `l`. Returns that count (1 or more) when written, 0 the race
/// was lost (the version moved on), -1 the session is gone.
pub(super) static WRITE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local current = redis.call('HGET', KEYS[1], 'v')
if ARGV[3] == '1' then
  if not ((current == false and ARGV[1] == '0') or current == ARGV[1]) then
    if current == false then return -1 end
    return 0
  end
  redis.call('HSET', KEYS[1], 'v', ARGV[2], 'd', ARGV[4])
elseif current == false then
  return -1
end
local idle = tonumber(ARGV[5])
local n = tonumber(ARGV[7])
local i = 8
for k = 2, n + 1 do
  local op, trim, n = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
  i = i + 3
  if op == 'r' then redis.call('DEL', KEYS[k]) end
  -- In chunks: Lua unpacks at most about 8,000 values at once.
  for j = i, i + n - 1, 1000 do
    redis.call('RPUSH', KEYS[k], unpack(ARGV, j, math.min(j + 999, i + n - 1)))
  end
  if trim == 0 then
    redis.call('DEL', KEYS[k])
  elseif trim > 0 then
    redis.call('LTRIM', KEYS[k], -trim, -1)
  end
  redis.call('PEXPIRE', KEYS[k], idle)
  i = i + n
end
local l = redis.call('HINCRBY', KEYS[1], 'l', 1)
redis.call('PEXPIRE', KEYS[1], idle)
if #KEYS > n + 1 then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('ZADD', KEYS[n + 2], now + idle, ARGV[6])
end
return l
",
    )
});

/// Reads a session: `KEYS[1]` its hash, `KEYS[2..n+1]` its `n` logs' lists, then
/// on a single Redis the same keys under their names before hash tags (a
/// session found only there is renamed first); `ARGV[1]` the idle time in ms
/// to slide their expiry to, or `0`, `ARGV[2]` `n`, `ARGV[3]` and `ARGV[4]` the
/// version and log count of the copy the caller holds (or empty). Returns `[]`
/// when the session does not exist; `[v, l]` when it is still at the caller's
/// copy; else `[v, l, d, list...]`, each list packed in one MessagePack array of
/// its entries (one reply to parse instead of one per entry; empty when the
/// list is).
pub(super) static READ: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local n = tonumber(ARGV[2])
local head = redis.call('HMGET', KEYS[1], 'v', 'l')
if not head[1] and #KEYS > n + 1 and redis.call('EXISTS', KEYS[n + 2]) == 1 then
  for k = 1, n + 1 do
    if redis.call('EXISTS', KEYS[n + 1 + k]) == 1 then
      redis.call('RENAME', KEYS[n + 1 + k], KEYS[k])
    end
  end
  head = redis.call('HMGET', KEYS[1], 'v', 'l')
end
if not head[1] then return {} end
local l = head[2] or '0'
local slide = ARGV[1] ~= '0'
if slide then
  for k = 1, n + 1 do redis.call('PEXPIRE', KEYS[k], ARGV[1]) end
end
if ARGV[3] == head[1] and ARGV[4] == l then return {head[1], l} end
local d = redis.call('HGET', KEYS[1], 'd')
if not d then return {} end
local out = {head[1], l, d}
for k = 2, n + 1 do
  local list = redis.call('LRANGE', KEYS[k], 0, -1)
  if #list == 0 then out[k + 2] = '' else out[k + 2] = cmsgpack.pack(list) end
end
return out
",
    )
});

/// Moves a live key to a new name, keeping its expiry fresh, its index entry
/// (`KEYS[3]`, `ARGV[2]` → `ARGV[3]`), and its logs' lists (`KEYS[4..]`: old
/// and new name in turn). 1 moved, 0 unknown. A single Redis only: on a cluster
/// the new name is in another slot, and the store copies then deletes.
pub(super) static MOVE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('PEXPIRE', KEYS[2], ARGV[1])
  for k = 4, #KEYS, 2 do
    if redis.call('EXISTS', KEYS[k]) == 1 then
      redis.call('RENAME', KEYS[k], KEYS[k + 1])
      redis.call('PEXPIRE', KEYS[k + 1], ARGV[1])
    end
  end
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('ZREM', KEYS[3], ARGV[2])
  redis.call('ZADD', KEYS[3], now + tonumber(ARGV[1]), ARGV[3])
  return 1
end
redis.call('ZREM', KEYS[3], ARGV[2])
return 0
",
    )
});

/// Marks id `ARGV[2]` in index `KEYS[1]` as expiring `ARGV[1]` ms from now (on
/// a cluster, after the session's own script).
pub(super) static MARK: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[2])
",
    )
});

/// The index entries that have not expired: one command.
pub(super) static COUNT: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZCOUNT', KEYS[1], now, '+inf')
",
    )
});

/// Drops the index entries that expired: one command.
pub(super) static SWEEP: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)
",
    )
});
