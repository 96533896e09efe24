//! The minijinja environment every template renders with.
//!
//! Strict about undefined values (SemiStrict: printing one is an error, testing one is not),
//! every printed value XML-escaped by a custom formatter (so it cannot be forgotten; only
//! values marked safe go in raw), metered by [`crate::docx::fuel`], and without a loader: a
//! template cannot read files or reach the network. The German filters and `md` are
//! registered here; each [`crate::docx::DocxTemplate`] adds the block filter that knows its
//! styles.

use std::fmt;
use std::sync::Arc;

use minijinja::value::{Object, Value};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State};

use crate::docx::codegen::{BLOCK_FILTER, STEP_FUNCTION};
use crate::docx::markdown;
use crate::docx::ooxml::{self, Base};
use crate::docx::rich_text::RichText;
use crate::docx::styles::StyleSheet;
use crate::docx::{escape, filters, fuel, limits};

/// The shared environment settings: German filters, `md`, escaping, fuel, no loader.
/// Build it once and reuse it; [`crate::docx::DocxTemplate`] starts from it.
pub fn environment() -> Environment<'static> {
    let mut env = filters::german_environment();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_formatter(format_value);
    env.add_function("range", fuel::range);
    env.add_function(STEP_FUNCTION, fuel::step);
    env.add_filter("md", markdown::md);
    add_block_filter(
        &mut env,
        Arc::new(StyleSheet::default()),
        Arc::new(Vec::new()),
    );
    env
}

/// Registers the filter behind `{{p …}}` for a template's styles and paragraph bases.
pub(crate) fn add_block_filter(
    env: &mut Environment<'static>,
    styles: Arc<StyleSheet>,
    bases: Arc<Vec<Base>>,
) {
    env.add_filter(BLOCK_FILTER, move |value: &Value, index: usize| {
        block(value, &styles, bases.get(index))
    });
}

/// Marks (in a temp) that a rendering printed a value marked safe by the template.
const PRINTED_RAW: &str = "__ratsflow_printed_raw";

/// Whether the rendering printed a safe value as it is (its output then needs the full check).
pub(crate) fn printed_raw(state: &State) -> bool {
    state.get_temp(PRINTED_RAW).is_some_and(|v| v.is_true())
}

/// Paragraphs written by the block filter: printed as they are, trusted like the template.
#[derive(Debug)]
struct BlockXml(String);

impl Object for BlockXml {
    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Turns a value printed with `{{p …}}` into paragraphs.
fn block(value: &Value, styles: &StyleSheet, base: Option<&Base>) -> Result<Value, Error> {
    if value.is_undefined() {
        return Err(Error::from(ErrorKind::UndefinedError));
    }
    if value.is_safe() || value.downcast_object_ref::<BlockXml>().is_some() {
        return Ok(value.clone());
    }
    let fallback = Base::default();
    let base = base.unwrap_or(&fallback);
    let mut out = String::new();
    if let Some(rich) = value.downcast_object_ref::<RichText>() {
        ooxml::write_rich(&mut out, rich, styles, base);
    } else if value.is_none() {
        ooxml::write_plain(&mut out, "", styles, base);
    } else {
        let text = match value.as_str() {
            Some(s) => s.to_owned(),
            None => value.to_string(),
        };
        limits::check_value(&text)?;
        ooxml::write_plain(&mut out, &text, styles, base);
    }
    Ok(Value::from_object(BlockXml(out)))
}

/// Prints a value into a `w:t`: escaped, breaks and tabs as Word elements; rich text as plain
/// text; none as nothing; safe strings as they are.
fn format_value(out: &mut Output, state: &State, value: &Value) -> Result<(), Error> {
    if value.is_none() || value.is_undefined() {
        fuel::charge(state, 1)
    } else if let Some(rich) = value.downcast_object_ref::<RichText>() {
        write_charged(out, state, &rich.plain_text(), true)
    } else if let Some(block) = value.downcast_object_ref::<BlockXml>() {
        write_charged(out, state, &block.0, false)
    } else if let Some(text) = value.as_str() {
        if value.is_safe() {
            state.set_temp(PRINTED_RAW, Value::from(true));
        }
        write_charged(out, state, text, !value.is_safe())
    } else {
        write_charged(out, state, &value.to_string(), true)
    }
}

/// Writes text, escaped or raw, charging fuel by its length (large outputs are work too).
fn write_charged(out: &mut Output, state: &State, text: &str, escaped: bool) -> Result<(), Error> {
    fuel::charge_text(state, text)?;
    if escaped {
        limits::check_value(text)?;
    }
    limits::charge_output(state, text.len())?;
    let written = if escaped {
        escape::write_value(out, text)
    } else {
        out.write_str(text)
    };
    written.map_err(|_| Error::from(ErrorKind::WriteFailure))
}
