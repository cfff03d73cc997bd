//! Tracking's parts of the session record: the visits and the campaign touches.

use std::mem::size_of;
use std::ops::{Deref, DerefMut};

use chrono::{DateTime, Utc};
use compact_str::CompactString;
use serde::de::{Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::ser::SerializeTuple;
use serde::{Deserialize, Serialize, Serializer};
use tailor_session::codec::{decode, BINARY};
use tailor_session::parts::{self, LogPart, Part};
use tailor_session::StoreError;

use super::model::{Campaigns, Touch, Visit};

/// Page views, oldest first, bounded (`tracking.history_size`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Visits(pub Vec<Visit>);

impl Deref for Visits {
    type Target = Vec<Visit>;
    fn deref(&self) -> &Vec<Visit> {
        &self.0
    }
}

impl DerefMut for Visits {
    fn deref_mut(&mut self) -> &mut Vec<Visit> {
        &mut self.0
    }
}

impl Part for Visits {
    const NAME: &'static str = "visits";

    fn footprint(&self) -> usize {
        size_of::<Self>()
            + self.capacity() * (size_of::<Visit>() + 8)
            + self
                .iter()
                .map(|v| v.referrer.as_ref().map_or(0, |r| r.len()))
                .sum::<usize>()
    }
}

/// A log: the Redis store keeps it in a list of its own, so recording a view
/// appends one entry instead of rewriting the record.
impl LogPart for Visits {
    type Entry = Visit;
    fn entries(&self) -> &[Visit] {
        &self.0
    }
    fn from_entries(entries: Vec<Visit>) -> Self {
        Visits(entries)
    }

    /// A page view reads the whole history: its triples are read by hand (a
    /// third of serde's work), anything else by serde.
    fn decode_entry(bytes: &[u8]) -> Result<Visit, StoreError> {
        match bytes.split_first() {
            Some((&BINARY, triple)) => read_triple(triple).map_or_else(|| decode(bytes), Ok),
            _ => decode(bytes),
        }
    }
}

/// A visit's binary form, `[path, nanoseconds, referrer]`, read with MessagePack's
/// own reader; `None` for any other shape.
fn read_triple(mut bytes: &[u8]) -> Option<Visit> {
    if rmp::decode::read_array_len(&mut bytes).ok()? != 3 {
        return None;
    }
    let (path, mut rest) = rmp::decode::read_str_from_slice(bytes).ok()?;
    let nanos: i64 = rmp::decode::read_int(&mut rest).ok()?;
    let referrer = match rest {
        [0xc0] => None,
        _ => match rmp::decode::read_str_from_slice(rest).ok()? {
            (referrer, []) => Some(referrer.into()),
            _ => return None,
        },
    };
    Some(Visit {
        path: path.into(),
        at: DateTime::from_timestamp_nanos(nanos),
        referrer,
    })
}

impl Part for Campaigns {
    const NAME: &'static str = "campaigns";

    fn footprint(&self) -> usize {
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
        size_of::<Self>()
            + self.touches.iter().map(touch).sum::<usize>()
            + self.first_touch.as_deref().map_or(0, touch)
            + self.last_touch.as_deref().map_or(0, touch)
    }
}

/// Registers tracking's parts.
pub fn register() {
    parts::register_log::<Visits>();
    parts::register::<Campaigns>();
}

/// A visit as JSON has always held it.
#[derive(Serialize, Deserialize)]
#[serde(rename = "Visit")]
struct Named<P, R> {
    path: P,
    at: DateTime<Utc>,
    referrer: R,
}

/// In JSON, `{path, at, referrer}`, as records always held it; in the binary form
/// a triple `[path, nanoseconds, referrer]`: a history of 100 visits is most of a
/// record, read on every page view, and names in every visit would triple the
/// work. A field added later goes at the end, and is optional.
impl Serialize for Visit {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            let named = Named {
                path: &self.path,
                at: self.at,
                referrer: &self.referrer,
            };
            return named.serialize(serializer);
        }
        let mut triple = serializer.serialize_tuple(3)?;
        triple.serialize_element(&self.path)?;
        // A visit is "now": nanoseconds in an i64 hold it until 2262.
        let nanos = self.at.timestamp_nanos_opt().unwrap_or(i64::MAX);
        triple.serialize_element(&nanos)?;
        triple.serialize_element(&self.referrer)?;
        triple.end()
    }
}

impl<'de> Deserialize<'de> for Visit {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if deserializer.is_human_readable() {
            let named = Named::<CompactString, Option<Box<str>>>::deserialize(deserializer)?;
            return Ok(Visit {
                path: named.path,
                at: named.at,
                referrer: named.referrer,
            });
        }
        deserializer.deserialize_seq(Triple)
    }
}

struct Triple;

impl<'de> Visitor<'de> for Triple {
    type Value = Visit;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a visit: [path, nanoseconds, referrer]")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Visit, A::Error> {
        use serde::de::Error;
        let path = seq
            .next_element()?
            .ok_or_else(|| A::Error::invalid_length(0, &self))?;
        let nanos: i64 = seq
            .next_element()?
            .ok_or_else(|| A::Error::invalid_length(1, &self))?;
        let referrer = seq.next_element()?.unwrap_or_default();
        // Fields a later version added.
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Visit {
            path,
            at: DateTime::from_timestamp_nanos(nanos),
            referrer,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Visit;
    use tailor_session::codec::{decode, encode, RecordFormat, BINARY};

    #[test]
    fn a_visit_is_named_in_json_and_a_triple_in_the_binary_form() {
        let visit = Visit {
            path: "/products/silk-tie".into(),
            at: "2026-12-07T15:37:00.5Z".parse().unwrap(),
            referrer: Some("https://news.example.com".into()),
        };
        let json = serde_json::to_value(&visit).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"path": "/products/silk-tie", "at": "2026-12-07T15:37:00.500Z",
                               "referrer": "https://news.example.com"})
        );
        let binary = encode(&visit, RecordFormat::Binary).unwrap();
        assert_eq!(binary[1], 0x93, "a fixarray of three");
        for bytes in [encode(&visit, RecordFormat::Json).unwrap(), binary] {
            assert_eq!(decode::<Visit>(&bytes).unwrap(), visit);
        }
        // A later version's fourth field is skipped; a missing referrer is none.
        let at = visit.at.timestamp_nanos_opt().unwrap();
        let longer = encode(&("/", at, None::<String>, "later"), RecordFormat::Binary).unwrap();
        let read: Visit = decode(&longer).unwrap();
        assert_eq!(
            (read.path.as_str(), read.at, read.referrer),
            ("/", visit.at, None)
        );
        // A log entry is read by hand, the same visit whichever shape.
        use tailor_session::parts::LogPart;
        for bytes in [
            encode(&visit, RecordFormat::Binary).unwrap(),
            longer.clone(),
        ] {
            let by_hand = super::Visits::decode_entry(&bytes).unwrap();
            assert_eq!(by_hand, decode::<Visit>(&bytes).unwrap());
        }
        let none = Visit {
            referrer: None,
            ..visit.clone()
        };
        let bytes = encode(&none, RecordFormat::Binary).unwrap();
        assert_eq!(super::Visits::decode_entry(&bytes).unwrap(), none);
        assert!(super::Visits::decode_entry(&bytes[..bytes.len() - 1]).is_err());
        let shorter = encode(&("/", at), RecordFormat::Binary).unwrap();
        assert_eq!(shorter[0], BINARY);
        assert!(decode::<Visit>(&shorter).is_ok());
    }
}
