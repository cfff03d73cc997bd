//! Accounts and the account → sessions index.
//!
//! An account has a random 128-bit [`AccountId`] that is never reused (deleted ids
//! are retired), a username unique without regard to case, an argon2id hash, its
//! saved preferences and cart (JSON documents of the features' own types, opaque
//! here), and an epoch: sessions remember the epoch they logged in at, and a
//! session whose epoch is no longer the account's is logged out.

use std::fmt;

use chrono::{DateTime, Utc};
use rand::RngCore;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use sqlx::FromRow;

pub use super::account_sessions::{SessionEntry, MAX_SESSIONS_PER_ACCOUNT};
use super::{from_millis, millis, on, DataError, Db, Dialect, Result};

/// The stable id of an account: 128 random bits, shown as 32 hex digits.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId([u8; 16]);

impl AccountId {
    /// A new random id from the thread CSPRNG.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut bytes);
        AccountId(bytes)
    }

    /// Reads the 32-hex-digit form.
    pub fn parse(text: &str) -> Option<Self> {
        if text.len() != 32 {
            return None;
        }
        let mut bytes = [0u8; 16];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(AccountId(bytes))
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccountId({self})")
    }
}

impl Serialize for AccountId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for AccountId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        AccountId::parse(&text).ok_or_else(|| serde::de::Error::custom("not an account id"))
    }
}

/// The key an account is unique by: its username without regard to case.
pub fn username_key(username: &str) -> String {
    username.to_lowercase()
}

/// An account as stored, with its documents read as `P` (preferences) and `C` (cart).
#[derive(Clone, Debug)]
pub struct Account<P, C> {
    pub id: AccountId,
    pub username: String,
    pub password_hash: String,
    pub created_at: DateTime<Utc>,
    pub preferences: P,
    /// Bumped by every change of the preferences.
    pub prefs_version: i64,
    pub cart: C,
    /// Bumped when every other session of the account must end.
    pub epoch: i64,
}

#[derive(FromRow)]
struct AccountRow {
    id: String,
    username: String,
    password_hash: String,
    created_at: i64,
    preferences: String,
    prefs_version: i64,
    cart: String,
    epoch: i64,
}

impl AccountRow {
    fn decode<P: DeserializeOwned, C: DeserializeOwned>(self) -> Result<Account<P, C>> {
        Ok(Account {
            id: AccountId::parse(&self.id).ok_or_else(|| {
                DataError::Corrupt(serde::de::Error::custom("an account id is malformed"))
            })?,
            username: self.username,
            password_hash: self.password_hash,
            created_at: from_millis(self.created_at),
            preferences: serde_json::from_str(&self.preferences)?,
            prefs_version: self.prefs_version,
            cart: serde_json::from_str(&self.cart)?,
            epoch: self.epoch,
        })
    }
}

/// A new account's fields.
pub struct NewAccount<'a, P, C> {
    pub username: &'a str,
    pub password_hash: &'a str,
    pub preferences: &'a P,
    pub cart: &'a C,
    pub created_at: DateTime<Utc>,
}

impl Db {
    /// Creates an account; `None` (and nothing changed) when the username is taken
    /// in any letter case.
    ///
    /// # Errors
    /// [`DataError`] when the database fails.
    pub async fn create_account<P: Serialize, C: Serialize>(
        &self,
        new: NewAccount<'_, P, C>,
    ) -> Result<Option<AccountId>> {
        let preferences = serde_json::to_string(new.preferences)?;
        let cart = serde_json::to_string(new.cart)?;
        let key = username_key(new.username);
        // The id is random; a retired one is never taken again. The WHERE also
        // keeps SQLite's parser from reading ON CONFLICT as part of the SELECT.
        const SQL: &str = "INSERT INTO accounts \
            (id, username, username_key, password_hash, created_at, preferences, cart) \
            SELECT $1, $2, $3, $4, $5, $6, $7 \
            WHERE NOT EXISTS (SELECT 1 FROM retired_account_ids WHERE id = $1) \
            ON CONFLICT DO NOTHING RETURNING id";
        for _ in 0..3 {
            let id = AccountId::generate();
            let created: Option<String> = on!(self.writes(), p => {
                sqlx::query_scalar(SQL)
                    .bind(id.to_string())
                    .bind(new.username)
                    .bind(&key)
                    .bind(new.password_hash)
                    .bind(millis(new.created_at))
                    .bind(&preferences)
                    .bind(&cart)
                    .fetch_optional(p)
                    .await
            })?;
            if created.is_some() {
                return Ok(Some(id));
            }
            if self.account_id_of(new.username).await?.is_some() {
                return Ok(None);
            }
        }
        Ok(None)
    }

