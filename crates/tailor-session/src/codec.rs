//! How a record is written where it leaves the process (Redis, snapshots): a
//! compact binary form, or JSON as every earlier version wrote it. Both are read,
//! whichever is written ([`RecordFormat`]), so records stored before an upgrade
//! load after it, and instances of a rolling upgrade can share a store (deploy
//! with `Json` until every instance reads the binary form, then switch).
//!
//! The binary form is a leading [`BINARY`] byte and the record in MessagePack,
//! structs as maps of their field names: self-describing like JSON (a field added
//! with a default, or left out when empty, still reads; a part no type claims is
//! kept as it was), without JSON's text: lengths instead of escapes, numbers as
//! numbers, and times as integers ([`compact_time`]). A record made of
//! [`parts`](crate::parts) frames each part as the bytes of its own value, read
//! with its type's own code rather than through `erased_serde`. A JSON record
//! starts with `{`, so the first byte tells the two apart.
//!
//! Why not `postcard` (or `bincode`, unmaintained): a format that is not
//! self-describing cannot skip an absent field, read an older record whose struct
//! had fewer fields, or keep a part this process does not know; every part type
//! would need a frozen binary twin.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::StoreError;

/// The first byte of a record in the binary form (MessagePack follows).
pub const BINARY: u8 = 0x01;

/// Which form records are written in (both are always read).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordFormat {
    /// MessagePack after a leading [`BINARY`] byte: smaller and faster to read.
    #[default]
    Binary,
    /// JSON, as versions before the binary form wrote (and read) records.
    Json,
}

/// `value` in `format`.
///
/// # Errors
/// [`StoreError::Encode`] when the value cannot be serialised.
pub fn encode<T: Serialize + ?Sized>(
    value: &T,
    format: RecordFormat,
) -> Result<Vec<u8>, StoreError> {
    match format {
        RecordFormat::Json => serde_json::to_vec(value).map_err(|e| StoreError::Encode(e.into())),
        RecordFormat::Binary => {
            let mut out = Vec::with_capacity(512);
            out.push(BINARY);
            let mut serializer = rmp_serde::Serializer::new(&mut out).with_struct_map();
            value
                .serialize(&mut serializer)
                .map_err(|e| StoreError::Encode(e.into()))?;
            Ok(out)
        }
    }
}

/// The value `bytes` hold, in either form.
///
/// # Errors
/// [`StoreError::Decode`] when the bytes are not a value of `T` in either form.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    match bytes.split_first() {
        Some((&BINARY, rest)) => {
            rmp_serde::from_slice(rest).map_err(|e| StoreError::Decode(e.into()))
        }
        _ => serde_json::from_slice(bytes).map_err(|e| StoreError::Decode(e.into())),
    }
}

/// A time as RFC 3339 text in a human-readable form (JSON: as records always
/// were), as nanoseconds since the epoch (an integer) in the binary form, which
/// is what makes a long visit history cheap to read. Use it with
/// `#[serde(with = "tailor_session::codec::compact_time")]`.
pub mod compact_time {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes `time`: text when the format is human-readable, else an integer.
    ///
    /// # Errors
    /// The serializer's.
    pub fn serialize<S: Serializer>(
        time: &DateTime<Utc>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match time.timestamp_nanos_opt() {
            Some(nanos) if !serializer.is_human_readable() => serializer.serialize_i64(nanos),
            _ => time.serialize(serializer),
        }
    }

    /// Reads a time written by [`serialize`] (or as text, in any form).
    ///
    /// # Errors
    /// The deserializer's, when the value is neither.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<Utc>, D::Error> {
        if deserializer.is_human_readable() {
            return DateTime::deserialize(deserializer);
        }
        deserializer.deserialize_any(Either)
    }

    /// An integer of nanoseconds, or RFC 3339 text (a time outside the years
    /// 1677 to 2262, which nanoseconds in an `i64` cannot hold).
    struct Either;

    impl serde::de::Visitor<'_> for Either {
        type Value = DateTime<Utc>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a time")
        }

        fn visit_i64<E: serde::de::Error>(self, nanos: i64) -> Result<Self::Value, E> {
            Ok(DateTime::from_timestamp_nanos(nanos))
        }

        fn visit_u64<E: serde::de::Error>(self, nanos: u64) -> Result<Self::Value, E> {
            i64::try_from(nanos)
                .map(DateTime::from_timestamp_nanos)
                .map_err(|_| E::custom("a time past 2262 as nanoseconds"))
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
            text.parse().map_err(E::custom)
        }
    }

    /// A time to write as a map's value (for records that write their own map).
    pub struct Compact<'a>(pub &'a DateTime<Utc>);

    impl Serialize for Compact<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serialize(self.0, serializer)
        }
    }

    /// A time read from a map's value (for records that read their own map).
    pub struct Read(pub DateTime<Utc>);

    impl<'de> Deserialize<'de> for Read {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize(deserializer).map(Read)
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, TimeZone, Utc};
    use serde::{Deserialize, Serialize};

    use super::{compact_time, decode, encode, RecordFormat, BINARY};
    use crate::Values;

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Seen {
        #[serde(with = "compact_time")]
        at: DateTime<Utc>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    }

    #[test]
    fn either_form_reads_back_and_the_first_byte_tells_them_apart() {
        let mut values = Values::default();
        values.insert("theme", "dark");
        values.insert("visits", serde_json::json!([1, 2, {"path": "/"}]));
        for format in [RecordFormat::Binary, RecordFormat::Json] {
            let bytes = encode(&values, format).unwrap();
            assert_eq!(bytes[0] == BINARY, format == RecordFormat::Binary);
            assert_eq!(decode::<Values>(&bytes).unwrap(), values);
        }
        // JSON as earlier versions wrote it.
        let old = br#"{"values":{"theme":"dark"}}"#;
        assert_eq!(
            decode::<Values>(old)
                .unwrap()
                .get::<String>("theme")
                .unwrap(),
            "dark"
        );
        assert!(
            decode::<Values>(&[BINARY, 0xc1]).is_err(),
            "0xc1 is never used"
        );
    }

    #[test]
    fn times_are_integers_in_the_binary_form_and_text_in_json() {
        let at = Utc.with_ymd_and_hms(2026, 12, 7, 15, 37, 0).unwrap()
            + chrono::Duration::nanoseconds(123_456_789);
        let seen = Seen { at, note: None };
        let json = encode(&seen, RecordFormat::Json).unwrap();
        assert_eq!(
            String::from_utf8(json.clone()).unwrap(),
            r#"{"at":"2026-12-07T15:37:00.123456789Z"}"#
        );
        let binary = encode(&seen, RecordFormat::Binary).unwrap();
        assert!(
            binary.len() < json.len() / 2,
            "{} vs {}",
            binary.len(),
            json.len()
        );
        for bytes in [json, binary] {
            assert_eq!(decode::<Seen>(&bytes).unwrap(), seen);
        }
        // A field left out when empty, or added later with a default, still reads.
        let noted = Seen {
            at,
            note: Some("n".into()),
        };
        let bytes = encode(&noted, RecordFormat::Binary).unwrap();
        assert_eq!(decode::<Seen>(&bytes).unwrap(), noted);
        // A time nanoseconds cannot hold is written as text, and read back.
        let far = Seen {
            at: Utc.with_ymd_and_hms(2300, 1, 1, 0, 0, 0).unwrap(),
            note: None,
        };
        assert_eq!(
            decode::<Seen>(&encode(&far, RecordFormat::Binary).unwrap()).unwrap(),
            far
        );
    }
}
