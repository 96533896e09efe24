//! A transparent serde wrapper that remembers where deserialisation is and where it failed.
//!
//! serde_yaml locates its own type errors, but an error raised by the target type (a missing
//! field, an unknown variant, a German message from a `FromStr`) is pinned to the enclosing
//! mapping at best. This wrapper keeps the current path (keys and sequence indices) while
//! serde walks the document and, when the first error passes by, records that path and the
//! error's text before serde_yaml decorates it. It also records which struct fields are
//! expected at the moment serde_ignored reports an unknown key, for precise suggestions.

use std::cell::RefCell;
use std::fmt::{self, Display};

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};

use super::Seg;

/// The first error seen on its way up, innermost first.
#[derive(Debug)]
pub(super) struct Failure {
    /// `Display` of the error when it was first seen (raw for errors raised by the target type).
    pub message: String,
    /// Where deserialisation was when it failed.
    pub path: Vec<Seg>,
    /// The error happened while reading a mapping key (not its value).
    pub at_key: bool,
}

/// What the wrappers share while one document is deserialised.
#[derive(Debug, Default)]
pub(super) struct State {
    path: Vec<Seg>,
    /// Field lists of the structs being deserialised (`None` for maps), innermost last.
    fields: Vec<Option<&'static [&'static str]>>,
    pub failure: Option<Failure>,
    /// Unknown keys reported by serde_ignored, with the fields of their struct when known.
    pub unknown: Vec<(Vec<Seg>, Option<&'static [&'static str]>)>,
}

impl State {
    /// Records an unknown key at `path` (called from serde_ignored's callback).
    pub fn unknown_key(&mut self, path: Vec<Seg>) {
        let fields = self.fields.last().copied().flatten();
        self.unknown.push((path, fields));
    }
}

type Shared<'s> = &'s RefCell<State>;

pub(super) fn note<E: Display>(state: Shared<'_>, at_key: bool, error: E) -> E {
    if let Ok(mut s) = state.try_borrow_mut()
        && s.failure.is_none()
    {
        let path = s.path.clone();
        s.failure = Some(Failure {
            message: error.to_string(),
            path,
            at_key,
        });
    }
    error
}

fn push(state: Shared<'_>, seg: Seg) {
    if let Ok(mut s) = state.try_borrow_mut() {
        s.path.push(seg);
    }
}

fn pop(state: Shared<'_>) {
    if let Ok(mut s) = state.try_borrow_mut() {
        s.path.pop();
    }
}

fn push_fields(state: Shared<'_>, fields: Option<&'static [&'static str]>) {
    if let Ok(mut s) = state.try_borrow_mut() {
        s.fields.push(fields);
    }
}

fn pop_fields(state: Shared<'_>) {
    if let Ok(mut s) = state.try_borrow_mut() {
        s.fields.pop();
    }
}

/// Where a captured mapping key (`key: true`) or enum variant name goes.
struct Capture<'k> {
    slot: &'k mut Option<String>,
    key: bool,
}

type Slot<'k> = Option<Capture<'k>>;

/// Notes an error raised while reading a key or variant name: a key error is located at the
/// key itself.
fn note_captured<E: Display>(state: Shared<'_>, slot: &Slot<'_>, error: E) -> E {
    let key = slot
        .as_ref()
        .filter(|c| c.key)
        .map(|c| c.slot.clone().unwrap_or_default());
    if let Some(key) = key {
        push(state, Seg::Key(key));
        let error = note(state, true, error);
        pop(state);
        return error;
    }
    note(state, false, error)
}

/// A deserializer that tracks the path; with a slot it also captures the scalar it reads
/// (used for mapping keys and enum variant names).
pub(super) struct Track<'s, 'k, D> {
    de: D,
    state: Shared<'s>,
    slot: Slot<'k>,
}

impl<'s, D> Track<'s, 'static, D> {
    /// Wraps the outermost deserializer.
    pub fn new(de: D, state: Shared<'s>) -> Self {
        Track {
            de,
            state,
            slot: None,
        }
    }
}

