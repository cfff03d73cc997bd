//! Session identifiers: 256 bits from the operating system's CSPRNG, written as
//! URL-safe base64 without padding (43 characters).

use std::fmt;
use std::str::FromStr;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::rngs::OsRng;
use rand::RngCore;
use subtle::ConstantTimeEq;

const ID_BYTES: usize = 32;
const ID_CHARS: usize = 43;

/// A random, unguessable session id.
#[derive(Clone, Eq, Hash, PartialEq)]
pub struct SessionId(String);

/// The text was not a session id this server could have made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not a session id")]
pub struct InvalidSessionId;

impl SessionId {
    /// A fresh id from the OS CSPRNG.
    pub fn generate() -> Self {
        SessionId(random_token(ID_BYTES))
    }

    /// Parses the text form; anything but 43 URL-safe base64 characters is refused.
    ///
    /// # Errors
    /// [`InvalidSessionId`] for any other text.
    pub fn parse(text: &str) -> Result<Self, InvalidSessionId> {
        let ok = text.len() == ID_CHARS
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            && URL_SAFE_NO_PAD
                .decode(text)
                .is_ok_and(|b| b.len() == ID_BYTES);
        if ok {
            Ok(SessionId(text.to_owned()))
        } else {
            Err(InvalidSessionId)
        }
    }

    /// The text form, as stored in the cookie and used as the store key.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Compares two ids in constant time.
    pub fn ct_eq(&self, other: &SessionId) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl FromStr for SessionId {
    type Err = InvalidSessionId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SessionId::parse(s)
    }
}

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Ids are secrets: logs get a short prefix only.
impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SessionId({}…)", &self.0[..6])
    }
}

/// `bytes` random bytes from the OS CSPRNG as URL-safe base64 (used for ids and CSRF tokens).
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_parse_back_and_differ() {
        let a = SessionId::generate();
        let b = SessionId::generate();
        assert_eq!(SessionId::parse(a.as_str()).unwrap(), a);
        assert_ne!(a, b);
        assert!(!a.ct_eq(&b));
        assert!(a.ct_eq(&a.clone()));
    }

    #[test]
    fn garbage_is_not_an_id() {
        for bad in [
            "",
            "abc",
            &"a".repeat(44),
            &"!".repeat(43),
            "../../etc/passwd",
        ] {
            assert_eq!(SessionId::parse(bad), Err(InvalidSessionId), "{bad}");
        }
    }

    #[test]
    fn debug_output_does_not_reveal_the_id() {
        let id = SessionId::generate();
        assert!(!format!("{id:?}").contains(id.as_str()));
    }
}
