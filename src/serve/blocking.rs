//! Where a request's blocking work runs (files, locks, rendering): on tokio's blocking
//! threads, of which the service keeps few (see [`super::start`]).
//!
//! A signature or a return holds its thread while the journal is forced to disk. If such
//! writes could take every thread, pages would queue behind them for the length of an fsync;
//! under load that was the slowest hundredth of all page views. So writes first take one of
//! [`WRITE_SLOTS`] slots of their own, and reads always find a thread free.

use axum::response::Response;
use tokio::sync::Semaphore;

use super::pages;

/// How many writes run at once; the service has 12 blocking threads (see [`super::start`]),
/// so at least 7 are left for pages. Signatures of different papers still go in parallel, and one disk gains little
/// from more fsyncs at a time.
pub const WRITE_SLOTS: usize = 5;

static WRITES: Semaphore = Semaphore::const_new(WRITE_SLOTS);

/// Runs `work` (a page: it reads) off the async workers.
pub async fn read(work: impl FnOnce() -> Response + Send + 'static) -> Response {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|_| pages::internal_error())
}

/// Runs `work` (it records in a journal) off the async workers, once a write slot is free.
pub async fn write(work: impl FnOnce() -> Response + Send + 'static) -> Response {
    let Ok(_slot) = WRITES.acquire().await else {
        return pages::internal_error();
    };
    read(work).await
}
