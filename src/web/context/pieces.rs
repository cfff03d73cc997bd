//! The features' pieces of the page context: each feature puts its own typed
//! value ([`ContextPiece`]), which the templates read as `page.<NAME>` and Rust
//! code as [`PageContext::get`](super::PageContext::get); `web` names none of them.

use std::any::Any;

use serde::ser::{Serialize, SerializeMap, Serializer};

/// A feature's piece of the page context, shown to the templates as
/// `page.<NAME>` (an object, or whatever the value serialises to).
pub trait ContextPiece: Serialize + Send + Sync + 'static {
    /// Its name in the templates: unique among the features.
    const NAME: &'static str;
}

/// A piece behind `dyn`: serialised without knowing its type, found by it.
trait AnyPiece: erased_serde::Serialize + Send + Sync {
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

erased_serde::serialize_trait_object!(AnyPiece);

impl<T: ContextPiece> AnyPiece for T {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// The pieces of one page's context, in the order they were put.
#[derive(Default)]
pub struct Pieces(Vec<(&'static str, Box<dyn AnyPiece>)>);

impl Pieces {
    /// Puts `piece`, replacing one of its type.
    pub fn put<T: ContextPiece>(&mut self, piece: T) {
        match self.get_mut::<T>() {
            Some(slot) => *slot = piece,
            None => self.0.push((T::NAME, Box::new(piece))),
        }
    }

    /// The piece of type `T`, if its feature put one.
    pub fn get<T: ContextPiece>(&self) -> Option<&T> {
        self.0.iter().find_map(|(_, p)| p.as_any().downcast_ref())
    }

    /// The piece of type `T` to change.
    pub fn get_mut<T: ContextPiece>(&mut self) -> Option<&mut T> {
        self.0
            .iter_mut()
            .find_map(|(_, p)| p.as_any_mut().downcast_mut())
    }
}

/// As a map from each piece's name to the piece (flattened into `page`).
impl Serialize for Pieces {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, piece) in &self.0 {
            map.serialize_entry(name, piece)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::{ContextPiece, Pieces};

    #[derive(serde::Serialize, Debug, PartialEq)]
    struct Count {
        n: u32,
    }

    impl ContextPiece for Count {
        const NAME: &'static str = "count";
    }

    #[derive(serde::Serialize)]
    #[serde(transparent)]
    struct Note(Option<&'static str>);

    impl ContextPiece for Note {
        const NAME: &'static str = "note";
    }

    #[test]
    fn pieces_are_found_by_type_and_shown_by_name() {
        let mut pieces = Pieces::default();
        assert!(pieces.get::<Count>().is_none());
        pieces.put(Count { n: 1 });
        pieces.put(Note(None));
        pieces.put(Count { n: 2 });
        pieces.get_mut::<Count>().unwrap().n += 1;
        assert_eq!(pieces.get::<Count>(), Some(&Count { n: 3 }));
        let json = serde_json::to_value(&pieces).unwrap();
        assert_eq!(json, serde_json::json!({"count": {"n": 3}, "note": null}));
    }
}
