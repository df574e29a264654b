//! The `stabcost` binary: parse, run into standard output, print any error, exit.

use clap::Parser;
use std::io::{BufWriter, ErrorKind, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match stabcost::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(stabcost::EXIT_USER));
        }
    };
    let mut stdout = BufWriter::new(std::io::stdout().lock());
    match stabcost::commands::run(&cli, &mut stdout) {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        // A closed pipe (`stabcost rates | head -1`) is the reader's choice, not a failure.
        Err(e)
            if e.chain()
                .filter_map(|c| c.downcast_ref::<std::io::Error>())
                .any(|io| io.kind() == ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            let (text, code) = stabcost::describe_error(&e);
            let _ = std::io::stderr().write_all(text.as_bytes());
            ExitCode::from(code)
        }
    }
}
