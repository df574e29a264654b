//! `stabcost completions SHELL` and `stabcost man`: the CLI describing itself.

use crate::cli::Cli;
use crate::rates::RateCard;
use clap::CommandFactory;
use clap::builder::PossibleValuesParser;
use clap_complete::Shell;
use std::fmt::Write as _;

/// The command line as the completion generator sees it: service arguments list the
/// built-in card's ids and aliases. Parsing never uses these lists, so custom cards and
/// the "did you mean" hints keep working.
fn command_with_service_values(names: Vec<String>) -> clap::Command {
    Cli::command().mut_subcommand("quote", |sub| {
        sub.mut_arg("service", |arg| {
            arg.value_parser(PossibleValuesParser::new(names))
        })
    })
}

/// The completion script for `shell`.
pub(super) fn completions(shell: Shell) -> anyhow::Result<String> {
    let card = RateCard::built_in()?;
    let names: Vec<String> = card
        .services
        .iter()
        .filter(|s| s.deprecated.is_none())
        .flat_map(|s| std::iter::once(s.id.clone()).chain(s.aliases.iter().cloned()))
        .collect();
    let mut cmd = command_with_service_values(names.clone());
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "stabcost", &mut out);
    let mut script = String::from_utf8(out)?;
    if shell == Shell::Fish {
        // clap_complete's fish script leaves positional values out; add the services.
        let _ = writeln!(
            script,
            "complete -c stabcost -n \"__fish_stabcost_using_subcommand quote\" -f -a \"{}\"",
            names.join(" ")
        );
    }
    Ok(script)
}

/// A roff man page: the top-level page, then a section per subcommand with its
/// synopsis, description, options and examples.
pub(super) fn man() -> anyhow::Result<String> {
    let mut cmd = Cli::command();
    cmd.build();
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut out)?;
    let mut page = String::from_utf8(out)?;
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let man = clap_mangen::Man::new(sub.clone());
        let mut part = Vec::new();
        man.render_synopsis_section(&mut part)?;
        man.render_description_section(&mut part)?;
        man.render_options_section(&mut part)?;
        if sub.get_after_help().is_some() {
            man.render_extra_section(&mut part)?;
        }
        // Each subcommand is one section; its own sections become subsections.
        let part = String::from_utf8(part)?
            .replace(".SH ", ".SS ")
            .replace(".SS EXTRA", ".SS EXAMPLES");
        let _ = writeln!(page, ".SH \"STABCOST {}\"", sub.get_name().to_uppercase());
        page.push_str(&part);
    }
    Ok(page.replace(".SH EXTRA", ".SH EXAMPLES"))
}
