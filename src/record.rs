//! The session record: one serde struct composed of each feature's part.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::accounts::AuthState;
use crate::cart::Cart;
use crate::data::AccountId;
use crate::drafts::Drafts;
use crate::preferences::Preferences;
use crate::tracking::{Campaigns, Touch, Visit};
use tailor_session::{SessionRecord, Token};

/// A one-time message shown on the next page, as a catalog key.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Flash {
    /// `success` or `error`.
    pub kind: String,
    /// Catalog key of the text (`flash.preferences_saved`).
    pub key: String,
}

/// Everything tailor keeps for one visitor.
///
/// What every session has is inline; the parts most sessions never use (drafts,
/// campaign touches, cart, login, flash) live in one box allocated on first use,
/// so a first visit costs as little memory as it can. Stored (snapshots, Redis)
/// as one flat object with every part, as before the split.
#[derive(Clone, Debug, Deserialize)]
#[serde(from = "Stored")]
pub struct SessionData {
    pub created_at: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    pub preferences: Preferences,
    /// Page views, oldest first, bounded.
    pub visits: Vec<Visit>,
    /// Synchronizer token every HTML form of this session must echo.
    pub csrf_token: Token,
    extras: Option<Box<Extras>>,
}

/// The parts of a record most sessions never use.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extras {
    /// Partly filled forms, by form id.
    pub drafts: Drafts,
    /// Campaign touches: first, last, recent.
    pub campaigns: Campaigns,
    /// The shopping cart.
    pub cart: Cart,
    /// The logged-in user, if any.
    pub user: Option<AuthState>,
    /// A one-time message for the next page.
    pub flash: Option<Flash>,
    /// Ids of the forms this session submitted (newest last), so the export finds
    /// them for a visitor without an account.
    pub submissions: Vec<i64>,
    /// Ids of the orders this session placed (newest last).
    pub orders: Vec<i64>,
    /// When a login ended by timeout, the account's cart was copied into the
    /// session: which account, and what the copy held. Logging in to that account
    /// again merges only what was added since, never the copy itself.
    pub cart_origin: Option<CartOrigin>,
}

/// Where a session's cart came from (see [`Extras::cart_origin`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartOrigin {
    pub account: AccountId,
    pub cart: Cart,
}

/// Most submission (and order) ids a session remembers; older ones are still in
/// the database, and in the account's export when they were made logged in.
pub const MAX_KEPT_IDS: usize = 100;

/// Appends `id` (once), dropping the oldest beyond [`MAX_KEPT_IDS`].
fn keep_id(ids: &mut Vec<i64>, id: i64) {
    if ids.contains(&id) {
        return;
    }
    ids.push(id);
    if ids.len() > MAX_KEPT_IDS {
        ids.drain(..ids.len() - MAX_KEPT_IDS);
    }
}

static NO_EXTRAS: LazyLock<Extras> = LazyLock::new(Extras::default);

impl SessionData {
    fn extras(&self) -> &Extras {
        self.extras.as_deref().unwrap_or(&NO_EXTRAS)
    }

    /// The rarely used parts, allocated on first use.
    pub fn extras_mut(&mut self) -> &mut Extras {
        self.extras.get_or_insert_with(Box::default)
    }

    /// Partly filled forms, by form id.
    pub fn drafts(&self) -> &Drafts {
        &self.extras().drafts
    }

    pub fn drafts_mut(&mut self) -> &mut Drafts {
        &mut self.extras_mut().drafts
    }

    /// Campaign touches: first, last, recent.
    pub fn campaigns(&self) -> &Campaigns {
        &self.extras().campaigns
    }

    pub fn campaigns_mut(&mut self) -> &mut Campaigns {
        &mut self.extras_mut().campaigns
    }

    /// The shopping cart.
    pub fn cart(&self) -> &Cart {
        &self.extras().cart
    }

    pub fn cart_mut(&mut self) -> &mut Cart {
        &mut self.extras_mut().cart
    }

    /// The logged-in user, if any (expired or not: see `accounts::current_user`).
    pub fn user(&self) -> Option<&AuthState> {
        self.extras().user.as_ref()
    }

    pub fn user_mut(&mut self) -> Option<&mut AuthState> {
        self.extras.as_deref_mut()?.user.as_mut()
    }

    pub fn set_user(&mut self, user: Option<AuthState>) {
        if user.is_some() || self.extras.is_some() {
            self.extras_mut().user = user;
        }
    }

    /// Whether a flash message waits for the next page.
    pub fn has_flash(&self) -> bool {
        self.extras().flash.is_some()
    }

    /// Ids of the forms this session submitted, oldest first.
    pub fn submission_ids(&self) -> &[i64] {
        &self.extras().submissions
    }

    /// Ids of the orders this session placed, oldest first.
    pub fn order_ids(&self) -> &[i64] {
        &self.extras().orders
    }

