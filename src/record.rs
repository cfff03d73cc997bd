//! The session record: one serde struct composed of each feature's part.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::accounts::AuthState;
use crate::cart::Cart;
use crate::drafts::Drafts;
use crate::preferences::Preferences;
use crate::session::{SessionRecord, Token};
use crate::tracking::{Campaigns, Visit};

/// A one-time message shown on the next page, as a catalog key.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Flash {
    /// `success` or `error`.
    pub kind: String,
    /// Catalog key of the text (`flash.preferences_saved`).
    pub key: String,
}

/// Everything tailor keeps for one visitor.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SessionData {
    pub created_at: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    pub preferences: Preferences,
    /// Partly filled forms, by form id.
    #[serde(default)]
    pub drafts: Drafts,
    /// Page views, oldest first, bounded.
    #[serde(default)]
    pub visits: Vec<Visit>,
    /// Campaign touches: first, last, recent.
    #[serde(default)]
    pub campaigns: Campaigns,
    /// The shopping cart.
    #[serde(default)]
    pub cart: Cart,
    /// The logged-in user, if any (boxed: most sessions have none).
    #[serde(default)]
    pub user: Option<Box<AuthState>>,
    /// Synchronizer token every HTML form of this session must echo.
    pub csrf_token: Token,
    /// Boxed: a flash lives for one redirect.
    #[serde(default)]
    pub flash: Option<Box<Flash>>,
}

impl Default for SessionData {
    fn default() -> Self {
        let now = Utc::now();
        SessionData {
            created_at: now,
            last_seen: now,
            preferences: Preferences::default(),
            drafts: Drafts::new(),
            visits: Vec::new(),
            campaigns: Campaigns::default(),
            cart: Cart::default(),
            user: None,
            csrf_token: Token::generate(),
            flash: None,
        }
    }
}

impl SessionRecord for SessionData {
    fn last_seen(&self) -> DateTime<Utc> {
        self.last_seen
    }

    fn touch(&mut self, now: DateTime<Utc>) {
        self.last_seen = now;
    }
}

impl SessionData {
    /// Leaves a message for the next page.
    pub fn flash(&mut self, kind: &str, key: &str) {
        self.flash = Some(Box::new(Flash {
            kind: kind.into(),
            key: key.into(),
        }));
    }
}
