//! `stabcost-serve`: the web calculator of `stabcost serve` (`src/serve/`), as its own
//! binary so that hyper and tokio load only here. `stabcost serve …` runs it with its
//! own command line (`src/main.rs`), which this parses as `stabcost` does.

use stabcost::cli::{Cli, Command, exit};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::parse_args(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => return exit::clap_exit(&e),
    };
    let Command::Serve(args) = &cli.command else {
        return exit::finish(Err(stabcost::UserError::new(
            "stabcost-serve runs the web calculator only",
        )
        .hint("run it as `stabcost serve [--listen ADDR:PORT] [--open]`")
        .into()));
    };
    let mut stdout = std::io::stdout().lock();
    exit::finish(stabcost::serve::run(
        &cli,
        args,
        &mut stdout,
        &mut std::io::stderr(),
    ))
}
