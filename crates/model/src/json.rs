//! Typed values out of JSON, with the path of the field at fault.
//!
//! Every file a learner hands Dockyard (a task definition, a scenario, a
//! saved sandbox, a share link) is parsed into a `serde_json::Value` first,
//! which names the line and column of broken JSON, and then read into its
//! type through [`Node`], a `serde::Deserializer` over the value that knows
//! where it is: `containerDefinitions[0].cpu: invalid type: string "1",
//! expected u32`.
//!
//! Why not serde_path_to_error, which does the same: it wraps every visitor
//! of every type, so each type's deserialisation code was compiled twice over,
//! and it cost 24.6 KB of the gzipped download (measured with the release
//! build, 2026-11-28). `Node` is the only deserializer the types meet, and it
//! offers structs a map and nothing else, so serde's derived `visit_seq`
//! for structs is never compiled into the app at all.

use std::fmt;

use serde::de::{
    self, value::BorrowedStrDeserializer, DeserializeOwned, DeserializeSeed, IntoDeserializer,
    Unexpected, Visitor,
};
use serde::Deserialize;
use serde_json::{Map, Value};

/// Why a JSON value could not be read: where and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// `containerDefinitions[0].cpu`; empty for the whole document.
    pub path: String,
    pub message: String,
    /// Line and column, for text that is not JSON at all.
    pub position: Option<(usize, usize)>,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((line, column)) = self.position {
            write!(f, "line {line}, column {column}: ")?;
        }
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for JsonError {}

/// Parses text as JSON and reads it as a `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    let value: Value = parse_value(text).map_err(syntax_error)?;
    from_value(&value)
}

/// Parses JSON text into a value, refusing an object that gives one key
/// twice. JSON allows it, but readers disagree on which value wins
/// (serde_json, like JavaScript, keeps the last; some keep the first), so a
/// learner's `"cpu"` written twice would be silently half-ignored. The error
/// names the key by its path (`containerDefinitions[0].cpu`) and, through
/// serde_json, its line and column.
pub fn parse_value(text: &str) -> Result<Value, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = UniqueKeys { path: "" }.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

/// Reads a JSON value with every object's keys checked for repeats; `path`
/// is where the value sits, for the error. serde_json's recursion limit
/// still applies, as it is the deserializer's.
struct UniqueKeys<'p> {
    path: &'p str,
}

impl<'de> DeserializeSeed<'de> for UniqueKeys<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for UniqueKeys<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_string()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let path = format!("{}[{}]", self.path, items.len());
            match seq.next_element_seed(UniqueKeys { path: &path })? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = if self.path.is_empty() {
                key.clone()
            } else {
                format!("{}.{key}", self.path)
            };
            if object.contains_key(&key) {
                return Err(de::Error::custom(format_args!(
                    "{path}: this key is given twice in one object; keep one of the two values"
                )));
            }
            let value = map.next_value_seed(UniqueKeys { path: &path })?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// Reads a parsed value as a `T`, naming the field of any error.
pub fn from_value<'de, T: Deserialize<'de>>(value: &'de Value) -> Result<T, JsonError> {
    T::deserialize(Node(value)).map_err(|error| JsonError {
        path: error.path(),
        message: error.message,
        position: None,
    })
}

/// serde_json's error for text that is not JSON, without the " at line L
/// column C" it appends (the position is kept apart).
pub fn syntax_error(error: serde_json::Error) -> JsonError {
    let text = error.to_string();
    let message = match text.rfind(" at line ") {
        Some(index) => text[..index].to_string(),
        None => text,
    };
    JsonError {
        path: String::new(),
        message,
        position: Some((error.line(), error.column())),
    }
}

/// The error inside deserialisation: the message, and the path from the
/// failing field outwards (each level adds its key as the error passes).
#[derive(Debug)]
pub struct Error {
    message: String,
    outwards: Vec<Segment>,
}

#[derive(Debug)]
enum Segment {
    Key(String),
    Index(usize),
}

impl Error {
    fn at(mut self, segment: Segment) -> Error {
        self.outwards.push(segment);
        self
    }

    fn path(&self) -> String {
        let mut path = String::new();
        for segment in self.outwards.iter().rev() {
            match segment {
                Segment::Key(key) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                }
                Segment::Index(index) => {
                    path.push('[');
                    path.push_str(&index.to_string());
                    path.push(']');
                }
            }
        }
        path
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path();
        if path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{path}: {}", self.message)
        }
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error {
            message: message.to_string(),
            outwards: Vec::new(),
        }
    }

    /// As serde_json words it: JSON's `null` is "null", not "unit value".
    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        match unexpected {
            Unexpected::Unit => {
                de::Error::custom(format_args!("invalid type: null, expected {expected}"))
            }
            other => de::Error::custom(format_args!("invalid type: {other}, expected {expected}")),
        }
    }
}

