//! Throughput of rendering (run with `cargo test --release -- --ignored --nocapture`).

use std::time::Instant;

use super::{fixture_template, sample_data};

#[test]
#[ignore = "measurement; run in release mode"]
fn render_throughput() {
    let template = fixture_template();
    let data = sample_data();
    let count = 1_000;
    let started = Instant::now();
    let mut bytes = 0;
    for _ in 0..count {
        bytes += template.render(&data).unwrap().len();
    }
    let elapsed = started.elapsed();
    println!(
        "1 thread: {count} documents in {elapsed:.2?} ({:.0} docs/s, {} KiB each)",
        f64::from(count) / elapsed.as_secs_f64(),
        bytes / count as usize / 1024
    );
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                for _ in 0..count / 2 {
                    template.render(&data).unwrap();
                }
            });
        }
    });
    let elapsed = started.elapsed();
    println!(
        "2 threads: {count} documents in {elapsed:.2?} ({:.0} docs/s)",
        f64::from(count) / elapsed.as_secs_f64()
    );
}
