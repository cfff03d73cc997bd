//! Registering and authenticating, as model functions: every refusal is a
//! [`Refused`] the page (or an API) turns into its answer. Every attempt is
//! counted before its password is hashed (see `attempts`): a login that succeeds
//! is taken back, so the limits count a wrong password against the account and
//! the address (or the device), a taken name against the address, and every
//! registration against the address's hourly limit.

use crate::web::AppError;
use chrono::Utc;
use rocket::http::CookieJar;

use super::{check_username, trust, Account, Accounts, Refusal};
use crate::data::accounts::NewAccount;
use crate::data::Doc;
use crate::limits::Window;

/// Why a registration or a login was refused.
#[derive(Debug)]
pub(crate) enum Refused {
    /// Too many failures: wait out this window.
    Locked(Window),
    /// Too many registrations (or failures) from this address: wait out this window.
    Limited(Window),
    /// The hashing pool is full: try again shortly.
    Busy,
    /// The username or password break the rules (catalog keys, by field).
    Invalid {
        username: Option<Refusal>,
        password: Option<Refusal>,
    },
    /// The username is taken, in some letter case.
    Taken,
    /// No such account, or the wrong password.
    Wrong,
}

impl Accounts {
    /// Creates the account `username` with `password`, for a client at `address`.
    ///
    /// # Errors
    /// [`AppError`] when the database fails; `Ok(Err(_))` when refused.
    pub(crate) async fn register(
        &self,
        username: &str,
        password: String,
        address: &str,
    ) -> Result<Result<Account, Refused>, AppError> {
        // Every error at once, each beside its field.
        let username_error = check_username(username).err();
        let password_error = self.check_password(&password).err();
        if username_error.is_some() || password_error.is_some() {
            let invalid = Refused::Invalid {
                username: username_error,
                password: password_error,
            };
            return Ok(Err(invalid));
        }
        let attempt = self.registration(address);
        if let Err(window) = self.begin(&attempt).await {
            return Ok(Err(Refused::Limited(window)));
        }
        let Ok(password_hash) = self.hashing.hash_password(password).await else {
            self.cancel(&attempt).await;
            return Ok(Err(Refused::Busy));
        };
        // Its documents start empty; the account hooks fill them at the login that
        // follows (the visitor's preferences and cart become the account's).
        let created_at = Utc::now();
        let new = NewAccount {
            username,
            password_hash: &password_hash,
            preferences: &Doc::default(),
            cart: &Doc::default(),
            created_at,
        };
        let Some(id) = self.db.create_account(new).await? else {
            // A taken name stays counted against the address as a failure: names
            // cannot be probed freely.
            return Ok(Err(Refused::Taken));
        };
        self.refund(&attempt).await;
        Ok(Ok(Account {
            id,
            username: username.to_owned(),
            password_hash,
            created_at,
            preferences: Doc::default(),
            prefs_version: 0,
            cart: Doc::default(),
            epoch: 0,
        }))
    }

    /// The account `username` when `password` is its password. A browser with the
    /// account's device cookie is limited on its own.
    ///
    /// # Errors
    /// [`AppError`] when the database fails; `Ok(Err(_))` when refused.
    pub(crate) async fn authenticate(
        &self,
        username: &str,
        password: String,
        address: &str,
        cookies: &CookieJar<'_>,
    ) -> Result<Result<Account, Refused>, AppError> {
        let account: Option<Account> = self.db.account_by_username(username).await?;
        let device = account
            .as_ref()
            .and_then(|a| trust::nonce_for(cookies, self.cookie_secure, a.id));
        let attempt = self.attempt(username, address, device);
        if let Err(window) = self.begin(&attempt).await {
            return Ok(Err(Refused::Locked(window)));
        }
        // An unknown user is verified against a decoy: the same work as a wrong password.
        let hash = account.as_ref().map(|a| a.password_hash.clone());
        let Ok(valid) = self
            .hashing
            .verify_password(password, hash, attempt.lane())
            .await
        else {
            self.cancel(&attempt).await;
            return Ok(Err(Refused::Busy));
        };
        match account.filter(|_| valid) {
            Some(account) => {
                self.refund(&attempt).await;
                Ok(Ok(account))
            }
            // Counted already, before the check.
            None => Ok(Err(Refused::Wrong)),
        }
    }
}
