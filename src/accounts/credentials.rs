//! What the account page and API change with the password: confirming it
//! (counted like a login), changing it, deleting the account.

use crate::web::AppError;
use chrono::Utc;
use rocket::http::CookieJar;

use super::AuthState;
use super::{trust, Accounts, LoggedIn};
use crate::data::Doc;
use crate::limits::{ClientKey, Window};
use crate::record::SessionData;
use crate::web::template::{owner_of, Templates};
use tailor_session::Session;

/// How a password confirmation of the logged-in account went.
pub(crate) enum Confirmed {
    Yes,
    /// Wrong (counted as a failed login).
    No,
    /// Locked out by failed logins: wait this window.
    Locked(Window),
    /// The hashing pool is full: try again shortly.
    Busy,
}

/// Whether `password` is the logged-in account's, as stored now. A wrong one
/// counts as a failed login, under the same limits as a login from this browser.
pub(crate) async fn confirm_password(
    accounts: &Accounts,
    login: &LoggedIn,
    password: String,
    client: &ClientKey,
    cookies: &CookieJar<'_>,
) -> Result<Confirmed, AppError> {
    let username = &login.account.username;
    let device = trust::nonce_for(cookies, accounts.cookie_secure, login.id);
    let attempt = accounts.attempt(username, &client.0, device);
    if let Err(window) = accounts.begin(&attempt).await {
        return Ok(Confirmed::Locked(window));
    }
    if password.chars().count() > crate::accounts::MAX_PASSWORD_CHARS {
        return Ok(Confirmed::No);
    }
    let hash = match accounts.db.account::<Doc, Doc>(login.id).await {
        Ok(account) => account.map(|a| a.password_hash),
        Err(e) => {
            accounts.cancel(&attempt).await;
            return Err(e.into());
        }
    };
    let known = hash.is_some();
    match accounts
        .hashing
        .verify_password(password, hash, attempt.lane())
        .await
    {
        Ok(true) if known => {
            accounts.refund(&attempt).await;
            Ok(Confirmed::Yes)
        }
        // Counted already, before the check.
        Ok(_) => Ok(Confirmed::No),
        Err(_) => {
            accounts.cancel(&attempt).await;
            Ok(Confirmed::Busy)
        }
    }
}

/// How a password change went.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Changed {
    Yes,
    /// The hashing pool is full: try again shortly.
    Busy,
}

impl Accounts {
    /// Sets `new` as the logged-in account's password: its epoch moves (every
    /// other session of it ends), and this session, still logged in, gets a new
    /// id (a privilege change).
    ///
    /// # Errors
    /// [`AppError`] when the database or the session store fails; 401 when the
    /// account went meanwhile.
    pub(crate) async fn change_password(
        &self,
        session: &Session<'_, SessionData>,
        login: &LoggedIn,
        new: String,
    ) -> Result<Changed, AppError> {
        let Ok(hash) = self.hashing.hash_password(new).await else {
            return Ok(Changed::Busy);
        };
        let gone = AppError::Refused(rocket::http::Status::Unauthorized);
        let epoch = self.db.set_password(login.id, &hash).await?.ok_or(gone)?;
        self.revise(login.id, |a| a.password_hash = hash.clone());
        self.end_other_sessions(session, login, epoch).await?;
        let old = session.id();
        session.regenerate().await?;
        if let (Some(old), Some(new_id)) = (old, session.id()) {
            self.db.remove_session(login.id, &old.to_string()).await?;
            let now = Utc::now();
            let stale = self.stale_before(now);
            let (ua, new_id) = (&login.auth.user_agent, new_id.to_string());
            self.db
                .add_session(login.id, &new_id, ua, now, stale)
                .await?;
        }
        Ok(Changed::Yes)
    }

    /// Moves the account's epoch (ending its other sessions everywhere), ends the
    /// ones this instance can reach at once, and keeps this session logged in.
    pub(crate) async fn end_other_sessions(
        &self,
        session: &Session<'_, SessionData>,
        login: &LoggedIn,
        epoch: i64,
    ) -> Result<(), AppError> {
        let current = session.id().map(|id| id.to_string());
        self.end_sessions(session, login.id, current.as_deref())
            .await?;
        self.revise(login.id, |a| a.epoch = epoch);
        session
            .update(|d: &mut SessionData| {
                if let Some(user) = d.existing_mut::<AuthState>() {
                    user.epoch = epoch;
                }
            })
            .await?;
        Ok(())
    }
}

/// Deletes the logged-in account: its saved data, its submissions and every
/// session of it; its orders stay, without it.
pub(crate) async fn delete_account(
    page_session: &Session<'_, SessionData>,
    accounts: &Accounts,
    login: &LoggedIn,
    templates: Option<&Templates>,
) -> Result<(), AppError> {
    // The index is read before the account (and its index rows) go.
    let sessions = accounts.db.sessions(login.id).await?;
    accounts.db.delete_account(login.id).await?;
    accounts.remember(login.id, None);
    let store = page_session.layer().store();
    let mut owners: Vec<u64> = page_session
        .data()
        .iter()
        .map(|d| owner_of(&d.created_at))
        .collect();
    for entry in sessions {
        if let Ok(sid) = tailor_session::SessionId::parse(&entry.session_id) {
            // The tag of its pages, read before the session goes.
            if let Ok(Some(data)) = store.peek(&sid).await {
                owners.push(owner_of(&data.created_at));
            }
            if let Err(e) = super::end_elsewhere(store, &sid).await {
                tailor_session::log_error_chain(&e);
            }
        }
    }
    page_session.destroy().await?;
    // The pages rendered for any of its sessions go from the render cache too.
    if let Some(templates) = templates {
        templates.purge(&owners);
    }
    Ok(())
}
