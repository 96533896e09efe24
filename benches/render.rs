//! Render benchmark (being written).
fn main() {}
