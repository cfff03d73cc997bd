//! tailor's typed settings, read from Rocket's figment (`Rocket.toml` profiles and
//! `ROCKET_*` environment variables), and the data directory it owns.
//!
//! Bad settings stop the launch with a message naming the key. When no
//! `secret_key` is configured, one is generated on first start into
//! `<data_dir>/secret.key` (mode 0600) and reused afterwards, so cookies survive a
//! restart; a configured key always wins.

use std::fs;
use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
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
    /// With `store = "memory"`: seconds between snapshots to `<data_dir>`; 0 turns
    /// snapshots off (and with them the loading at start).
    pub snapshot_interval_secs: u64,
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
            snapshot_interval_secs: 60,
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
        if self.store == StoreKind::Redis && redis::Client::open(self.redis_url.as_str()).is_err() {
            return Err(invalid(
                "session.redis_url",
                "not a redis:// or rediss:// URL",
            ));
        }
        if self.redis_prefix.len() > 64
            || self
                .redis_prefix
                .chars()
                .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(invalid(
                "session.redis_prefix",
                "at most 64 characters, no spaces",
            ));
        }
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

/// Parses a key the way Rocket parses `secret_key`: base64 (44 or 88 characters)
/// or hex (64); 64+ bytes are a master key, 32..64 bytes key material to derive from.
pub fn parse_key(text: &str) -> Option<cookie::Key> {
    let bytes = match text.len() {
        44 | 88 => STANDARD.decode(text).ok()?,
        64 => (0..64)
            .step_by(2)
            .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
            .collect::<Option<Vec<u8>>>()?,
        _ => return None,
    };
    match bytes.len() {
        n if n >= 64 => Some(cookie::Key::from(&bytes)),
        n if n >= 32 => Some(cookie::Key::derive_from(&bytes)),
        _ => None,
    }
}

/// Returns `figment` with a `secret_key`: the configured one, else the one kept in
/// `data_dir`, else a new one written there (readable by its owner only).
///
/// # Errors
/// [`ConfigError::DataDir`] when the key file cannot be read or created.
pub fn with_secret_key(figment: Figment, data_dir: &Path) -> Result<Figment, ConfigError> {
    let configured = figment
        .extract::<rocket::Config>()
        .map(|c| c.secret_key.is_provided())
        .unwrap_or(false);
    if configured {
        return Ok(figment);
    }
    let key = load_or_create_key(data_dir).map_err(|source| ConfigError::DataDir {
        path: data_dir.to_owned(),
        source,
    })?;
    Ok(figment.merge(("secret_key", key)))
}

/// A key file others could read is refused: whoever reads it can forge any
/// visitor's cookie.
#[cfg(unix)]
fn check_private(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::metadata(path)?.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            format!(
                "{} is readable by others than its owner (mode {mode:o}); run `chmod 600 {}`",
                path.display(),
                path.display()
            ),
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_: &Path) -> std::io::Result<()> {
    Ok(())
}

fn load_or_create_key(data_dir: &Path) -> std::io::Result<String> {
    let path = data_dir.join("secret.key");
    if path.exists() {
        check_private(&path)?;
    }
    match fs::read_to_string(&path) {
        Ok(text) if parse_key(text.trim()).is_some() => return Ok(text.trim().to_owned()),
        Ok(_) => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "{} is not a valid key; move it aside to generate a new one",
                    path.display()
                ),
            ))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    fs::create_dir_all(data_dir)?;
    let key = STANDARD.encode(cookie::Key::generate().master());
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&path)?;
    file.write_all(key.as_bytes())?;
    file.sync_all()?;
    rocket::info!("generated a new secret key in {}", path.display());
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

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
