//! Stopping the watcher cleanly. SIGINT (Ctrl+C) and SIGTERM (systemd, `docker stop`) only set a
//! flag; the loop looks at it between passes, so a pass that is writing a journal or a document
//! always finishes and the process exits with status 0.
//!
//! A second signal while the watcher is still finishing ends the process at once, with the
//! shell's usual status 128 + signal number, for a pass that hangs (a mail server not
//! answering).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A signal handler could not be installed.
#[derive(Debug)]
pub struct SignalError {
    pub signal: i32,
    pub source: std::io::Error,
}

impl std::fmt::Display for SignalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Signal {} kann nicht abgefangen werden: {}",
            self.signal, self.source
        )
    }
}

impl std::error::Error for SignalError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// A flag that makes the loop finish its current pass and return `Ok`.
#[derive(Clone, Debug, Default)]
pub struct StopFlag(Arc<AtomicBool>);

impl StopFlag {
    /// A flag that is not set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the loop to stop after its current pass.
    pub fn stop(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether a stop was asked for.
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// Sets the flag on SIGINT and SIGTERM; a second signal ends the process at once.
    pub fn on_signals(&self) -> Result<(), SignalError> {
        use signal_hook::consts::{SIGINT, SIGTERM};
        for signal in [SIGINT, SIGTERM] {
            let failed = |source: std::io::Error| SignalError { signal, source };
            // Registered first, so it sees the flag as the previous signal left it.
            signal_hook::flag::register_conditional_shutdown(
                signal,
                128 + signal,
                Arc::clone(&self.0),
            )
            .map_err(failed)?;
            signal_hook::flag::register(signal, Arc::clone(&self.0)).map_err(failed)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_flag() {
        let flag = StopFlag::new();
        let clone = flag.clone();
        assert!(!clone.is_set());
        flag.stop();
        assert!(clone.is_set());
    }

    #[cfg(unix)]
    #[test]
    fn sigterm_sets_the_flag() -> Result<(), Box<dyn std::error::Error>> {
        let flag = StopFlag::new();
        flag.on_signals()?;
        signal_hook::low_level::raise(signal_hook::consts::SIGTERM)?;
        assert!(flag.is_set());
        Ok(())
    }
}
