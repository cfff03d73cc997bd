//! The `[<profile>.accounts]` table, read by the accounts stage.

use rocket::figment::Figment;
use serde::Deserialize;

use crate::config::{deprecated, invalid, table, ConfigError};

/// The `[<profile>.accounts]` table.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AccountSettings {
    /// The authenticated state ends after this long without a request.
    pub auth_idle_secs: u64,
    /// ... and this long after login, whatever the activity.
    pub auth_absolute_secs: u64,
    pub min_password_chars: usize,
    /// Failed logins of one account within the window before it is refused (429);
    /// also the limit of one browser's device cookie.
    pub max_failures: usize,
    /// Failed logins (and refused registrations) from one client address within
    /// the window before it is refused (429).
    pub max_address_failures: usize,
    pub failure_window_secs: u64,
    /// Registrations from one client address per hour, made or refused, before
    /// it is refused (429).
    pub registrations_per_address_per_hour: usize,
    /// Deprecated and ignored: orders are kept in the database, none dropped.
    pub orders_kept: Option<usize>,
}

impl Default for AccountSettings {
    fn default() -> Self {
        AccountSettings {
            auth_idle_secs: 30 * 60,
            auth_absolute_secs: 12 * 3600,
            min_password_chars: 10,
            max_failures: 5,
            max_address_failures: 20,
            failure_window_secs: 15 * 60,
            registrations_per_address_per_hour: 10,
            orders_kept: None,
        }
    }
}

impl AccountSettings {
    /// Extracts and validates the `accounts` table (all keys optional).
    ///
    /// # Errors
    /// [`ConfigError`] naming the wrong key.
    pub fn from_figment(figment: &Figment) -> Result<Self, ConfigError> {
        let s: AccountSettings = table(figment, "accounts")?;
        let year = 365 * 24 * 3600;
        if !(1..=year).contains(&s.auth_idle_secs) {
            return Err(invalid(
                "accounts.auth_idle_secs",
                "must be between 1 second and a year",
            ));
        }
        if !(1..=year).contains(&s.auth_absolute_secs) {
            return Err(invalid(
                "accounts.auth_absolute_secs",
                "must be between 1 second and a year",
            ));
        }
        if !(8..=128).contains(&s.min_password_chars) {
            return Err(invalid(
                "accounts.min_password_chars",
                "must be between 8 and 128",
            ));
        }
        if s.max_failures == 0 {
            return Err(invalid("accounts.max_failures", "must be at least 1"));
        }
        if s.max_address_failures == 0 {
            return Err(invalid(
                "accounts.max_address_failures",
                "must be at least 1",
            ));
        }
        if !(1..=year).contains(&s.failure_window_secs) {
            return Err(invalid(
                "accounts.failure_window_secs",
                "must be between 1 second and a year",
            ));
        }
        if s.registrations_per_address_per_hour == 0 {
            return Err(invalid(
                "accounts.registrations_per_address_per_hour",
                "must be at least 1",
            ));
        }
        if s.orders_kept.is_some() {
            deprecated("accounts.orders_kept");
        }
        Ok(s)
    }
}
