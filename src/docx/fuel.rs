//! Bounds the work one rendering may do.
//!
//! A template is written by people, and the engine is fuzzed: `{% for i in range(10**9) %}`
//! must end with a German error, not hang the watcher. minijinja's own fuel needs a cargo
//! feature the crate does not enable, so rendering is metered here: every printed value (plus
//! one step per 64 bytes), every loop iteration and every macro call (codegen injects a call
//! into each `for` and `macro` body), every number produced by `range` and every 64 bytes of
//! Markdown costs one step, counted per rendering in a minijinja temp. Past [`FUEL`] steps the
//! rendering stops.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use minijinja::value::{Enumerator, Object, ObjectRepr, Value};
use minijinja::{Error, ErrorKind, State};

use crate::docx::filters::group_digits;
use crate::docx::german::localized;

/// Steps one rendering may take.
pub(crate) const FUEL: u64 = 5_000_000;

const METER: &str = "__ratsflow_meter";

/// The steps taken so far in one rendering.
#[derive(Debug, Default)]
struct Meter(AtomicU64);

impl Object for Meter {}

fn meter(state: &State) -> Arc<Meter> {
    if let Some(meter) = state
        .get_temp(METER)
        .and_then(|v| v.downcast_object::<Meter>())
    {
        return meter;
    }
    let meter = Arc::new(Meter::default());
    state.set_temp(METER, Value::from_dyn_object(meter.clone()));
    meter
}

/// Charges `steps`; fails once the rendering has used up its fuel.
pub(crate) fn charge(state: &State, steps: u64) -> Result<(), Error> {
    let used = meter(state)
        .0
        .fetch_add(steps, Ordering::Relaxed)
        .saturating_add(steps);
    if used > FUEL {
        return Err(exhausted());
    }
    Ok(())
}

/// Charges for handling a text: one step, and one more per 64 bytes.
pub(crate) fn charge_text(state: &State, text: &str) -> Result<(), Error> {
    let len = u64::try_from(text.len()).unwrap_or(u64::MAX);
    charge(state, 1 + len / 64)
}

fn exhausted() -> Error {
    localized(
        ErrorKind::InvalidOperation,
        format!(
            "Vorlage zu aufwendig (Abbruch nach {} Schritten)",
            group_digits(u128::from(FUEL))
        ),
    )
}

/// Injected into every loop and macro body: one step.
pub(crate) fn step(state: &State) -> Result<Value, Error> {
    charge(state, 1)?;
    Ok(Value::from(()))
}

/// A lazy integer range, like minijinja's `range`, that charges its length up front.
#[derive(Debug)]
struct IntRange {
    start: i64,
    step: i64,
    len: usize,
}

impl Object for IntRange {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let index = key.as_usize().filter(|i| *i < self.len)?;
        let offset = i64::try_from(index).ok()?.checked_mul(self.step)?;
        self.start.checked_add(offset).map(Value::from)
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.len)
    }
}

/// `range(upper)`, `range(lower, upper)`, `range(lower, upper, step)`.
pub(crate) fn range(
    state: &State,
    lower: i64,
    upper: Option<i64>,
    step: Option<i64>,
) -> Result<Value, Error> {
    let (start, end) = match upper {
        Some(upper) => (lower, upper),
        None => (0, lower),
    };
    let step = step.unwrap_or(1);
    if step == 0 {
        return Err(localized(
            ErrorKind::InvalidOperation,
            "range(): die Schrittweite darf nicht 0 sein".to_owned(),
        ));
    }
    let (span, stride) = (i128::from(end) - i128::from(start), i128::from(step));
    let len = if (span > 0) == (stride > 0) && span != 0 {
        (span.abs() + stride.abs() - 1) / stride.abs()
    } else {
        0
    };
    let steps = u64::try_from(len).unwrap_or(u64::MAX);
    if steps > FUEL {
        return Err(exhausted());
    }
    charge(state, steps)?;
    Ok(Value::from_object(IntRange {
        start,
        step,
        len: usize::try_from(len).unwrap_or(0),
    }))
}
