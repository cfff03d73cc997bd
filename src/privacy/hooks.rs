//! What each feature adds to the visitor's rights: every feature that keeps
//! something for a visitor registers a [`PrivacyHook`] ([`add_privacy_hook`]) that
//! puts it into the export, counts it on the `/privacy` page, and erases what the
//! session alone can find (the forms it sent without an account) when the visitor
//! asks to be forgotten. Privacy knows none of them.

use crate::web::AppError;
use std::sync::Arc;

use rocket::{Orbit, Phase, Request, Rocket};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::record::SessionData;
use crate::web::hooks::registry;
use crate::web::Page;
use tailor_session::Session;

/// The visitor whose data is exported or erased.
pub struct Visitor<'a, 'r> {
    pub request: &'a Request<'r>,
    pub session: &'a Session<'r, SessionData>,
    pub data: &'a SessionData,
}

impl Visitor<'_, '_> {
    /// The application's managed state.
    pub fn rocket(&self) -> &Rocket<Orbit> {
        self.request.rocket()
    }
}

/// The export being assembled: the session's object, and the account's while
/// logged in (a feature that holds account data makes it with [`Export::account`]).
#[derive(Default)]
pub struct Export {
    pub session: Map<String, Value>,
    account: Option<Map<String, Value>>,
}

impl Export {
    /// Sets `key` of the session's object.
    pub fn put(&mut self, key: &str, value: impl Serialize) {
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        self.session.insert(key.to_owned(), value);
    }

    /// The account's object, made on first use.
    pub fn account(&mut self) -> &mut Map<String, Value> {
        self.account.get_or_insert_with(Map::new)
    }

    /// The whole export: the session's object with `account` (null when not
    /// logged in).
    pub fn into_value(mut self) -> Value {
        let account = self.account.map_or(Value::Null, Value::Object);
        self.session.insert("account".into(), account);
        Value::Object(self.session)
    }
}

/// What the `/privacy` page says of the visitor, in slots the features fill.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    /// Page views recorded.
    pub visits: usize,
    /// Campaign touches recorded.
    pub touches: usize,
    /// Drafts saved.
    pub drafts: usize,
    /// Tracking waits for the visitor's consent.
    pub opt_in: bool,
    /// The visitor's tracking choice (or the default).
    pub tracking_preference: bool,
    /// Tracking is on for this request.
    pub tracking_active: bool,
    /// The logged-in user's name: their account stays when the session is erased.
    pub user: Option<String>,
    /// What the personalisation rules say of the visitor: (group, why), in words.
    pub groups: Vec<(String, String)>,
    /// The visitor's consent record: their consent id and its events (null: none).
    pub consent: Value,
}

/// A feature's share of the visitor's rights.
#[rocket::async_trait]
pub trait PrivacyHook: Send + Sync + 'static {
    /// Adds what this feature keeps for `visitor` to `export`.
    ///
    /// # Errors
    /// The status to answer when a store or the database fails.
    async fn export(
        &self,
        _visitor: &Visitor<'_, '_>,
        _export: &mut Export,
    ) -> Result<(), AppError> {
        Ok(())
    }

    /// Fills this feature's slots of the privacy page.
    fn summarize(&self, _page: &Page<'_>, _summary: &mut Summary) {}

    /// Fills the slots that need the database (after every `summarize`).
    ///
    /// # Errors
    /// The status to answer when the database fails.
    async fn summarize_async(
        &self,
        _page: &Page<'_>,
        _summary: &mut Summary,
    ) -> Result<(), AppError> {
        Ok(())
    }

    /// Before the session is erased: erases what only this session can find.
    ///
    /// # Errors
    /// The status to answer when the database fails (nothing is erased then).
    async fn forget(&self, _visitor: &Visitor<'_, '_>) -> Result<(), AppError> {
        Ok(())
    }
}

/// Registers `hook`.
///
/// # Panics
/// Without the hooks' registry (see [`crate::web::hooks::registry`]).
pub fn add_privacy_hook<P: Phase>(rocket: &Rocket<P>, hook: impl PrivacyHook) {
    registry(rocket)
        .list::<dyn PrivacyHook>()
        .add(0, Arc::new(hook));
}