    async fn account_id_of(&self, username: &str) -> Result<Option<String>> {
        let key = username_key(username);
        Ok(on!(self.writes(), p => {
            sqlx::query_scalar("SELECT id FROM accounts WHERE username_key = $1")
                .bind(&key)
                .fetch_optional(p)
                .await
        })?)
    }

    /// The account with this username, in any letter case.
    ///
    /// # Errors
    /// [`DataError`] when the database fails or the account cannot be read.
    pub async fn account_by_username<P: DeserializeOwned, C: DeserializeOwned>(
        &self,
        username: &str,
    ) -> Result<Option<Account<P, C>>> {
        let key = username_key(username);
        const SQL: &str = "SELECT id, username, password_hash, created_at, preferences, \
            prefs_version, cart, epoch FROM accounts WHERE username_key = $1";
        let row: Option<AccountRow> = on!(self.reads(), p => {
            sqlx::query_as(SQL).bind(&key).fetch_optional(p).await
        })?;
        row.map(AccountRow::decode).transpose()
    }

    /// The account with this id.
    ///
    /// # Errors
    /// [`DataError`] when the database fails or the account cannot be read.
    pub async fn account<P: DeserializeOwned, C: DeserializeOwned>(
        &self,
        id: AccountId,
    ) -> Result<Option<Account<P, C>>> {
        const SQL: &str = "SELECT id, username, password_hash, created_at, preferences, \
            prefs_version, cart, epoch FROM accounts WHERE id = $1";
        let row: Option<AccountRow> = on!(self.reads(), p => {
            sqlx::query_as(SQL).bind(id.to_string()).fetch_optional(p).await
        })?;
        row.map(AccountRow::decode).transpose()
    }

    /// Sets a new password hash and moves the epoch; returns the new epoch, `None`
    /// when there is no such account.
    ///
    /// # Errors
    /// [`DataError`] when the database fails.
    pub async fn set_password(&self, id: AccountId, hash: &str) -> Result<Option<i64>> {
        Ok(on!(self.writes(), p => {
            sqlx::query_scalar(
                "UPDATE accounts SET password_hash = $2, epoch = epoch + 1 WHERE id = $1 RETURNING epoch",
            )
            .bind(id.to_string())
            .bind(hash)
            .fetch_optional(p)
            .await
        })?)
    }

    /// Moves the epoch, so every session logged in before is logged out; returns
    /// the new epoch.
    ///
    /// # Errors
    /// [`DataError`] when the database fails.
    pub async fn bump_epoch(&self, id: AccountId) -> Result<Option<i64>> {
        Ok(on!(self.writes(), p => {
            sqlx::query_scalar("UPDATE accounts SET epoch = epoch + 1 WHERE id = $1 RETURNING epoch")
                .bind(id.to_string())
                .fetch_optional(p)
                .await
        })?)
    }

    /// Deletes an account: its sessions' index, its submissions (cascade) and the
    /// account; its orders stay without it. Its id is retired. `false` when there
    /// was no such account.
    ///
    /// # Errors
    /// [`DataError`] when the database fails; nothing was deleted then.
    pub async fn delete_account(&self, id: AccountId) -> Result<bool> {
        let now = millis(Utc::now());
        on!(self.writes(), p => {
            let mut tx = p.begin_write().await?;
            let deleted = sqlx::query("DELETE FROM accounts WHERE id = $1")
                .bind(id.to_string())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            sqlx::query(
                "INSERT INTO retired_account_ids (id, retired_at) VALUES ($1, $2) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(id.to_string())
            .bind(now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(deleted > 0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_reject_garbage() {
        let id = AccountId::generate();
        assert_eq!(AccountId::parse(&id.to_string()), Some(id));
        assert_eq!(id.to_string().len(), 32);
        for bad in ["", "xyz", &"g".repeat(32), &"a".repeat(31), &"é".repeat(16)] {
            assert_eq!(AccountId::parse(bad), None, "{bad}");
        }
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(serde_json::from_str::<AccountId>(&json).unwrap(), id);
    }
}
