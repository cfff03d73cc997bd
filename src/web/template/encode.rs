//! The byte encoding the render cache's key hashes: a serde serializer writing a
//! compact, self-delimiting form of a typed context (see [`super::key`]).

use serde::ser::{self, Serialize};

/// Why a context could not be encoded (a serializer refusal, which serde's derived
/// impls do not make).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(super) struct EncodeError(String);

impl ser::Error for EncodeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        EncodeError(msg.to_string())
    }
}

pub(super) struct Encoder<'a>(pub(super) &'a mut Vec<u8>);

// Tags: the first byte of each value.
const UNIT: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const INT: u8 = 3;
const FLOAT: u8 = 4;
const STR: u8 = 5;
const BYTES: u8 = 6;
const NONE: u8 = 7;
const SOME: u8 = 8;
const VARIANT: u8 = 9;
const SEQ: u8 = 10;
const MAP: u8 = 11;
const STRUCT: u8 = 12;
const END: u8 = 13;
const CHAR: u8 = 14;
const WIDE: u8 = 15;
const SIGNED: u8 = 16;
const WIDE_UNSIGNED: u8 = 17;

impl Encoder<'_> {
    pub(super) fn str(&mut self, s: &str) {
        self.0.push(STR);
        self.0.extend_from_slice(&(s.len() as u64).to_le_bytes());
        self.0.extend_from_slice(s.as_bytes());
    }

    fn int(&mut self, v: u64) {
        self.0.push(INT);
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    fn signed(&mut self, v: i64) {
        self.0.push(SIGNED);
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    fn variant(&mut self, index: u32, name: &str) {
        self.0.push(VARIANT);
        self.0.extend_from_slice(&index.to_le_bytes());
        self.str(name);
    }
}

/// Signed and unsigned integers have their own tags (a JSON number in a context
/// may be either: -1 and 2⁶⁴-1 must not encode alike).
macro_rules! ints {
    ($($method:ident: $t:ty => $write:ident as $wide:ty),*) => {
        $(fn $method(self, v: $t) -> Result<(), EncodeError> {
            self.$write(<$wide>::from(v));
            Ok(())
        })*
    };
}

impl<'a, 'b> ser::Serializer for &'a mut Encoder<'b> {
    type Ok = ();
    type Error = EncodeError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    ints!(serialize_i8: i8 => signed as i64, serialize_i16: i16 => signed as i64,
          serialize_i32: i32 => signed as i64, serialize_i64: i64 => signed as i64,
          serialize_u8: u8 => int as u64, serialize_u16: u16 => int as u64,
          serialize_u32: u32 => int as u64, serialize_u64: u64 => int as u64);

    fn serialize_i128(self, v: i128) -> Result<(), EncodeError> {
        self.0.push(WIDE);
        self.0.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result<(), EncodeError> {
        self.0.push(WIDE_UNSIGNED);
        self.0.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_bool(self, v: bool) -> Result<(), EncodeError> {
        self.0.push(if v { TRUE } else { FALSE });
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), EncodeError> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), EncodeError> {
        self.0.push(FLOAT);
        self.0.extend_from_slice(&v.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), EncodeError> {
        self.0.push(CHAR);
        self.0.extend_from_slice(&u32::from(v).to_le_bytes());
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), EncodeError> {
        self.str(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), EncodeError> {
        self.0.push(BYTES);
        self.0.extend_from_slice(&(v.len() as u64).to_le_bytes());
        self.0.extend_from_slice(v);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), EncodeError> {
        self.0.push(NONE);
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), EncodeError> {
        self.0.push(SOME);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), EncodeError> {
        self.0.push(UNIT);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), EncodeError> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Result<(), EncodeError> {
        self.variant(index, variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), EncodeError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), EncodeError> {
        self.variant(index, variant);
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, EncodeError> {
        self.0.push(SEQ);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, EncodeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Self, EncodeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        index: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, EncodeError> {
        self.variant(index, variant);
        self.serialize_seq(None)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, EncodeError> {
        self.0.push(MAP);
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, EncodeError> {
        self.0.push(STRUCT);
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        index: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, EncodeError> {
        self.variant(index, variant);
        self.serialize_struct("", 0)
    }
}

/// Each element is self-delimiting; the end tag closes the list.
macro_rules! compound {
    ($($trait:ident :: $method:ident),*) => {
        $(impl ser::$trait for &mut Encoder<'_> {
            type Ok = ();
            type Error = EncodeError;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), EncodeError> {
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), EncodeError> {
                self.0.push(END);
                Ok(())
            }
        })*
    };
}
compound!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for &mut Encoder<'_> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), EncodeError> {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), EncodeError> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), EncodeError> {
        self.0.push(END);
        Ok(())
    }
}

/// Fields carry their names: a field left out (`skip_serializing_if`) cannot make
/// two structs encode alike.
macro_rules! fields {
    ($($trait:ident),*) => {
        $(impl ser::$trait for &mut Encoder<'_> {
            type Ok = ();
            type Error = EncodeError;
            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                name: &'static str,
                value: &T,
            ) -> Result<(), EncodeError> {
                self.str(name);
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), EncodeError> {
                self.0.push(END);
                Ok(())
            }
        })*
    };
}
fields!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::super::key::key_of;
    use serde::Serialize;
    use serde_json::json;

    #[derive(Serialize)]
    struct Card {
        #[serde(skip_serializing_if = "Option::is_none")]
        a: Option<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        b: Option<&'static str>,
    }

    #[derive(Serialize)]
    struct Flat<T: Serialize> {
        x: u8,
        #[serde(flatten)]
        rest: T,
    }

    fn key<T: Serialize>(value: &T) -> u128 {
        key_of("page", "en", value).unwrap()
    }

    #[test]
    fn equal_contexts_share_a_key_and_it_is_not_the_template_or_language_of_another() {
        let v = json!({"name": "Ada", "n": [1, 2]});
        assert_eq!(key(&v), key(&v.clone()));
        assert_ne!(key_of("page", "en", &v), key_of("page", "es", &v));
        assert_ne!(key_of("page", "en", &v), key_of("other", "en", &v));
        // The type is part of the key too.
        assert_ne!(key(&1u8), key(&1u16));
    }

    #[test]
    fn contexts_that_differ_anywhere_have_different_keys() {
        let pairs: Vec<(u128, u128)> = vec![
            (key(&("a", "bc")), key(&("ab", "c"))),
            (key(&json!([[1], []])), key(&json!([[], [1]]))),
            (key(&json!({"a": 1})), key(&json!({"a": 1, "b": null}))),
            (key(&json!(-1)), key(&json!(u64::MAX))),
            (key(&json!(1)), key(&json!(1.0))),
            (key(&json!("1")), key(&json!(1))),
            (key(&json!(null)), key(&json!(false))),
            (key(&Some(())), key(&Option::<()>::None)),
            (
                key(&Card {
                    a: Some("x"),
                    b: None,
                }),
                key(&Card {
                    a: None,
                    b: Some("x"),
                }),
            ),
            (
                key(&Flat {
                    x: 1,
                    rest: json!({"y": "<b>"}),
                }),
                key(&Flat {
                    x: 1,
                    rest: json!({"y": "&lt;b&gt;"}),
                }),
            ),
            (key(&vec!["a\u{0}b"]), key(&vec!["a", "b"])),
        ];
        for (i, (one, other)) in pairs.iter().enumerate() {
            assert_ne!(one, other, "pair {i}");
        }
    }
}
