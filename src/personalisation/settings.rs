//! The `[<profile>.personalisation]` table, read by the personalisation stage.

use std::path::PathBuf;

use rocket::figment::Figment;
use serde::Deserialize;

use crate::config::{table, ConfigError};

/// The `[<profile>.personalisation]` table.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PersonalisationSettings {
    /// The rules file; the project's `personalisation.toml` when unset. A missing
    /// file means no rules.
    pub file: Option<PathBuf>,
}

impl PersonalisationSettings {
    /// Extracts the `personalisation` table (all keys optional).
    ///
    /// # Errors
    /// [`ConfigError`] naming the wrong key.
    pub fn from_figment(figment: &Figment) -> Result<Self, ConfigError> {
        table(figment, "personalisation")
    }

    /// The rules file.
    pub fn path(&self) -> PathBuf {
        self.file
            .clone()
            .unwrap_or_else(|| PathBuf::from(rocket::fs::relative!("personalisation.toml")))
    }
}
