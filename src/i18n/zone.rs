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

/// A time in the visitor's zone, for display: `2026-11-28 14:05 CET` (what
/// chrono's `%Y-%m-%d %H:%M %Z` writes, without parsing that format on each call).
pub fn local_time(at: DateTime<Utc>, zone: Timezone) -> String {
    use chrono::{Datelike, Timelike};
    use std::fmt::Write;
    let local = at.with_timezone(&zone.0);
    let mut out = String::with_capacity(24);
    // Writing to a String cannot fail.
    let _ = write!(
        out,
        "{:04}-{:02}-{:02} {:02}:{:02} {}",
        local.year(),
        local.month(),
        local.day(),
        local.hour(),
        local.minute(),
        local.offset()
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_read_as_chrono_formats_them() {
        let zones = ["UTC", "Europe/Madrid", "America/Sao_Paulo", "Asia/Kolkata"];
        let times = [
            "2026-01-05T23:59:59Z",
            "2026-07-01T00:00:00Z",
            "1999-12-31T12:34:56Z",
        ];
        for zone in zones {
            let zone = Timezone::parse(zone).unwrap();
            for at in times {
                let at: DateTime<Utc> = at.parse().unwrap();
                let chrono = at.with_timezone(&zone.0).format("%Y-%m-%d %H:%M %Z");
                assert_eq!(local_time(at, zone), chrono.to_string());
            }
        }
    }
}
