//! The README's examples and the `tests/cmd/` cases, run against the real binary.
//!
//! Each ```` ```console ```` block of a Markdown file is a test: `$ stabcost …` runs the
//! command, `? N` is the expected exit code, and the lines after it are the expected
//! standard output and error. `tests/cmd/NAME.md` runs in `tests/cmd/NAME.in/` when that
//! folder exists (the card fixtures of `cards.md`). `tests/cmd/*.toml` cases are for
//! what a console block cannot hold: standard input, from a sibling `.stdin` file.
//! `tests/cmd/width/*.toml` set their own `COLUMNS` (or none, as a pipe has).

#[test]
fn readme_and_cmd_cases() {
    trycmd::TestCases::new()
        .register_bin("stabcost", trycmd::cargo::cargo_bin!("stabcost"))
        // The snapshots must not depend on the caller's terminal or card.
        .env("COLUMNS", "100")
        .env("STABCOST_RATES", "")
        .case("README.md")
        .case("tests/cmd/*.md")
        .case("tests/cmd/*.toml");
}

#[test]
fn width_cases() {
    // No default COLUMNS here: each case sets its own width, or removes it to run as
    // a pipe does.
    trycmd::TestCases::new()
        .register_bin("stabcost", trycmd::cargo::cargo_bin!("stabcost"))
        .env("STABCOST_RATES", "")
        .case("tests/cmd/width/*.toml");
}
