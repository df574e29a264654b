//! stabcost fits the shell: completions, the man page, help with examples, `--version`,
//! and a package that carries the rate card.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap or index is a failed test"
)]

mod common;
use common::run;
use std::process::Command;

const SUBCOMMANDS: [&str; 8] = [
    "quote",
    "workflow",
    "compare",
    "rates",
    "usage",
    "serve",
    "completions",
    "man",
];

/// Sources the bash completion script and asks it to complete `words`, the last of
/// which is the word under the cursor.
fn bash_complete(words: &[&str]) -> Vec<String> {
    let script = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(script.path(), run(&["completions", "bash"]).ok()).unwrap();
    let line = words.join(" ");
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let prev = if words.len() > 1 {
        words[words.len() - 2]
    } else {
        ""
    };
    let program = format!(
        "source '{}'\nCOMP_WORDS=({})\nCOMP_CWORD={}\nCOMP_LINE='{line}'\nCOMP_POINT=${{#COMP_LINE}}\n\
         _stabcost stabcost '{}' '{prev}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.path().display(),
        quoted.join(" "),
        words.len() - 1,
        words[words.len() - 1],
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(program)
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_bash_script_is_valid_and_completes_commands_and_services() {
    let script = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(script.path(), run(&["completions", "bash"]).ok()).unwrap();
    let syntax = Command::new("bash")
        .arg("-n")
        .arg(script.path())
        .status()
        .unwrap();
    assert!(syntax.success(), "bash -n rejects the script");

    assert_eq!(bash_complete(&["stabcost", "quo"]), ["quote"]);
    assert_eq!(bash_complete(&["stabcost", "quote", "ul"]), ["ultra"]);
    assert_eq!(
        bash_complete(&["stabcost", "--format", "mark"]),
        ["markdown"]
    );
    // Aliases complete too, and discontinued services do not.
    assert!(bash_complete(&["stabcost", "quote", "rm"]).contains(&"rmbg".to_owned()));
    let none = bash_complete(&["stabcost", "quote", "sd1"]);
    assert!(none.is_empty(), "{none:?}");
}

#[test]
fn bash_completes_services_inside_expressions() {
    // The first step, and the step after the last '+' or '*', keeping what comes before.
    assert_eq!(bash_complete(&["stabcost", "workflow", "ul"]), ["ultra"]);
    assert_eq!(
        bash_complete(&["stabcost", "workflow", "core+upscale-c"]),
        ["core+upscale-conservative", "core+upscale-creative"]
    );
    assert_eq!(
        bash_complete(&["stabcost", "workflow", "core*6+rmbg+sdx"]),
        ["core*6+rmbg+sdxl", "core*6+rmbg+sdxl-1.0"]
    );
    assert_eq!(
        bash_complete(&["stabcost", "workflow", "2*ult"]),
        ["2*ultra"]
    );
    assert_eq!(
        bash_complete(&["stabcost", "--format", "csv", "workflow", "core+rm"]),
        ["core+rmbg"]
    );
    assert_eq!(
        bash_complete(&["stabcost", "--as-of", "2025-07-01", "workflow", "core+rm"]),
        ["core+rmbg"]
    );
    assert_eq!(
        bash_complete(&[
            "stabcost",
            "compare",
            "--images",
            "5",
            "--with",
            "rmbg+upscale-f"
        ]),
        ["rmbg+upscale-fast"]
    );
    // Options and their values are still clap's.
    assert_eq!(
        bash_complete(&["stabcost", "workflow", "core", "--form"]),
        ["--format"]
    );
    assert_eq!(
        bash_complete(&["stabcost", "workflow", "core", "--format", "cs"]),
        ["csv"]
    );
    assert_eq!(
        bash_complete(&["stabcost", "compare", "--ima"]),
        ["--images"]
    );
}

#[test]
fn every_shell_gets_a_script() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let r = run(&["completions", shell]);
        assert!(r.ok().contains("stabcost"), "{shell}");
        assert!(
            r.ok().contains("workflow") && r.ok().contains("format"),
            "{shell}"
        );
        // clap_complete's PowerShell and elvish scripts have no positional values.
        if ["bash", "zsh", "fish"].contains(&shell) {
            assert!(r.ok().contains("ultra"), "{shell} script lacks service ids");
        }
    }
    run(&["completions", "tcsh"]).user_error();
}

