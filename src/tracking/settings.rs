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
}

impl Default for TrackingSettings {
    fn default() -> Self {
        TrackingSettings {
            consent: ConsentMode::OptOut,
            history_size: 100,
            touches_kept: 10,
            campaigns_file: None,
            campaign_rows: 1000,
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
