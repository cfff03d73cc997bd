//! tailor's typed settings, read from Rocket's figment (`Rocket.toml` profiles and
//! `ROCKET_*` environment variables), and the data directory it owns.
//!
//! Bad settings stop the launch with a message naming the key. When no
//! `secret_key` is configured, one is generated on first start into
//! `<data_dir>/secret.key` (mode 0600) and reused afterwards, so cookies survive a
//! restart; a configured key always wins.

pub mod data_dir;
mod redis;
mod secret;
mod settle;

pub use secret::{parse_key, with_secret_key};
pub use settle::settle;

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rocket::figment::Figment;
use serde::Deserialize;

use crate::data::DataSettings;
use tailor_session::SessionConfig;

/// Where sessions are kept.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    /// In this process (DashMap); the default.
    Memory,
    /// In Redis or Valkey at `session.redis_url`, shared by several instances.
    Redis,
}

/// The `[<profile>.session]` table.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SessionSettings {
    pub cookie_name: String,
    pub idle_timeout_secs: u64,
    pub capacity: usize,
    /// With `store = "memory"`: about how many bytes the sessions may take; past it
    /// (or past `capacity`) the least recently used are evicted, those holding
    /// nothing their visitor chose first.
    pub max_memory_bytes: u64,
    pub sweep_interval_secs: u64,
    pub cookie_secure: bool,
    pub store: StoreKind,
    pub data_dir: PathBuf,
    pub secret_keys_previous: Vec<String>,
    pub trusted_proxies: Vec<IpAddr>,
    /// With `store = "redis"`: where Redis is.
    pub redis_url: String,
    /// With `store = "redis"`: the prefix of every key tailor writes.
    pub redis_prefix: String,
    /// With `store = "redis"`: the nodes of a Redis Cluster (any of them, as
    /// `redis://host:port` URLs); when given, sessions are in that cluster and
    /// `redis_url` is not used.
    pub redis_cluster_nodes: Vec<String>,
    /// With `store = "redis"`: replicas each session write waits for (`WAIT`)
    /// before it is acknowledged; 0, the default, does not wait.
    pub redis_wait_replicas: u32,
    /// How long a write waits for them at most, in ms; one they did not confirm
    /// in time is answered 503.
    pub redis_wait_timeout_ms: u64,
    /// With `store = "redis"`: how many sessions each instance keeps decoded,
    /// checked against Redis at every read (0: none).
    pub redis_cache_sessions: usize,
    /// With `store = "memory"`: seconds between snapshots to `<data_dir>`; 0 turns
    /// snapshots off (and with them the loading at start).
    pub snapshot_interval_secs: u64,
    /// The form records are written in, to Redis and to snapshots: `binary`
    /// (MessagePack) or `json` (as versions before it); both are read.
    pub record_format: tailor_session::RecordFormat,
}

impl Default for SessionSettings {
    fn default() -> Self {
        SessionSettings {
            cookie_name: "tailor_sid".into(),
            idle_timeout_secs: 30 * 24 * 3600,
            capacity: 1_000_000,
            max_memory_bytes: 1 << 30,
            sweep_interval_secs: 60,
            cookie_secure: false,
            store: StoreKind::Memory,
            data_dir: "data".into(),
            secret_keys_previous: Vec::new(),
            trusted_proxies: Vec::new(),
            redis_url: "redis://127.0.0.1:6379/".into(),
            redis_prefix: "tailor:".into(),
            redis_cluster_nodes: Vec::new(),
            redis_wait_replicas: 0,
            redis_wait_timeout_ms: 500,
            redis_cache_sessions: tailor_session::redis::DECODED,
            snapshot_interval_secs: 60,
            record_format: tailor_session::RecordFormat::Binary,
        }
    }
}

/// Logs that a setting is still accepted but no longer does anything.
pub fn deprecated(key: &str) {
    rocket::warn!(
        "{key} is deprecated and ignored: orders and submissions are kept in the database \
         (drafts.submissions_retention_days bounds submissions); remove it from the configuration"
    );
}

/// Extracts and checks the `data` table.
///
/// # Errors
/// [`ConfigError`] naming `data.url` when it is not a database URL tailor can use.
pub fn data_settings(figment: &Figment, data_dir: &Path) -> Result<DataSettings, ConfigError> {
    let settings: DataSettings = table(figment, "data")?;
    settings
        .location(data_dir)
        .map_err(|reason| invalid("data.url", reason))?;
    if settings.account_cache_secs > 60 {
        return Err(invalid("data.account_cache_secs", "must be at most 60"));
    }
    Ok(settings)
}

/// The tables the launch itself needs: where sessions and data live. Each
/// feature reads its own table in its own stage ([`read`]).
pub struct Settings {
    pub session: SessionSettings,
    pub data: DataSettings,
}

impl Settings {
    /// Reads and checks every table.
    ///
    /// # Errors
    /// [`ConfigError`] naming the first wrong key.
    pub fn from_figment(figment: &Figment) -> Result<Self, ConfigError> {
        let session = SessionSettings::from_figment(figment)?;
        Ok(Settings {
            data: data_settings(figment, &session.data_dir)?,
            session,
        })
    }
}

