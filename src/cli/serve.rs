//! `stabcost serve`'s arguments and help (the server is `src/serve/`).

use clap::Args;

/// The help's text after the options: the pages, and what the server allows.
const HELP: &str = "\
Pages: / (the index), /quote, /workflow, /compare, /rates (GET: a query's fields
are the command's long flags, so a URL is a shareable answer), /plan, /diff,
/usage (POST multipart: plan, base, head, log files; logs are streamed, never
kept). format=csv|json|markdown answers in that format. The server reads no file
a request names: --rates FILE prices every request, and a form may upload a card.
It listens on loopback only unless --listen names another address.

Examples:
  stabcost serve                                  http://127.0.0.1:8080/
  stabcost serve --listen 127.0.0.1:9000 --open
  stabcost serve --rates negotiated.toml --max-upload 1GiB
  curl 'http://127.0.0.1:8080/quote?service=ultra&count=2000&format=json'
  curl -F plan=@examples/plan.toml http://127.0.0.1:8080/plan";

/// A local web calculator on the same engine: every command as a page, each answer a link
#[derive(Debug, Args)]
#[command(after_help = HELP)]
pub struct ServeArgs {
    /// Address and port to listen on (port 0: a free one); an address other than
    /// loopback lets anyone who can reach it use the calculator
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080",
          value_parser = super::values::parse_listen)]
    pub listen: std::net::SocketAddr,

    /// Open the calculator in the browser (xdg-open, or open on macOS)
    #[arg(long)]
    pub open: bool,

    /// The largest request body: bytes, or with a unit (KiB, MiB, GiB, KB, MB, GB)
    #[arg(long, value_name = "SIZE", default_value = "256MiB", value_parser = super::values::parse_size)]
    pub max_upload: u64,

    /// Seconds a client may take to send a request's headers, or pause inside its body
    #[arg(long, value_name = "S", default_value = "10", hide = true,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
}
