//! Checking a session's login on each request: its lifetimes, its account and
//! epoch, the preferences another device changed; and ending it.

use super::{
    Account, Accounts, AuthState, EndedElsewhere, LoggedIn, Session, SessionData, SessionError, Utc,
};
use crate::web::AppError;
impl Accounts {
    /// This request's login, checked: a login past its lifetime, of an account that
    /// is gone, or from before its epoch moved, ends here (new session id, user
    /// cleared, the visitor told on the page); preferences changed on another
    /// device are mirrored; activity is noted at most once a minute.
    ///
    /// # Errors
    /// [`AppError`] when the session store or the database fails.
    pub async fn resolve(
        &self,
        session: &Session<'_, SessionData>,
    ) -> Result<Option<LoggedIn>, AppError> {
        let data = session.data();
        if data
            .as_ref()
            .is_some_and(|d| d.part::<EndedElsewhere>().is_some())
        {
            // Ended from another session: whoever holds this id now gets a new
            // one (the notice waits in the record for the page).
            session.regenerate().await?;
            session
                .update(|d: &mut SessionData| d.take_part::<EndedElsewhere>())
                .await?;
            return Ok(None);
        }
        let Some(auth) = data.and_then(|d| d.part::<AuthState>().cloned()) else {
            return Ok(None);
        };
        let now = Utc::now();
        let Some(id) = auth.account_id else {
            self.end_login(session, &auth, "flash.logged_out_revoked", None)
                .await?;
            return Ok(None);
        };
        if let Some(reason) = self.expiry(&auth, now) {
            // The visitor may keep a copy of what the account holds (best effort:
            // the account keeps it anyway).
            let account = match self.account(id).await {
                Ok(account) => account.filter(|a| a.epoch == auth.epoch),
                Err(e) => {
                    e.report();
                    None
                }
            };
            self.end_login(session, &auth, reason, account.as_deref())
                .await?;
            return Ok(None);
        }
        let account = match self.account(id).await? {
            Some(account) if account.epoch == auth.epoch => account,
            _ => {
                self.end_login(session, &auth, "flash.logged_out_revoked", None)
                    .await?;
                return Ok(None);
            }
        };
        let sync = account.prefs_version > auth.prefs_version;
        let touch = now - auth.last_active >= self.touch_every();
        let mut auth = auth;
        if sync || touch {
            let mirrored = session
                .update(|d: &mut SessionData| {
                    if sync {
                        for hook in self.hooks.all() {
                            hook.account_changed(d, &account);
                        }
                    }
                    if let Some(user) = d.existing_mut::<AuthState>() {
                        if sync {
                            user.prefs_version = account.prefs_version;
                        }
                        if touch {
                            user.last_active = now;
                        }
                    }
                    d.part::<AuthState>().cloned()
                })
                .await?;
            auth = mirrored.unwrap_or(auth);
        }
        Ok(Some(LoggedIn { id, auth, account }))
    }

    /// Ends a session's login: new id, user cleared, a flash saying why; the rest
    /// of the session stays, and each account hook does its share
    /// ([`AccountHook::login_ended`]: the cart keeps a copy of the account's when
    /// the login ran out, `account`).
    async fn end_login(
        &self,
        session: &Session<'_, SessionData>,
        auth: &AuthState,
        reason: &'static str,
        account: Option<&Account>,
    ) -> Result<(), SessionError> {
        let old = session.id();
        session.regenerate().await?;
        let legacy = auth.account_id.is_none();
        session
            .update(|d: &mut SessionData| {
                d.take_part::<AuthState>();
                for hook in self.hooks.all() {
                    hook.login_ended(d, account, legacy);
                }
                d.flash("info", reason);
            })
            .await?;
        if let (Some(id), Some(old)) = (auth.account_id, old) {
            if let Err(e) = self.db.remove_session(id, &old.to_string()).await {
                e.report();
            }
        }
        Ok(())
    }
}
