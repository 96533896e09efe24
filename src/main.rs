//! The `ratsflow` binary: parses the command line and maps the outcome to an exit code.
//!
//! mimalloc is the allocator: the watcher is long-running, and mimalloc gives memory freed
//! after a large pass back to the system instead of keeping it in fragmented arenas. The
//! `system-alloc` feature turns it off for heap profilers that wrap malloc (heaptrack).

#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

fn main() -> ExitCode {
    let (cli, matches) = ratsflow::cli_from_env();
    ExitCode::from(ratsflow::commands::run(cli, &matches))
}
