//! Fuzzes the journal line reader: any bytes must be read without a panic, every line either
//! an entry or a reported bad line, and entries must survive writing and reading again.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let journal = ratsflow::journal::parse(data);
    let lines = data.split(|&b| b == b'\n').count();
    assert!(journal.entries.len() + journal.bad_lines.len() <= lines);
    assert!(
        journal
            .bad_lines
            .iter()
            .all(|bad| (1..=lines).contains(&bad.line))
    );
    assert!(journal.bad_lines.windows(2).all(|w| w[0].line < w[1].line));

    let mut again = Vec::new();
    for entry in &journal.entries {
        if let Ok(line) = serde_json::to_vec(entry) {
            again.extend_from_slice(&line);
            again.push(b'\n');
        }
    }
    let reread = ratsflow::journal::parse(&again);
    assert!(reread.bad_lines.is_empty(), "{:?}", reread.bad_lines);
    assert_eq!(reread.entries.len(), journal.entries.len());
});
