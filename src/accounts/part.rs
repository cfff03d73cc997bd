//! The accounts' part of the session record: the login.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tailor_session::parts::{self, Part};

use crate::data::AccountId;

/// The authenticated state of a session.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthState {
    /// The account logged in to; `None` in records written before accounts had
    /// ids (such a login is ended on its next request).
    #[serde(default)]
    pub account_id: Option<AccountId>,
    /// The account's epoch at login; a different one now ends this login.
    #[serde(default)]
    pub epoch: i64,
    /// The version of the account's preferences this session mirrors.
    #[serde(default)]
    pub prefs_version: i64,
    pub username: String,
    pub logged_in_at: DateTime<Utc>,
    pub last_active: DateTime<Utc>,
    /// The `User-Agent` at login, for the account page's device list.
    pub user_agent: String,
}

impl Part for AuthState {
    const NAME: &'static str = "user";

    fn worth_keeping(&self) -> bool {
        true
    }

    fn footprint(&self) -> usize {
        std::mem::size_of::<Self>() + self.username.len() + self.user_agent.len()
    }
}

/// Registers the accounts' part.
pub fn register() {
    parts::register::<AuthState>();
}
