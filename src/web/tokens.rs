//! Stateless form tokens: how a form is protected before the visitor has a
//! session to bind a CSRF token to (opt-in mode, before the visitor chose).
//!
//! A token is `action|expiry`, sealed with the app's secret key (AES-256-GCM, as
//! Rocket's private cookies, under a name of its own so it can never pass for a
//! cookie). It is short-lived, bound to the path its form posts to, and accepted
//! only on a request that carries no session and comes from this site (`Origin`,
//! or `Sec-Fetch-Site: same-origin`). Nothing is stored to issue or check one.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long a stateless token is good for.
pub const LIFETIME: Duration = Duration::from_secs(30 * 60);

/// The name a token is sealed under (the AEAD's associated data).
const SEAL_NAME: &str = "tailor_form_token";

/// The key tokens are sealed with.
pub struct FormTokens {
    key: cookie::Key,
}

/// The id of the form action `path` posts to: its path without the leading `/`,
/// `/` written `~` (so the id survives HTML escaping unchanged).
pub fn action_id(path: &str) -> String {
    path.trim_start_matches('/').replace('/', "~")
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl FormTokens {
    /// Tokens sealed with `key` (the app's secret key).
    pub fn new(key: cookie::Key) -> Self {
        FormTokens { key }
    }

    /// A token for the form posting to the action with id `action`.
    pub fn issue(&self, action: &str) -> String {
        let expiry = now_secs() + LIFETIME.as_secs();
        let mut jar = cookie::CookieJar::new();
        jar.private_mut(&self.key)
            .add(cookie::Cookie::new(SEAL_NAME, format!("{action}|{expiry}")));
        jar.get(SEAL_NAME)
            .map(|c| c.value().to_owned())
            .unwrap_or_default()
    }

    /// Whether `token` is a live token for the action with id `action`.
    pub fn verify(&self, token: &str, action: &str) -> bool {
        let mut jar = cookie::CookieJar::new();
        jar.add_original(cookie::Cookie::new(SEAL_NAME, token.to_owned()));
        let Some(opened) = jar.private(&self.key).get(SEAL_NAME) else {
            return false;
        };
        let Some((bound, expiry)) = opened.value().rsplit_once('|') else {
            return false;
        };
        let live = expiry.parse::<u64>().is_ok_and(|e| e >= now_secs());
        live && bound == action
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_bound_to_their_action_and_key() {
        let tokens = FormTokens::new(cookie::Key::generate());
        let token = tokens.issue("preferences");
        assert!(tokens.verify(&token, "preferences"));
        assert!(!tokens.verify(&token, "login"));
        assert!(!tokens.verify("garbage", "preferences"));
        let other = FormTokens::new(cookie::Key::generate());
        assert!(!other.verify(&token, "preferences"));
        assert_eq!(action_id("/forms/contact"), "forms~contact");
    }
}
