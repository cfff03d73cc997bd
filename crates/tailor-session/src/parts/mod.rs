//! [`Parts`]: a record made of typed parts, each named once.
//!
//! A part is any serde type that implements [`Part`] (its `NAME` is its key in
//! the stored form). A record holds the parts it has in one boxed slice: a record
//! with none costs one null pointer. Reading is typed and never touches JSON
//! (`parts.get::<Cart>()`); writing adds the part on first use
//! (`parts.get_mut::<Cart>()`). The stored form is one flat object keyed by part
//! name; a stored part whose type is not registered (a feature switched off) is
//! kept as it is and written back unchanged.
//!
//! Part types are registered once per process ([`register`]) before records are
//! read, so the deserializer knows which type a name decodes to.

use std::fmt::Debug;

mod binary;
mod erased;
mod log;
mod stored;

pub use erased::register;
use erased::{AnyPart, Raw, Unknown, REGISTRY};
pub use log::{register_log, LogChange, LogPart, Logs, WithParts};
pub use stored::Seed;

use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde::ser::SerializeMap;
use serde::Serialize;

/// One typed piece of a session record.
///
/// # Examples
///
/// ```
/// use serde::{Deserialize, Serialize};
/// use tailor_session::parts::{self, Part, Parts};
///
/// #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
/// struct Cart {
///     lines: Vec<String>,
/// }
///
/// impl Part for Cart {
///     const NAME: &'static str = "cart";
///     fn worth_keeping(&self) -> bool {
///         !self.lines.is_empty()
///     }
/// }
///
/// parts::register::<Cart>();
/// let mut record = Parts::default();
/// assert!(record.get::<Cart>().is_none());
/// record.get_mut::<Cart>().lines.push("silk-tie".into());
/// assert_eq!(record.get::<Cart>().unwrap().lines.len(), 1);
/// assert!(record.worth_keeping());
///
/// let json = serde_json::to_string(&record).unwrap();
/// assert_eq!(json, r#"{"cart":{"lines":["silk-tie"]}}"#);
/// let back: Parts = serde_json::from_str(&json).unwrap();
/// assert_eq!(back, record);
/// ```
pub trait Part:
    Clone + Debug + Default + PartialEq + Serialize + DeserializeOwned + Send + Sync + 'static
{
    /// The part's key in the stored form; unique among a record's parts.
    const NAME: &'static str;

    /// Whether the part holds something its visitor chose (a cart line, a
    /// preference), as opposed to what was recorded about them. The memory store
    /// evicts records where no part says so first ([`crate::Weigher`]).
    fn worth_keeping(&self) -> bool {
        false
    }

    /// About how many bytes the part takes, inline and on the heap.
    fn footprint(&self) -> usize {
        std::mem::size_of::<Self>()
    }
}

/// The parts of one record.
#[derive(Default)]
pub struct Parts {
    parts: Option<Box<[Box<dyn AnyPart>]>>,
}

impl Parts {
    fn slots(&self) -> &[Box<dyn AnyPart>] {
        self.parts.as_deref().unwrap_or(&[])
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.slots().iter().position(|p| p.name() == name)
    }

    /// Part `T`, if the record has it.
    pub fn get<T: Part>(&self) -> Option<&T> {
        self.slots()
            .iter()
            .find_map(|p| p.as_any().downcast_ref::<T>())
    }

    /// Part `T` to change, if the record has it.
    pub fn get_existing_mut<T: Part>(&mut self) -> Option<&mut T> {
        self.parts
            .as_deref_mut()?
            .iter_mut()
            .find_map(|p| p.as_any_mut().downcast_mut::<T>())
    }

    /// Part `T` to change, added (as its default) when the record has none.
    pub fn get_mut<T: Part>(&mut self) -> &mut T {
        let index = match self.position(T::NAME) {
            // A stored part of an unregistered type gives way to the typed one.
            Some(i) if self.slots()[i].as_any().is::<T>() => i,
            found => {
                self.put(found, Box::new(T::default()));
                found.unwrap_or(self.slots().len() - 1)
            }
        };
        let slots = self
            .parts
            .as_deref_mut()
            .expect("the part was just found or added");
        slots[index]
            .as_any_mut()
            .downcast_mut::<T>()
            .expect("the slot holds a T")
    }