    /// Remembers that this session submitted submission `id`.
    pub fn note_submission(&mut self, id: i64) {
        keep_id(&mut self.extras_mut().submissions, id);
    }

    /// Remembers that this session placed order `id`.
    pub fn note_order(&mut self, id: i64) {
        keep_id(&mut self.extras_mut().orders, id);
    }

    /// Where the session's cart came from, if it is a copy of an account's.
    pub fn cart_origin(&self) -> Option<&CartOrigin> {
        self.extras().cart_origin.as_ref()
    }

    /// Sets (or clears) where the session's cart came from.
    pub fn set_cart_origin(&mut self, origin: Option<CartOrigin>) {
        if origin.is_some() || self.extras.is_some() {
            self.extras_mut().cart_origin = origin;
        }
    }

    /// Takes the waiting flash message.
    pub fn take_flash(&mut self) -> Option<Flash> {
        self.extras.as_deref_mut()?.flash.take()
    }
}

/// The stored form: every part flat, in the order the record always had.
#[derive(Serialize)]
struct StoredRef<'a> {
    created_at: &'a DateTime<Utc>,
    last_seen: &'a DateTime<Utc>,
    preferences: &'a Preferences,
    drafts: &'a Drafts,
    visits: &'a [Visit],
    campaigns: &'a Campaigns,
    cart: &'a Cart,
    user: Option<&'a AuthState>,
    csrf_token: &'a Token,
    flash: Option<&'a Flash>,
    submissions: &'a [i64],
    orders: &'a [i64],
    cart_origin: Option<&'a CartOrigin>,
}

#[derive(Deserialize)]
struct Stored {
    created_at: DateTime<Utc>,
    last_seen: DateTime<Utc>,
    preferences: Preferences,
    #[serde(default)]
    drafts: Drafts,
    #[serde(default)]
    visits: Vec<Visit>,
    #[serde(default)]
    campaigns: Campaigns,
    #[serde(default)]
    cart: Cart,
    #[serde(default)]
    user: Option<AuthState>,
    csrf_token: Token,
    #[serde(default)]
    flash: Option<Flash>,
    #[serde(default)]
    submissions: Vec<i64>,
    #[serde(default)]
    orders: Vec<i64>,
    #[serde(default)]
    cart_origin: Option<CartOrigin>,
}

impl Serialize for SessionData {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let extras = self.extras();
        StoredRef {
            created_at: &self.created_at,
            last_seen: &self.last_seen,
            preferences: &self.preferences,
            drafts: &extras.drafts,
            visits: &self.visits,
            campaigns: &extras.campaigns,
            cart: &extras.cart,
            user: extras.user.as_ref(),
            csrf_token: &self.csrf_token,
            flash: extras.flash.as_ref(),
            submissions: &extras.submissions,
            orders: &extras.orders,
            cart_origin: extras.cart_origin.as_ref(),
        }
        .serialize(serializer)
    }
}

impl From<Stored> for SessionData {
    fn from(stored: Stored) -> Self {
        let extras = Extras {
            drafts: stored.drafts,
            campaigns: stored.campaigns,
            cart: stored.cart,
            user: stored.user,
            flash: stored.flash,
            submissions: stored.submissions,
            orders: stored.orders,
            cart_origin: stored.cart_origin,
        };
        SessionData {
            created_at: stored.created_at,
            last_seen: stored.last_seen,
            preferences: stored.preferences,
            visits: stored.visits,
            csrf_token: stored.csrf_token,
            extras: (extras != *NO_EXTRAS).then(|| Box::new(extras)),
        }
    }
}

impl Default for SessionData {
    fn default() -> Self {
        let now = Utc::now();
        SessionData {
            created_at: now,
            last_seen: now,
            preferences: Preferences::default(),
            visits: Vec::new(),
            csrf_token: Token::generate(),
            extras: None,
        }
    }
}

impl SessionData {
    /// Whether the record holds something its visitor chose: a preference or a
    /// tracking choice, a draft, a cart line, a login, a sent form or an order.
    /// A record holding only tracking data (a first visit) is not; the memory store
    /// evicts those first, so a flood of first visits never evicts a visitor's
    /// choices.
    pub fn worth_keeping(&self) -> bool {
        let extras = self.extras();
        self.preferences != Preferences::default()
            || !extras.drafts.is_empty()
            || !extras.cart.lines.is_empty()
            || extras.user.is_some()
            || extras.cart_origin.is_some()
            || !extras.submissions.is_empty()
            || !extras.orders.is_empty()
    }

