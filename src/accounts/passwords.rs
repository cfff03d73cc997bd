//! The rules passwords and usernames follow. Hashing and verifying run on the
//! bounded pool of [`crate::hashing`].

use super::Refusal;

/// Longest password accepted (hashing is bounded; longer ones are refused, not cut).
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Longest username (a longer one is refused before it reaches a limiter or the
/// database).
pub const MAX_USERNAME_CHARS: usize = 32;

/// Checks a username: 3 to 32 letters, digits, `.`, `_` or `-`.
///
/// # Errors
/// The catalog key `username_invalid`.
pub fn check_username(username: &str) -> Result<(), Refusal> {
    let ok = (3..=MAX_USERNAME_CHARS).contains(&username.chars().count())
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
}