    /// Sets part `T`; its default removes it.
    pub fn set<T: Part>(&mut self, part: T) {
        if part == T::default() {
            self.remove::<T>();
        } else {
            *self.get_mut::<T>() = part;
        }
    }

    /// Removes part `T` and gives it back.
    pub fn remove<T: Part>(&mut self) -> Option<T> {
        let index = self.position(T::NAME)?;
        let mut slots = std::mem::take(&mut self.parts)?.into_vec();
        let part = slots.remove(index);
        self.parts = (!slots.is_empty()).then(|| slots.into_boxed_slice());
        part.as_any().downcast_ref::<T>().cloned()
    }

    /// Puts `part` at `index`, or after the others.
    fn put(&mut self, index: Option<usize>, part: Box<dyn AnyPart>) {
        let mut slots = std::mem::take(&mut self.parts)
            .map(<[_]>::into_vec)
            .unwrap_or_default();
        match index {
            Some(i) => slots[i] = part,
            None => {
                slots.reserve_exact(1);
                slots.push(part);
            }
        }
        self.parts = Some(slots.into_boxed_slice());
    }

    /// How many parts the record has.
    pub fn len(&self) -> usize {
        self.slots().len()
    }

    /// Whether the record has no part.
    pub fn is_empty(&self) -> bool {
        self.parts.is_none()
    }

    /// Whether some part holds something its visitor chose ([`Part::worth_keeping`]).
    pub fn worth_keeping(&self) -> bool {
        self.slots().iter().any(|p| p.worth_keeping())
    }

    /// About how many bytes the parts take on the heap.
    pub fn footprint(&self) -> usize {
        self.slots().iter().map(|p| p.footprint() + 16).sum()
    }

    /// Writes every part as an entry of `map` (for a record that flattens its
    /// parts beside fields of its own): as its value in a human-readable form
    /// (JSON), as its own framed value in the binary form (see [`crate::codec`]).
    ///
    /// # Errors
    /// The serializer's.
    pub fn serialize_entries<M: SerializeMap>(
        &self,
        map: &mut M,
        human_readable: bool,
    ) -> Result<(), M::Error> {
        for part in self.slots() {
            if human_readable {
                map.serialize_entry(part.name(), part.as_serialize())?;
            } else {
                map.serialize_entry(part.name(), &binary::Framed(part.as_ref()))?;
            }
        }
        Ok(())
    }

    /// Reads the stored part named `name` from `deserializer` (a map's value) and
    /// adds it: typed when its type is registered, else kept as it is.
    ///
    /// # Errors
    /// The deserializer's, naming the part, when the value is not one of its type.
    pub fn deserialize_entry<'de, D: Deserializer<'de>>(
        &mut self,
        name: &str,
        deserializer: D,
    ) -> Result<(), D::Error> {
        if !deserializer.is_human_readable() {
            let part = binary::read(name, deserializer)?;
            if let Some(part) = part {
                let index = self.position(name);
                self.put(index, part);
            }
            return Ok(());
        }
        let decode = REGISTRY
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
            .map(|entry| entry.decode);
        let part = match decode {
            Some(decode) => {
                let mut erased = <dyn erased_serde::Deserializer>::erase(deserializer);
                decode(&mut erased).map_err(|e| D::Error::custom(format!("{name}: {e}")))?
            }
            None => {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                (!value.is_null()).then(|| {
                    Box::new(Unknown {
                        name: name.into(),
                        value: Raw::Json(value),
                    }) as Box<dyn AnyPart>
                })
            }
        };
        if let Some(part) = part {
            let index = self.position(name);
            self.put(index, part);
        }
        Ok(())
    }
}

impl Debug for Parts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.slots()).finish()
    }
}

