//! Session identifiers and CSRF tokens: 256 bits from a CSPRNG, written as
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

/// 256 random bits, kept as bytes (32 bytes inline, no allocation) and written as
/// 43 characters of URL-safe base64: session ids and CSRF tokens.
#[derive(Clone, Copy, Eq, Hash, PartialEq)]
pub struct Token([u8; ID_BYTES]);

impl Token {
    /// A fresh token from the thread's CSPRNG (ChaCha12, seeded and periodically
    /// reseeded from the operating system): no system call per token.
    pub fn generate() -> Self {
        let mut bytes = [0u8; ID_BYTES];
        rand::thread_rng().fill_bytes(&mut bytes);
        Token(bytes)
    }

    /// Parses the text form; anything but 43 URL-safe base64 characters is refused.
    ///
    /// # Errors
    /// [`InvalidSessionId`] for any other text.
    pub fn parse(text: &str) -> Result<Self, InvalidSessionId> {
        if text.len() != ID_CHARS {
            return Err(InvalidSessionId);
        }
        // The decoder asks for room for a whole last quantum: 33 bytes.
        let mut bytes = [0u8; ID_BYTES + 1];
        match URL_SAFE_NO_PAD.decode_slice(text, &mut bytes) {
            Ok(ID_BYTES) => {
                let mut id = [0u8; ID_BYTES];
                id.copy_from_slice(&bytes[..ID_BYTES]);
                Ok(Token(id))
            }
            _ => Err(InvalidSessionId),
        }
    }

    /// Compares two tokens in constant time.
    pub fn ct_eq(&self, other: &Token) -> bool {
        self.0.ct_eq(&other.0).into()
    }

    /// Whether `text` is this token's text form, in constant time.
    pub fn matches(&self, text: &str) -> bool {
        Token::parse(text).is_ok_and(|given| self.ct_eq(&given))
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = [0u8; ID_CHARS];
        let written = URL_SAFE_NO_PAD
            .encode_slice(self.0, &mut text)
            .map_err(|_| fmt::Error)?;
        f.write_str(std::str::from_utf8(&text[..written]).map_err(|_| fmt::Error)?)
    }
}

/// Tokens are secrets: logs get a short prefix only.
impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token({}…)", &self.to_string()[..6])
    }
}

impl serde::Serialize for Token {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Token {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Token::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A random, unguessable session id.
#[derive(Clone, Eq, Hash, PartialEq)]
pub struct SessionId(Token);

/// The text was not a session id this server could have made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not a session id")]
pub struct InvalidSessionId;

impl SessionId {
    /// A fresh id from the OS CSPRNG.
    pub fn generate() -> Self {
        SessionId(Token::generate())
    }

    /// Parses the text form; anything but 43 URL-safe base64 characters is refused.
    ///
    /// # Errors
    /// [`InvalidSessionId`] for any other text.
    pub fn parse(text: &str) -> Result<Self, InvalidSessionId> {
        Token::parse(text).map(SessionId)
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
            "../../etc/passwd",
        ] {
            assert_eq!(SessionId::parse(bad), Err(InvalidSessionId), "{bad}");
        }
    }

    #[test]
    fn tokens_read_back_from_their_text_and_serde_form() {
        let token = Token::generate();
        let text = token.to_string();
        assert_eq!(text.len(), ID_CHARS);
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
