//! The session record: a few fields every session has, and the parts features
//! add ([`tailor_session::Parts`]). This module knows no feature: each names its
//! part types (`impl Part for Cart { const NAME: &str = "cart"; }`) and
//! registers them in its stage.
//!
//! A first visit holds the fields and one part (its visit); the parts live in one
//! boxed slice. The stored form (snapshots, Redis) is one flat object: the fields
//! and every part by name, as records of earlier versions were written.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use tailor_session::codec::compact_time::{Compact, Read};
use tailor_session::parts::{self, Part, Parts, Seed, WithParts};
use tailor_session::{SessionRecord, Token};

/// A one-time message shown on the next page, as a catalog key.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Flash {
    /// `success` or `error`.
    pub kind: String,
    /// Catalog key of the text (`flash.preferences_saved`).
    pub key: String,
}

impl Part for Flash {
    const NAME: &'static str = "flash";
}

/// Everything tailor keeps for one visitor.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionData {
    pub created_at: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    /// Synchronizer token every HTML form of this session must echo.
    pub csrf_token: Token,
    parts: Parts,
}

/// Most submission (and order) ids a session remembers; older ones are still in
/// the database, and in the account's export when they were made logged in.
pub const MAX_KEPT_IDS: usize = 100;

/// Appends `id` (once), dropping the oldest beyond [`MAX_KEPT_IDS`].
pub fn keep_id(ids: &mut Vec<i64>, id: i64) {
    if ids.contains(&id) {
        return;
    }
    ids.push(id);
    if ids.len() > MAX_KEPT_IDS {
        ids.drain(..ids.len() - MAX_KEPT_IDS);
    }
}

/// Registers the parts this module defines; each feature registers its own.
pub fn register_parts() {
    parts::register::<Flash>();
}

impl SessionData {
    /// Part `T`, if the session has it.
    pub fn part<T: Part>(&self) -> Option<&T> {
        self.parts.get()
    }

    /// Part `T`, or its default.
    pub fn part_or_default<T: Part>(&self) -> T {
        self.part::<T>().cloned().unwrap_or_default()
    }

    /// Part `T` to change, added on first use.
    pub fn part_mut<T: Part>(&mut self) -> &mut T {
        self.parts.get_mut()
    }

    /// Part `T` to change, if the session has it.
    pub fn existing_mut<T: Part>(&mut self) -> Option<&mut T> {
        self.parts.get_existing_mut()
    }

    /// Sets part `T` (its default removes it).
    pub fn set_part<T: Part>(&mut self, part: T) {
        self.parts.set(part);
    }

    /// Removes part `T` and gives it back.
    pub fn take_part<T: Part>(&mut self) -> Option<T> {
        self.parts.remove()
    }

    /// Whether a flash message waits for the next page.
    pub fn has_flash(&self) -> bool {
        self.part::<Flash>().is_some()
    }

    /// Takes the waiting flash message.
    pub fn take_flash(&mut self) -> Option<Flash> {
        self.take_part()
    }

    /// Leaves a message for the next page.
    pub fn flash(&mut self, kind: &str, key: &str) {
        self.set_part(Flash {
            kind: kind.into(),
            key: key.into(),
        });
    }

    /// Whether the record holds something its visitor chose: a preference or a
    /// tracking choice, a draft, a cart line, a login, a sent form or an order.
    /// A record holding only tracking data (a first visit) is not; the memory store
    /// evicts those first, so a flood of first visits never evicts a visitor's
    /// choices.
    pub fn worth_keeping(&self) -> bool {
        self.parts.worth_keeping()
    }

    /// About how many bytes the record takes, inline and on the heap (for the
    /// memory store's `max_memory_bytes`); cheap to compute, not exact.
    pub fn footprint(&self) -> usize {
        std::mem::size_of::<SessionData>() + self.parts.footprint()
    }
}

impl Default for SessionData {
    fn default() -> Self {
        let now = Utc::now();
        SessionData {
            created_at: now,
            last_seen: now,
            csrf_token: Token::generate(),
            parts: Parts::default(),
        }
    }
}