impl<'s, 'k, D> Track<'s, 'k, D> {
    fn split<V>(self, inner: V) -> (D, Wrap<'s, 'k, V>) {
        let state = self.state;
        (
            self.de,
            Wrap {
                inner,
                state,
                slot: self.slot,
            },
        )
    }
}

macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
                let state = self.state;
                let (de, visitor) = self.split(visitor);
                de.$method($($arg,)* visitor).map_err(|e| note(state, false, e))
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Track<'_, '_, D> {
    type Error = D::Error;

    forward! {
        deserialize_any();
        deserialize_bool();
        deserialize_i8();
        deserialize_i16();
        deserialize_i32();
        deserialize_i64();
        deserialize_i128();
        deserialize_u8();
        deserialize_u16();
        deserialize_u32();
        deserialize_u64();
        deserialize_u128();
        deserialize_f32();
        deserialize_f64();
        deserialize_char();
        deserialize_str();
        deserialize_string();
        deserialize_bytes();
        deserialize_byte_buf();
        deserialize_option();
        deserialize_unit();
        deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str);
        deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier();
        deserialize_ignored_any();
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let state = self.state;
        push_fields(state, None);
        let (de, visitor) = self.split(visitor);
        let result = de
            .deserialize_map(visitor)
            .map_err(|e| note(state, false, e));
        pop_fields(state);
        result
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let state = self.state;
        push_fields(state, Some(fields));
        let (de, visitor) = self.split(visitor);
        let result = de
            .deserialize_struct(name, fields, visitor)
            .map_err(|e| note(state, false, e));
        pop_fields(state);
        result
    }

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

/// The visitor side of [`Track`].
struct Wrap<'s, 'k, V> {
    inner: V,
    state: Shared<'s>,
    slot: Slot<'k>,
}

/// Stores the text of a key or variant name in the slot, if there is one.
fn capture(slot: &mut Slot<'_>, text: &dyn Display) {
    if let Some(capture) = slot.as_mut() {
        *capture.slot = Some(text.to_string());
    }
}