impl PartialEq for Parts {
    fn eq(&self, other: &Self) -> bool {
        self.slots().len() == other.slots().len()
            && self.slots().iter().all(|p| {
                other
                    .slots()
                    .iter()
                    .any(|q| q.name() == p.name() && p.same_as(q.as_ref()))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Visits(Vec<u32>);

    impl Part for Visits {
        const NAME: &'static str = "visits";
    }

    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Theme {
        dark: bool,
    }

    impl Part for Theme {
        const NAME: &'static str = "theme";
        fn worth_keeping(&self) -> bool {
            self.dark
        }
    }

    fn registered() {
        register::<Visits>();
        register::<Theme>();
    }

    #[test]
    fn parts_are_added_on_first_write_and_removed() {
        registered();
        let mut parts = Parts::default();
        assert!(parts.is_empty() && parts.get::<Visits>().is_none());
        parts.get_mut::<Visits>().0.push(1);
        parts.get_mut::<Theme>().dark = true;
        parts.get_mut::<Visits>().0.push(2);
        assert_eq!(parts.get::<Visits>().unwrap().0, [1, 2]);
        assert!(parts.worth_keeping());
        assert_eq!(parts.remove::<Theme>(), Some(Theme { dark: true }));
        assert!(!parts.worth_keeping());
        parts.set(Visits::default());
        assert!(parts.is_empty(), "setting the default removes the part");
    }

    #[test]
    fn the_stored_form_is_flat_and_keeps_what_it_does_not_know() {
        registered();
        let json = r#"{"visits":[3],"theme":null,"from_elsewhere":{"a":1}}"#;
        let parts: Parts = serde_json::from_str(json).unwrap();
        assert_eq!(parts.get::<Visits>(), Some(&Visits(vec![3])));
        assert!(parts.get::<Theme>().is_none(), "null is no part");
        let back = serde_json::to_value(&parts).unwrap();
        assert_eq!(
            back,
            serde_json::json!({"visits": [3], "from_elsewhere": {"a": 1}})
        );
        assert!(parts.worth_keeping(), "an unknown part is kept");
        let defaults: Parts = serde_json::from_str(r#"{"visits":[]}"#).unwrap();
        assert!(defaults.is_empty(), "a stored default takes no room");
    }

    #[test]
    fn the_binary_form_frames_each_part_and_keeps_what_it_does_not_know() {
        use crate::codec::{decode, encode, RecordFormat};
        registered();
        let json = r#"{"visits":[3],"theme":{"dark":true},"from_elsewhere":{"a":[1,"x"]}}"#;
        let parts: Parts = serde_json::from_str(json).unwrap();
        let binary = encode(&parts, RecordFormat::Binary).unwrap();
        let back: Parts = decode(&binary).unwrap();
        assert_eq!(back.get::<Visits>(), Some(&Visits(vec![3])));
        assert_eq!(back.get::<Theme>(), Some(&Theme { dark: true }));
        // The unknown part, kept as its bytes, is written back in either form.
        let again: Parts = decode(&encode(&back, RecordFormat::Binary).unwrap()).unwrap();
        assert_eq!(
            serde_json::to_value(&again).unwrap(),
            serde_json::json!({"visits": [3], "theme": {"dark": true}, "from_elsewhere": {"a": [1, "x"]}})
        );
        // `visits` holding the bytes of `true`.
        let wrong = [
            0x81, 0xa6, b'v', b'i', b's', b'i', b't', b's', 0xc4, 1, 0xc3,
        ];
        let e = rmp_serde::from_slice::<Parts>(&wrong).unwrap_err();
        assert!(
            e.to_string().contains("visits"),
            "a wrong value names its part: {e}"
        );
    }

    #[test]
    fn a_wrong_value_names_its_part() {
        registered();
        let e = serde_json::from_str::<Parts>(r#"{"visits":"many"}"#).unwrap_err();
        assert!(e.to_string().contains("visits"), "{e}");
    }

    #[test]
    fn clones_compare_equal_and_are_independent() {
        registered();
        let mut parts = Parts::default();
        parts.get_mut::<Visits>().0.push(1);
        let mut copy = parts.clone();
        assert_eq!(copy, parts);
        copy.get_mut::<Visits>().0.push(2);
        assert_ne!(copy, parts);
    }

    #[test]
    #[should_panic(expected = "two part types")]
    fn two_types_may_not_share_a_name() {
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
        struct Other;
        impl Part for Other {
            const NAME: &'static str = "visits";
        }
        register::<Visits>();
        register::<Other>();
    }
}
