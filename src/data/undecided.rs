//! Counts of visitors who have not chosen yet: per UTC day, HyperLogLog registers
//! (merged by each register's maximum, in one write transaction), page views and
//! bots' page views, and the page views per path. Nothing per visitor.

use chrono::NaiveDate;

use super::{for_update, on, Db, Dialect, Result};

/// What one instance adds to a day.
pub struct UndecidedDelta<'a> {
    pub day: NaiveDate,
    pub registers: &'a [u8],
    pub page_views: i64,
    pub bot_views: i64,
    pub paths: &'a [(String, i64)],
}

/// One day as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UndecidedDay {
    pub day: NaiveDate,
    pub registers: Vec<u8>,
    pub page_views: i64,
    pub bot_views: i64,
}

/// Each register's maximum.
fn merged(stored: &[u8], new: &[u8]) -> Vec<u8> {
    if stored.len() != new.len() {
        return new.to_vec();
    }
    stored.iter().zip(new).map(|(a, b)| *a.max(b)).collect()
}

impl Db {
    /// Adds `delta` to its day.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn add_undecided(&self, delta: &UndecidedDelta<'_>) -> Result<()> {
        let day = delta.day.to_string();
        on!(self.writes(), p => {
            let mut tx = p.begin_write().await?;
            let select = format!(
                "SELECT registers FROM undecided_daily WHERE day = $1{}",
                for_update(p)
            );
            let stored: Option<Vec<u8>> = sqlx::query_scalar(sqlx::AssertSqlSafe(select))
                .bind(&day)
                .fetch_optional(&mut *tx)
                .await?;
            let registers = stored.map_or_else(|| delta.registers.to_vec(), |s| merged(&s, delta.registers));
            sqlx::query(
                "INSERT INTO undecided_daily (day, registers, page_views, bot_views) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (day) DO UPDATE SET \
                 registers = excluded.registers, \
                 page_views = undecided_daily.page_views + excluded.page_views, \
                 bot_views = undecided_daily.bot_views + excluded.bot_views",
            )
            .bind(&day)
            .bind(registers)
            .bind(delta.page_views)
            .bind(delta.bot_views)
            .execute(&mut *tx)
            .await?;
            for (path, views) in delta.paths {
                sqlx::query(
                    "INSERT INTO undecided_paths (day, path, views) VALUES ($1, $2, $3) \
                     ON CONFLICT (day, path) DO UPDATE SET views = undecided_paths.views + excluded.views",
                )
                .bind(&day)
                .bind(path)
                .bind(views)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok::<(), sqlx::Error>(())
        })?;
        Ok(())
    }

    /// The days since `since`, newest first.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn undecided_days(&self, since: NaiveDate) -> Result<Vec<UndecidedDay>> {
        let rows: Vec<(String, Vec<u8>, i64, i64)> = on!(self.reads(), p => {
            sqlx::query_as(
                "SELECT day, registers, page_views, bot_views FROM undecided_daily \
                 WHERE day >= $1 ORDER BY day DESC",
            )
            .bind(since.to_string())
            .fetch_all(p)
            .await
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(day, registers, page_views, bot_views)| {
                Some(UndecidedDay {
                    day: day.parse().ok()?,
                    registers,
                    page_views,
                    bot_views,
                })
            })
            .collect())
    }

    /// The `limit` most viewed paths since `since`, with their views.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn undecided_paths(
        &self,
        since: NaiveDate,
        limit: i64,
    ) -> Result<Vec<(String, i64)>> {
        let rows = on!(self.reads(), p => {
            sqlx::query_as(
                "SELECT path, CAST(SUM(views) AS BIGINT) AS n FROM undecided_paths \
                 WHERE day >= $1 GROUP BY path ORDER BY n DESC, path LIMIT $2",
            )
            .bind(since.to_string())
            .bind(limit)
            .fetch_all(p)
            .await
        })?;
        Ok(rows)
    }

    /// Deletes the days before `before`.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn purge_undecided(&self, before: NaiveDate) -> Result<u64> {
        let before = before.to_string();
        let days = on!(self.writes(), p => {
            sqlx::query("DELETE FROM undecided_daily WHERE day < $1")
                .bind(&before)
                .execute(p)
                .await
                .map(|done| done.rows_affected())
        })?;
        let paths = on!(self.writes(), p => {
            sqlx::query("DELETE FROM undecided_paths WHERE day < $1")
                .bind(&before)
                .execute(p)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(days + paths)
    }
}
