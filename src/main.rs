//! The `stabcost` binary: parse, run into standard output, print any error, exit.

use clap::error::ErrorKind;
use std::io::{BufWriter, ErrorKind as IoKind, IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match stabcost::cli::Cli::parse_args(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e),
    };
    let width = stabcost::report::terminal_width(std::io::stdout().is_terminal());
    let mut stdout = BufWriter::new(std::io::stdout().lock());
    match stabcost::commands::run_with_width(&cli, width, &mut stdout, &mut std::io::stderr()) {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let (text, code) = stabcost::describe_error(&e);
            let _ = std::io::stderr().write_all(text.as_bytes());
            ExitCode::from(code)
        }
    }
}

/// A closed pipe (`stabcost rates | head -1`) is the reader's choice, not a failure.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == IoKind::BrokenPipe)
}

/// What clap stopped for: help and the version go to standard output (a failed write
/// is an error, exit 1), everything else is a usage error on standard error.
fn clap_exit(e: &clap::Error) -> ExitCode {
    let (what, text) = match e.kind() {
        // Every subcommand's -V names the one binary there is, `stabcost`.
        ErrorKind::DisplayVersion => ("version", format!("stabcost {}\n", stabcost::cli::VERSION)),
        ErrorKind::DisplayHelp | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            if e.exit_code() == 0 =>
        {
            let help = e.render();
            let styled = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            (
                "help",
                if styled {
                    help.ansi().to_string()
                } else {
                    help.to_string()
                },
            )
        }
        _ => {
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(stabcost::EXIT_USER));
        }
    };
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(io) if io.kind() == IoKind::BrokenPipe => ExitCode::SUCCESS,
        Err(io) => {
            let _ = writeln!(std::io::stderr(), "error: cannot write the {what}: {io}");
            ExitCode::from(stabcost::EXIT_FAILURE)
        }
    }
}
