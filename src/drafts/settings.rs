//! The `[<profile>.drafts]` table, read by the drafts stage.

use rocket::figment::Figment;
use serde::Deserialize;

use crate::config::{deprecated, invalid, table, ConfigError};

/// The `[<profile>.drafts]` table.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DraftSettings {
    /// A draft untouched for this many seconds is dropped.
    pub max_age_secs: u64,
    /// Most drafts one session may hold.
    pub max_per_session: usize,
    /// Most bytes of one draft's fields, serialised as JSON.
    pub max_bytes: usize,
    /// Days a submitted form is kept in the database before the daily purge.
    pub submissions_retention_days: u32,
    /// Deprecated and ignored: submissions are kept in the database, none dropped.
    pub submissions_kept: Option<usize>,
    /// Forms one session may send per hour (429 beyond).
    pub submissions_per_session_per_hour: u64,
    /// Forms one client address may send per hour (429 beyond).
    pub submissions_per_address_per_hour: u64,
}

impl Default for DraftSettings {
    fn default() -> Self {
        DraftSettings {
            max_age_secs: 30 * 24 * 3600,
            max_per_session: 20,
            max_bytes: 16 * 1024,
            submissions_retention_days: 365,
            submissions_kept: None,
            submissions_per_session_per_hour: 10,
            submissions_per_address_per_hour: 60,
        }
    }
}

impl DraftSettings {
    /// Extracts and validates the `drafts` table (all keys optional).
    ///
    /// # Errors
    /// [`ConfigError`] naming the wrong key.
    pub fn from_figment(figment: &Figment) -> Result<Self, ConfigError> {
        let settings: DraftSettings = table(figment, "drafts")?;
        if settings.max_age_secs == 0 || settings.max_age_secs > 100 * 365 * 24 * 3600 {
            return Err(invalid(
                "drafts.max_age_secs",
                "must be between 1 and 100 years",
            ));
        }
        if settings.max_bytes == 0 {
            return Err(invalid("drafts.max_bytes", "must be at least 1"));
        }
        if !(1..=36_500).contains(&settings.submissions_retention_days) {
            return Err(invalid(
                "drafts.submissions_retention_days",
                "must be between 1 and 36500",
            ));
        }
        if settings.submissions_per_session_per_hour == 0
            || settings.submissions_per_address_per_hour == 0
        {
            return Err(invalid(
                "drafts.submissions_per_session_per_hour",
                "the submission limits must be at least 1",
            ));
        }
        if settings.submissions_kept.is_some() {
            deprecated("drafts.submissions_kept");
        }
        Ok(settings)
    }
}
