//! The `[<profile>.decisions]` table, read by the decisions stage.

use rocket::figment::Figment;
use serde::Deserialize;

use crate::config::{invalid, table, ConfigError};

/// A key of the operator's backend: its name (for the log, never the visitor's
/// identity) and the SHA-256 of the key, in hex.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct KeyConfig {
    pub name: String,
    pub sha256: String,
}

/// The `[<profile>.decisions]` table.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DecisionSettings {
    /// The operator's pages that may call from a browser (exact origins,
    /// `https://www.example.com`); empty: browser mode off.
    pub allowed_origins: Vec<String>,
    /// The backend keys (server mode); empty: server mode off.
    pub keys: Vec<KeyConfig>,
    /// The key of subjects' HMAC (base64, at least 32 bytes), shared by every
    /// instance; unset: `<data_dir>/subject.key`, generated once.
    pub subject_key: Option<String>,
    /// A subject unseen this many days is erased.
    pub subject_idle_days: u64,
    /// Evaluations and events per minute of one session or subject (429 beyond).
    pub requests_per_minute: u64,
}

impl Default for DecisionSettings {
    fn default() -> Self {
        DecisionSettings {
            allowed_origins: Vec::new(),
            keys: Vec::new(),
            subject_key: None,
            subject_idle_days: 400,
            requests_per_minute: 600,
        }
    }
}

/// Whether `origin` is an origin: `http` or `https`, a host, an optional port,
/// nothing after.
fn is_origin(origin: &str) -> bool {
    let Some(rest) = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
    else {
        return false;
    };
    !rest.is_empty()
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
}

impl DecisionSettings {
    /// Extracts and validates the `decisions` table (all keys optional).
    ///
    /// # Errors
    /// [`ConfigError`] naming the wrong key.
    pub fn from_figment(figment: &Figment) -> Result<Self, ConfigError> {
        let mut s: DecisionSettings = table(figment, "decisions")?;
        for origin in &mut s.allowed_origins {
            *origin = origin.trim().trim_end_matches('/').to_ascii_lowercase();
            if !is_origin(origin) {
                return Err(invalid(
                    "decisions.allowed_origins",
                    format!("{origin:?} is not an origin like https://www.example.com"),
                ));
            }
        }
        for key in &mut s.keys {
            key.sha256 = key.sha256.trim().to_ascii_lowercase();
            let hex = key.sha256.len() == 64 && key.sha256.bytes().all(|b| b.is_ascii_hexdigit());
            if key.name.trim().is_empty() || !hex {
                return Err(invalid(
                    "decisions.keys",
                    "each key is { name = \"...\", sha256 = \"<64 hex digits>\" } (tailor decision-key prints one)",
                ));
            }
        }
        if s.subject_idle_days == 0 {
            return Err(invalid("decisions.subject_idle_days", "must be at least 1"));
        }
        if s.requests_per_minute == 0 {
            return Err(invalid(
                "decisions.requests_per_minute",
                "must be at least 1",
            ));
        }
        Ok(s)
    }
}
