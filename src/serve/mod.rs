//! `ratsflow serve`: a small web service next to the watcher's pass, in one process.
//!
//! Signatories act from the mail: a request to sign carries a personal link ([`link`],
//! [`mail_link`]) to a page that shows the paper and lets them sign or return it ([`sign`]).
//! Every write goes through [`crate::record`], so a web action and a CLI action differ only
//! by „über Link“ in the history.
//!
//! Layout: [`router`] assembles all routes (one function to extend), [`pages`] holds the one
//! HTML environment and layout, [`headers`] puts the security headers on every response,
//! [`state`] is what handlers share. [`start`] runs the HTTP server on its own thread with a
//! tokio runtime; the command (`src/commands/serve.rs`) runs the watcher on the main thread
//! and stops both on SIGINT/SIGTERM: the server finishes the requests in flight, the watcher
//! its pass.

pub mod access;
pub mod blocking;
pub mod board;
pub mod board_data;
pub mod board_meeting;
pub mod board_paper;
pub mod calendar;
pub mod diff;
pub mod draft;
pub mod expiring;
pub mod headers;
pub mod key;
pub mod link;
pub mod login;
pub mod mail_link;
pub mod markdown;
pub mod oparl;
pub mod pages;
pub mod ratelimit;
pub mod router;
pub mod seen;
pub mod session;
pub mod settings;
pub mod sign;
pub mod state;
pub mod view;

use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use crate::watch::StopFlag;
use state::AppState;

/// A running server.
pub struct Running {
    /// The address it listens on (the real port when 0 was asked for).
    pub addr: SocketAddr,
    thread: JoinHandle<Result<(), String>>,
}

impl Running {
    /// Waits until the server has stopped (after `stop` was set) and finished its requests.
    pub fn join(self) -> Result<(), String> {
        self.thread
            .join()
            .unwrap_or_else(|_| Err("Der Webdienst ist unerwartet abgebrochen.".to_string()))
    }
}

/// Lowers the scheduling priority of the calling thread (and of threads it starts later) to
/// nice 10: for background work of the service — the watcher's pass after a signature, the
/// board's renewal — so that a person waiting for a page gets the CPU first and the documents
/// and mails follow a moment later. On Linux the nice value belongs to the thread. Failing to
/// lower it changes nothing but the order, so it is not an error.
pub fn background_priority() {
    let thread = rustix::thread::gettid();
    let _ = rustix::process::setpriority_process(Some(thread), 10);
}

/// Binds `listen` and serves on a thread of its own until `stop` is set. Binding happens
/// before this returns, so a busy port is an error here, not later.
pub fn start(listen: SocketAddr, state: Arc<AppState>, stop: StopFlag) -> Result<Running, String> {
    let listener = std::net::TcpListener::bind(listen).map_err(|err| {
        let reason = match err.kind() {
            std::io::ErrorKind::AddrInUse => "die Adresse ist schon belegt".to_string(),
            std::io::ErrorKind::PermissionDenied => {
                "keine Berechtigung für diesen Port".to_string()
            }
            std::io::ErrorKind::AddrNotAvailable => {
                "diese Adresse gehört nicht zu diesem Rechner".to_string()
            }
            _ => err.to_string(),
        };
        format!("Der Webdienst kann nicht auf {listen} lauschen: {reason}")
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|err| format!("Der Webdienst kann nicht starten: {err}"))?;
    let addr = listener
        .local_addr()
        .map_err(|err| format!("Der Webdienst kann nicht starten: {err}"))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        // Pages read journals and files on blocking threads. Bounded, so 200 clients at once
        // queue for a few threads instead of each getting one (tokio's default allows 512,
        // and memory grew with them); 2 cores gain nothing from more.
        .max_blocking_threads(12)
        .thread_name("ratsflow-web")
        .enable_all()
        .build()
        .map_err(|err| format!("Der Webdienst kann nicht starten: {err}"))?;
    let thread = std::thread::Builder::new()
        .name("ratsflow-serve".into())
        .spawn(move || {
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener)
                    .map_err(|err| format!("Der Webdienst kann nicht starten: {err}"))?;
                let app = router::router(state);
                axum::serve(
                    listener,
                    app.into_make_service_with_connect_info::<SocketAddr>(),
                )
                .with_graceful_shutdown(async move {
                    while !stop.is_set() {
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                })
                .await
                .map_err(|err| format!("Der Webdienst ist ausgefallen: {err}"))
            })
        })
        .map_err(|err| format!("Der Webdienst kann nicht starten: {err}"))?;
    Ok(Running { addr, thread })
}
