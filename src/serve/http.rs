//! The HTTP side: hyper's HTTP/1 server on one tokio thread, which only moves bytes.
//! Each request is answered on a blocking thread by the routes ([`super::app`]), its
//! body streamed to them through [`super::body`]. The limits live here: the header's
//! size and read time, the body's size and idle time, the number of open connections and
//! their lifetime; Ctrl-C (or SIGTERM) stops accepting, lets the requests under way
//! finish for a few seconds, and returns.

use super::app::{App, Head, Method, Response};
use super::body::{self, Failure, Stopped};
use http_body_util::{BodyExt as _, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Semaphore, mpsc};

/// The server's limits.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// The largest request body, in bytes.
    pub(crate) max_upload: u64,
    /// How long a client may take to send a request's headers, and how long it may
    /// send nothing of its body.
    pub(crate) timeout: Duration,
}

/// Connections open at once; one more is closed as soon as it is accepted.
const MAX_CONNECTIONS: usize = 256;
/// The longest request header block, in bytes (HTTP 431 above).
const MAX_HEADER: usize = 16 * 1024;
/// The longest a connection stays open, whatever it does.
const LIFETIME: Duration = Duration::from_secs(15 * 60);
/// Uploads read and priced at once (each reads with its own worker threads and
/// buffers); more wait their turn, their bodies left unread.
const UPLOADS: usize = 4;
/// How long an upload may wait for its turn (HTTP 503 after).
const QUEUE: Duration = Duration::from_secs(60);
/// How long the requests under way may take to finish once told to stop.
const GRACE: Duration = Duration::from_secs(5);

/// Serves `listener` until Ctrl-C or SIGTERM.
pub(crate) fn serve(
    listener: std::net::TcpListener,
    app: App,
    limits: Limits,
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        // A thread for every open connection: a request never waits for one.
        .max_blocking_threads(MAX_CONNECTIONS)
        .build()?;
    runtime.block_on(accept(listener, Arc::new(app), limits))?;
    // A route still reading a body that will never end is cut off with the runtime.
    runtime.shutdown_timeout(Duration::from_secs(1));
    Ok(())
}

async fn accept(
    listener: std::net::TcpListener,
    app: Arc<App>,
    limits: Limits,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let graceful = GracefulShutdown::new();
    let open = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let uploads = Arc::new(Semaphore::new(UPLOADS));
    let mut stop = std::pin::pin!(stop_signal());
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut stop => break,
        };
        // Out of file descriptors, or a connection reset before it was accepted: wait
        // a moment rather than spin.
        let Ok((stream, _)) = accepted else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let Ok(permit) = Arc::clone(&open).try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let app = Arc::clone(&app);
        let uploads = Arc::clone(&uploads);
        let service =
            service_fn(move |req| answer(req, Arc::clone(&app), Arc::clone(&uploads), limits));
        let conn = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.timeout)
            .max_header_size(MAX_HEADER)
            .max_buf_size(64 * 1024)
            .serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = tokio::time::timeout(LIFETIME, conn).await;
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(GRACE) => {}
    }
    Ok(())
}

/// Ctrl-C or SIGTERM.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// One request: checked, answered on a blocking thread while its body is fed to it.
async fn answer(
    req: hyper::Request<Incoming>,
    app: Arc<App>,
    uploads: Arc<Semaphore>,
    limits: Limits,
) -> Result<hyper::Response<Full<Bytes>>, Infallible> {
    let (parts, incoming) = req.into_parts();
    let head = head(&parts);
    let declared = parts
        .headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(r) = app.refuse(&head, declared, limits.max_upload) {
        return Ok(respond(r, head.method));
    }
    let method = head.method;
    let (tx, reader) = body::channel();
    let stopped = Stopped::default();
    // The body is fed from the start, so a client that stalls is cut off even while its
    // upload waits for its turn (without a thread: a page never waits).
    let mut feeding = std::pin::pin!(feed(incoming, tx, limits, stopped.clone()));
    let mut fed = false;
    let _turn = if method == Method::Post {
        let mut waiting = std::pin::pin!(tokio::time::timeout(QUEUE, uploads.acquire_owned()));
        loop {
            tokio::select! {
                permit = &mut waiting => match permit {
                    Ok(Ok(permit)) => break Some(permit),
                    _ => return Ok(respond(App::busy_page(), method)),
                },
                () = &mut feeding, if !fed => {
                    fed = true;
                    if let Some(f) = stopped.get() {
                        return Ok(respond(App::failure_page(Some(f)), method));
                    }
                }
            }
        }
    } else {
        None
    };
    let task = {
        let app = Arc::clone(&app);
        tokio::task::spawn_blocking(move || app.answer(&head, Box::new(reader)))
    };
    if !fed {
        feeding.await;
    }
    let response = match task.await {
        Ok(r) => r,
        // A route that panicked (a bug; the release build aborts instead).
        Err(_) => App::failure_page(None),
    };
    // A body cut off is the client's doing, whatever the route made of it.
    let response = match stopped.get() {
        Some(f) if response.status >= 400 => App::failure_page(Some(f)),
        _ => response,
    };
    Ok(respond(response, method))
}

