//! The consent ledger: one row per consent event, appended and never changed
//! (the database refuses updates), deleted only past `tracking.consent_ledger_days`;
//! and the day's counts of what has no row (the banner shown, sessionless GPC
//! and DNT requests).

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

use super::{from_millis, millis, on, Db, Result};

/// Most events one consent id's history shows (a visitor who changes their mind
/// more often sees the newest).
pub const HISTORY_MAX: i64 = 1000;

/// One consent event, as recorded.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ConsentEvent {
    pub at: DateTime<Utc>,
    pub consent_id: String,
    /// `granted`, `refused` or `withdrawn`.
    pub choice: String,
    /// `banner`, `preferences`, `api`, `gpc` or `dnt`.
    pub source: String,
    pub policy_version: String,
    pub scope: String,
    pub language: String,
}

type Read = (i64, String, String, String, String, String, String);

impl From<Read> for ConsentEvent {
    fn from((at, consent_id, choice, source, policy_version, scope, language): Read) -> Self {
        ConsentEvent {
            at: from_millis(at),
            consent_id,
            choice,
            source,
            policy_version,
            scope,
            language,
        }
    }
}

/// One day and policy version of the operators' consent report.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ConsentDay {
    pub day: NaiveDate,
    pub policy_version: String,
    /// Times the banner or the policy notice was shown.
    pub asked: i64,
    pub granted: i64,
    pub refused: i64,
    pub withdrawn: i64,
    /// GPC signals: recorded once per session, and counted from browsers without one.
    pub gpc: i64,
    pub dnt: i64,
}

/// What a day adds to the counts without rows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DailyCounts {
    pub asked: i64,
    pub gpc_sessionless: i64,
    pub dnt_sessionless: i64,
}

const DAY_MS: i64 = 86_400_000;

fn day_of(ms_day: i64) -> NaiveDate {
    from_millis(ms_day * DAY_MS).date_naive()
}

impl ConsentDay {
    fn entry<'a>(days: &'a mut Vec<ConsentDay>, day: NaiveDate, version: &str) -> &'a mut Self {
        let at = days
            .iter()
            .position(|d| d.day == day && d.policy_version == version);
        let at = at.unwrap_or_else(|| {
            days.push(ConsentDay {
                day,
                policy_version: version.to_owned(),
                ..ConsentDay::default()
            });
            days.len() - 1
        });
        &mut days[at]
    }
}

impl Db {
    /// Appends `event` to the ledger (its time cut to the second).
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn record_consent(&self, event: &ConsentEvent) -> Result<()> {
        let at = millis(event.at) / 1000 * 1000;
        on!(self.writes(), p => {
            sqlx::query(
                "INSERT INTO consent_ledger \
                 (at, consent_id, choice, source, policy_version, scope, language) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(at)
            .bind(&event.consent_id)
            .bind(&event.choice)
            .bind(&event.source)
            .bind(&event.policy_version)
            .bind(&event.scope)
            .bind(&event.language)
            .execute(p)
            .await
            .map(|done| done.rows_affected())
        })?;
        Ok(())
    }

    /// The events of consent id `consent_id`, oldest first (the newest
    /// [`HISTORY_MAX`]).
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn consent_history(&self, consent_id: &str) -> Result<Vec<ConsentEvent>> {
        let mut rows: Vec<Read> = on!(self.reads(), p => {
            sqlx::query_as(
                "SELECT at, consent_id, choice, source, policy_version, scope, language \
                 FROM consent_ledger WHERE consent_id = $1 ORDER BY id DESC LIMIT $2",
            )
            .bind(consent_id)
            .bind(HISTORY_MAX)
            .fetch_all(p)
            .await
        })?;
        rows.reverse();
        Ok(rows.into_iter().map(ConsentEvent::from).collect())
    }

    /// Adds `counts` to day `day`'s row of policy version `version`.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn add_consent_counts(
        &self,
        day: NaiveDate,
        version: &str,
        counts: &DailyCounts,
    ) -> Result<()> {
        on!(self.writes(), p => {
            sqlx::query(
                "INSERT INTO consent_daily (day, policy_version, asked, gpc_sessionless, dnt_sessionless) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (day, policy_version) DO UPDATE SET \
                 asked = consent_daily.asked + excluded.asked, \
                 gpc_sessionless = consent_daily.gpc_sessionless + excluded.gpc_sessionless, \
                 dnt_sessionless = consent_daily.dnt_sessionless + excluded.dnt_sessionless",
            )
            .bind(day.to_string())
            .bind(version)
            .bind(counts.asked)
            .bind(counts.gpc_sessionless)
            .bind(counts.dnt_sessionless)
            .execute(p)
            .await
            .map(|done| done.rows_affected())
        })?;
        Ok(())
    }

    /// The report's days since `since` (UTC), newest first, each policy version
    /// apart.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn consent_days(&self, since: NaiveDate) -> Result<Vec<ConsentDay>> {
        let from = since
            .and_hms_opt(0, 0, 0)
            .map_or(0, |t| t.and_utc().timestamp_millis());
        let events: Vec<(i64, String, String, String, i64)> = on!(self.reads(), p => {
            sqlx::query_as(
                "SELECT at / 86400000 AS d, policy_version, choice, source, COUNT(*) \
                 FROM consent_ledger WHERE at >= $1 \
                 GROUP BY d, policy_version, choice, source",
            )
            .bind(from)
            .fetch_all(p)
            .await
        })?;
        let counted: Vec<DailyRow> = on!(self.reads(), p => {
            sqlx::query_as(
                "SELECT day, policy_version, asked, gpc_sessionless, dnt_sessionless \
                 FROM consent_daily WHERE day >= $1",
            )
            .bind(since.to_string())
            .fetch_all(p)
            .await
        })?;
        let mut days = Vec::new();
        for (d, version, choice, source, n) in events {
            let day = ConsentDay::entry(&mut days, day_of(d), &version);
            match (source.as_str(), choice.as_str()) {
                ("gpc", _) => day.gpc += n,
                ("dnt", _) => day.dnt += n,
                (_, "granted") => day.granted += n,
                (_, "withdrawn") => day.withdrawn += n,
                _ => day.refused += n,
            }
        }
        for row in counted {
            let Ok(date) = row.day.parse::<NaiveDate>() else {
                continue;
            };
            let day = ConsentDay::entry(&mut days, date, &row.policy_version);
            day.asked += row.asked;
            day.gpc += row.gpc_sessionless;
            day.dnt += row.dnt_sessionless;
        }
        days.sort_by(|a, b| (b.day, &b.policy_version).cmp(&(a.day, &a.policy_version)));
        Ok(days)
    }

    /// Deletes the ledger's events and the day counts older than `before`.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn purge_consent(&self, before: DateTime<Utc>) -> Result<u64> {
        let events = on!(self.writes(), p => {
            sqlx::query("DELETE FROM consent_ledger WHERE at < $1")
                .bind(millis(before))
                .execute(p)
                .await
                .map(|done| done.rows_affected())
        })?;
        let days = on!(self.writes(), p => {
            sqlx::query("DELETE FROM consent_daily WHERE day < $1")
                .bind(before.date_naive().to_string())
                .execute(p)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(events + days)
    }
}

#[derive(FromRow)]
struct DailyRow {
    day: String,
    policy_version: String,
    asked: i64,
    gpc_sessionless: i64,
    dnt_sessionless: i64,
}
