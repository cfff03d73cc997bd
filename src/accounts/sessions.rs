//! The browsers signed in to an account ([`Device`]), for the account page and the
//! export, read from the account's session index and pruned as they are read.

use super::{
    device, Accounts, AuthState, DateTime, LoggedIn, Serialize, Session, SessionData, SessionError,
    Utc,
};
use crate::web::AppError;
/// A browser signed in to an account, for the account page and the export.
#[derive(Clone, Debug, Serialize)]
pub struct Device {
    pub browser: &'static str,
    pub os: &'static str,
    pub logged_in_at: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    pub this_device: bool,
}

impl Accounts {
    /// The live sessions of the logged-in account, newest login first; the index
    /// is pruned of the ones that ended (expired, logged out, from an older epoch).
    ///
    /// # Errors
    /// [`AppError`] when the database or the session store fails.
    pub async fn devices(
        &self,
        session: &Session<'_, SessionData>,
        login: &LoggedIn,
    ) -> Result<Vec<Device>, AppError> {
        let store = session.layer().store();
        let current = session.id();
        let now = Utc::now();
        let mut devices = Vec::new();
        for entry in self.db.sessions(login.id).await? {
            let sid = tailor_session::SessionId::parse(&entry.session_id).ok();
            let data = match &sid {
                Some(sid) => store.peek(sid).await.map_err(SessionError::from)?,
                None => None,
            };
            let live = data.as_deref().and_then(|d| {
                let user = d.part::<AuthState>()?;
                let ours = user.account_id == Some(login.id) && user.epoch == login.account.epoch;
                (ours && self.expiry(user, now).is_none()).then(|| (d.last_seen, user.clone()))
            });
            match live {
                Some((last_seen, user)) => devices.push(Device {
                    browser: device::browser(&user.user_agent),
                    os: device::os(&user.user_agent),
                    logged_in_at: user.logged_in_at,
                    last_seen: last_seen.max(user.last_active),
                    this_device: sid.is_some() && sid == current,
                }),
                None => self.db.remove_session(login.id, &entry.session_id).await?,
            }
        }
        Ok(devices)
    }
}
