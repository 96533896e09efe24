//! The `ratsflow` binary: parses the command line and maps the outcome to an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    let (cli, matches) = ratsflow::cli_from_env();
    ExitCode::from(ratsflow::commands::run(cli, &matches))
}