/// A feature's settings, read in its stage: `read(&rocket, T::from_figment)` gives
/// them, or logs the error (naming the key) so the stage can stop the launch.
pub fn read<T>(
    rocket: &rocket::Rocket<rocket::Build>,
    from_figment: impl FnOnce(&Figment) -> Result<T, ConfigError>,
) -> Option<T> {
    from_figment(rocket.figment())
        .map_err(|e| rocket::error!("{e}"))
        .ok()
}

/// Managed state the configuration stage shares with the features (the database,
/// the limiter, the hashing pool), or `None` with the reason logged: the feature's
/// stage then stops the launch.
pub fn shared<T: Clone + Send + Sync + 'static>(
    rocket: &rocket::Rocket<rocket::Build>,
    what: &str,
) -> Option<T> {
    let found = rocket.state::<T>().cloned();
    if found.is_none() {
        rocket::error!(
            "{what} is not there: attach the features after tailor's configuration \
             stage (tailor::build), which opens it"
        );
    }
    found
}

/// A table of the figment, or its defaults when absent.
pub fn table<T: Default + serde::de::DeserializeOwned>(
    figment: &Figment,
    name: &str,
) -> Result<T, ConfigError> {
    match figment.extract_inner(name) {
        Ok(t) => Ok(t),
        Err(e) if e.missing() => Ok(T::default()),
        Err(e) => Err(Box::new(e).into()),
    }
}

/// A setting that stops the launch.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("invalid configuration: {0}")]
    Figment(#[from] Box<rocket::figment::Error>),
    #[error("invalid configuration: {key}: {reason}")]
    Invalid { key: &'static str, reason: String },
    #[error("cannot use the data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
}

pub fn invalid(key: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        key,
        reason: reason.into(),
    }
}

impl SessionSettings {
    /// Extracts and validates the `session` table (all keys optional).
    ///
    /// # Errors
    /// [`ConfigError`] naming the first wrong key.
    pub fn from_figment(figment: &Figment) -> Result<Self, ConfigError> {
        let settings: SessionSettings = table(figment, "session")?;
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$&'*+-.^_`|~".contains(&b);
        if self.cookie_name.is_empty()
            || self.cookie_name.len() > 64
            || !self.cookie_name.bytes().all(token)
        {
            return Err(invalid(
                "session.cookie_name",
                "1 to 64 letters, digits or -_.!#$&'*+^`|~",
            ));
        }
        if self.idle_timeout_secs == 0 {
            return Err(invalid("session.idle_timeout_secs", "must be at least 1"));
        }
        if self.sweep_interval_secs == 0 {
            return Err(invalid("session.sweep_interval_secs", "must be at least 1"));
        }
        if self.capacity == 0 {
            return Err(invalid("session.capacity", "must be at least 1"));
        }
        if self.max_memory_bytes < 1 << 16 {
            return Err(invalid(
                "session.max_memory_bytes",
                "must be at least 65536",
            ));
        }
        redis::check(self)?;
        self.previous_keys()?;
        Ok(())
    }

    /// The previous secret keys, parsed as Rocket parses `secret_key`.
    fn previous_keys(&self) -> Result<Vec<cookie::Key>, ConfigError> {
        self.secret_keys_previous
            .iter()
            .map(|text| {
                parse_key(text).ok_or_else(|| {
                    invalid(
                        "session.secret_keys_previous",
                        "each key is 44 or 88 base64 or 64 hex characters",
                    )
                })
            })
            .collect()
    }

    /// The session layer's settings.
    pub fn session_config(&self) -> SessionConfig {
        SessionConfig {
            cookie_name: self.cookie_name.clone(),
            idle_timeout: Duration::from_secs(self.idle_timeout_secs),
            cookie_secure: self.cookie_secure,
            sweep_interval: Duration::from_secs(self.sweep_interval_secs),
            previous_keys: self.previous_keys().unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::secret::load_or_create_key;
    use super::*;
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use std::fs;

    #[test]
    fn keys_parse_like_rockets() {
        let master = STANDARD.encode([7u8; 64]);
        let material = STANDARD.encode([7u8; 32]);
        assert!(parse_key(&master).is_some());
        assert!(parse_key(&material).is_some());
        assert!(parse_key(&"ab".repeat(32)).is_some());
        assert!(parse_key("short").is_none());
        assert!(parse_key(&"zz".repeat(32)).is_none());
    }

    #[test]
    fn generated_key_is_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_create_key(dir.path()).unwrap();
        let second = load_or_create_key(dir.path()).unwrap();
        assert_eq!(first, second);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join("secret.key"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    #[cfg(unix)]
    fn a_key_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        load_or_create_key(dir.path()).unwrap();
        let path = dir.path().join("secret.key");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let err = load_or_create_key(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("chmod 600") && err.contains("secret.key"),
            "{err}"
        );
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        assert!(load_or_create_key(dir.path()).is_ok());
    }

    #[test]
    fn a_bad_cookie_name_stops_the_launch() {
        let figment = Figment::new().merge((
            "session",
            rocket::figment::util::map!["cookie_name" => "a b"],
        ));
        let err = SessionSettings::from_figment(&figment).unwrap_err();
        assert!(err.to_string().contains("session.cookie_name"), "{err}");
    }
}