    /// About how many bytes the record takes, inline and on the heap (for the
    /// memory store's `max_memory_bytes`); cheap to compute, not exact.
    pub fn footprint(&self) -> usize {
        use std::mem::size_of;
        let visits = self.visits.capacity() * (size_of::<Visit>() + 8)
            + self
                .visits
                .iter()
                .map(|v| v.referrer.as_ref().map_or(0, |r| r.len()))
                .sum::<usize>();
        let Some(extras) = self.extras.as_deref() else {
            return size_of::<SessionData>() + visits;
        };
        let strings = |fields: &std::collections::BTreeMap<String, String>| {
            fields
                .iter()
                .map(|(k, v)| k.len() + v.len() + 48)
                .sum::<usize>()
        };
        let drafts: usize = extras
            .drafts
            .iter()
            .map(|(form, d)| form.len() + strings(&d.fields) + 96)
            .sum();
        let touch = |t: &Touch| {
            size_of::<Touch>()
                + [
                    &t.source,
                    &t.medium,
                    &t.campaign,
                    &t.term,
                    &t.content,
                    &t.id,
                    &t.referrer,
                ]
                .iter()
                .map(|v| v.as_ref().map_or(0, |s| s.len()))
                .sum::<usize>()
                + t.landing_path.len()
        };
        let campaigns = extras.campaigns.touches.iter().map(touch).sum::<usize>()
            + extras.campaigns.first_touch.as_deref().map_or(0, touch)
            + extras.campaigns.last_touch.as_deref().map_or(0, touch);
        let cart = extras.cart.lines.capacity() * (size_of::<crate::cart::CartLine>() + 16);
        let user = extras.user.as_ref().map_or(0, |u| {
            size_of::<AuthState>() + u.username.len() + u.user_agent.len()
        });
        size_of::<SessionData>()
            + size_of::<Extras>()
            + visits
            + drafts
            + campaigns
            + cart
            + user
            + (extras.submissions.capacity() + extras.orders.capacity()) * 8
    }
}

impl SessionRecord for SessionData {
    fn last_seen(&self) -> DateTime<Utc> {
        self.last_seen
    }

    fn touch(&mut self, now: DateTime<Utc>) {
        self.last_seen = now;
    }

    /// A new id, a new CSRF token: a token planted before a login is void after it.
    fn regenerated(&mut self) {
        self.csrf_token = Token::generate();
    }
}

impl SessionData {
    /// Leaves a message for the next page.
    pub fn flash(&mut self, kind: &str, key: &str) {
        self.extras_mut().flash = Some(Flash {
            kind: kind.into(),
            key: key.into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_form_is_flat_and_reads_back() {
        let mut data = SessionData::default();
        data.flash("success", "flash.preferences_saved");
        data.cart_mut().lines.push(crate::cart::CartLine {
            product: "silk-tie".into(),
            quantity: 2,
        });
        let json = serde_json::to_value(&data).unwrap();
        for key in [
            "created_at",
            "last_seen",
            "preferences",
            "drafts",
            "visits",
            "campaigns",
            "cart",
            "user",
            "csrf_token",
            "flash",
            "submissions",
            "orders",
            "cart_origin",
        ] {
            assert!(json.get(key).is_some(), "{key} is stored");
        }
        let back: SessionData = serde_json::from_value(json).unwrap();
        assert_eq!(back.cart().lines.len(), 1);
        assert_eq!(back.csrf_token, data.csrf_token);
        assert!(back.has_flash());
    }

    #[test]
    fn a_record_of_an_earlier_version_loads() {
        // As snapshots and Redis held them before accounts had ids.
        let json = serde_json::json!({
            "created_at": "2026-01-01T00:00:00Z",
            "last_seen": "2026-01-01T00:00:00Z",
            "preferences": {"theme": "dark", "language": null, "timezone": "UTC",
                            "tracking": null, "display_name": null},
            "cart": {"lines": [{"product": "silk-tie", "quantity": 1}]},
            "user": {"username": "ada", "logged_in_at": "2026-01-01T00:00:00Z",
                     "last_active": "2026-01-01T00:00:00Z", "user_agent": ""},
            "csrf_token": tailor_session::Token::generate(),
        });
        let data: SessionData = serde_json::from_value(json).unwrap();
        let user = data.user().unwrap();
        assert_eq!(user.account_id, None);
        assert_eq!((user.epoch, user.prefs_version), (0, 0));
        assert!(data.submission_ids().is_empty());
        assert_eq!(data.cart().count(), 1);
    }

    #[test]
    fn kept_ids_are_bounded() {
        let mut data = SessionData::default();
        for id in 0..(MAX_KEPT_IDS as i64 + 5) {
            data.note_submission(id);
        }
        assert_eq!(data.submission_ids().len(), MAX_KEPT_IDS);
        assert_eq!(data.submission_ids()[0], 5);
    }

    #[test]
    fn a_record_without_rare_parts_does_not_allocate_them() {
        let mut data = SessionData::default();
        assert!(data.extras.is_none());
        data.set_user(None);
        assert_eq!(data.take_flash(), None);
        let back: SessionData =
            serde_json::from_value(serde_json::to_value(&data).unwrap()).unwrap();
        assert!(back.extras.is_none(), "empty parts are not boxed on load");
        assert!(data.extras.is_none());
        data.flash("info", "x");
        assert!(data.extras.is_some());
    }
}
