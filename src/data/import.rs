//! The one-time import of what earlier versions of tailor kept in Redis (accounts,
//! orders, submissions, campaign counters), so an upgrade loses none of it.
//!
//! It runs at launch when `session.store = "redis"`, in one write transaction
//! holding the database's lock (advisory on PostgreSQL, the write lock on SQLite)
//! and ends by writing a marker row: instances starting together import once, a
//! crash half-way imports nothing. The Redis keys are left as they were (other
//! instances may still need them); docs/operations.md says how to delete them.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use redis::AsyncCommands;
use serde::Deserialize;
use serde_json::Value;
use tailor_session::redis::Connection;

use super::{millis, on, AccountId, DataError, Db, Dialect};

/// What was imported.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Imported {
    pub accounts: usize,
    pub orders: usize,
    pub submissions: usize,
    pub counters: usize,
    /// Orders placed under a username before its account was made (an earlier
    /// holder's, the name registered again since): left without an account.
    pub unlinked_orders: usize,
}

/// Why the import failed; the launch stops, and nothing was imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read the data of an earlier version from Redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("cannot import the data of an earlier version from Redis: {0}")]
    Data(#[from] DataError),
}

impl From<sqlx::Error> for ImportError {
    fn from(e: sqlx::Error) -> Self {
        ImportError::Data(e.into())
    }
}

#[derive(Deserialize)]
struct LegacyAccount {
    username: String,
    password_hash: String,
    #[serde(default)]
    preferences: Value,
    #[serde(default)]
    cart: Value,
    created_at: DateTime<Utc>,
}

#[derive(Deserialize)]
struct LegacyLine {
    product: String,
    quantity: u32,
}

#[derive(Deserialize)]
struct LegacyOrder {
    number: i64,
    username: Option<String>,
    lines: Vec<LegacyLine>,
    total_cents: i64,
    placed_at: DateTime<Utc>,
}

#[derive(Deserialize)]
struct LegacySubmission {
    form: String,
    fields: BTreeMap<String, String>,
    submitted_at: DateTime<Utc>,
}

/// Everything an earlier version left under one prefix.
#[derive(Default)]
struct Legacy {
    accounts: Vec<LegacyAccount>,
    orders: Vec<LegacyOrder>,
    submissions: Vec<LegacySubmission>,
    /// `[model, dimension, value, metric]` → count.
    counters: Vec<([String; 4], i64)>,
}

/// A Redis `MATCH` pattern for keys starting with `literal`.
fn glob_escape(literal: &str) -> String {
    literal
        .chars()
        .flat_map(|c| match c {
            '*' | '?' | '[' | ']' | '\\' => vec!['\\', c],
            _ => vec![c],
        })
        .collect()
}

fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    match serde_json::from_slice(bytes) {
        Ok(value) => Some(value),
        Err(e) => {
            rocket::warn!("skipping an unreadable record of an earlier version: {e}");
            None
        }
    }
}

async fn read_legacy(redis: &mut Connection, prefix: &str) -> Result<Legacy, ImportError> {
    let mut legacy = Legacy::default();
    let pattern = format!("{}account:*", glob_escape(prefix));
    let mut keys: Vec<String> = Vec::new();
    {
        let mut iter = redis.scan_match::<_, String>(&pattern).await?;
        while let Some(key) = rocket::futures::StreamExt::next(&mut iter).await {
            keys.push(key?);
        }
    }
    for key in keys {
        let data: Option<Vec<u8>> = redis.hget(&key, "d").await?;
        legacy.accounts.extend(data.as_deref().and_then(decode));
    }
    let orders: Vec<Vec<u8>> = redis
        .lrange(format!("{prefix}journal:orders"), 0, -1)
        .await?;
    legacy.orders = orders.iter().filter_map(|b| decode(b)).collect();
    let subs: Vec<Vec<u8>> = redis
        .lrange(format!("{prefix}journal:submissions"), 0, -1)
        .await?;
    legacy.submissions = subs.iter().filter_map(|b| decode(b)).collect();
    let counters: Vec<(String, i64)> = redis.hgetall(format!("{prefix}campaign_stats")).await?;
    legacy.counters = counters
        .into_iter()
        .filter_map(|(field, n)| Some((serde_json::from_str(&field).ok()?, n)))
        .collect();
    // Oldest first, so ids come out in the order things happened.
    legacy.orders.sort_by_key(|o| o.number);
    legacy.submissions.sort_by_key(|s| s.submitted_at);
    Ok(legacy)
}

/// The advisory-lock key of the import on PostgreSQL ("tailor" in ASCII).
const IMPORT_LOCK: i64 = 0x7461_696c_6f72;

