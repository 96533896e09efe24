//! Throughput of loading and rendering (run with
//! `cargo test --release -- --ignored --nocapture render_throughput`).

use std::time::Instant;

use super::{fixture_dir, fixture_template, sample_data};
use crate::docx::testing::zip_dir;
use crate::docx::{DocxTemplate, validate_package};

fn per_second(count: u32, seconds: f64) -> f64 {
    f64::from(count) / seconds
}

#[test]
#[ignore = "measurement; run in release mode"]
fn render_throughput() {
    let bytes = zip_dir(&fixture_dir());
    let started = Instant::now();
    for _ in 0..100 {
        DocxTemplate::load("beschlussvorlage.docx", &bytes).unwrap();
    }
    println!("load: {:.2?} per template", started.elapsed() / 100);

    let template = fixture_template();
    let data = sample_data();
    let count = 1_000;
    let started = Instant::now();
    let mut size = 0;
    for _ in 0..count {
        size = template.render(&data).unwrap().len();
    }
    let elapsed = started.elapsed();
    println!(
        "render, 1 thread: {count} documents in {elapsed:.2?} ({:.0} docs/s, {} KiB each)",
        per_second(count, elapsed.as_secs_f64()),
        size / 1024
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
        "render, 2 threads: {count} documents in {elapsed:.2?} ({:.0} docs/s)",
        per_second(count, elapsed.as_secs_f64())
    );

    let output = template.render(&data).unwrap();
    let started = Instant::now();
    for _ in 0..100 {
        validate_package(&output).unwrap();
    }
    println!(
        "validate_package: {:.2?} per document",
        started.elapsed() / 100
    );
}
