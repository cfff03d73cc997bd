//! The stored form of [`Parts`] as serde sees it: one map keyed by part name, and
//! the [`Seed`] a record with fields of its own reads its parts with.

use serde::de::{DeserializeSeed, Deserializer};
use serde::ser::SerializeMap;
use serde::Serialize;

use super::Parts;

impl Serialize for Parts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let human_readable = serializer.is_human_readable();
        let mut map = serializer.serialize_map(Some(self.slots().len()))?;
        self.serialize_entries(&mut map, human_readable)?;
        map.end()
    }
}

impl<'de> serde::Deserialize<'de> for Parts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Parts;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a map of parts")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Parts, A::Error> {
                let mut parts = Parts::default();
                while let Some(name) = map.next_key::<String>()? {
                    map.next_value_seed(Seed {
                        parts: &mut parts,
                        name: &name,
                    })?;
                }
                Ok(parts)
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

/// A [`DeserializeSeed`] that reads a map value as the part `name` into `parts`,
/// for a record's own `Deserialize` (`map.next_value_seed(parts::Seed { .. })`).
pub struct Seed<'a> {
    pub parts: &'a mut Parts,
    pub name: &'a str,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        self.parts.deserialize_entry(self.name, deserializer)
    }
}
