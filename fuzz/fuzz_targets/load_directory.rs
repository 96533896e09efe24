//! Fuzzes the directory loader (people, bodies, organisations): any bytes, with or without a
//! byte-order mark, must give diagnostics, never a panic or a stack overflow.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ratsflow::load::{FileKind, check_text};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = check_text(FileKind::Directory, &text);
    let _ = check_text(FileKind::Directory, &format!("\u{feff}{text}"));
});
