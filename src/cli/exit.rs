//! How a binary ends: clap's stops (help, the version, a usage error) and a command's
//! result made into an exit code, the same for `stabcost` (`src/main.rs`) and
//! `stabcost-serve` (`src/bin/stabcost-serve.rs`).

use crate::report::Outcome;
use clap::error::ErrorKind;
use std::io::{ErrorKind as IoKind, IsTerminal, Write};
use std::process::ExitCode;

/// A command's result: its outcome's code, or its error on standard error with the code
/// the error earns (a closed pipe, `stabcost rates | head -1`, is the reader's choice,
/// not a failure).
#[must_use]
pub fn finish(result: anyhow::Result<Outcome>) -> ExitCode {
    match result {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let (text, code) = crate::describe_error(&e);
            let _ = std::io::stderr().write_all(text.as_bytes());
            ExitCode::from(code)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == IoKind::BrokenPipe)
}

/// What clap stopped for: help and the version go to standard output (a failed write
/// is an error, exit 1), everything else is a usage error on standard error.
#[must_use]
pub fn clap_exit(e: &clap::Error) -> ExitCode {
    let (what, text) = match e.kind() {
        // Every subcommand's -V names the one command there is, `stabcost`.
        ErrorKind::DisplayVersion => ("version", format!("stabcost {}\n", super::VERSION)),
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
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(crate::EXIT_USER));
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
            ExitCode::from(crate::EXIT_FAILURE)
        }
    }
}