#[test]
fn the_man_page_renders_and_names_every_subcommand() {
    let page = run(&["man"]);
    assert!(page.ok().starts_with(".ie"), "not roff");
    for sub in SUBCOMMANDS {
        assert!(
            page.ok()
                .contains(&format!(".SH \"STABCOST {}\"", sub.to_uppercase())),
            "{sub}"
        );
    }
    // Rendered by man(1) when it is installed (.ci/run installs man-db and groff).
    if Command::new("man").arg("--version").output().is_ok() {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), page.ok()).unwrap();
        let out = Command::new("man")
            .arg("-l")
            .arg(file.path())
            .env("MANPAGER", "cat")
            .env("COLUMNS", "100")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        for sub in SUBCOMMANDS {
            assert!(
                text.contains(&format!("STABCOST {}", sub.to_uppercase())),
                "{sub} missing from:\n{text}"
            );
        }
        assert!(
            text.contains("--count"),
            "options of subcommands are documented"
        );
        // The workflow help's lines stay separate paragraphs, not one run-on line.
        assert!(
            text.lines()
                .any(|l| l.trim_start().starts_with("Use '-' to read the expression")),
            "{text}"
        );
        assert!(
            !text.lines().any(|l| l.trim() == "Examples:"),
            "an Examples: label under an EXAMPLES heading:\n{text}"
        );
    }
}

#[test]
fn the_man_page_refers_to_no_missing_page_and_has_the_usual_sections() {
    let page = run(&["man"]);
    let roff = page.ok();
    // There is one page, stabcost(1); no stabcost-quote(1) and the like.
    assert!(!roff.contains("(1)"), "a reference to another page");
    assert!(!roff.contains("stabcost\\-quote"), "stabcost-quote");
    for section in [
        ".SH COMMANDS",
        ".SH EXAMPLES",
        ".SH \"EXIT STATUS\"",
        ".SH ENVIRONMENT",
        ".SH FILES",
        "\\fBSTABCOST_RATES\\fR",
        "\\fBCOLUMNS\\fR",
    ] {
        assert!(roff.contains(section), "{section} missing");
    }
    assert!(!roff.contains("\nExamples:"), "Examples: under EXAMPLES");
    // completions and man reject --rates and --format, so their pages do not list them.
    let man_section = roff.split(".SH \"STABCOST MAN\"").nth(1).unwrap();
    let man_section = man_section.split(".SH ").next().unwrap();
    assert!(!man_section.contains("rates"), "{man_section}");
    assert!(!man_section.contains("as\\-of"), "{man_section}");
}

#[test]
fn a_subcommands_version_names_the_one_binary() {
    for sub in ["quote", "workflow", "compare", "rates", "man"] {
        let v = run(&[sub, "-V"]);
        assert!(v.ok().starts_with("stabcost 0."), "{sub}: {}", v.stdout);
    }
}

#[test]
fn every_subcommand_help_ends_with_examples() {
    for sub in SUBCOMMANDS {
        let help = run(&[sub, "--help"]);
        let (_, examples) = help
            .ok()
            .rsplit_once("Examples:")
            .unwrap_or_else(|| panic!("{sub} has no examples"));
        let lines: Vec<_> = examples
            .lines()
            .filter(|l| l.trim_start().starts_with("stabcost ") || l.contains("| stabcost"))
            .collect();
        assert!(lines.len() >= 2, "{sub} shows {} examples", lines.len());
    }
    let top = run(&["--help"]);
    for sub in SUBCOMMANDS {
        assert!(
            top.ok().contains(&format!("  {sub} ")),
            "top-level help lacks {sub}"
        );
    }
}

