//! Subjects: the operator's visitors as the server-side OFREP callers know them,
//! by an HMAC of the operator's id (never the id), holding their experiment
//! assignments only. An assignment is stored when drawn (sticky) and counted as
//! a participant at its first exposure (`counted`); a subject unseen for
//! `decisions.subject_idle_days` is purged.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::{millis, on, Db, Result};

/// A subject's assignment of one experiment.
#[derive(Clone, Debug, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct SubjectAssignment {
    pub experiment: String,
    pub variant: String,
    pub participant: i64,
    /// Counted as a participant already (it was exposed).
    pub counted: bool,
    /// The experiment's version it was drawn in.
    pub version: i64,
    /// The split it was drawn under (0: before epochs were kept).
    pub epoch: i64,
}

/// A subject's assignment as read: experiment, variant, participant, counted,
/// version, epoch.
type Read = (String, String, i64, i64, i64, i64);

impl From<Read> for SubjectAssignment {
    fn from((experiment, variant, participant, counted, version, epoch): Read) -> Self {
        SubjectAssignment {
            experiment,
            variant,
            participant,
            counted: counted != 0,
            version,
            epoch,
        }
    }
}

impl Db {
    /// The assignments of subject `subject` (each version's, by experiment and
    /// version), and notes that it was seen `now`.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn subject_assignments(
        &self,
        subject: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<SubjectAssignment>> {
        let rows: Vec<Read> = on!(self.reads(), p => {
            sqlx::query_as(
                "SELECT experiment, variant, participant, counted, version, epoch \
                 FROM subject_assignments WHERE subject = $1 ORDER BY experiment, version",
            )
            .bind(subject)
            .fetch_all(p)
            .await
        })?;
        if !rows.is_empty() {
            on!(self.writes(), p => {
                sqlx::query("UPDATE subject_assignments SET last_seen = $2 WHERE subject = $1")
                    .bind(subject)
                    .bind(millis(now))
                    .execute(p)
                    .await
                    .map(|done| done.rows_affected())
            })?;
        }
        Ok(rows.into_iter().map(SubjectAssignment::from).collect())
    }

    /// Gives `subject` assignment `row` unless it has one for that experiment and
    /// version; returns the stored one.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn assign_subject(
        &self,
        subject: &str,
        row: &SubjectAssignment,
        now: DateTime<Utc>,
    ) -> Result<SubjectAssignment> {
        on!(self.writes(), p => {
            sqlx::query(
                "INSERT INTO subject_assignments \
                 (subject, experiment, variant, participant, counted, last_seen, version, epoch) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
            )
            .bind(subject)
            .bind(&row.experiment)
            .bind(&row.variant)
            .bind(row.participant)
            .bind(i64::from(row.counted))
            .bind(millis(now))
            .bind(row.version)
            .bind(row.epoch)
            .execute(p)
            .await
            .map(|done| done.rows_affected())
        })?;
        let stored: Read = on!(self.writes(), p => {
            sqlx::query_as(
                "SELECT experiment, variant, participant, counted, version, epoch \
                 FROM subject_assignments WHERE subject = $1 AND experiment = $2 AND version = $3",
            )
            .bind(subject)
            .bind(&row.experiment)
            .bind(row.version)
            .fetch_one(p)
            .await
        })?;
        Ok(stored.into())
    }

    /// Marks `subject`'s assignment of `experiment`'s `version` counted; whether
    /// this call did (it was not yet: count the participant now).
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn count_subject(
        &self,
        subject: &str,
        experiment: &str,
        version: i64,
    ) -> Result<bool> {
        let changed = on!(self.writes(), p => {
            sqlx::query(
                "UPDATE subject_assignments SET counted = 1 \
                 WHERE subject = $1 AND experiment = $2 AND version = $3 AND counted = 0",
            )
            .bind(subject)
            .bind(experiment)
            .bind(version)
            .execute(p)
            .await
            .map(|done| done.rows_affected())
        })?;
        Ok(changed == 1)
    }

    /// Erases subject `subject`; whether it had anything.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn forget_subject(&self, subject: &str) -> Result<bool> {
        let removed = on!(self.writes(), p => {
            sqlx::query("DELETE FROM subject_assignments WHERE subject = $1")
                .bind(subject)
                .execute(p)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(removed > 0)
    }

    /// Erases the subjects unseen since `before`; how many assignments went.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn purge_subjects(&self, before: DateTime<Utc>) -> Result<u64> {
        Ok(on!(self.writes(), p => {
            sqlx::query("DELETE FROM subject_assignments WHERE last_seen < $1")
                .bind(millis(before))
                .execute(p)
                .await
                .map(|done| done.rows_affected())
        })?)
    }
}
