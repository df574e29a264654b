//! The real binary's `stabcost serve` on a free loopback port, and a small HTTP/1.1
//! client over a plain socket, for `tests/serve.rs` and `tests/serve_http.rs`.
#![allow(
    dead_code,
    reason = "each test crate uses a different subset of these helpers"
)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap or index is a failed test"
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running server; stopped when dropped.
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) addr: SocketAddr,
    /// What it printed first: `stabcost serve: http://127.0.0.1:PORT/ (Ctrl-C stops it)`.
    pub(crate) banner: String,
    /// The rest of its standard output.
    stdout: BufReader<std::process::ChildStdout>,
}

impl Server {
    /// `stabcost [global] serve --listen 127.0.0.1:0 ARGS`, once it listens.
    pub(crate) fn start(args: &[&str]) -> Server {
        Server::start_with(&[], args, &[])
    }

    /// With `global` flags before `serve` and `env` set.
    pub(crate) fn start_with(global: &[&str], args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_stabcost"));
        cmd.args(global)
            .arg("serve")
            .args(args)
            .args(["--listen", "127.0.0.1:0"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("STABCOST_RATES")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        let mut line = String::new();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        stdout.read_line(&mut line).unwrap();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap();
        Server {
            child,
            addr,
            banner: line,
            stdout,
        }
    }

    /// A GET of `path` (with its query).
    pub(crate) fn get(&self, path: &str) -> Answer {
        self.request(&format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        ))
    }

    /// A POST of `parts` (field name, file name or none, content) as multipart/form-data.
    pub(crate) fn post(&self, path: &str, parts: &[(&str, Option<&str>, &[u8])]) -> Answer {
        let body = multipart(parts);
        let mut req = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {}\r\n\r\n",
            self.addr,
            body.len()
        )
        .into_bytes();
        req.extend(body);
        self.request_bytes(&req)
    }

    /// Sends `raw` and reads the answer to the end.
    pub(crate) fn request(&self, raw: &str) -> Answer {
        self.request_bytes(raw.as_bytes())
    }

    pub(crate) fn request_bytes(&self, raw: &[u8]) -> Answer {
        let mut s = self.connect();
        s.write_all(raw).unwrap();
        read_answer(&mut s)
    }

    /// A connection to the server, with a read timeout so that no test hangs.
    pub(crate) fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        s
    }

    /// Stops it with SIGINT, as Ctrl-C does; its exit status, stdout and stderr.
    pub(crate) fn interrupt(mut self) -> (std::process::ExitStatus, String, String) {
        let pid = self.child.id().to_string();
        let status = Command::new("kill").args(["-INT", &pid]).status().unwrap();
        assert!(status.success());
        let mut out = String::new();
        let mut err = String::new();
        self.stdout.read_to_string(&mut out).unwrap();
        if let Some(mut e) = self.child.stderr.take() {
            e.read_to_string(&mut err).unwrap();
        }
        let status = self.child.wait().unwrap();
        (status, out, err)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const BOUNDARY: &str = "stabcost-test-boundary-7f3a";

/// `parts` as a multipart/form-data body.
pub(crate) fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, file, content) in parts {
        body.extend(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"").bytes(),
        );
        if let Some(f) = file {
            body.extend(
                format!("; filename=\"{f}\"\r\nContent-Type: application/octet-stream").bytes(),
            );
        }
        body.extend(b"\r\n\r\n");
        body.extend(*content);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").bytes());
    body
}

/// An answer: its status, headers (names lowercased) and body.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Answer {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Asserts HTTP 200 and returns the body.
    #[track_caller]
    pub(crate) fn ok(&self) -> &str {
        assert_eq!(self.status, 200, "{}", self.body);
        &self.body
    }
}

/// Reads one answer from `s` to the end of the connection.
pub(crate) fn read_answer(s: &mut TcpStream) -> Answer {
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    parse_answer(&raw)
}

/// An answer's bytes parsed (the body as given by Content-Length, or all of it).
pub(crate) fn parse_answer(raw: &[u8]) -> Answer {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no answer head in {text:?}"));
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Answer {
        status,
        headers,
        body: body.to_owned(),
    }
}

/// The CLI's output for `args` (exit 0), run in the repository.
pub(crate) fn cli(args: &[&str]) -> String {
    let out = cli_output(args);
    assert!(
        out.status.success(),
        "stabcost {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The CLI's standard output for `args`, whatever its exit code (3 for a gate).
pub(crate) fn cli_any(args: &[&str]) -> String {
    String::from_utf8(cli_output(args).stdout).unwrap()
}

/// The CLI run on `args` in the repository, with the built-in card.
fn cli_output(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_stabcost"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("STABCOST_RATES")
        .output()
        .unwrap()
}

/// A file of the repository.
pub(crate) fn file(path: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}
