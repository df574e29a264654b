//! `stabcost serve` against clients that misbehave: one that stalls mid-request is cut
//! off, garbage gets a 400, an upload over `--max-upload` a 413, 50 connections at once
//! stop no one, and after each the next normal request still answers at once. The
//! request timeout is 1 s here (the hidden `--timeout`; 10 s by default).

#![cfg(feature = "serve")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap or index is a failed test"
)]

#[path = "common/server.rs"]
mod server;

use server::{Server, parse_answer, read_answer};
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

/// A normal request answers, and fast: a quote page in well under a second even on a
/// loaded machine (the server's own time is measured by bench/serve).
#[track_caller]
fn still_answers(s: &Server) {
    let started = Instant::now();
    let r = s.get("/quote?service=ultra&count=2000");
    assert!(r.ok().contains("$160.00"));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

/// Reads until the server closes the connection (or the test's 30 s read timeout); what
/// it sent, and when it closed.
fn until_closed(mut c: std::net::TcpStream) -> (Vec<u8>, Duration) {
    let started = Instant::now();
    let mut got = Vec::new();
    let _ = c.read_to_end(&mut got);
    (got, started.elapsed())
}

#[test]
fn a_client_that_stalls_mid_request_is_cut_off() {
    let s = Server::start(&["--timeout", "1"]);
    // In its headers.
    let mut c = s.connect();
    c.write_all(
        format!(
            "GET /quote?service=ultra HTTP/1.1\r\nHost: {}\r\nX-Slow:",
            s.addr
        )
        .as_bytes(),
    )
    .unwrap();
    let (_, took) = until_closed(c);
    assert!(took < Duration::from_secs(5), "cut off after {took:?}");
    still_answers(&s);
    // In its body: a 408 page, then the connection closes.
    let mut c = s.connect();
    c.write_all(
        format!(
            "POST /plan HTTP/1.1\r\nHost: {}\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 1000\r\n\r\n--b\r\nContent-Disposition: form-data; name=\"plan\"\r\n\r\nname = ",
            s.addr
        )
        .as_bytes(),
    )
    .unwrap();
    let (got, took) = until_closed(c);
    assert!(took < Duration::from_secs(5), "cut off after {took:?}");
    assert_eq!(
        parse_answer(&got).status,
        408,
        "{}",
        String::from_utf8_lossy(&got)
    );
    still_answers(&s);
}

#[test]
fn garbage_gets_a_400_and_an_oversized_header_a_431() {
    let s = Server::start(&["--timeout", "1"]);
    for garbage in [
        &b"\x00\x01\x02 garbage\r\n\r\n"[..],
        b"GET /quote HTTP/9.9\r\n\r\n",
        b"GET\r\n\r\n",
        b"POST /plan HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n",
    ] {
        let r = s.request_bytes(garbage);
        assert_eq!(r.status, 400, "{garbage:?}: {}", r.body);
        still_answers(&s);
    }
    let big = format!(
        "GET / HTTP/1.1\r\nHost: {}\r\nX-Big: {}\r\n\r\n",
        s.addr,
        "a".repeat(64 * 1024)
    );
    let r = s.request(&big);
    assert_eq!(r.status, 431, "{}", r.body);
    still_answers(&s);
    // A request for another host (a page elsewhere whose name now points here).
    let r = s.request("GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
    assert_eq!(r.status, 421, "{}", r.body);
    assert_eq!(s.get("/nowhere").status, 404);
    let r = s.request(&format!(
        "DELETE /quote HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        s.addr
    ));
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow"), Some("GET, HEAD"));
    let r = s.request(&format!(
        "POST /quote HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
        s.addr
    ));
    assert_eq!(r.status, 405);
    let r = s.request(&format!("POST /plan HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nabc", s.addr));
    assert_eq!(r.status, 415, "{}", r.body);
    // A multipart body that is not one.
    let r = s.request(&format!("POST /usage HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 9\r\n\r\nnot parts", s.addr));
    assert_eq!(r.status, 400, "{}", r.body);
    still_answers(&s);
}

#[test]
fn an_upload_over_max_upload_gets_a_413() {
    let s = Server::start(&["--timeout", "2", "--max-upload", "1KiB"]);
    // Declared too large: refused before a byte of the body is read.
    let mut c = s.connect();
    c.write_all(
        format!(
            "POST /usage HTTP/1.1\r\nHost: {}\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 500000000\r\n\r\n",
            s.addr
        )
        .as_bytes(),
    )
    .unwrap();
    let r = read_answer(&mut c);
    assert_eq!(r.status, 413, "{}", r.body);
    assert!(r.body.contains("--max-upload"), "{}", r.body);
    // Sent in chunks with no length: cut off once past the limit.
    let log = "{\"endpoint\":\"/v2beta/stable-image/generate/core\",\"status\":200}\n".repeat(40);
    let part = format!(
        "--b\r\nContent-Disposition: form-data; name=\"log\"; filename=\"a.jsonl\"\r\n\r\n{log}\r\n--b--\r\n"
    );
    let mut c = s.connect();
    let mut req = format!(
        "POST /usage HTTP/1.1\r\nHost: {}\r\nContent-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n",
        s.addr
    );
    for chunk in part.as_bytes().chunks(500) {
        let _ = write!(
            req,
            "{:x}\r\n{}\r\n",
            chunk.len(),
            String::from_utf8_lossy(chunk)
        );
    }
    req.push_str("0\r\n\r\n");
    c.write_all(req.as_bytes()).unwrap();
    let r = read_answer(&mut c);
    assert_eq!(r.status, 413, "{}", r.body);
    still_answers(&s);
}

#[test]
fn fifty_connections_at_once_stop_no_one() {
    let s = Server::start(&["--timeout", "5"]);
    let mut open = Vec::new();
    for i in 0..50 {
        let mut c = s.connect();
        // Idle, half a request line, half the headers, and (half of them) uploads
        // stalled in their bodies: more than the uploads priced at once.
        let partial = match i % 6 {
            0 => String::new(),
            1 => "GET /quo".to_owned(),
            2 => format!("GET / HTTP/1.1\r\nHost: {}\r\n", s.addr),
            _ => format!(
                "POST /plan HTTP/1.1\r\nHost: {}\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100\r\n\r\n--b",
                s.addr
            ),
        };
        c.write_all(partial.as_bytes()).unwrap();
        open.push(c);
    }
    for _ in 0..5 {
        still_answers(&s);
    }
    // Many at once, each answered.
    let answers: Vec<_> = (0..20)
        .map(|_| {
            let addr = s.addr;
            std::thread::spawn(move || {
                let mut c = std::net::TcpStream::connect(addr).unwrap();
                c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
                c.write_all(format!("GET /compare?images=15000&format=csv HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes()).unwrap();
                read_answer(&mut c).status
            })
        })
        .collect();
    for a in answers {
        assert_eq!(a.join().unwrap(), 200);
    }
    // An upload waits for the stalled ones ahead of it no longer than they take to be
    // cut off: each is timed from its first byte, queued or not.
    let started = Instant::now();
    let plan = server::file("examples/plan.toml");
    let r = s.post("/plan", &[("plan", Some("plan.toml"), &plan)]);
    assert!(r.ok().contains("$213.00"));
    assert!(
        started.elapsed() < Duration::from_secs(12),
        "{:?}",
        started.elapsed()
    );
    drop(open);
    still_answers(&s);
}

#[test]
fn a_kept_alive_connection_answers_request_after_request() {
    let s = Server::start(&[]);
    let mut c = s.connect();
    for _ in 0..3 {
        c.write_all(
            format!(
                "GET /quote?service=core&count=2000&format=csv HTTP/1.1\r\nHost: {}\r\n\r\n",
                s.addr
            )
            .as_bytes(),
        )
        .unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        while !String::from_utf8_lossy(&got).contains(",,,,2000,6000,60.00") {
            let n = c.read(&mut buf).unwrap();
            assert!(n > 0, "closed");
            got.extend_from_slice(&buf[..n]);
        }
        assert!(String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200 OK"));
    }
}
