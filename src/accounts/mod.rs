//! Accounts: register, log in, log out, the account page with the user's active
//! sessions. Passwords are argon2id hashes. The session id is regenerated on login
//! and whenever the authenticated state ends; the anonymous cart merges into the
//! account's, the account's preferences apply, and changes made while logged in are
//! saved to the account so they follow the user to other devices.
//!
//! Two lifetimes: the visitor session (long) and the authenticated state within it
//! (`auth_idle_secs`, `auth_absolute_secs`); when the latter passes the user is
//! logged out and keeps their preferences, drafts and cart.

pub mod device;
mod routes;
pub mod store;

use std::collections::VecDeque;
use std::sync::Arc;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use dashmap::DashMap;
use rocket::fairing::AdHoc;
use serde::{Deserialize, Serialize};

pub use store::{account_key, Account, AccountStore, MemoryAccounts, RedisAccounts};

use crate::config::AccountSettings;
use crate::record::SessionData;
use crate::session::{log_error_chain, Session, SessionError};

/// The authenticated state of a session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthState {
    pub username: String,
    pub logged_in_at: DateTime<Utc>,
    pub last_active: DateTime<Utc>,
    /// The `User-Agent` at login, for the account page's device list.
    pub user_agent: String,
}

/// The accounts as managed state: the store, the lifetimes, the login limiter.
pub struct Accounts {
    pub store: Arc<dyn AccountStore>,
    pub settings: AccountSettings,
    failures: DashMap<String, VecDeque<DateTime<Utc>>>,
}

/// Why a registration or password was refused: a catalog key under `accounts.errors`.
pub type Refusal = &'static str;

impl Accounts {
    pub fn new(store: Arc<dyn AccountStore>, settings: AccountSettings) -> Self {
        Accounts {
            store,
            settings,
            failures: DashMap::new(),
        }
    }

    fn idle(&self) -> Duration {
        Duration::seconds(self.settings.auth_idle_secs as i64)
    }

    fn absolute(&self) -> Duration {
        Duration::seconds(self.settings.auth_absolute_secs as i64)
    }

    /// Whether an authenticated state has run out (idle or absolute).
    pub fn expired(&self, auth: &AuthState, now: DateTime<Utc>) -> bool {
        now - auth.last_active > self.idle() || now - auth.logged_in_at > self.absolute()
    }

    /// How often `last_active` is written: a minute, or a tenth of the idle limit.
    fn touch_every(&self) -> Duration {
        Duration::seconds(60).min(self.idle() / 10)
    }

    /// Checks a new password against the rules.
    ///
    /// # Errors
    /// The catalog key of the broken rule.
    pub fn check_password(&self, password: &str) -> Result<(), Refusal> {
        let chars = password.chars().count();
        if chars < self.settings.min_password_chars {
            Err("password_short")
        } else if chars > MAX_PASSWORD_CHARS {
            Err("password_long")
        } else {
            Ok(())
        }
    }

    /// Whether `username` has failed to log in too often within the window.
    pub fn locked(&self, username: &str, now: DateTime<Utc>) -> bool {
        let window = Duration::seconds(self.settings.failure_window_secs as i64);
        self.failures.get(&account_key(username)).is_some_and(|f| {
            f.iter().filter(|at| now - **at < window).count() >= self.settings.max_failures
        })
    }

    /// Notes a failed login of `username` (known or not: both are limited alike).
    pub fn failed(&self, username: &str, now: DateTime<Utc>) {
        let window = Duration::seconds(self.settings.failure_window_secs as i64);
        let mut entry = self.failures.entry(account_key(username)).or_default();
        entry.retain(|at| now - *at < window);
        entry.push_back(now);
    }

    /// Saves a logged-in user's preferences and cart to their account.
    pub async fn remember(&self, data: Option<&SessionData>) {
        let Some(data) = data else { return };
        let Some(user) = current_user(data, self) else {
            return;
        };
        let (prefs, cart) = (data.preferences.clone(), data.cart().clone());
        let mut save = |account: &mut Account| {
            account.preferences = prefs.clone();
            account.cart = cart.clone();
        };
        if let Err(e) = self.store.update(&user.username, &mut save).await {
            log_error_chain(&e);
        }
    }

    /// Ends an expired authenticated state (new id, user cleared, the rest kept), or
    /// notes activity at most once a minute.
    ///
    /// # Errors
    /// [`SessionError`] when the store fails.
    pub async fn refresh(&self, session: &Session<'_, SessionData>) -> Result<(), SessionError> {
        let Some(auth) = session.data().and_then(|d| d.user().cloned()) else {
            return Ok(());
        };
        let now = Utc::now();
        if self.expired(&auth, now) {
            let old = session.id();
            session.regenerate().await?;
            session
                .update(|d: &mut SessionData| d.set_user(None))
                .await?;
            if let Some(old) = old {
                let _ = self.store.remove_session(&auth.username, &old).await;
            }
        } else if now - auth.last_active >= self.touch_every() {
            session
                .update(|d: &mut SessionData| {
                    if let Some(user) = d.user_mut() {
                        user.last_active = now;
                    }
                })
                .await?;
        }
        Ok(())
    }
}

/// Longest password accepted (hashing is bounded; longer ones are refused, not cut).
pub const MAX_PASSWORD_CHARS: usize = 256;

/// The logged-in user of a record, unless the authenticated state has run out.
pub fn current_user<'d>(data: &'d SessionData, accounts: &Accounts) -> Option<&'d AuthState> {
    data.user().filter(|u| !accounts.expired(u, Utc::now()))
}

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

/// Registration, login, logout and the account page.
pub fn stage(settings: AccountSettings, store: Arc<dyn AccountStore>) -> AdHoc {
    AdHoc::on_ignite("Accounts", move |rocket| async move {
        let accounts = Accounts::new(store, settings);
        rocket.manage(accounts).mount("/", routes::routes())
    })
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
