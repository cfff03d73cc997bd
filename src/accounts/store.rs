//! Where accounts live: the account store trait (the same backend choice as
//! sessions) and its memory implementation. Besides the accounts, the store keeps
//! the index from an account to its session ids, so a user's sessions can be listed
//! and ended; the index is pruned of sessions that no longer exist when it is read.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use dashmap::DashMap;
use serde::{Deserialize, Serialize};

use crate::cart::Cart;
use crate::preferences::Preferences;
use crate::session::store::Result;
use crate::session::SessionId;

/// A registered user.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Account {
    /// As registered (case kept); unique without regard to case.
    pub username: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Saved preferences: applied at login, updated while logged in.
    pub preferences: Preferences,
    /// Saved cart: merged at login, updated while logged in.
    pub cart: Cart,
    pub created_at: DateTime<Utc>,
}

/// The key of an account: its username without regard to case.
pub fn account_key(username: &str) -> String {
    username.to_lowercase()
}

/// The mutation an [`AccountStore::update`] applies.
pub type AccountMutation<'a> = &'a mut (dyn FnMut(&mut Account) + Send);

/// The accounts backend. Object-safe: the app holds an `Arc<dyn AccountStore>`.
#[rocket::async_trait]
pub trait AccountStore: Send + Sync + 'static {
    /// Creates an account; `false` (and nothing changed) when the username is taken.
    async fn create(&self, account: Account) -> Result<bool>;
    /// The account with this username (any case).
    async fn get(&self, username: &str) -> Result<Option<Account>>;
    /// Applies `mutate` atomically; `false` when there is no such account.
    async fn update(&self, username: &str, mutate: AccountMutation<'_>) -> Result<bool>;
    /// Notes that session `id` is logged in to `username`.
    async fn add_session(&self, username: &str, id: &SessionId) -> Result<()>;
    /// Forgets session `id` of `username`.
    async fn remove_session(&self, username: &str, id: &SessionId) -> Result<()>;
    /// The session ids noted for `username` (some may have expired since).
    async fn sessions(&self, username: &str) -> Result<Vec<SessionId>>;
}

/// Accounts in this process.
#[derive(Default)]
pub struct MemoryAccounts {
    accounts: DashMap<String, Account>,
    sessions: DashMap<String, HashSet<SessionId>>,
}

#[rocket::async_trait]
impl AccountStore for MemoryAccounts {
    async fn create(&self, account: Account) -> Result<bool> {
        match self.accounts.entry(account_key(&account.username)) {
            dashmap::mapref::entry::Entry::Occupied(_) => Ok(false),
            dashmap::mapref::entry::Entry::Vacant(slot) => {
                slot.insert(account);
                Ok(true)
            }
        }
    }

    async fn get(&self, username: &str) -> Result<Option<Account>> {
        Ok(self.accounts.get(&account_key(username)).map(|a| a.clone()))
    }

    async fn update(&self, username: &str, mutate: AccountMutation<'_>) -> Result<bool> {
        match self.accounts.get_mut(&account_key(username)) {
            Some(mut account) => {
                mutate(&mut account);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    async fn add_session(&self, username: &str, id: &SessionId) -> Result<()> {
        self.sessions
            .entry(account_key(username))
            .or_default()
            .insert(id.clone());
        Ok(())
    }

    async fn remove_session(&self, username: &str, id: &SessionId) -> Result<()> {
        if let Some(mut ids) = self.sessions.get_mut(&account_key(username)) {
            ids.remove(id);
        }
        Ok(())
    }

    async fn sessions(&self, username: &str) -> Result<Vec<SessionId>> {
        Ok(self
            .sessions
            .get(&account_key(username))
            .map(|ids| ids.iter().cloned().collect())
            .unwrap_or_default())
    }
}

/// Accounts on Redis: `{prefix}account:{username}` (a versioned hash, updated
/// optimistically) and the set `{prefix}account_sessions:{username}`.
pub struct RedisAccounts {
    redis: crate::session::RedisConnection,
}

impl RedisAccounts {
    pub fn new(redis: crate::session::RedisConnection) -> Self {
        RedisAccounts { redis }
    }

    fn account(&self, username: &str) -> String {
        self.redis
            .key(&format!("account:{}", account_key(username)))
    }

    fn sessions_key(&self, username: &str) -> String {
        self.redis
            .key(&format!("account_sessions:{}", account_key(username)))
    }
}

#[rocket::async_trait]
impl AccountStore for RedisAccounts {
    async fn create(&self, account: Account) -> Result<bool> {
        let key = self.account(&account.username);
        self.redis
            .compare_and_set(&key, 0, &account, std::time::Duration::ZERO)
            .await
    }

    async fn get(&self, username: &str) -> Result<Option<Account>> {
        Ok(self.redis.read_versioned(&self.account(username)).await?.1)
    }

    async fn update(&self, username: &str, mutate: AccountMutation<'_>) -> Result<bool> {
        let key = self.account(username);
        let updated = self
            .redis
            .update_versioned(
                &key,
                std::time::Duration::ZERO,
                |current: Option<Account>| {
                    current.map(|mut account| {
                        mutate(&mut account);
                        account
                    })
                },
            )
            .await?;
        Ok(updated.is_some())
    }

    async fn add_session(&self, username: &str, id: &SessionId) -> Result<()> {
        use redis::AsyncCommands;
        let key = self.sessions_key(username);
        self.redis
            .conn()
            .sadd::<_, _, ()>(key, id.to_string())
            .await
            .map_err(crate::session::redis::backend)
    }

    async fn remove_session(&self, username: &str, id: &SessionId) -> Result<()> {
        use redis::AsyncCommands;
        let key = self.sessions_key(username);
        self.redis
            .conn()
            .srem::<_, _, ()>(key, id.to_string())
            .await
            .map_err(crate::session::redis::backend)
    }

    async fn sessions(&self, username: &str) -> Result<Vec<SessionId>> {
        use redis::AsyncCommands;
        let key = self.sessions_key(username);
        let ids: Vec<String> = self
            .redis
            .conn()
            .smembers(key)
            .await
            .map_err(crate::session::redis::backend)?;
        Ok(ids
            .iter()
            .filter_map(|id| SessionId::parse(id).ok())
            .collect())
    }
}
