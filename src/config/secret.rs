//! The secret key: parsed as Rocket parses `secret_key`, or generated on first
//! start into `<data_dir>/secret.key` (mode 0600) and reused afterwards.

use std::fs;
use std::io::Write;
use std::path::Path;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rocket::figment::Figment;

use super::ConfigError;

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

pub(super) fn load_or_create_key(data_dir: &Path) -> std::io::Result<String> {
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
