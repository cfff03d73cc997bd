//! [`Timezone`], the visitor's IANA time zone, and times shown in it.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An IANA time zone, validated against chrono-tz's database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timezone(pub Tz);

impl Default for Timezone {
    fn default() -> Self {
        Timezone(Tz::UTC)
    }
}

impl Timezone {
    /// Parses an IANA name (`Europe/Madrid`), exactly as the database spells it.
    pub fn parse(text: &str) -> Option<Timezone> {
        if text.len() > 64 {
            return None;
        }
        Tz::from_str(text).ok().map(Timezone)
    }

    /// The IANA name.
    pub fn name(self) -> &'static str {
        self.0.name()
    }
}

impl Serialize for Timezone {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Timezone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Timezone::parse(&name).ok_or_else(|| serde::de::Error::custom("unknown time zone"))
    }
}

/// A time in the visitor's zone, for display.
pub fn local_time(at: DateTime<Utc>, zone: Timezone) -> String {
    at.with_timezone(&zone.0)
        .format("%Y-%m-%d %H:%M %Z")
        .to_string()
}
