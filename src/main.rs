//! The `stabcost` binary: parse, run into standard output, print any error, exit.
//! `stabcost serve` becomes `stabcost-serve` (`src/bin/stabcost-serve.rs`), so that the
//! web server's code is not loaded by every other command.

use stabcost::cli::{Cli, Command, exit};
use std::io::{BufWriter, IsTerminal};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::parse_args(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => return exit::clap_exit(&e),
    };
    if matches!(cli.command, Command::Serve(_)) {
        return exit::finish(Err(serve()));
    }
    let width = stabcost::report::terminal_width(std::io::stdout().is_terminal());
    let mut stdout = BufWriter::new(std::io::stdout().lock());
    exit::finish(stabcost::commands::run_with_width(
        &cli,
        width,
        &mut stdout,
        &mut std::io::stderr(),
    ))
}

/// Runs `stabcost-serve` with this command line: the one beside this binary (as cargo
/// builds and installs them), else the one on `PATH`. On Unix it takes this process's
/// place, so Ctrl-C and the exit code are its own; what comes back is why it could not.
fn serve() -> anyhow::Error {
    let serve = format!("stabcost-serve{}", std::env::consts::EXE_SUFFIX);
    let beside = std::env::current_exe()
        .ok()
        .map(|me| me.with_file_name(&serve))
        .filter(|path| path.is_file());
    let mut command = std::process::Command::new(beside.as_deref().unwrap_or(serve.as_ref()));
    command.args(std::env::args_os().skip(1));
    #[cfg(unix)]
    let failed = std::os::unix::process::CommandExt::exec(&mut command);
    #[cfg(not(unix))]
    let failed = match command.status() {
        Ok(status) => std::process::exit(status.code().unwrap_or(1)),
        Err(e) => e,
    };
    stabcost::UserError::new(format!(
        "stabcost serve runs {serve}, which is neither beside this stabcost nor on PATH ({failed})"
    ))
    .hint("cargo install --path . installs both (the default serve feature builds it); in a clone, `cargo build --release` builds both, where `cargo run` builds stabcost alone")
    .into()
}
