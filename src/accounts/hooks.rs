//! What other features do when a login starts or ends: each registers an
//! [`AccountHook`] in its stage ([`add_account_hook`]), and accounts call them
//! without knowing them. The cart merges the visitor's cart into the account's at
//! login and leaves a copy at a timeout; the preferences mirror the account's.

use crate::web::AppError;
use rocket::Phase;

use super::{Account, Accounts};
use crate::record::SessionData;
use crate::web::hooks::registry;
use tailor_session::Session;

/// A session that has just logged in (new id, the login in its record).
pub struct LoginEvent<'a, 'r> {
    pub session: &'a Session<'r, SessionData>,
    pub accounts: &'a Accounts,
    pub account: &'a Account,
    /// The account was created by this very request.
    pub registered: bool,
}

/// A feature's share of logins.
#[rocket::async_trait]
pub trait AccountHook: Send + Sync + 'static {
    /// After the login is in the session. An error undoes the login; the hook
    /// leaves the session as it found it then.
    ///
    /// # Errors
    /// [`AppError`] when the session store or the database fails.
    async fn logged_in(&self, _event: &LoginEvent<'_, '_>) -> Result<(), AppError> {
        Ok(())
    }

    /// Inside the write that ends a login (new id, login cleared). `account` is the
    /// account when the login ran out of time (its visitor may keep a copy of what
    /// it held); `None` when the login was revoked. `legacy`: the login is from
    /// before accounts had ids, when the session mirrored the account's documents.
    fn login_ended(&self, _data: &mut SessionData, _account: Option<&Account>, _legacy: bool) {}

    /// Inside the write that mirrors the account into the session, when another
    /// session changed the account's preferences.
    fn account_changed(&self, _data: &mut SessionData, _account: &Account) {}
}

/// When an account hook runs at a login: the phases in this order, hooks of one
/// phase in the order they were registered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LoginPhase {
    /// First: what may fail and so undo the login (the cart's merge writes to the
    /// database), before anything else is brought into the session.
    MayUndo,
    /// Brings the account's choices into the session (preferences).
    Bring,
    /// Reads what the others brought (the experiments' assignments, the account's
    /// winning).
    Follow,
}

/// Registers `hook` in `phase`.
///
/// # Panics
/// Without the hooks' registry (see [`crate::web::hooks::registry`]).
pub fn add_account_hook<P: Phase>(
    rocket: &rocket::Rocket<P>,
    phase: LoginPhase,
    hook: impl AccountHook,
) {
    registry(rocket)
        .list::<dyn AccountHook>()
        .add(phase as i32, std::sync::Arc::new(hook));
}
