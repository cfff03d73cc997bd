//! Accounts: register, log in, log out, the account page with the user's active
//! sessions, password change and account deletion. Accounts live in the database
//! ([`crate::data`]); a session refers to its account by id and epoch.
//!
//! While a session is logged in, the cart and the preferences are the account's:
//! one copy, in the database, so every browser of the account sees the same cart
//! and an order empties it for all of them. The session keeps a mirror of the
//! preferences (every page reads them) and the version it mirrors; the cart is not
//! copied into the session at all, so logging in again never merges a cart into
//! itself. Login merges the visitor's anonymous cart into the account's and moves
//! it there.
//!
//! Each request of a logged-in session is checked against the account ([`Login`]):
//! gone, or its epoch moved (password changed, "log out other sessions"), and the
//! session is logged out on that request, on every instance. The account is read
//! from a per-process cache at most `data.account_cache_secs` old, so a page view
//! does not cost a query; this process's own writes update the cache at once.
//!
//! Two lifetimes: the visitor session (long) and the authenticated state within it
//! (`auth_idle_secs`, `auth_absolute_secs`); when the latter passes the user is
//! logged out, told so on the page, and keeps their preferences and drafts.

mod api;
mod attempts;
mod auth;
mod check;
mod credentials;
pub mod device;
mod documents;
mod guard;
pub mod hooks;
pub mod part;
pub mod passwords;
pub mod plugs;
mod routes;
mod sessions;
pub mod settings;
mod stage;
pub mod trust;

use crate::web::AppError;
use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, Utc};
use rocket::fairing::AdHoc;
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use serde::Serialize;

pub use passwords::{check_username, MAX_PASSWORD_CHARS, MAX_USERNAME_CHARS};

use crate::data::{self, AccountId, DataError, Db, Doc};
use crate::hashing::HashPool;
use crate::limits::{Limiter, Window};
use crate::record::SessionData;
pub use attempts::Attempt;
pub use guard::Login;
pub use hooks::{add_account_hook, AccountHook, LoginEvent, LoginPhase};
pub use part::{AuthState, EndedElsewhere};
pub use sessions::Device;
pub use settings::AccountSettings;
use tailor_session::{Part, Session, SessionError};

/// An account, its documents (preferences, cart) read by the features that own
/// them ([`Doc::get`]).
pub type Account = data::accounts::Account<Doc, Doc>;

/// A session logged in to an account, as this request found it.
#[derive(Clone, Debug)]
pub struct LoggedIn {
    pub id: AccountId,
    pub auth: AuthState,
    /// The account as last read (at most `data.account_cache_secs` old, or as this
    /// process last wrote it).
    pub account: Arc<Account>,
}

/// What the cache holds of an account: it, or that it does not exist.
struct Cached {
    account: Option<Arc<Account>>,
    read_at: Instant,
}

/// The accounts as managed state: the database, the lifetimes, the login limits,
/// the per-process cache of accounts.
pub struct Accounts {
    pub db: Db,
    pub settings: AccountSettings,
    limiter: Arc<Limiter>,
    /// The argon2 pool passwords are hashed and checked on.
    pub hashing: Arc<HashPool>,
    /// Whether cookies are `Secure` (the device cookie follows the session's).
    pub cookie_secure: bool,
    cache: quick_cache::sync::Cache<AccountId, Arc<Cached>>,
    cache_for: StdDuration,
    /// What other features do at login and when a login ends (the registry's
    /// list).
    hooks: &'static crate::web::hooks::Hooks<dyn AccountHook>,
}

/// Why a registration or password was refused: a catalog key under `accounts.errors`.
pub type Refusal = &'static str;

/// Accounts whose state one process keeps at most (each a few hundred bytes).
const CACHED_ACCOUNTS: usize = 100_000;

impl Accounts {
    pub fn new(
        db: Db,
        settings: AccountSettings,
        limiter: Arc<Limiter>,
        hashing: Arc<HashPool>,
        cookie_secure: bool,
        cache_for: StdDuration,
        hooks: &'static crate::web::hooks::Hooks<dyn AccountHook>,
    ) -> Self {
        Accounts {
            db,
            settings,
            limiter,
            hashing,
            cookie_secure,
            cache: quick_cache::sync::Cache::new(CACHED_ACCOUNTS),
            cache_for,
            hooks,
        }
    }

