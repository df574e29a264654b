//! The README's examples and the `tests/cmd/*.md` cases, run against the real binary.
//!
//! Each ```` ```console ```` block is a test: `$ stabcost …` runs the command, `? N` is
//! the expected exit code, and the lines after it are the expected stdout and stderr.

#[test]
fn readme_and_cmd_cases() {
    trycmd::TestCases::new()
        .register_bin("stabcost", trycmd::cargo::cargo_bin!("stabcost"))
        // The snapshots must not depend on the caller's terminal or card.
        .env("COLUMNS", "100")
        .env("STABCOST_RATES", "")
        .case("README.md")
        .case("tests/cmd/*.md");
}
