//! An account's documents (its preferences and its cart), changed by atomic
//! read-modify-write: the row locked for the transaction, on either database.

use serde::{de::DeserializeOwned, Serialize};

use super::{for_update, on, AccountId, Db, Dialect, Result};

/// The documents of an account that change by read-modify-write.
#[derive(Clone, Copy)]
enum Document {
    Cart,
    Preferences,
}

impl Document {
    /// Its `SELECT` (before any row-lock clause) and its `UPDATE … RETURNING
    /// prefs_version`.
    fn sql(self) -> (&'static str, &'static str) {
        match self {
            Document::Cart => (
                "SELECT cart FROM accounts WHERE id = $1",
                "UPDATE accounts SET cart = $2 WHERE id = $1 RETURNING prefs_version",
            ),
            Document::Preferences => (
                "SELECT preferences FROM accounts WHERE id = $1",
                "UPDATE accounts SET preferences = $2, prefs_version = prefs_version + 1 \
                 WHERE id = $1 RETURNING prefs_version",
            ),
        }
    }
}

impl Db {
    /// Applies `change` to the account's preferences atomically and returns its
    /// result, the new preferences and their new version; `None` when there is no
    /// such account.
    ///
    /// # Errors
    /// [`DataError`] when the database fails or the preferences cannot be read.
    pub async fn change_preferences<P, R>(
        &self,
        id: AccountId,
        change: impl FnOnce(&mut P) -> R,
    ) -> Result<Option<(R, P, i64)>>
    where
        P: Serialize + DeserializeOwned + Default,
    {
        self.change_document(id, Document::Preferences, change)
            .await
    }

    /// Applies `change` to the account's cart atomically (no other change of it
    /// runs in between, on any instance) and returns its result and the new cart;
    /// `None` when there is no such account.
    ///
    /// # Errors
    /// [`DataError`] when the database fails or the cart cannot be read.
    pub async fn change_cart<C, R>(
        &self,
        id: AccountId,
        change: impl FnOnce(&mut C) -> R,
    ) -> Result<Option<(R, C)>>
    where
        C: Serialize + DeserializeOwned + Default,
    {
        let changed = self.change_document(id, Document::Cart, change).await?;
        Ok(changed.map(|(out, cart, _)| (out, cart)))
    }

    /// Read-modify-write of one of the account's documents in one write
    /// transaction, the row locked; returns the result, the document and the
    /// preferences' version after it.
    async fn change_document<T, R>(
        &self,
        id: AccountId,
        document: Document,
        change: impl FnOnce(&mut T) -> R,
    ) -> Result<Option<(R, T, i64)>>
    where
        T: Serialize + DeserializeOwned + Default,
    {
        let (select, update) = document.sql();
        on!(self.writes(), p => {
            let mut tx = p.begin_write().await?;
            let select = format!("{select}{}", for_update(p));
            let stored: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(select))
                .bind(id.to_string())
                .fetch_optional(&mut *tx)
                .await?;
            let Some(stored) = stored else { return Ok(None) };
            // A new account's documents are null until first written.
            let mut value: T = serde_json::from_str::<Option<T>>(&stored)?.unwrap_or_default();
            let out = change(&mut value);
            let version: i64 = sqlx::query_scalar(update)
                .bind(id.to_string())
                .bind(serde_json::to_string(&value)?)
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(Some((out, value, version)))
        })
    }
}
