//! Random secrets from a CSPRNG, kept as bytes and written as URL-safe base64
//! without padding: session ids (128 bits, 22 characters: the sealed cookie
//! stays under 100 bytes, and an id can't be guessed, let alone sealed without
//! the server's key) and CSRF tokens (256 bits, 43 characters).

use std::fmt;
use std::str::FromStr;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::rngs::OsRng;
use rand::RngCore;
use subtle::ConstantTimeEq;

/// Bytes of a session id: 128 bits, the least the API allows.
const ID_BYTES: usize = 16;
/// Bytes of a CSRF token.
const CSRF_BYTES: usize = 32;

/// `N` random bytes, inline (no allocation), written as URL-safe base64.
#[derive(Clone, Copy, Eq, Hash, PartialEq)]
pub struct Secret<const N: usize>([u8; N]);

/// A CSRF token: 256 bits.
pub type Token = Secret<CSRF_BYTES>;

impl<const N: usize> Secret<N> {
    /// Characters of the text form.
    const CHARS: usize = (N * 4).div_ceil(3);

    /// A fresh token from the thread's CSPRNG (ChaCha12, seeded and periodically
    /// reseeded from the operating system): no system call per token.
    pub fn generate() -> Self {
        let mut bytes = [0u8; N];
        rand::thread_rng().fill_bytes(&mut bytes);
        Secret(bytes)
    }

    /// Parses the text form; anything but the canonical base64 of `N` bytes is
    /// refused.
    ///
    /// # Errors
    /// [`InvalidSessionId`] for any other text.
    pub fn parse(text: &str) -> Result<Self, InvalidSessionId> {
        if text.len() != Self::CHARS {
            return Err(InvalidSessionId);
        }
        // The decoder asks for room for a whole last quantum.
        let mut bytes = [0u8; 48];
        match URL_SAFE_NO_PAD.decode_slice(text, &mut bytes) {
            Ok(n) if n == N => {
                let mut secret = [0u8; N];
                secret.copy_from_slice(&bytes[..N]);
                Ok(Secret(secret))
            }
            _ => Err(InvalidSessionId),
        }
    }

    /// Compares two secrets in constant time.
    pub fn ct_eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }

    /// Whether `text` is this secret's text form, in constant time.
    pub fn matches(&self, text: &str) -> bool {
        Self::parse(text).is_ok_and(|given| self.ct_eq(&given))
    }
}

impl<const N: usize> fmt::Display for Secret<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = [0u8; 64];
        let written = URL_SAFE_NO_PAD
            .encode_slice(self.0, &mut text)
            .map_err(|_| fmt::Error)?;
        f.write_str(std::str::from_utf8(&text[..written]).map_err(|_| fmt::Error)?)
    }
}

/// Secrets: logs get a short prefix only.
impl<const N: usize> fmt::Debug for Secret<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({}…)", &self.to_string()[..6])
    }
}

impl<const N: usize> serde::Serialize for Secret<N> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de, const N: usize> serde::Deserialize<'de> for Secret<N> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A random, unguessable session id: 128 bits.
#[derive(Clone, Eq, Hash, PartialEq)]
pub struct SessionId(Secret<ID_BYTES>);

/// The text was not a session id this server could have made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not a session id")]
pub struct InvalidSessionId;

impl SessionId {
    /// A fresh id from the OS CSPRNG.
    pub fn generate() -> Self {
        SessionId(Secret::generate())
    }

    /// Parses the text form; anything but 22 URL-safe base64 characters is refused.
    ///
    /// # Errors
    /// [`InvalidSessionId`] for any other text.
    pub fn parse(text: &str) -> Result<Self, InvalidSessionId> {
        Secret::parse(text).map(SessionId)
    }

    /// Compares two ids in constant time.
    pub fn ct_eq(&self, other: &SessionId) -> bool {
        self.0.ct_eq(&other.0)
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
        self.0.fmt(f)
    }
}

/// Ids are secrets: logs get a short prefix only.
impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SessionId({}…)", &self.to_string()[..6])
    }
}

/// `bytes` random bytes from the OS CSPRNG as URL-safe base64.
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
        assert_eq!(SessionId::parse(&a.to_string()).unwrap(), a);
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
            &"!".repeat(22),
            &"a".repeat(23),
            "../../etc/passwd",
        ] {
            assert_eq!(SessionId::parse(bad), Err(InvalidSessionId), "{bad}");
        }
    }

    #[test]
    fn tokens_read_back_from_their_text_and_serde_form() {
        let token = Token::generate();
        let text = token.to_string();
        assert_eq!(text.len(), 43);
        assert_eq!(SessionId::generate().to_string().len(), 22);
        assert_eq!(Token::parse(&text), Ok(token));
        assert!(token.matches(&text));
        assert!(!token.matches(&Token::generate().to_string()));
        assert!(!token.matches(""));
        let json = serde_json::to_string(&token).unwrap();
        assert_eq!(json, format!("\"{text}\""));
        assert_eq!(serde_json::from_str::<Token>(&json).unwrap(), token);
        assert!(serde_json::from_str::<Token>("\"short\"").is_err());
    }

    #[test]
    fn debug_output_does_not_reveal_the_id() {
        let id = SessionId::generate();
        assert!(!format!("{id:?}").contains(&id.to_string()));
    }
}
