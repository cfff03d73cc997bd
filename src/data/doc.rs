//! [`Doc`]: one of an account's JSON documents (its preferences, its cart) as read
//! from the database, decoded into the type a feature reads it as on first use.
//!
//! The accounts keep an account's documents without knowing their types: the
//! feature that owns one reads it with `doc.get::<Cart>()` (decoded once per
//! read of the account, then shared), and writes it through the database's
//! atomic `change_document`.

use std::any::Any;
use std::fmt;
use std::sync::{Arc, OnceLock};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// A JSON document, decoded lazily and once.
#[derive(Default)]
pub struct Doc {
    value: Value,
    typed: OnceLock<Arc<dyn Any + Send + Sync>>,
}

impl Doc {
    /// The document as a `T`: decoded on first use; a document that is not one
    /// (null, or written by another version) reads as `T::default()`.
    ///
    /// # Panics
    /// When one document is read as two different types.
    pub fn get<T: DeserializeOwned + Default + Send + Sync + 'static>(&self) -> &T {
        let typed = self.typed.get_or_init(|| {
            let decoded = T::deserialize(&self.value).unwrap_or_else(|e| {
                if !self.value.is_null() {
                    rocket::warn!("an account document could not be read ({e}); it reads as empty");
                }
                T::default()
            });
            Arc::new(decoded)
        });
        typed
            .downcast_ref::<T>()
            .expect("an account document is read as one type")
    }

    /// The document holding `value`.
    ///
    /// # Errors
    /// When `value` cannot be serialised.
    pub fn of<T: Serialize + Send + Sync + 'static>(value: T) -> serde_json::Result<Doc> {
        let json = serde_json::to_value(&value)?;
        let typed: Arc<dyn Any + Send + Sync> = Arc::new(value);
        Ok(Doc {
            value: json,
            typed: OnceLock::from(typed),
        })
    }
}

impl Clone for Doc {
    fn clone(&self) -> Self {
        Doc {
            value: self.value.clone(),
            typed: self.typed.clone(),
        }
    }
}

impl fmt::Debug for Doc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl Serialize for Doc {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Doc {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Doc {
            value: Value::deserialize(deserializer)?,
            typed: OnceLock::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq, Deserialize, Serialize)]
    struct Cart {
        lines: Vec<String>,
    }

    #[test]
    fn a_document_decodes_once_into_its_type() {
        let doc: Doc = serde_json::from_str(r#"{"lines":["silk-tie"]}"#).unwrap();
        assert_eq!(doc.get::<Cart>().lines, ["silk-tie"]);
        let first: *const Cart = doc.get::<Cart>();
        assert_eq!(first, doc.get::<Cart>() as *const Cart, "decoded once");
        assert_eq!(
            serde_json::to_string(&doc).unwrap(),
            r#"{"lines":["silk-tie"]}"#
        );
    }

    #[test]
    fn an_unreadable_document_reads_as_the_default() {
        let doc: Doc = serde_json::from_str(r#"{"lines":"many"}"#).unwrap();
        assert_eq!(doc.get::<Cart>(), &Cart::default());
        let made = Doc::of(Cart {
            lines: vec!["x".into()],
        })
        .unwrap();
        assert_eq!(made.get::<Cart>().lines, ["x"]);
        assert_eq!(serde_json::to_value(&made).unwrap()["lines"][0], "x");
    }
}
