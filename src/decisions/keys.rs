//! The secrets of decisions: the backend keys (random, at least 256 bits, kept
//! as SHA-256 and compared in constant time: they are not passwords, so no
//! argon2), the subjects' HMAC key, and the key of the bulk answers' ETags.

use std::io::Write;
use std::path::Path;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::settings::KeyConfig;

type HmacSha256 = Hmac<Sha256>;

/// A new backend key and the SHA-256 (hex) to configure: what `tailor
/// decision-key` prints.
pub fn new_key() -> (String, String) {
    let bytes: [u8; 32] = rand::random();
    let key = format!("tailor_{}", URL_SAFE_NO_PAD.encode(bytes));
    let hash = sha256_hex(&key);
    (key, hash)
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The configured key `given` is, compared in constant time; `None` when it is
/// none of them.
pub fn key_name<'k>(keys: &'k [KeyConfig], given: &str) -> Option<&'k str> {
    let hash = sha256_hex(given.trim());
    let mut found = None;
    // Every key is compared, whether or not one matched already.
    for key in keys {
        let same: bool = hash.as_bytes().ct_eq(key.sha256.as_bytes()).into();
        if same && found.is_none() {
            found = Some(key.name.as_str());
        }
    }
    found
}

/// A keyed hash (HMAC-SHA256) of `message`.
pub fn mac(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// The subject of the operator's id `targeting_key`: its HMAC, in hex. The id
/// itself is never kept.
pub fn subject(key: &[u8], targeting_key: &str) -> String {
    mac_hex(key, targeting_key.as_bytes())
}

/// The HMAC-SHA-256 of `message` under `key`, in hex.
pub fn mac_hex(key: &[u8], message: &[u8]) -> String {
    mac(key, message)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An ETag of `body` (quoted, 22 characters of a keyed hash).
pub fn etag(key: &[u8], body: &[u8]) -> String {
    let full = mac(key, body);
    format!("\"{}\"", &URL_SAFE_NO_PAD.encode(full)[..22])
}

/// The subjects' key: the configured one (base64), else `<data_dir>/subject.key`,
/// generated the first time (readable by its owner only).
///
/// # Errors
/// When the configured key is not 32 bytes or more of base64, or the file
/// cannot be read or written.
pub fn subject_key(configured: Option<&str>, data_dir: &Path) -> Result<Vec<u8>, String> {
    if let Some(text) = configured {
        return STANDARD
            .decode(text.trim())
            .ok()
            .filter(|k| k.len() >= 32)
            .ok_or_else(|| "decisions.subject_key: 32 bytes or more, in base64".to_owned());
    }
    let path = data_dir.join("subject.key");
    match std::fs::read_to_string(&path) {
        Ok(text) => STANDARD
            .decode(text.trim())
            .ok()
            .filter(|k| k.len() >= 32)
            .ok_or_else(|| format!("{} is not a valid key", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key: [u8; 32] = rand::random();
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut file = options
                .open(&path)
                .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
            file.write_all(STANDARD.encode(key).as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            Ok(key.to_vec())
        }
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_key_matches_its_hash_and_no_other() {
        let (key, hash) = new_key();
        assert!(key.len() >= 43 + 7, "{key}");
        let keys = vec![
            KeyConfig {
                name: "other".into(),
                sha256: "0".repeat(64),
            },
            KeyConfig {
                name: "web".into(),
                sha256: hash,
            },
        ];
        assert_eq!(key_name(&keys, &key), Some("web"));
        assert_eq!(key_name(&keys, "tailor_guess"), None);
        assert_eq!(key_name(&keys, ""), None);
    }

    #[test]
    fn subjects_are_stable_per_key_and_hide_the_id() {
        let a = subject(b"0123456789abcdef0123456789abcdef", "user-42");
        assert_eq!(a, subject(b"0123456789abcdef0123456789abcdef", "user-42"));
        assert_ne!(a, subject(b"0123456789abcdef0123456789abcdeX", "user-42"));
        assert!(!a.contains("42") || a.len() == 64);
        assert_eq!(a.len(), 64);
    }
}
