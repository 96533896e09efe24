//! Fuzzes the workflow and directory loaders: any bytes must give diagnostics, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = ratsflow::load::check_text(ratsflow::load::FileKind::Workflow, text);
        let _ = ratsflow::load::check_text(ratsflow::load::FileKind::Directory, text);
    }
});
