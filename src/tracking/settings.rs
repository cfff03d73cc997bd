//! The `[<profile>.tracking]` table, read by the tracking stage.

use std::path::PathBuf;

use rocket::figment::Figment;
use serde::de::IgnoredAny;
use serde::Deserialize;

use crate::config::{invalid, table, ConfigError};

/// The `[<profile>.tracking]` table.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TrackingSettings {
    /// Visits kept per session (the oldest dropped first).
    pub history_size: usize,
    /// Recent campaign touches kept per session.
    pub touches_kept: usize,
    /// The campaign banners file; the project's `campaigns.toml` when unset.
    pub campaigns_file: Option<PathBuf>,
    /// Most distinct values per dimension (campaign, source, medium) in the
    /// operators' report; the rest count under `(other)`.
    pub campaign_rows: usize,
    /// Count the visitors who have not chosen yet, without a cookie (opt-in only,
    /// checked by the consent stage with the other consent keys).
    pub cookieless_counts: bool,
    /// The consent keys of this table (`consent`, `policy_version`,
    /// `policy_date`, `consent_ledger_days`) are read and checked by the owner of
    /// the choice, `preferences::consent`; accepted here.
    consent: IgnoredAny,
    policy_version: IgnoredAny,
    policy_date: IgnoredAny,
    consent_ledger_days: IgnoredAny,
}

impl Default for TrackingSettings {
    fn default() -> Self {
        TrackingSettings {
            history_size: 100,
            touches_kept: 10,
            campaigns_file: None,
            campaign_rows: 1000,
            cookieless_counts: false,
            consent: IgnoredAny,
            policy_version: IgnoredAny,
            policy_date: IgnoredAny,
            consent_ledger_days: IgnoredAny,
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
        Ok(settings)
    }
}