    fn idle(&self) -> Duration {
        Duration::seconds(self.settings.auth_idle_secs as i64)
    }

    fn absolute(&self) -> Duration {
        Duration::seconds(self.settings.auth_absolute_secs as i64)
    }

    /// Why an authenticated state has run out, as the flash key telling the user.
    fn expiry(&self, auth: &AuthState, now: DateTime<Utc>) -> Option<&'static str> {
        if now - auth.last_active > self.idle() {
            Some("flash.logged_out_idle")
        } else if now - auth.logged_in_at > self.absolute() {
            Some("flash.logged_out_absolute")
        } else {
            None
        }
    }

    /// When index entries of this account are past any login's lifetime.
    fn stale_before(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - self.absolute()
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

    /// The account `id`, from the cache when it is fresh enough, else the database.
    ///
    /// # Errors
    /// [`DataError`] when the database must be read and fails.
    pub async fn account(&self, id: AccountId) -> Result<Option<Arc<Account>>, DataError> {
        if let Some(cached) = self.cache.get(&id) {
            if cached.read_at.elapsed() < self.cache_for {
                return Ok(cached.account.clone());
            }
        }
        let account = self.db.account(id).await?.map(Arc::new);
        self.remember(id, account.clone());
        Ok(account)
    }

    /// Puts what this process just read or wrote of account `id` in the cache.
    fn remember(&self, id: AccountId, account: Option<Arc<Account>>) {
        self.cache.insert(
            id,
            Arc::new(Cached {
                account,
                read_at: Instant::now(),
            }),
        );
    }

    /// Changes the cached copy of account `id` as this process just changed the
    /// stored one; drops it when there is none (the next read fetches it).
    fn revise(&self, id: AccountId, change: impl FnOnce(&mut Account)) {
        match self.cache.get(&id).and_then(|c| c.account.clone()) {
            Some(account) => {
                let mut account = (*account).clone();
                change(&mut account);
                self.remember(id, Some(Arc::new(account)));
            }
            None => {
                self.cache.remove(&id);
            }
        }
    }

    /// Ends every session of account `id` except `keep` (removed from the store and
    /// the index). Sessions on another instance's memory store are out of reach:
    /// the epoch, moved by the caller, ends them on their next request.
    ///
    /// # Errors
    /// [`AppError`] when the database or the session store fails.
    pub async fn end_sessions(
        &self,
        session: &Session<'_, SessionData>,
        id: AccountId,
        keep: Option<&str>,
    ) -> Result<(), AppError> {
        let store = session.layer().store();
        for entry in self.db.sessions(id).await? {
            if Some(entry.session_id.as_str()) == keep {
                continue;
            }
            if let Ok(sid) = tailor_session::SessionId::parse(&entry.session_id) {
                end_elsewhere(store, &sid).await?;
            }
            self.db.remove_session(id, &entry.session_id).await?;
        }
        Ok(())
    }
}

/// Ends session `id` from another one: its record is removed and a new one made
/// under the id holding only the notice "you were logged out" and the
/// [`part::EndedElsewhere`] mark, so the browser that comes back is told, and
/// gets a new id on its first page.
///
/// # Errors
/// [`SessionError`] when the store fails.
pub async fn end_elsewhere(
    store: &std::sync::Arc<dyn tailor_session::SessionStore<SessionData>>,
    id: &tailor_session::SessionId,
) -> Result<(), SessionError> {
    store.remove(id).await?;
    let mut note = |d: &mut SessionData| {
        d.set_part(part::EndedElsewhere(true));
        d.flash("info", "flash.logged_out_revoked");
    };
    // A request of that session racing this one may not bring it back: create
    // refuses an id in use, and then there is nothing to tell.
    if let Err(e) = store.create(id, &mut note).await {
        tailor_session::log_error_chain(&e);
    }
    Ok(())
}

pub use stage::stage;