macro_rules! visit {
    ($($method:ident($ty:ty) $(capture $capture:tt)?;)*) => {
        $(
            #[allow(unused_mut)]
            fn $method<E: de::Error>(self, v: $ty) -> Result<Self::Value, E> {
                let Wrap { inner, state, mut slot } = self;
                $( let _ = stringify!($capture); capture(&mut slot, &v); )?
                inner.$method(v).map_err(|e| note_captured(state, &slot, e))
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<'_, '_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    visit! {
        visit_bool(bool) capture yes;
        visit_i8(i8) capture yes;
        visit_i16(i16) capture yes;
        visit_i32(i32) capture yes;
        visit_i64(i64) capture yes;
        visit_i128(i128) capture yes;
        visit_u8(u8) capture yes;
        visit_u16(u16) capture yes;
        visit_u32(u32) capture yes;
        visit_u64(u64) capture yes;
        visit_u128(u128) capture yes;
        visit_f32(f32) capture yes;
        visit_f64(f64) capture yes;
        visit_char(char) capture yes;
        visit_str(&str) capture yes;
        visit_borrowed_str(&'de str) capture yes;
        visit_string(String) capture yes;
        visit_bytes(&[u8]);
        visit_borrowed_bytes(&'de [u8]);
        visit_byte_buf(Vec<u8>);
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        let state = self.state;
        self.inner.visit_none().map_err(|e| note(state, false, e))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        let state = self.state;
        self.inner.visit_unit().map_err(|e| note(state, false, e))
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        let state = self.state;
        let de = Track {
            de,
            state,
            slot: self.slot,
        };
        self.inner.visit_some(de).map_err(|e| note(state, false, e))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        let state = self.state;
        let de = Track {
            de,
            state,
            slot: self.slot,
        };
        self.inner
            .visit_newtype_struct(de)
            .map_err(|e| note(state, false, e))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let state = self.state;
        let seq = TrackSeq {
            seq,
            state,
            index: 0,
        };
        self.inner.visit_seq(seq).map_err(|e| note(state, false, e))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let state = self.state;
        let map = TrackMap {
            map,
            state,
            key: None,
        };
        self.inner.visit_map(map).map_err(|e| note(state, false, e))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        let state = self.state;
        let data = TrackEnum { data, state };
        self.inner
            .visit_enum(data)
            .map_err(|e| note(state, false, e))
    }
}

/// A seed whose deserializer is tracked (and, with a slot, captured).
pub(super) struct Seed<'s, 'k, S> {
    seed: S,
    state: Shared<'s>,
    slot: Slot<'k>,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<'_, '_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        let state = self.state;
        let de = Track {
            de,
            state,
            slot: self.slot,
        };
        self.seed.deserialize(de).map_err(|e| note(state, false, e))
    }
}

struct TrackSeq<'s, A> {
    seq: A,
    state: Shared<'s>,
    index: usize,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for TrackSeq<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        let state = self.state;
        push(state, Seg::Index(self.index));
        let seed = Seed {
            seed,
            state,
            slot: None,
        };
        match self.seq.next_element_seed(seed) {
            Ok(value) => {
                pop(state);
                self.index += 1;
                Ok(value)
            }
            Err(e) => Err(note(state, false, e)),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        self.seq.size_hint()
    }
}

struct TrackMap<'s, A> {
    map: A,
    state: Shared<'s>,
    key: Option<String>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for TrackMap<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let state = self.state;
        let mut captured = None;
        let seed = Seed {
            seed,
            state,
            slot: Some(Capture {
                slot: &mut captured,
                key: true,
            }),
        };
        let result = self.map.next_key_seed(seed);
        self.key = captured;
        result.map_err(|e| note(state, false, e))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        let state = self.state;
        push(state, Seg::Key(self.key.take().unwrap_or_default()));
        let seed = Seed {
            seed,
            state,
            slot: None,
        };
        match self.map.next_value_seed(seed) {
            Ok(value) => {
                pop(state);
                Ok(value)
            }
            Err(e) => Err(note(state, false, e)),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

struct TrackEnum<'s, A> {
    data: A,
    state: Shared<'s>,
}

impl<'de, 's, A: EnumAccess<'de>> EnumAccess<'de> for TrackEnum<'s, A> {
    type Error = A::Error;
    type Variant = TrackVariant<'s, A::Variant>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), Self::Error> {
        let state = self.state;
        let mut name = None;
        let seed = Seed {
            seed,
            state,
            slot: Some(Capture {
                slot: &mut name,
                key: false,
            }),
        };
        match self.data.variant_seed(seed) {
            Ok((value, variant)) => Ok((
                value,
                TrackVariant {
                    variant,
                    state,
                    name,
                },
            )),
            Err(e) => Err(note(state, false, e)),
        }
    }
}

struct TrackVariant<'s, A> {
    variant: A,
    state: Shared<'s>,
    name: Option<String>,
}

impl<'s, A> TrackVariant<'s, A> {
    /// Enters the variant's content (`Variant: content` in YAML); returns the state.
    fn enter(&mut self) -> Shared<'s> {
        push(self.state, Seg::Key(self.name.take().unwrap_or_default()));
        self.state
    }
}

fn leave<T, E: Display>(state: Shared<'_>, result: Result<T, E>) -> Result<T, E> {
    match result {
        Ok(value) => {
            pop(state);
            Ok(value)
        }
        Err(e) => Err(note(state, false, e)),
    }
}

impl<'de, A: de::VariantAccess<'de>> de::VariantAccess<'de> for TrackVariant<'_, A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), Self::Error> {
        let state = self.state;
        self.variant
            .unit_variant()
            .map_err(|e| note(state, false, e))
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        mut self,
        seed: T,
    ) -> Result<T::Value, Self::Error> {
        let state = self.enter();
        let seed = Seed {
            seed,
            state,
            slot: None,
        };
        leave(state, self.variant.newtype_variant_seed(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(
        mut self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let state = self.enter();
        let visitor = Wrap {
            inner: visitor,
            state,
            slot: None,
        };
        leave(state, self.variant.tuple_variant(len, visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        mut self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let state = self.enter();
        push_fields(state, Some(fields));
        let visitor = Wrap {
            inner: visitor,
            state,
            slot: None,
        };
        let result = leave(state, self.variant.struct_variant(fields, visitor));
        pop_fields(state);
        result
    }
}
