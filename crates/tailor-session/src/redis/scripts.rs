//! The store's Lua scripts: each runs atomically in Redis.

/// Writes `fields` if the hash's version is still `ARGV[1]` (`0`: the key must not
/// exist), then sets its expiry and its score in the index (`KEYS[2]`, member
/// `ARGV[5]`). Returns 1 when written, 0 when the race was lost.
pub(super) const COMPARE_AND_SET: &str = r"
local current = redis.call('HGET', KEYS[1], 'v')
if (current == false and ARGV[1] == '0') or current == ARGV[1] then
  redis.call('HSET', KEYS[1], 'v', ARGV[2], 'd', ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[5])
  return 1
end
return 0
";

/// Moves a live key to a new name, keeping its expiry fresh, and its index entry
/// (`KEYS[3]`, `ARGV[2]` → `ARGV[3]`). 1 moved, 0 unknown.
pub(super) const MOVE: &str = r"
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('PEXPIRE', KEYS[2], ARGV[1])
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('ZREM', KEYS[3], ARGV[2])
  redis.call('ZADD', KEYS[3], now + tonumber(ARGV[1]), ARGV[3])
  return 1
end
redis.call('ZREM', KEYS[3], ARGV[2])
return 0
";

/// The index entries that have not expired: one command.
pub(super) const COUNT: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZCOUNT', KEYS[1], now, '+inf')
";

/// Drops the index entries that expired: one command.
pub(super) const SWEEP: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)
";
