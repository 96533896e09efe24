//! The `ratsflow` binary: parses the command line and maps the outcome to an exit code.
//!
//! mimalloc is the allocator: the watcher is long-running, and mimalloc gives memory freed
//! after a large pass back to the system instead of keeping it in fragmented arenas. The
//! `system-alloc` feature turns it off for heap profilers that wrap malloc (heaptrack).

#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use ratsflow::cli::Command;

fn main() -> ExitCode {
    let (cli, matches) = ratsflow::cli_from_env();
    if matches!(cli.command, Command::Watch { .. } | Command::Serve { .. }) {
        return_freed_memory_at_once();
    }
    ExitCode::from(ratsflow::commands::run(cli, &matches))
}

/// For `watch` and `serve`, which run for months next to other services: memory a pass or a
/// burst of requests freed goes back to the system at once. mimalloc 3 keeps freed pages for a
/// second and whole arenas for ten (`purge_delay` 1000 ms, `arena_purge_mult` 10), which under
/// steady load kept the service near twice its working set (`bench/serve_load.py`: peak RSS
/// 279 MB with the defaults, 206 MB with an immediate purge). Short commands keep the default:
/// they end before the delay matters. Transparent huge pages are off at build time (the
/// `no_thp` feature): a 2 MiB page stays resident for one live object.
fn return_freed_memory_at_once() {
    // SAFETY: mi_option_set only stores a value in mimalloc's option table; any value is
    // valid for this option (0 = purge at once).
    #[cfg(not(feature = "system-alloc"))]
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 0)
    };
}

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_t` (include/mimalloc.h); the sys crate
/// names only the options that were stable in mimalloc 2.
#[cfg(not(feature = "system-alloc"))]
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

#[cfg(all(test, not(feature = "system-alloc")))]
mod tests {
    /// Pins the option number against a mimalloc upgrade: option 15 must be the purge delay,
    /// whose default in mimalloc 3 is 1000 ms (no other option defaults to 1000).
    #[test]
    fn option_fifteen_is_mimallocs_purge_delay() {
        // SAFETY: reads mimalloc's option table.
        let value = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        assert_eq!(value, 1000, "mimalloc's option 15 is no longer purge_delay");
    }
}