impl Db {
    /// Imports, once per `prefix`, what an earlier version kept in Redis. `price`
    /// gives a product's unit price in cents (old orders did not keep it). Returns
    /// `None` when the import was already done (by this or another instance).
    ///
    /// # Errors
    /// [`ImportError`] when Redis or the database fails; nothing was imported then.
    pub async fn import_legacy_redis(
        &self,
        mut redis: Connection,
        prefix: &str,
        price: &(dyn Fn(&str) -> Option<i64> + Sync),
    ) -> Result<Option<Imported>, ImportError> {
        let marker = format!("redis_import:{prefix}");
        if self.meta(&marker).await?.is_some() {
            return Ok(None);
        }
        on!(self.writes(), p => {
            let mut tx = p.begin_write().await?;
            if self.is_shared() {
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(IMPORT_LOCK)
                    .execute(&mut *tx)
                    .await?;
            }
            let done: Option<String> =
                sqlx::query_scalar("SELECT value FROM tailor_meta WHERE key = $1")
                    .bind(&marker)
                    .fetch_optional(&mut *tx)
                    .await?;
            if done.is_some() {
                return Ok(None);
            }
            let legacy = read_legacy(&mut redis, prefix).await?;
            let mut imported = Imported::default();
            // By username key: the account's id and when it was made.
            let mut ids: HashMap<String, (String, DateTime<Utc>)> = HashMap::new();
            for account in &legacy.accounts {
                let key = super::accounts::username_key(&account.username);
                let id = AccountId::generate().to_string();
                let created: Option<String> = sqlx::query_scalar(
                    "INSERT INTO accounts (id, username, username_key, password_hash, created_at, \
                     preferences, cart) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                     ON CONFLICT DO NOTHING RETURNING id",
                )
                .bind(&id)
                .bind(&account.username)
                .bind(&key)
                .bind(&account.password_hash)
                .bind(millis(account.created_at))
                .bind(account.preferences.to_string())
                .bind(account.cart.to_string())
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(id) = created {
                    imported.accounts += 1;
                    ids.insert(key, (id, account.created_at));
                }
            }
            for order in &legacy.orders {
                let holder = order
                    .username
                    .as_deref()
                    .and_then(|u| ids.get(&super::accounts::username_key(u)));
                // The name's holder when the order was placed, or nobody: an order
                // from before the account existed was an earlier holder's.
                let account = holder
                    .filter(|(_, made)| *made <= order.placed_at)
                    .map(|(id, _)| id);
                let unlinked = holder.is_some() && account.is_none();
                let inserted = sqlx::query(
                    "INSERT INTO orders (id, account_id, created_at, total_cents, reference) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                )
                .bind(order.number)
                .bind(account)
                .bind(millis(order.placed_at))
                .bind(order.total_cents)
                .bind(super::orders::new_reference())
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if inserted == 0 {
                    continue;
                }
                imported.orders += 1;
                imported.unlinked_orders += usize::from(unlinked);
                for (position, line) in order.lines.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO order_lines (order_id, position, product, quantity, \
                         unit_price_cents) VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(order.number)
                    .bind(position as i64)
                    .bind(&line.product)
                    .bind(i64::from(line.quantity))
                    .bind(price(&line.product).unwrap_or(0))
                    .execute(&mut *tx)
                    .await?;
                }
            }
            if self.is_shared() && imported.orders > 0 {
                // Explicit ids do not move PostgreSQL's identity sequence.
                sqlx::query(
                    "SELECT setval(pg_get_serial_sequence('orders', 'id'), \
                     (SELECT MAX(id) FROM orders))",
                )
                .execute(&mut *tx)
                .await?;
            }
            for sub in &legacy.submissions {
                sqlx::query(
                    "INSERT INTO submissions (form, fields, created_at) VALUES ($1, $2, $3)",
                )
                .bind(&sub.form)
                .bind(serde_json::to_string(&sub.fields).map_err(DataError::from)?)
                .bind(millis(sub.submitted_at))
                .execute(&mut *tx)
                .await?;
                imported.submissions += 1;
            }
            for ([model, dimension, value, metric], n) in &legacy.counters {
                let column = match metric.as_str() {
                    "sessions" => "sessions",
                    "contact" => "contact",
                    "checkout" => "checkout",
                    _ => continue,
                };
                let sql = format!(
                    "INSERT INTO campaign_counters (model, dimension, value, label, {column}) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (model, dimension, value) DO UPDATE \
                     SET {column} = campaign_counters.{column} + excluded.{column}"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(model)
                    .bind(dimension)
                    .bind(value.to_lowercase())
                    .bind(value)
                    .bind(*n)
                    .execute(&mut *tx)
                    .await?;
                imported.counters += 1;
            }
            sqlx::query("INSERT INTO tailor_meta (key, value) VALUES ($1, $2)")
                .bind(&marker)
                .bind(Utc::now().to_rfc3339())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(Some(imported))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_matched_literally() {
        assert_eq!(glob_escape("tailor:"), "tailor:");
        assert_eq!(glob_escape("a*b?[c]\\"), "a\\*b\\?\\[c\\]\\\\");
    }
}
