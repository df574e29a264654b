//! The floor: the least a program that reads a file and prints a line can cost.
//! stabcost's start-up is measured against this in bench/run.
use std::io::Write;

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "rates/stability.toml".into());
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let first = text.lines().next().unwrap_or_default();
    let _ = writeln!(std::io::stdout().lock(), "{first}");
}