#[test]
fn version_names_the_built_in_cards_date() {
    let v = run(&["--version"]);
    assert_eq!(
        v.ok().trim(),
        format!(
            "stabcost {} (built-in rate card effective 2025-08-01)",
            env!("CARGO_PKG_VERSION")
        )
    );
}

#[test]
fn the_package_carries_the_rate_card_and_licenses() {
    let out = Command::new(env!("CARGO"))
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = String::from_utf8(out.stdout).unwrap();
    for file in [
        "rates/stability.toml",
        "rates/stability-2024-12-30.toml",
        "rates/stabcost-card.schema.json",
        "docs/formats.md",
        "examples/negotiated.toml",
        "README.md",
        "CHANGELOG.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "src/main.rs",
    ] {
        assert!(
            list.lines().any(|l| l == file),
            "{file} not packaged:\n{list}"
        );
    }
}

/// The words of a help example, split as a shell would (single quotes only), stopping
/// at its trailing comment (two or more spaces); `None` for an example that needs a
/// shell (a pipe or a redirection).
fn example_words(line: &str) -> Option<(Vec<String>, String)> {
    let line = line.trim();
    let (command, comment) = match line.find("   ").or_else(|| line.find("  ")) {
        Some(i) => (line[..i].trim(), line[i..].trim().to_owned()),
        None => (line, String::new()),
    };
    if command.contains('|') || command.contains('>') || !command.starts_with("stabcost ") {
        return None;
    }
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in command.chars() {
        match c {
            '\'' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            _ => word.push(c),
        }
    }
    words.push(word);
    Some((words.split_off(1), comment))
}

#[test]
fn every_help_example_runs_and_shows_the_figures_it_promises() {
    // The examples name files a reader would have; these stand in for them.
    let files = [
        ("negotiated.toml", "examples/negotiated.toml"),
        ("my-card.toml", "examples/negotiated.toml"),
        ("list.toml", "rates/stability.toml"),
        ("old-plan.toml", "examples/plan.toml"),
        ("main.toml", "examples/plan.toml"),
        ("plan.toml", "examples/plan-ultra.toml"),
        ("calls.jsonl", "tests/cmd/usage.in/acceptance.jsonl"),
        ("calls.csv.gz", "tests/cmd/usage.in/acceptance.csv"),
        ("access.log", "tests/cmd/usage.in/acceptance.log"),
        ("october.jsonl.gz", "tests/cmd/actual/october-2026.jsonl.gz"),
        ("storefront.toml", "examples/plan.toml"),
        ("ultra.jsonl.gz", "tests/cmd/whatif/october.jsonl.gz"),
        ("prompts.jsonl", "tests/cmd/whatif/repeats.jsonl"),
    ];
    let mut ran = 0;
    for sub in [
        "quote", "workflow", "compare", "plan", "diff", "rates", "usage",
    ] {
        let help = run(&[sub, "--help"]);
        let examples = help.ok().rsplit_once("Examples:").unwrap().1.to_owned();
        for line in examples.lines().filter(|l| !l.trim().is_empty()) {
            let Some((words, comment)) = example_words(line) else {
                continue;
            };
            let args: Vec<String> = words
                .into_iter()
                .map(|w| {
                    files
                        .iter()
                        .find(|(name, _)| w == *name)
                        .map_or(w, |(_, file)| (*file).to_owned())
                })
                .collect();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let r = run(&args);
            let gate = comment.starts_with("exits 3");
            assert_eq!(r.code, if gate { 3 } else { 0 }, "{line}: {}", r.stderr);
            // Every dollar figure the comment promises is in the output.
            for figure in comment.split_whitespace().filter(|w| w.starts_with('$')) {
                let figure = figure.trim_end_matches([',', '.']);
                assert!(
                    r.stdout.contains(figure),
                    "{line}: no {figure} in\n{}",
                    r.stdout
                );
            }
            ran += 1;
        }
    }
    assert!(ran >= 20, "only {ran} examples ran");
}
