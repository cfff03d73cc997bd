//! Passwords and usernames: argon2id hashing and verification off the async
//! workers, a decoy hash so an unknown user costs what a wrong password costs, and
//! the rules a username must follow.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

use super::Refusal;

/// Longest password accepted (hashing is bounded; longer ones are refused, not cut).
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Hashes a password with argon2id, off the async workers.
pub async fn hash_password(password: String) -> Option<String> {
    rocket::tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .ok()
            .map(|h| h.to_string())
    })
    .await
    .ok()
    .flatten()
}

/// A hash of nothing anyone knows, verified against when the user does not exist,
/// so an unknown user costs the same time as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(crate::session::random_token(32).as_bytes(), &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// Verifies a password against a PHC hash (or the decoy when `hash` is `None`),
/// off the async workers.
pub async fn verify_password(password: String, hash: Option<String>) -> bool {
    rocket::tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| decoy_hash().to_owned());
        let ok = PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        ok && known
    })
    .await
    .unwrap_or(false)
}

/// Checks a username: 3 to 32 letters, digits, `.`, `_` or `-`.
///
/// # Errors
/// The catalog key `username_invalid`.
pub fn check_username(username: &str) -> Result<(), Refusal> {
    let ok = (3..=32).contains(&username.chars().count())
        && username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if ok {
        Ok(())
    } else {
        Err("username_invalid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        for ok in ["ada", "Ada.Lovelace", "x_y-z", &"a".repeat(32)] {
            assert!(check_username(ok).is_ok(), "{ok}");
        }
        for bad in ["ab", "has space", "<script>", "ünï", &"a".repeat(33)] {
            assert!(check_username(bad).is_err(), "{bad}");
        }
    }

    #[rocket::async_test]
    async fn passwords_verify_and_the_decoy_never_does() {
        let hash = hash_password("correct horse".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse".into(), Some(hash.clone())).await);
        assert!(!verify_password("wrong horse".into(), Some(hash)).await);
        assert!(!verify_password("anything".into(), None).await);
    }
}
