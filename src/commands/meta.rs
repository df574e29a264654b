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
        .services()
        .iter()
        .filter(|s| s.deprecated.is_none())
        .flat_map(|s| std::iter::once(s.id.clone()).chain(s.aliases.iter().cloned()))
        .collect();
    let mut cmd = command_with_service_values(names.clone());
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "stabcost", &mut out);
    let mut script = String::from_utf8(out)?;
    if shell == Shell::Bash {
        script = bash_expressions(&script, &names);
    }
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

/// Bash completes service ids inside step expressions too: `workflow EXPR` and
/// `compare --with EXPR` complete the step after the last `+` (or `*`), keeping what
/// comes before it. `clap_complete`'s function is renamed and called for the rest.
fn bash_expressions(script: &str, names: &[String]) -> String {
    const WRAPPER: &str = r#"
# Service ids inside step expressions: `stabcost workflow core+rm<TAB>` and
# `stabcost compare --with rmbg+up<TAB>` complete the step after the last + or *.
_stabcost() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="" sub="" i w
    if (( COMP_CWORD > 0 )); then prev="${COMP_WORDS[COMP_CWORD-1]}"; fi
    for (( i = 1; i < COMP_CWORD; i++ )); do
        w="${COMP_WORDS[i]}"
        case "$w" in
            --rates|--format|--as-of) (( i++ )) ;;
            -*) ;;
            *) sub="$w"; break ;;
        esac
    done
    if [[ ( "$sub" == workflow && "$cur" != -* && "$prev" != @(-n|--count|--steps|--free-credits|--rates|--format|--as-of) )
          || ( "$sub" == compare && "$prev" == --with ) ]]; then
        local head="" tail="$cur"
        if [[ "$cur" == *[+*]* ]]; then
            head="${cur%[+*]*}"
            head="${cur:0:${#head}+1}"
            tail="${cur:${#head}}"
        fi
        COMPREPLY=( $(compgen -W "__SERVICES__" -P "$head" -- "$tail") )
        compopt -o nospace 2>/dev/null
        return 0
    fi
    _stabcost_clap "$@"
}
"#;
    let renamed = script.replacen("_stabcost() {", "_stabcost_clap() {", 1);
    let wrapper = WRAPPER.replace("__SERVICES__", &names.join(" "));
    match renamed.find("\nif [[ \"${BASH_VERSINFO[0]}\"") {
        Some(at) => format!("{}{wrapper}{}", &renamed[..at], &renamed[at..]),
        None => renamed + &wrapper,
    }
}

/// A roff man page: the top-level page, a list of the commands, then a section per
/// subcommand (synopsis, description, options, examples), and the exit status,
/// environment and files. Nothing refers to a page that does not exist.
pub(super) fn man() -> anyhow::Result<String> {
    let mut cmd = Cli::command();
    cmd.build();
    let top = clap_mangen::Man::new(cmd.clone());
    let mut out = Vec::new();
    top.render_title(&mut out)?;
    top.render_name_section(&mut out)?;
    top.render_synopsis_section(&mut out)?;
    top.render_description_section(&mut out)?;
    top.render_options_section(&mut out)?;
    let mut page = String::from_utf8(out)?;
    let subs: Vec<&clap::Command> = cmd
        .get_subcommands()
        .filter(|s| s.get_name() != "help")
        .collect();
    page.push_str(".SH COMMANDS\n");
    for sub in &subs {
        let _ = writeln!(
            page,
            ".TP\n\\fBstabcost {}\\fR\n{}",
            sub.get_name(),
            roff(&sub.get_about().map(ToString::to_string).unwrap_or_default()),
        );
    }
    if let Some(help) = cmd.get_after_help() {
        page.push_str(&help_roff(&help.to_string(), ".SH"));
    }
    for sub in &subs {
        let mut sub = (*sub).clone();
        if ["completions", "man"].contains(&sub.get_name()) {
            // Global options that these two reject.
            sub = sub
                .mut_arg("rates", |a| a.hide(true))
                .mut_arg("format", |a| a.hide(true))
                .mut_arg("as_of", |a| a.hide(true));
        }
        let sub = &sub;
        let man = clap_mangen::Man::new(sub.clone());
        let mut part = Vec::new();
        man.render_synopsis_section(&mut part)?;
        man.render_description_section(&mut part)?;
        let mut part = String::from_utf8(part)?;
        let help = sub
            .get_after_help()
            .map(ToString::to_string)
            .unwrap_or_default();
        let (intro, _) = help.split_once("Examples:").unwrap_or((&help, ""));
        part.push_str(&paragraphs(intro));
        let mut options = Vec::new();
        man.render_options_section(&mut options)?;
        part.push_str(&String::from_utf8(options)?);
        part.push_str(&help_roff(&help, ".SS"));
        // Each subcommand is one section; its own sections become subsections.
        let _ = writeln!(page, ".SH \"STABCOST {}\"", sub.get_name().to_uppercase());
        page.push_str(&part.replace(".SH ", ".SS "));
    }
    page.push_str(TRAILER);
    let mut version = Vec::new();
    top.render_version_section(&mut version)?;
    page.push_str(&String::from_utf8(version)?);
    Ok(without_repeated_preamble(&page))
}