/// Types read straight from a JSON value, without serde's visitors: the
/// task definition's 18 structs and 127 fields cost 22 KB of the gzipped
/// app through serde's derive (measured 2026-11-28), and a few KB this way.
/// [`json_object!`](crate::json_object) writes the impl for a struct.
pub trait FromJson: Sized {
    fn from_json(value: &Value) -> Result<Self, Error>;
}

/// Reads a `T` that implements [`FromJson`], naming the field of any error.
pub fn read<T: FromJson>(value: &Value) -> Result<T, JsonError> {
    T::from_json(value).map_err(|error| JsonError {
        path: error.path(),
        message: error.message,
        position: None,
    })
}

impl FromJson for String {
    fn from_json(value: &Value) -> Result<Self, Error> {
        match value {
            Value::String(s) => Ok(s.clone()),
            other => Err(de::Error::invalid_type(unexpected(other), &"a string")),
        }
    }
}

impl FromJson for bool {
    fn from_json(value: &Value) -> Result<Self, Error> {
        match value {
            Value::Bool(b) => Ok(*b),
            other => Err(de::Error::invalid_type(unexpected(other), &"a boolean")),
        }
    }
}

impl FromJson for i64 {
    fn from_json(value: &Value) -> Result<Self, Error> {
        match value {
            Value::Number(n) => n.as_i64().ok_or_else(|| match n.as_u64() {
                Some(u) => de::Error::invalid_value(Unexpected::Unsigned(u), &"i64"),
                None => de::Error::invalid_type(unexpected(value), &"i64"),
            }),
            other => Err(de::Error::invalid_type(unexpected(other), &"i64")),
        }
    }
}

impl FromJson for Value {
    fn from_json(value: &Value) -> Result<Self, Error> {
        Ok(value.clone())
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Value) -> Result<Self, Error> {
        match value {
            Value::Null => Ok(None),
            other => T::from_json(other).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: &Value) -> Result<Self, Error> {
        T::from_json(value).map(Box::new)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value) -> Result<Self, Error> {
        match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    T::from_json(item).map_err(|error| error.at(Segment::Index(index)))
                })
                .collect(),
            other => Err(de::Error::invalid_type(unexpected(other), &"a sequence")),
        }
    }
}

impl<T: FromJson> FromJson for std::collections::BTreeMap<String, T> {
    fn from_json(value: &Value) -> Result<Self, Error> {
        let mut out = std::collections::BTreeMap::new();
        for (key, item) in object(value, &"a map")? {
            let read = T::from_json(item).map_err(|error| error.at(Segment::Key(key.clone())))?;
            out.insert(key.clone(), read);
        }
        Ok(out)
    }
}

/// The object a value must be, or the error that says it is not.
pub fn object<'a>(
    value: &'a Value,
    expected: &dyn de::Expected,
) -> Result<&'a Map<String, Value>, Error> {
    match value {
        Value::Object(map) => Ok(map),
        other => Err(de::Error::invalid_type(unexpected(other), expected)),
    }
}

/// Adds the key of the field being read to an error on its way out.
pub fn in_field(error: Error, key: &str) -> Error {
    error.at(Segment::Key(key.to_string()))
}

/// Implements [`FromJson`] and serde's `Deserialize` for a struct whose
/// fields all default when absent, from its fields' JSON names; keys not
/// listed go to its `unknown` map, as `#[serde(flatten)]` would put them.
#[macro_export]
macro_rules! json_object {
    ($name:ident { $($field:ident: $key:literal),* $(,)? }) => {
        impl $crate::json::FromJson for $name {
            fn from_json(value: &serde_json::Value) -> Result<Self, $crate::json::Error> {
                let map = $crate::json::object(value, &concat!("struct ", stringify!($name)))?;
                let mut out = $name::default();
                for (key, item) in map {
                    match key.as_str() {
                        $($key => {
                            out.$field = $crate::json::FromJson::from_json(item)
                                .map_err(|error| $crate::json::in_field(error, key))?;
                        })*
                        _ => {
                            out.unknown.insert(key.clone(), item.clone());
                        }
                    }
                }
                Ok(out)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                <$name as $crate::json::FromJson>::from_json(&value)
                    .map_err(serde::de::Error::custom)
            }
        }
    };
}

fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (_, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// A place in a JSON document, as a serde Deserializer.
#[derive(Clone, Copy)]
pub struct Node<'de>(pub &'de Value);

impl<'de> Node<'de> {
    fn refuse<V: Visitor<'de>>(self, visitor: &V) -> Error {
        de::Error::invalid_type(unexpected(self.0), visitor)
    }

    fn number<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else {
                    visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            _ => Err(self.refuse(&visitor)),
        }
    }

    fn object<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(map) => visitor.visit_map(Fields::new(map)),
            _ => Err(self.refuse(&visitor)),
        }
    }

    fn array<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(Items {
                items: items.iter().enumerate(),
            }),
            _ => Err(self.refuse(&visitor)),
        }
    }
}

macro_rules! numbers {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.number(visitor)
        })*
    };
}

impl<'de> de::Deserializer<'de> for Node<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(_) => self.number(visitor),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(_) => self.array(visitor),
            Value::Object(_) => self.object(visitor),
        }
    }

    numbers!(deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_f32 deserialize_f64);

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Bool(b) => visitor.visit_bool(*b),
            _ => Err(self.refuse(&visitor)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => visitor.visit_borrowed_str(s),
            _ => Err(self.refuse(&visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            _ => Err(self.refuse(&visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.array(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.array(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.array(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.object(visitor)
    }

    /// A struct is a JSON object; an array is refused, even though serde's
    /// derive would accept the fields in order.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.object(visitor)
    }

    /// Externally tagged: `"unitVariant"` or `{"variant": content}`.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(tag) => {
                visitor.visit_enum(IntoDeserializer::<Error>::into_deserializer(tag.as_str()))
            }
            Value::Object(map) if map.len() == 1 => {
                let (tag, content) = map.iter().next().expect("one entry");
                visitor
                    .visit_enum(Variant { tag, content })
                    .map_err(|error| error.at(Segment::Key(tag.clone())))
            }
            _ => Err(de::Error::invalid_type(
                unexpected(self.0),
                &"a string or an object with one field",
            )),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

struct Fields<'de> {
    entries: serde_json::map::Iter<'de>,
    current: Option<(&'de String, &'de Value)>,
}

impl<'de> Fields<'de> {
    fn new(map: &'de Map<String, Value>) -> Fields<'de> {
        Fields {
            entries: map.iter(),
            current: None,
        }
    }
}

impl<'de> de::MapAccess<'de> for Fields<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.entries.next() {
            None => Ok(None),
            Some((key, value)) => {
                self.current = Some((key, value));
                seed.deserialize(BorrowedStrDeserializer::new(key))
                    .map(Some)
                    .map_err(|error: Error| error.at(Segment::Key(key.clone())))
            }
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Error> {
        let (key, value) = self
            .current
            .take()
            .ok_or_else(|| <Error as de::Error>::custom("a value asked for before its key"))?;
        seed.deserialize(Node(value))
            .map_err(|error| error.at(Segment::Key(key.clone())))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

struct Items<'de> {
    items: std::iter::Enumerate<std::slice::Iter<'de, Value>>,
}

impl<'de> de::SeqAccess<'de> for Items<'de> {
    type Error = Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        match self.items.next() {
            None => Ok(None),
            Some((index, value)) => seed
                .deserialize(Node(value))
                .map(Some)
                .map_err(|error| error.at(Segment::Index(index))),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Variant<'de> {
    tag: &'de String,
    content: &'de Value,
}

impl<'de> de::EnumAccess<'de> for Variant<'de> {
    type Error = Error;
    type Variant = Node<'de>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Node<'de>), Error> {
        let tag = seed.deserialize(BorrowedStrDeserializer::<Error>::new(self.tag))?;
        Ok((tag, Node(self.content)))
    }
}

impl<'de> de::VariantAccess<'de> for Node<'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.0 {
            Value::Null => Ok(()),
            other => Err(de::Error::invalid_type(unexpected(other), &"null")),
        }
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.array(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.object(visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct Box_ {
        name: String,
        #[serde(default)]
        sizes: Vec<u32>,
        inner: Option<Inner>,
        #[serde(default)]
        shape: Option<Shape>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Inner {
        weight: f64,
        tags: BTreeMap<String, i64>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    enum Shape {
        Round,
        Square { side: u8 },
        Named(String),
    }

    fn error_of<T: DeserializeOwned + fmt::Debug>(text: &str) -> JsonError {
        from_str::<T>(text).expect_err("must be refused")
    }

    #[test]
    fn reads_what_serde_json_reads() {
        let text = r#"{"name": "a", "sizes": [1, 2], "inner": {"weight": 1.5, "tags": {"x": -3}},
            "shape": {"square": {"side": 4}}}"#;
        let read: Box_ = from_str(text).unwrap();
        assert_eq!(read, serde_json::from_str::<Box_>(text).unwrap());
        assert_eq!(read.shape, Some(Shape::Square { side: 4 }));
        let round: Box_ = from_str(r#"{"name": "b", "inner": null, "shape": "round"}"#).unwrap();
        assert_eq!(round.shape, Some(Shape::Round));
        let named: Box_ =
            from_str(r#"{"name": "c", "inner": null, "shape": {"named": "n"}}"#).unwrap();
        assert_eq!(named.shape, Some(Shape::Named("n".into())));
    }

    #[test]
    fn names_the_path_of_the_field_at_fault() {
        let error = error_of::<Box_>(r#"{"name": "a", "sizes": [1, "two"], "inner": null}"#);
        assert_eq!(error.path, "sizes[1]");
        assert_eq!(error.message, "invalid type: string \"two\", expected u32");
        let error =
            error_of::<Box_>(r#"{"name": "a", "inner": {"weight": 1, "tags": {"x": 1.5}}}"#);
        assert_eq!(error.path, "inner.tags.x");
        let error =
            error_of::<Box_>(r#"{"name": "a", "inner": null, "shape": {"square": {"side": 300}}}"#);
        assert_eq!(error.path, "shape.square.side");
        assert!(error.message.contains("300"), "{}", error.message);
        let error = error_of::<Box_>(r#"{"name": "a", "inner": null, "colour": "red"}"#);
        assert_eq!(error.path, "colour");
        assert!(
            error.message.starts_with("unknown field `colour`"),
            "{}",
            error.message
        );
        let error = error_of::<Box_>(r#"{"inner": null}"#);
        assert_eq!(
            (error.path.as_str(), error.message.as_str()),
            ("", "missing field `name`")
        );
        let error = error_of::<Box_>(r#"{"name": "a", "inner": null, "shape": "hexagon"}"#);
        assert_eq!(error.path, "shape");
        assert!(
            error.message.starts_with("unknown variant `hexagon`"),
            "{}",
            error.message
        );
    }

    #[test]
    fn a_struct_is_an_object_and_nothing_else() {
        let error = error_of::<Inner>(r#"[1.0, {}]"#);
        assert_eq!(
            error.message,
            "invalid type: sequence, expected struct Inner"
        );
    }

    #[test]
    fn a_key_given_twice_is_refused_with_its_name_and_place() {
        let text = "{\n  \"family\": \"web\",\n  \"containerDefinitions\": [{\"name\": \"app\",\n    \"cpu\": 256, \"cpu\": 512}]\n}";
        let error = parse_value(text).unwrap_err();
        assert!(
            error.to_string().starts_with(
                "containerDefinitions[0].cpu: this key is given twice in one object; keep one of the two values"
            ),
            "{error}"
        );
        assert_eq!(error.line(), 4);
        let read = from_str::<Value>(text).unwrap_err();
        assert_eq!(read.position.map(|(line, _)| line), Some(4));
        let error =
            parse_value(r#"{"steps": [{"at": 1}, {"at": 2, "do": "x", "at": 3}]}"#).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("steps[1].at: this key is given twice"),
            "{error}"
        );
        assert!(
            parse_value(r#"{"a": 1} {"a": 2}"#).is_err(),
            "trailing text"
        );
        // The same key in two objects is no repeat; the values are as
        // serde_json reads them.
        let text = r#"{"a": {"k": 1}, "b": {"k": [true, null, -2, 2.5, "s"]}}"#;
        assert_eq!(
            parse_value(text).unwrap(),
            serde_json::from_str::<Value>(text).unwrap()
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowing_the_stack() {
        let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let error = parse_value(&text).unwrap_err();
        assert!(error.to_string().contains("recursion limit"), "{error}");
    }

    #[test]
    fn text_that_is_not_json_gets_its_line_and_column() {
        let error = error_of::<Box_>("{\n  \"name\": \"a\",\n  oops\n}");
        assert_eq!(error.position, Some((3, 3)));
        assert_eq!(error.to_string(), "line 3, column 3: key must be a string");
    }
}
