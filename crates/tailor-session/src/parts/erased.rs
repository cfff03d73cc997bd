//! Parts behind `dyn`: the erased part trait, stored parts no type claims, and the
//! registry that decodes a stored name to its type.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt::Debug;
use std::sync::{LazyLock, RwLock};

use super::Part;

/// A part behind a pointer, its type erased.
pub(super) trait AnyPart: Any + Debug + Send + Sync {
    fn name(&self) -> &str;
    fn clone_part(&self) -> Box<dyn AnyPart>;
    fn same_as(&self, other: &dyn AnyPart) -> bool;
    fn worth_keeping(&self) -> bool;
    fn footprint(&self) -> usize;
    fn as_serialize(&self) -> &dyn erased_serde::Serialize;
    /// The part's own MessagePack value (for the binary record form).
    fn encode_binary(&self) -> Result<Vec<u8>, String>;
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: Part> AnyPart for T {
    fn name(&self) -> &str {
        T::NAME
    }
    fn clone_part(&self) -> Box<dyn AnyPart> {
        Box::new(self.clone())
    }
    fn same_as(&self, other: &dyn AnyPart) -> bool {
        other.as_any().downcast_ref::<T>() == Some(self)
    }
    fn worth_keeping(&self) -> bool {
        Part::worth_keeping(self)
    }
    fn footprint(&self) -> usize {
        Part::footprint(self) + 16
    }
    fn as_serialize(&self) -> &dyn erased_serde::Serialize {
        self
    }
    fn encode_binary(&self) -> Result<Vec<u8>, String> {
        super::binary::encode(self)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// A stored part no registered type claims, kept as it was read.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Unknown {
    pub(super) name: Box<str>,
    pub(super) value: Raw,
}

/// An unclaimed part as read: a JSON value, or the bytes of a binary record's.
#[derive(Clone, Debug)]
pub(super) enum Raw {
    Json(serde_json::Value),
    Binary(Box<[u8]>),
}

/// The same value, whichever form each was read from.
impl PartialEq for Raw {
    fn eq(&self, other: &Self) -> bool {
        let value = |bytes: &[u8]| rmp_serde::from_slice::<serde_json::Value>(bytes).ok();
        match (self, other) {
            (Raw::Json(a), Raw::Json(b)) => a == b,
            (Raw::Binary(a), Raw::Binary(b)) => a == b,
            (Raw::Json(a), Raw::Binary(b)) | (Raw::Binary(b), Raw::Json(a)) => {
                value(b).as_ref() == Some(a)
            }
        }
    }
}

impl AnyPart for Unknown {
    fn name(&self) -> &str {
        &self.name
    }
    fn clone_part(&self) -> Box<dyn AnyPart> {
        Box::new(self.clone())
    }
    fn same_as(&self, other: &dyn AnyPart) -> bool {
        other.as_any().downcast_ref::<Unknown>() == Some(self)
    }
    fn worth_keeping(&self) -> bool {
        // Unknown to this process, so it cannot tell: keep it.
        true
    }
    fn footprint(&self) -> usize {
        let size = match &self.value {
            Raw::Json(value) => value.to_string().len(),
            Raw::Binary(bytes) => bytes.len(),
        };
        self.name.len() + size + 64
    }
    fn as_serialize(&self) -> &dyn erased_serde::Serialize {
        &self.value
    }
    fn encode_binary(&self) -> Result<Vec<u8>, String> {
        match &self.value {
            Raw::Json(value) => rmp_serde::to_vec_named(value).map_err(|e| e.to_string()),
            Raw::Binary(bytes) => Ok(bytes.to_vec()),
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

pub(super) type Decode = fn(
    &mut dyn erased_serde::Deserializer,
) -> Result<Option<Box<dyn AnyPart>>, erased_serde::Error>;

/// Decodes a part from its bytes in a binary record.
pub(super) type DecodeBinary = fn(&[u8]) -> Result<Option<Box<dyn AnyPart>>, String>;

/// What a registered name decodes to.
pub(super) struct Entry {
    type_id: TypeId,
    pub(super) decode: Decode,
    /// From the part's bytes in a binary record, with the type's own code.
    pub(super) decode_binary: DecodeBinary,
    /// Set for a log part ([`super::register_log`]).
    pub(super) log: Option<LogCodec>,
}

/// A log part from its list's entries, then the entries the record held.
pub(super) type ReadLog =
    fn(&[&[u8]], Option<&dyn AnyPart>) -> Result<Option<Box<dyn AnyPart>>, crate::StoreError>;

/// What became of a log from the record as read to the record as written.
pub(super) type LogChangeOf = fn(
    Option<&dyn AnyPart>,
    Option<&dyn AnyPart>,
    crate::RecordFormat,
) -> Result<super::LogChange, crate::StoreError>;

/// How a store that keeps a log apart reads it and learns what a write did to it.
pub(super) struct LogCodec {
    pub(super) read: ReadLog,
    pub(super) change: LogChangeOf,
}

pub(super) static REGISTRY: LazyLock<RwLock<HashMap<&'static str, Entry>>> =
    LazyLock::new(Default::default);

/// Decodes a `T`; null or the default is no part at all.
fn decode<T: Part>(
    deserializer: &mut dyn erased_serde::Deserializer,
) -> Result<Option<Box<dyn AnyPart>>, erased_serde::Error> {
    let part: Option<T> = erased_serde::deserialize(deserializer)?;
    Ok(part
        .filter(|p| *p != T::default())
        .map(|p| Box::new(p) as Box<dyn AnyPart>))
}

/// Registers part type `T`, so stored records decode its name to it. Registering
/// the same type again does nothing.
///
/// # Panics
/// When another type is registered under `T::NAME`: two parts may not share a key.
pub fn register<T: Part>() {
    let mut registry = REGISTRY.write().unwrap_or_else(|e| e.into_inner());
    let entry = registry.entry(T::NAME).or_insert(Entry {
        type_id: TypeId::of::<T>(),
        decode: decode::<T>,
        decode_binary: super::binary::decode::<T>,
        log: None,
    });
    assert!(
        entry.type_id == TypeId::of::<T>(),
        "two part types are named {:?}",
        T::NAME
    );
}

impl Clone for super::Parts {
    fn clone(&self) -> Self {
        super::Parts {
            parts: self
                .parts
                .as_deref()
                .map(|slots| slots.iter().map(|p| p.clone_part()).collect()),
        }
    }
}