/// Its parts, so the Redis store keeps their logs (the visits) apart.
impl WithParts for SessionData {
    fn parts(&self) -> Option<&Parts> {
        Some(&self.parts)
    }
    fn parts_mut(&mut self) -> Option<&mut Parts> {
        Some(&mut self.parts)
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

impl Serialize for SessionData {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let human_readable = serializer.is_human_readable();
        let mut map = serializer.serialize_map(Some(3 + self.parts.len()))?;
        map.serialize_entry("created_at", &Compact(&self.created_at))?;
        map.serialize_entry("last_seen", &Compact(&self.last_seen))?;
        map.serialize_entry("csrf_token", &self.csrf_token)?;
        self.parts.serialize_entries(&mut map, human_readable)?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for SessionData {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> Visitor<'de> for Fields {
            type Value = SessionData;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a session record")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SessionData, A::Error> {
                let (mut created_at, mut last_seen, mut csrf_token) = (None, None, None);
                let mut parts = Parts::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "created_at" => created_at = Some(map.next_value::<Read>()?.0),
                        "last_seen" => last_seen = Some(map.next_value::<Read>()?.0),
                        "csrf_token" => csrf_token = Some(map.next_value()?),
                        name => map.next_value_seed(Seed {
                            parts: &mut parts,
                            name,
                        })?,
                    }
                }
                Ok(SessionData {
                    created_at: created_at.ok_or_else(|| de::Error::missing_field("created_at"))?,
                    last_seen: last_seen.ok_or_else(|| de::Error::missing_field("last_seen"))?,
                    csrf_token: csrf_token.ok_or_else(|| de::Error::missing_field("csrf_token"))?,
                    parts,
                })
            }
        }
        deserializer.deserialize_map(Fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::AuthState;
    use crate::cart::{Cart, CartLine, CartOrigin};
    use crate::drafts::Submissions;
    use crate::preferences::Preferences;

    fn registered() {
        register_parts();
        crate::accounts::part::register();
        crate::cart::part::register();
        crate::drafts::part::register();
        crate::preferences::part::register();
        crate::tracking::part::register();
    }

    #[test]
    fn the_stored_form_is_flat_and_reads_back() {
        registered();
        let mut data = SessionData::default();
        data.flash("success", "flash.preferences_saved");
        data.part_mut::<Cart>().lines.push(CartLine {
            product: "silk-tie".into(),
            quantity: 2,
        });
        let json = serde_json::to_value(&data).unwrap();
        for key in ["created_at", "last_seen", "csrf_token", "flash", "cart"] {
            assert!(json.get(key).is_some(), "{key} is stored");
        }
        assert!(
            json.get("drafts").is_none(),
            "an absent part is not written"
        );
        let back: SessionData = serde_json::from_value(json).unwrap();
        assert_eq!(back, data);
        assert!(back.has_flash());
    }

    #[test]
    fn a_record_of_an_earlier_version_loads() {
        registered();
        // As snapshots and Redis held them before accounts had ids: every part
        // written, empty ones too.
        let json = serde_json::json!({
            "created_at": "2026-01-01T00:00:00Z",
            "last_seen": "2026-01-01T00:00:00Z",
            "preferences": {"theme": "dark", "language": null, "timezone": "UTC",
                            "tracking": null, "display_name": null},
            "drafts": {},
            "visits": [],
            "campaigns": {"first_touch": null, "last_touch": null, "touches": []},
            "cart": {"lines": [{"product": "silk-tie", "quantity": 1}]},
            "user": {"username": "ada", "logged_in_at": "2026-01-01T00:00:00Z",
                     "last_active": "2026-01-01T00:00:00Z", "user_agent": ""},
            "csrf_token": Token::generate(),
            "flash": null,
            "submissions": [],
            "orders": [],
            "cart_origin": null,
        });
        let data: SessionData = serde_json::from_value(json).unwrap();
        let user = data.part::<AuthState>().unwrap();
        assert_eq!(user.account_id, None);
        assert_eq!((user.epoch, user.prefs_version), (0, 0));
        assert!(data.part::<Submissions>().is_none());
        assert!(data.part::<CartOrigin>().is_none());
        assert_eq!(data.part::<Cart>().unwrap().count(), 1);
        assert_ne!(data.part::<Preferences>(), None);
        assert!(data.parts.footprint() > 0);
    }

    #[test]
    fn the_binary_form_reads_back_keeps_unknown_parts_and_is_smaller() {
        use tailor_session::codec::{decode, encode, RecordFormat};
        registered();
        let json = serde_json::json!({
            "created_at": "2026-01-01T00:00:00.123456789Z",
            "last_seen": "2026-01-02T00:00:00Z",
            "csrf_token": Token::generate(),
            "from_elsewhere": {"a": [1, 2]},
            "visits": (0..100).map(|i| serde_json::json!({
                "path": format!("/products/{i}"), "at": "2026-01-01T00:00:00Z", "referrer": null
            })).collect::<Vec<_>>(),
            "cart": {"lines": [{"product": "silk-tie", "quantity": 1}]},
        });
        let data: SessionData = serde_json::from_value(json).unwrap();
        let text = encode(&data, RecordFormat::Json).unwrap();
        let binary = encode(&data, RecordFormat::Binary).unwrap();
        for bytes in [&text, &binary] {
            let back: SessionData = decode(bytes).unwrap();
            assert_eq!(back, data);
        }
        let back: SessionData = decode(&binary).unwrap();
        let again = serde_json::to_value(&back).unwrap();
        assert_eq!(again["from_elsewhere"], serde_json::json!({"a": [1, 2]}));
        assert!(
            binary.len() * 10 < text.len() * 7,
            "{} vs {} bytes",
            binary.len(),
            text.len()
        );
    }

    #[test]
    fn kept_ids_are_bounded() {
        let mut ids = Vec::new();
        for id in 0..(MAX_KEPT_IDS as i64 + 5) {
            keep_id(&mut ids, id);
        }
        keep_id(&mut ids, 7);
        assert_eq!(ids.len(), MAX_KEPT_IDS);
        assert_eq!(ids[0], 5);
    }

    #[test]
    fn a_record_without_parts_allocates_none() {
        registered();
        let mut data = SessionData::default();
        assert!(data.parts.is_empty());
        assert_eq!(data.take_flash(), None);
        let back: SessionData =
            serde_json::from_value(serde_json::to_value(&data).unwrap()).unwrap();
        assert!(back.parts.is_empty());
        assert!(!data.worth_keeping());
        data.part_mut::<Preferences>().theme = crate::preferences::Theme::Dark;
        assert!(data.worth_keeping(), "a preference is the visitor's choice");
    }
}