/// The request's method, path, query and content type.
fn head(parts: &hyper::http::request::Parts) -> Head {
    let method = match parts.method {
        hyper::Method::GET => Method::Get,
        hyper::Method::HEAD => Method::Head,
        hyper::Method::POST => Method::Post,
        _ => Method::Other,
    };
    let header = |name: hyper::header::HeaderName| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    Head {
        method,
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or("").to_owned(),
        content_type: header(hyper::header::CONTENT_TYPE),
        host: header(hyper::header::HOST),
    }
}

/// Feeds the body to the route, chunk by chunk, until it ends, the route stops reading,
/// or a limit is passed (the reason kept in `stopped`); the route's reader then ends.
async fn feed(
    mut incoming: Incoming,
    tx: mpsc::Sender<Result<Bytes, Failure>>,
    limits: Limits,
    stopped: Stopped,
) {
    let mut total: u64 = 0;
    loop {
        let frame = tokio::select! {
            frame = tokio::time::timeout(limits.timeout, incoming.frame()) => frame,
            () = tx.closed() => return,
        };
        let failure = match frame {
            Ok(None) => return,
            Ok(Some(Ok(frame))) => {
                let Ok(data) = frame.into_data() else {
                    continue;
                };
                total = total.saturating_add(data.len() as u64);
                if total <= limits.max_upload {
                    if tx.send(Ok(data)).await.is_err() {
                        return;
                    }
                    continue;
                }
                Failure::TooLarge
            }
            Ok(Some(Err(_))) => Failure::Broken,
            Err(_) => Failure::Stalled,
        };
        stopped.set(failure);
        let _ = tx.send(Err(failure)).await;
        if failure == Failure::TooLarge {
            drain(incoming, limits.timeout).await;
        }
        return;
    }
}

/// Reads and drops a little more of a body too large, so that the client, still
/// sending, reads the 413 rather than a connection reset.
async fn drain(mut incoming: Incoming, timeout: Duration) {
    let mut left: usize = 1 << 20;
    while left > 0 {
        match tokio::time::timeout(timeout, incoming.frame()).await {
            Ok(Some(Ok(frame))) => {
                left = left.saturating_sub(frame.data_ref().map_or(0, Bytes::len));
            }
            _ => return,
        }
    }
}

/// The answer as hyper's response, with the headers every answer carries.
/// hyper sends no body in answer to HEAD, and keeps its length.
fn respond(r: Response, method: Method) -> hyper::Response<Full<Bytes>> {
    let body = Bytes::from(r.body);
    let mut builder = hyper::Response::builder()
        .status(r.status)
        .header(hyper::header::CONTENT_TYPE, r.content_type)
        .header(hyper::header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .header(hyper::header::REFERRER_POLICY, "no-referrer")
        .header(hyper::header::CACHE_CONTROL, "no-cache")
        .header(hyper::header::CONTENT_SECURITY_POLICY, super::page::POLICY);
    if let Some(allow) = r.allow {
        builder = builder.header(hyper::header::ALLOW, allow);
    }
    if r.status >= 400 && method == Method::Post {
        // The rest of a refused body is not read: the connection is not reused.
        builder = builder.header(hyper::header::CONNECTION, "close");
    }
    builder
        .body(Full::new(body))
        .unwrap_or_else(|_| hyper::Response::new(Full::new(Bytes::new())))
}