/// The sections every man page of a command line tool ends with.
const TRAILER: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
Success.
.TP
\fB1\fR
Anything else failed: an I/O error, naming what was being read or written (a full
disk, say). A closed pipe (\fBstabcost rates | head \-1\fR) is not an error.
.TP
\fB2\fR
The input is wrong: bad arguments, an unknown or discontinued service, a bad workflow
expression, an unreadable or invalid rate card or plan, a figure too large to compute.
.TP
\fB3\fR
A budget gate tripped (\fBplan \-\-fail\-if\-over\fR, \fBdiff \-\-max\-increase\fR): the
report is printed in full first.
.SH ENVIRONMENT
.TP
\fBSTABCOST_RATES\fR
A rate card (TOML) to price with instead of the built\-in one, as \fB\-\-rates\fR gives;
\fB\-\-rates\fR wins. An empty value counts as unset.
.TP
\fBCOLUMNS\fR
The width the table fits. Without it, the terminal's own width when standard output is
a terminal; piped output keeps every column.
.TP
\fBNO_COLOR\fR
Help is printed without colour.
.SH FILES
No file is read unless one is named: the built\-in rate card (\fIrates/stability.toml\fR
in the source) is compiled into the binary. \fB\-\-rates\fR \fIFILE\fR or
\fBSTABCOST_RATES\fR names a card file, and \fBplan\fR and \fBdiff\fR read plan files;
\fBworkflow \-\fR and \fBcompare \-\-with \-\fR read an expression from standard input.
"#;

/// `text` as roff running text: backslashes, hyphens and a leading dot or quote
/// escaped.
fn roff(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\e")
        .replace('-', "\\-")
        .replace('\'', "\\(aq");
    if escaped.starts_with('.') {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

/// Help text as roff paragraphs: each unindented line a paragraph of its own (so
/// lines that read as separate sentences stay separate), and indented lines kept as
/// they are, one per line.
fn paragraphs(text: &str) -> String {
    let mut out = String::new();
    let mut literal = false;
    for line in text.lines() {
        let indented = line.starts_with(' ');
        if indented && !literal {
            out.push_str(".PP\n.nf\n");
        } else if !indented && literal {
            out.push_str(".fi\n");
        }
        literal = indented;
        if line.trim().is_empty() {
            continue;
        }
        if !indented {
            out.push_str(".PP\n");
        }
        out.push_str(&roff(line));
        out.push('\n');
    }
    if literal {
        out.push_str(".fi\n");
    }
    out
}

/// The examples of an `after_help` text (what follows its `Examples:` line) under an
/// EXAMPLES heading at `level` (`.SH` or `.SS`), one per line.
fn help_roff(help: &str, level: &str) -> String {
    let Some((_, examples)) = help.split_once("Examples:") else {
        return String::new();
    };
    let mut out = format!("{level} EXAMPLES\n.nf\n");
    for line in examples.lines().filter(|l| !l.trim().is_empty()) {
        out.push_str(&roff(line));
        out.push('\n');
    }
    out.push_str(".fi\n");
    out
}

/// `clap_mangen` starts every section it renders with the same two-line preamble;
/// the page needs it once.
fn without_repeated_preamble(page: &str) -> String {
    const PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    match page.split_once(PREAMBLE) {
        Some((before, after)) => format!("{before}{PREAMBLE}{}", after.replace(PREAMBLE, "")),
        None => page.to_owned(),
    }
}
