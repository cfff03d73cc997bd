//! [`Values`], a ready record: named JSON values, like express-session's
//! `req.session`. Apps with a fixed shape define their own record instead.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::SessionRecord;

/// A session record of named JSON values and the time of the last request.
///
/// # Examples
///
/// ```
/// use tailor_session::Values;
///
/// let mut values = Values::default();
/// values.insert("name", "John");
/// values.insert("visits", 3);
/// assert_eq!(values.get::<String>("name").as_deref(), Some("John"));
/// assert_eq!(values.get::<u32>("visits"), Some(3));
/// assert_eq!(values.get::<u32>("name"), None, "not a number");
/// assert!(values.remove("name"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Values {
    #[serde(default)]
    values: BTreeMap<String, Value>,
    #[serde(default)]
    last_seen: DateTime<Utc>,
}

impl Values {
    /// The value of `key` as a `T`; `None` when absent or of another type.
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        T::deserialize(self.values.get(key)?).ok()
    }

    /// Sets `key` to `value`.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) {
        self.values.insert(key.into(), value.into());
    }

    /// Removes `key`; whether it was there.
    pub fn remove(&mut self, key: &str) -> bool {
        self.values.remove(key).is_some()
    }

    /// How many values the record holds.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the record holds no value.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// Stored whole: no parts, so no logs kept apart.
impl crate::parts::WithParts for Values {}

impl SessionRecord for Values {
    fn last_seen(&self) -> DateTime<Utc> {
        self.last_seen
    }

    fn touch(&mut self, now: DateTime<Utc>) {
        self.last_seen = now;
    }
}
