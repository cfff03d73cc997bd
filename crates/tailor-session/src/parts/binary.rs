//! Parts in the binary record form ([`crate::codec`]): each part is its own
//! MessagePack value framed as bytes under its name, so reading one decodes it
//! with its own type's code (`rmp_serde::from_slice::<T>`), not through
//! `erased_serde`'s dynamic calls, and a part no type claims is kept as its bytes.

use serde::de::{Deserializer, Error as _, Visitor};
use serde::ser::Error as _;
use serde::{Serialize, Serializer};

use super::erased::{AnyPart, Raw, Unknown, REGISTRY};
use super::Part;

/// A part written as the bytes of its own MessagePack value.
pub(super) struct Framed<'a>(pub(super) &'a dyn AnyPart);

impl Serialize for Framed<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let bytes = self.0.encode_binary().map_err(S::Error::custom)?;
        serializer.serialize_bytes(&bytes)
    }
}

/// Encodes part `T` (monomorphic: registered as the part's encoder).
pub(super) fn encode<T: Part>(part: &T) -> Result<Vec<u8>, String> {
    rmp_serde::to_vec_named(part).map_err(|e| e.to_string())
}

/// Decodes part `T` from its bytes; nil or the default is no part at all.
pub(super) fn decode<T: Part>(bytes: &[u8]) -> Result<Option<Box<dyn AnyPart>>, String> {
    let part: Option<T> = rmp_serde::from_slice(bytes).map_err(|e| e.to_string())?;
    Ok(part
        .filter(|p| *p != T::default())
        .map(|p| Box::new(p) as Box<dyn AnyPart>))
}

/// Reads the framed part `name`: typed when its type is registered, else kept as
/// its bytes.
pub(super) fn read<'de, D: Deserializer<'de>>(
    name: &str,
    deserializer: D,
) -> Result<Option<Box<dyn AnyPart>>, D::Error> {
    let bytes = deserializer.deserialize_bytes(Bytes)?;
    let decode = REGISTRY
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .get(name)
        .map(|entry| entry.decode_binary);
    match decode {
        Some(decode) => decode(&bytes).map_err(|e| D::Error::custom(format!("{name}: {e}"))),
        // MessagePack's nil: no part.
        None if bytes.as_slice() == [0xc0] => Ok(None),
        None => Ok(Some(Box::new(Unknown {
            name: name.into(),
            value: Raw::Binary(bytes.into_boxed_slice()),
        }))),
    }
}

/// A byte string, borrowed or not.
struct Bytes;

impl<'de> Visitor<'de> for Bytes {
    type Value = Vec<u8>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a part's bytes")
    }

    fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Vec<u8>, E> {
        Ok(bytes.to_vec())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(byte) = seq.next_element()? {
            out.push(byte);
        }
        Ok(out)
    }
}

/// What a part no type claims holds, written in either form.
impl Serialize for Raw {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Raw::Json(value) => value.serialize(serializer),
            // Read from a binary record, written as JSON: through its value.
            Raw::Binary(bytes) => rmp_serde::from_slice::<serde_json::Value>(bytes)
                .map_err(S::Error::custom)?
                .serialize(serializer),
        }
    }
}
