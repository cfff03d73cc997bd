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
    pub(super) value: serde_json::Value,
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
        self.name.len() + self.value.to_string().len() + 64
    }
    fn as_serialize(&self) -> &dyn erased_serde::Serialize {
        &self.value
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

/// What a registered name decodes to.
pub(super) struct Entry {
    type_id: TypeId,
    pub(super) decode: Decode,
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
