//! `stabcost serve`: a local web calculator on the same engine (README, "In a
//! browser"). One job per file:
//! - `http`: hyper's server, its limits and the Ctrl-C stop; `body`: a request body as
//!   a blocking reader;
//! - `app`: the routes, request in, answer out; `fields`: each page's fields; `args`:
//!   a request's fields as the command line's arguments; `upload`: the posted pages (plans, logs);
//!   `multipart`: a `multipart/form-data` body, streamed;
//! - `forms`: each page's form, filled in; `page`: what surrounds a report.

mod app;
mod args;
mod body;
mod fields;
mod forms;
mod http;
mod multipart;
mod page;
mod upload;

use crate::cli::serve::ServeArgs;
use crate::cli::{Cli, FormatArg};
use crate::commands::request::CardSource;
use crate::error::UserError;
use crate::report::Outcome;
use anyhow::Context as _;
use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;

/// Runs the server until Ctrl-C; `out` gets the address, `err` the warnings.
pub fn run(
    cli: &Cli,
    args: &ServeArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    if cli.format != FormatArg::Table {
        return Err(
            UserError::new("serve answers each request in the format it asks for")
                .hint("drop --format; add format=json (or csv, markdown) to a page's address")
                .into(),
        );
    }
    let source = CardSource::from_cli(cli)?;
    let listener = std::net::TcpListener::bind(args.listen).map_err(|e| {
        UserError::new(format!("cannot listen on {}: {e}", args.listen))
            .hint("is another server on that port? --listen 127.0.0.1:0 picks a free one")
    })?;
    let addr = listener
        .local_addr()
        .context("cannot read the server's address")?;
    let app = app::App::new(source, addr)?;
    if let Some(w) = warning(args.listen) {
        let _ = writeln!(err, "warning: {w}");
    }
    let url = url(addr);
    writeln!(out, "stabcost serve: {url} (Ctrl-C stops it)")
        .and_then(|()| out.flush())
        .context("cannot write the server's address")?;
    if args.open {
        if let Err(e) = open(&url) {
            let _ = writeln!(err, "warning: cannot open a browser ({e}); open {url}");
        }
    }
    http::serve(
        listener,
        app,
        http::Limits {
            max_upload: args.max_upload,
            timeout: Duration::from_secs(args.timeout),
        },
    )
    .context("the server failed")?;
    let _ = writeln!(out, "stabcost serve: stopped");
    Ok(Outcome::Success)
}

/// What to say about listening on `addr`: nothing for loopback.
fn warning(addr: SocketAddr) -> Option<String> {
    (!addr.ip().is_loopback()).then(|| {
        format!(
            "listening on {addr}, not loopback: anyone who can reach this address can use the calculator and see its rate card"
        )
    })
}

/// The address a browser opens.
fn url(addr: SocketAddr) -> String {
    let host = match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_owned(),
        ip if ip.is_unspecified() => "[::1]".to_owned(),
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        std::net::IpAddr::V4(ip) => ip.to_string(),
    };
    format!("http://{host}:{}/", addr.port())
}

/// Opens `url` in the desktop's browser, without waiting for it.
fn open(url: &str) -> std::io::Result<()> {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_address_other_than_loopback_is_warned_of() {
        let a = |s: &str| s.parse::<SocketAddr>().unwrap();
        assert_eq!(warning(a("127.0.0.1:8080")), None);
        assert_eq!(warning(a("[::1]:8080")), None);
        assert!(
            warning(a("0.0.0.0:8080"))
                .unwrap()
                .contains("anyone who can reach")
        );
        assert!(warning(a("192.0.2.1:80")).is_some());
        assert_eq!(url(a("0.0.0.0:8080")), "http://127.0.0.1:8080/");
        assert_eq!(url(a("[::1]:80")), "http://[::1]:80/");
    }
}
