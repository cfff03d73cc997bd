//! The `[<profile>.tracking]` table, read by the tracking stage.

use std::path::PathBuf;

use rocket::figment::Figment;
use serde::Deserialize;

use crate::config::{invalid, table, ConfigError};

/// Whether tracking needs the visitor's consent first.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ConsentMode {
    /// Record unless the visitor refused (preference off, GPC, DNT).
    #[default]
    OptOut,
    /// Record nothing until the visitor accepts the consent banner.
    OptIn,
}

/// The `[<profile>.tracking]` table.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TrackingSettings {
    pub consent: ConsentMode,
    /// Visits kept per session (the oldest dropped first).
    pub history_size: usize,
    /// Recent campaign touches kept per session.
    pub touches_kept: usize,
    /// The campaign banners file; the project's `campaigns.toml` when unset.
    pub campaigns_file: Option<PathBuf>,
    /// Most distinct values per dimension (campaign, source, medium) in the
    /// operators' report; the rest count under `(other)`.
    pub campaign_rows: usize,
    /// The privacy policy's version: a visitor whose last choice was made under
    /// another is asked again.
    pub policy_version: String,
    /// The day that version took effect (`YYYY-MM-DD`), said to visitors asked
    /// again and in `/.well-known/gpc.json`.
    pub policy_date: Option<String>,
    /// Days the consent ledger keeps an event (five years by default).
    pub consent_ledger_days: u64,
    /// Count the visitors who have not chosen yet, without a cookie (opt-in only).
    pub cookieless_counts: bool,
}

impl Default for TrackingSettings {
    fn default() -> Self {
        TrackingSettings {
            consent: ConsentMode::OptOut,
            history_size: 100,
            touches_kept: 10,
            campaigns_file: None,
            campaign_rows: 1000,
            policy_version: "1".into(),
            policy_date: None,
            consent_ledger_days: 1825,
            cookieless_counts: false,
        }
    }
}

impl TrackingSettings {
    /// Extracts and validates the `tracking` table (all keys optional).
    ///
    /// # Errors
    /// [`ConfigError`] naming the wrong key.
    pub fn from_figment(figment: &Figment) -> Result<Self, ConfigError> {
        let settings: TrackingSettings = table(figment, "tracking")?;
        if !(1..=10_000).contains(&settings.history_size) {
            return Err(invalid(
                "tracking.history_size",
                "must be between 1 and 10000",
            ));
        }
        if !(1..=100_000).contains(&settings.campaign_rows) {
            return Err(invalid(
                "tracking.campaign_rows",
                "must be between 1 and 100000",
            ));
        }
        if !(1..=1000).contains(&settings.touches_kept) {
            return Err(invalid(
                "tracking.touches_kept",
                "must be between 1 and 1000",
            ));
        }
        let version = &settings.policy_version;
        if version.is_empty()
            || version.chars().count() > 40
            || !version
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
        {
            return Err(invalid(
                "tracking.policy_version",
                "must be 1 to 40 letters, digits, '.', '-' or '_'",
            ));
        }
        if let Some(date) = &settings.policy_date {
            if chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_err() || date.len() != 10 {
                return Err(invalid(
                    "tracking.policy_date",
                    "must be a date written YYYY-MM-DD",
                ));
            }
        }
        if !(1..=36_500).contains(&settings.consent_ledger_days) {
            return Err(invalid(
                "tracking.consent_ledger_days",
                "must be between 1 and 36500",
            ));
        }
        if settings.cookieless_counts && settings.consent != ConsentMode::OptIn {
            return Err(invalid(
                "tracking.cookieless_counts",
                "counts the visitors who have not chosen yet: it needs tracking.consent = \"opt-in\"",
            ));
        }
        Ok(settings)
    }

    /// The consent policy these settings describe.
    pub fn policy(&self) -> crate::preferences::consent::ConsentPolicy {
        crate::preferences::consent::ConsentPolicy {
            version: self.policy_version.clone(),
            date: self.policy_date.clone(),
            opt_in: self.consent == ConsentMode::OptIn,
            cookieless_counts: self.cookieless_counts,
        }
    }
}
