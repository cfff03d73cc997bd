//! Experiments' epochs: when each split of an experiment's weights was first in
//! force, so the report can say "weights changed on <date>" and count each
//! split's participants apart.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::{from_millis, millis, on, Db, Result};

/// One split of one version of an experiment.
#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct EpochRow {
    pub experiment: String,
    pub version: i64,
    pub epoch: i64,
    /// The split as the report shows it: `control 50, bold 50`.
    pub weights: String,
    first_at: i64,
}

impl EpochRow {
    /// A split of `experiment`'s `version`, first in force `at`.
    pub fn new(
        experiment: &str,
        version: i64,
        epoch: i64,
        weights: String,
        at: DateTime<Utc>,
    ) -> Self {
        EpochRow {
            experiment: experiment.to_owned(),
            version,
            epoch,
            weights,
            first_at: millis(at),
        }
    }

    /// When the split was first in force.
    pub fn first_at(&self) -> DateTime<Utc> {
        from_millis(self.first_at)
    }
}

impl Db {
    /// Notes the splits `rows` (one already noted keeps its first time).
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn note_epochs(&self, rows: &[EpochRow]) -> Result<()> {
        for row in rows {
            on!(self.writes(), p => {
                sqlx::query(
                    "INSERT INTO experiment_epochs (experiment, version, epoch, weights, first_at) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                )
                .bind(&row.experiment)
                .bind(row.version)
                .bind(row.epoch)
                .bind(&row.weights)
                .bind(row.first_at)
                .execute(p)
                .await
                .map(|_| ())
            })?;
        }
        Ok(())
    }

    /// Every split noted, by experiment, version and first time.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn experiment_epochs(&self) -> Result<Vec<EpochRow>> {
        Ok(on!(self.reads(), p => {
            sqlx::query_as(
                "SELECT experiment, version, epoch, weights, first_at FROM experiment_epochs \
                 ORDER BY experiment, version, first_at",
            )
            .fetch_all(p)
            .await
        })?)
    }
}
