//! Bounds on the memory and output of renderings.
//!
//! Values come from paper files and templates from users: one 100 MB string went into a DOCX
//! and into 312 MB `.eml` files, one Markdown expression peaked at 1.84 GB, and nine papers
//! rendered at once reached 8 GB. [`crate::docx::fuel`] bounds the *work* of a rendering; this
//! module bounds its *size*:
//!
//! - every value printed or parsed as Markdown is at most [`MAX_VALUE_BYTES`] (`check` reports
//!   larger paper fields at their place in the file, see [`value_problem`]);
//! - every rendered part is at most [`MAX_PART_BYTES`], counted while it is printed;
//! - the written document is at most [`MAX_DOCUMENT_BYTES`];
//! - at most [`max_concurrent`] renderings run at once in a process ([`RenderPermit`]), so a
//!   pass over many papers holds a bounded number of documents in memory whatever the number
//!   of render threads.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use minijinja::value::{Object, Value};
use minijinja::{Error, ErrorKind, State};

use crate::docx::german::localized;

/// The largest value that goes into a document: 1 MB, some 300 pages of text.
pub const MAX_VALUE_BYTES: usize = 1024 * 1024;

/// The largest rendered part (uncompressed XML).
pub const MAX_PART_BYTES: usize = 50 * 1024 * 1024;

/// The largest written document.
pub const MAX_DOCUMENT_BYTES: usize = 50 * 1024 * 1024;

/// „1 MB“, „1,5 MB“: a size in German notation, rounded up to a tenth.
pub fn megabytes(bytes: usize) -> String {
    let tenths = (bytes as u64 * 10).div_ceil(1024 * 1024);
    if tenths.is_multiple_of(10) {
        format!("{} MB", tenths / 10)
    } else {
        format!("{},{} MB", tenths / 10, tenths % 10)
    }
}

/// Why a text is too large to go into a document (German), or `None`.
pub fn value_problem(text: &str) -> Option<String> {
    (text.len() > MAX_VALUE_BYTES).then(|| {
        format!(
            "der Text ist zu groß für ein Dokument ({}; höchstens {})",
            megabytes(text.len()),
            megabytes(MAX_VALUE_BYTES)
        )
    })
}

/// Refuses a value larger than [`MAX_VALUE_BYTES`] (while rendering).
pub(crate) fn check_value(text: &str) -> Result<(), Error> {
    match value_problem(text) {
        Some(problem) => Err(localized(ErrorKind::InvalidOperation, problem)),
        None => Ok(()),
    }
}

const PRINTED: &str = "__ratsflow_printed_bytes";

/// The bytes printed so far into one part.
#[derive(Debug, Default)]
struct Printed(AtomicU64);

impl Object for Printed {}

/// Counts `bytes` printed into the part being rendered; fails past [`MAX_PART_BYTES`].
pub(crate) fn charge_output(state: &State, bytes: usize) -> Result<(), Error> {
    let printed = match state
        .get_temp(PRINTED)
        .and_then(|v| v.downcast_object::<Printed>())
    {
        Some(printed) => printed,
        None => {
            let printed = Arc::new(Printed::default());
            state.set_temp(PRINTED, Value::from_dyn_object(printed.clone()));
            printed
        }
    };
    let bytes = bytes as u64;
    let total = printed.0.fetch_add(bytes, Ordering::Relaxed) + bytes;
    if total > MAX_PART_BYTES as u64 {
        return Err(localized(
            ErrorKind::InvalidOperation,
            format!(
                "das erzeugte Dokument würde zu groß (mehr als {})",
                megabytes(MAX_PART_BYTES)
            ),
        ));
    }
    Ok(())
}

/// Why a written document is too large (German), or `None`.
pub(crate) fn document_problem(bytes: usize) -> Option<String> {
    (bytes > MAX_DOCUMENT_BYTES).then(|| {
        format!(
            "das erzeugte Dokument ist zu groß ({}; höchstens {})",
            megabytes(bytes),
            megabytes(MAX_DOCUMENT_BYTES)
        )
    })
}

/// How many renderings may run at once in a process: the cores, at most 4.
pub fn max_concurrent() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4)
}

/// Renderings running now in this process.
static RUNNING: Mutex<usize> = Mutex::new(0);
static FREED: Condvar = Condvar::new();

/// A place among the [`max_concurrent`] renderings; waits for one. Released when dropped.
pub(crate) struct RenderPermit(());

impl RenderPermit {
    pub(crate) fn acquire() -> RenderPermit {
        let limit = max_concurrent();
        let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        while *running >= limit {
            running = FREED.wait(running).unwrap_or_else(|e| e.into_inner());
        }
        *running += 1;
        RenderPermit(())
    }
}

impl Drop for RenderPermit {
    fn drop(&mut self) {
        let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        *running = running.saturating_sub(1);
        FREED.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_in_german_notation() {
        assert_eq!(megabytes(MAX_VALUE_BYTES), "1 MB");
        assert_eq!(megabytes(MAX_VALUE_BYTES * 3 / 2), "1,5 MB");
        assert_eq!(megabytes(100 * 1024 * 1024), "100 MB");
    }

    #[test]
    fn values_up_to_one_megabyte_pass() {
        assert_eq!(value_problem(&"ä".repeat(MAX_VALUE_BYTES / 2)), None);
        assert_eq!(
            value_problem(&"a".repeat(MAX_VALUE_BYTES + 1)).as_deref(),
            Some("der Text ist zu groß für ein Dokument (1,1 MB; höchstens 1 MB)")
        );
    }

    #[test]
    fn permits_never_exceed_the_limit() {
        let peak = std::sync::atomic::AtomicUsize::new(0);
        let now = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..12 {
                scope.spawn(|| {
                    let _permit = RenderPermit::acquire();
                    let running = now.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(running, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(5));
                    now.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        assert!(peak.load(Ordering::SeqCst) <= max_concurrent());
    }
}
