//! Submitted forms: the form, its fields, when, and the account that sent it (none
//! for a visitor without one). Kept `drafts.submissions_retention_days`, then
//! purged; an account's go with it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::FromRow;

use super::counters::{upsert_counts, CounterDelta, CounterKey, MAX_ROWS_PER_STATEMENT};
use super::experiments::{count_conversions, Converted};
use super::{from_millis, millis, on, push_ids, AccountId, Db, Dialect, Result};

/// A stored submission.
#[derive(Clone, Debug, Serialize)]
pub struct Submission {
    pub id: i64,
    pub form: String,
    pub fields: BTreeMap<String, String>,
    pub created_at: DateTime<Utc>,
    pub account_id: Option<AccountId>,
}

#[derive(FromRow)]
struct SubmissionRow {
    id: i64,
    form: String,
    fields: String,
    created_at: i64,
    account_id: Option<String>,
}

impl SubmissionRow {
    fn decode(self) -> Result<Submission> {
        Ok(Submission {
            id: self.id,
            form: self.form,
            fields: serde_json::from_str(&self.fields)?,
            created_at: from_millis(self.created_at),
            account_id: self.account_id.as_deref().and_then(AccountId::parse),
        })
    }
}

const SELECT: &str = "SELECT id, form, fields, created_at, account_id FROM submissions";

fn decode_all(rows: Vec<SubmissionRow>) -> Result<Vec<Submission>> {
    rows.into_iter().map(SubmissionRow::decode).collect()
}

impl Db {
    /// Stores a submission and counts its conversion for the campaign report and
    /// the experiments (one transaction); returns its id.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails; nothing was written then.
    pub async fn add_submission(
        &self,
        form: &str,
        fields: &BTreeMap<String, String>,
        account: Option<AccountId>,
        at: DateTime<Utc>,
        counts: &[(CounterKey, CounterDelta)],
        experiments: &[Converted],
    ) -> Result<i64> {
        let fields = serde_json::to_string(fields)?;
        let counts: Vec<_> = counts.iter().map(|(k, d)| (k, d)).collect();
        on!(self.writes(), p => {
            let mut tx = p.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO submissions (form, fields, created_at, account_id) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(form)
            .bind(&fields)
            .bind(millis(at))
            .bind(account.map(|a| a.to_string()))
            .fetch_one(&mut *tx)
            .await?;
            for chunk in counts.chunks(MAX_ROWS_PER_STATEMENT) {
                upsert_counts!(&mut *tx, chunk)?;
            }
            count_conversions!(tx, experiments);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// How many submissions there are.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn submission_count(&self) -> Result<i64> {
        Ok(on!(self.reads(), p => {
            sqlx::query_scalar("SELECT COUNT(*) FROM submissions").fetch_one(p).await
        })?)
    }

    /// Submissions newest first, `limit` of them after skipping `offset`.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn submissions_page(&self, offset: i64, limit: i64) -> Result<Vec<Submission>> {
        let rows: Vec<SubmissionRow> = on!(self.reads(), p => {
            let sql = sqlx::AssertSqlSafe(format!("{SELECT} ORDER BY id DESC LIMIT $1 OFFSET $2"));
            sqlx::query_as(sql).bind(limit).bind(offset).fetch_all(p).await
        })?;
        decode_all(rows)
    }

    /// Submissions with an id below `before` (all when `None`), newest first, at
    /// most `limit` (a CSV export reads the table this way, a batch at a time).
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn submissions_before(
        &self,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Submission>> {
        let rows: Vec<SubmissionRow> = on!(self.reads(), p => {
            let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE id < $1 ORDER BY id DESC LIMIT $2"));
            sqlx::query_as(sql).bind(before.unwrap_or(i64::MAX)).bind(limit).fetch_all(p).await
        })?;
        decode_all(rows)
    }

    /// The submissions with these ids or of this account, newest first.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn submissions_of(
        &self,
        ids: &[i64],
        account: Option<AccountId>,
    ) -> Result<Vec<Submission>> {
        if ids.is_empty() && account.is_none() {
            return Ok(Vec::new());
        }
        let account = account.map(|a| a.to_string());
        let rows: Vec<SubmissionRow> = on!(self.reads(), p => {
            let mut query = sqlx::QueryBuilder::new(SELECT);
            query.push(" WHERE account_id = ").push_bind(account.clone());
            if !ids.is_empty() {
                query.push(" OR id IN ");
                push_ids(&mut query, ids);
            }
            query.push(" ORDER BY id DESC");
            query.build_query_as().fetch_all(p).await
        })?;
        decode_all(rows)
    }

    /// Deletes the submissions with these ids that belong to no account (a visitor
    /// erasing their session's data); returns how many went.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn delete_anonymous_submissions(&self, ids: &[i64]) -> Result<u64> {
        if ids.is_empty() {
            return Ok(0);
        }
        let done = on!(self.writes(), p => {
            let mut query = sqlx::QueryBuilder::new(
                "DELETE FROM submissions WHERE account_id IS NULL AND id IN ",
            );
            push_ids(&mut query, ids);
            query.build().execute(p).await.map(|r| r.rows_affected())
        })?;
        Ok(done)
    }

    /// Deletes the submissions made before `cutoff`; returns how many went.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn purge_submissions(&self, cutoff: DateTime<Utc>) -> Result<u64> {
        Ok(on!(self.writes(), p => {
            sqlx::query("DELETE FROM submissions WHERE created_at < $1")
                .bind(millis(cutoff))
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?)
    }
}
