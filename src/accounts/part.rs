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

/// The mark of a session whose login was ended from another session (a
/// password change, "log out other sessions", the account's deletion): its data
/// is gone and its record holds only this mark and the notice for its browser,
/// which gets a new id on its next page (so a stolen copy of the cookie is worth
/// nothing either).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndedElsewhere(pub bool);

impl Part for EndedElsewhere {
    const NAME: &'static str = "ended_elsewhere";
}

/// Registers the accounts' parts.
pub fn register() {
    parts::register::<AuthState>();
    parts::register::<EndedElsewhere>();
}
