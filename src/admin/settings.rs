//! The `[<profile>.admin]` table, read by the operators' stage.

use rocket::figment::Figment;
use serde::Deserialize;

use crate::config::{invalid, table, ConfigError};

/// The `[<profile>.admin]` table: HTTP Basic credentials of the operator pages.
/// Without both, the operator pages do not exist.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AdminSettings {
    pub user: Option<String>,
    /// The password, or its argon2 PHC hash (`$argon2id$...`).
    pub password: Option<String>,
}

impl AdminSettings {
    /// Extracts the `admin` table.
    ///
    /// # Errors
    /// [`ConfigError`] when the table is malformed or the hash unreadable.
    pub fn from_figment(figment: &Figment) -> Result<Self, ConfigError> {
        let settings: AdminSettings = table(figment, "admin")?;
        if let Some(hash) = settings
            .password
            .as_deref()
            .filter(|p| p.starts_with("$argon2"))
        {
            if argon2::PasswordHash::new(hash).is_err() {
                return Err(invalid("admin.password", "not a valid argon2 PHC hash"));
            }
        }
        Ok(settings)
    }
}
