//! The account → sessions index: which sessions logged in to an account (for the
//! account page's devices, and to end them all), bounded per account.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::{millis, on, AccountId, DataError, Db, Dialect, Result};

/// Logins the account → sessions index keeps per account, the newest.
pub const MAX_SESSIONS_PER_ACCOUNT: i64 = 50;

/// One signed-in session of an account, as the index keeps it.
#[derive(Clone, Debug, FromRow)]
pub struct SessionEntry {
    pub session_id: String,
    pub logged_in_at: i64,
    pub user_agent: String,
}

impl Db {
    /// Notes that session `session_id` logged in to `account` now, forgetting its
    /// entries that logged in before `stale_before` (their login has run out) and
    /// all but the newest [`MAX_SESSIONS_PER_ACCOUNT`].
    ///
    /// # Errors
    /// [`DataError`] when the database fails.
    pub async fn add_session(
        &self,
        account: AccountId,
        session_id: &str,
        user_agent: &str,
        now: DateTime<Utc>,
        stale_before: DateTime<Utc>,
    ) -> Result<()> {
        on!(self.writes(), p => {
            let mut tx = p.begin_write().await?;
            sqlx::query("DELETE FROM account_sessions WHERE account_id = $1 AND logged_in_at < $2")
                .bind(account.to_string())
                .bind(millis(stale_before))
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO account_sessions (account_id, session_id, logged_in_at, user_agent) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (account_id, session_id) DO UPDATE \
                 SET logged_in_at = excluded.logged_in_at, user_agent = excluded.user_agent",
            )
            .bind(account.to_string())
            .bind(session_id)
            .bind(millis(now))
            .bind(user_agent)
            .execute(&mut *tx)
            .await?;
            // Bounded: the newest MAX_SESSIONS_PER_ACCOUNT logins are kept (an older
            // one is still ended by a password change or deletion, by the epoch).
            sqlx::query(
                "DELETE FROM account_sessions WHERE account_id = $1 AND session_id NOT IN \
                 (SELECT session_id FROM account_sessions WHERE account_id = $1 \
                 ORDER BY logged_in_at DESC, session_id LIMIT $2)",
            )
            .bind(account.to_string())
            .bind(MAX_SESSIONS_PER_ACCOUNT)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, DataError>(())
        })
    }

    /// Forgets session `session_id` of `account`.
    ///
    /// # Errors
    /// [`DataError`] when the database fails.
    pub async fn remove_session(&self, account: AccountId, session_id: &str) -> Result<()> {
        on!(self.writes(), p => {
            sqlx::query("DELETE FROM account_sessions WHERE account_id = $1 AND session_id = $2")
                .bind(account.to_string())
                .bind(session_id)
                .execute(p)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// The sessions noted for `account`, newest login first (some may have ended since).
    ///
    /// # Errors
    /// [`DataError`] when the database fails.
    pub async fn sessions(&self, account: AccountId) -> Result<Vec<SessionEntry>> {
        Ok(on!(self.reads(), p => {
            sqlx::query_as(
                "SELECT session_id, logged_in_at, user_agent FROM account_sessions \
                 WHERE account_id = $1 ORDER BY logged_in_at DESC, session_id",
            )
            .bind(account.to_string())
            .fetch_all(p)
            .await
        })?)
    }
}
