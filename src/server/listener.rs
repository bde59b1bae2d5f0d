//! Accepting connections: hyper's HTTP/1 server with the limits `axum::serve` does not set.
//!
//! - a **header-read timeout** (`HEADER_READ_TIMEOUT`): a client must send a whole request
//!   head within it, however slowly it trickles;
//! - an **idle timeout** (`IDLE_TIMEOUT`): a connection with no request in flight that sends
//!   and receives nothing for that long is closed;
//! - a **cap on open connections** (`MAX_CONNECTIONS`, never more than the process's file
//!   descriptor limit allows): when it is reached, the oldest connection with no request in
//!   flight (an idle keep-alive or a slow client still sending its head) is closed to make room,
//!   so a flood of slow connections cannot keep a normal client out, and the server never runs
//!   out of descriptors.
//!
//! Everything else is axum's: each connection serves the app (a tower service) through
//! `hyper_util`'s adapter, with `ConnectInfo<SocketAddr>` in every request's extensions.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{ConnectInfo, Request};
use axum::http::Response;
use axum::BoxError;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch};
use tower::{Service, ServiceExt as _};

/// Descriptors kept free for everything but client connections (database, log, files).
const RESERVED_DESCRIPTORS: u64 = 256;
/// How long a stop waits for requests in flight.
const DRAIN_LIMIT: Duration = Duration::from_secs(10);

/// The limits of [`serve`].
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    pub max_connections: usize,
    pub header_read_timeout: Duration,
    pub idle_timeout: Duration,
}

impl ConnectionLimits {
    /// `max_connections`, lowered to what the file descriptor limit allows (raised to its hard
    /// limit first, as servers do).
    pub fn within_descriptor_limit(mut self) -> Self {
        let _ = rlimit::increase_nofile_limit(u64::MAX);
        if let Ok((soft, _)) = rlimit::getrlimit(rlimit::Resource::NOFILE) {
            let room =
                usize::try_from(soft.saturating_sub(RESERVED_DESCRIPTORS).max(16)).unwrap_or(usize::MAX);
            if room < self.max_connections {
                tracing::info!(max_connections = room, "connection cap lowered to fit the descriptor limit");
                self.max_connections = room;
            }
        }
        self
    }
}

/// Serves `app` on `listener` until `stop` completes, then lets requests in flight finish.
///
/// # Errors
/// Never returns an error today; the signature leaves room for fatal listener errors.
pub async fn serve<S, B>(
    listener: TcpListener,
    app: S,
    limits: ConnectionLimits,
    stop: impl Future<Output = ()>,
) -> std::io::Result<()>
where
    S: Service<Request, Response = Response<B>, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
    B: HttpBody<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    let open = Arc::new(Mutex::new(Open::default()));
    let (stopping, stop_signal) = watch::channel(false);
    tokio::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of descriptors, or a connection reset before it was accepted: the
                    // cap makes the first rare; wait a moment rather than spin.
                    tracing::warn!(error = %e, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let Some(admitted) = admit(&open, limits.max_connections) else {
            drop(stream); // every open connection is busy: refuse this one
            continue;
        };
        let _ = stream.set_nodelay(true);
        let connection = Connection { stream, peer, limits, open: Arc::clone(&open), admitted };
        tokio::spawn(connection.serve(app.clone(), stop_signal.clone()));
    }
    let _ = stopping.send(true);
    let drained = Instant::now();
    while !lock(&open).connections.is_empty() && drained.elapsed() < DRAIN_LIMIT {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

/// The open connections, oldest first (ids grow with every accept).
#[derive(Default)]
struct Open {
    next_id: u64,
    connections: BTreeMap<u64, Tracked>,
}

struct Tracked {
    in_flight: Arc<AtomicUsize>,
    close: oneshot::Sender<()>,
}

/// What a newly admitted connection holds.
struct Admitted {
    id: u64,
    in_flight: Arc<AtomicUsize>,
    closed: oneshot::Receiver<()>,
}

fn lock(open: &Mutex<Open>) -> std::sync::MutexGuard<'_, Open> {
    open.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Registers a new connection, first closing the oldest one with no request in flight if the
/// cap is reached; `None` when every open connection is busy.
fn admit(open: &Mutex<Open>, max_connections: usize) -> Option<Admitted> {
    let mut open = lock(open);
    if open.connections.len() >= max_connections {
        let idlest = open
            .connections
            .iter()
            .find(|(_, c)| c.in_flight.load(Ordering::Acquire) == 0)
            .map(|(id, _)| *id)?;
        if let Some(evicted) = open.connections.remove(&idlest) {
            let _ = evicted.close.send(());
        }
    }
    let id = open.next_id;
    open.next_id += 1;
    let (close, closed) = oneshot::channel();
    let in_flight = Arc::new(AtomicUsize::new(0));
    open.connections.insert(id, Tracked { in_flight: Arc::clone(&in_flight), close });
    Some(Admitted { id, in_flight, closed })
}

struct Connection {
    stream: TcpStream,
    peer: SocketAddr,
    limits: ConnectionLimits,
    open: Arc<Mutex<Open>>,
    admitted: Admitted,
}

impl Connection {
    async fn serve<S, B>(self, app: S, mut stopping: watch::Receiver<bool>)
    where
        S: Service<Request, Response = Response<B>, Error = Infallible> + Clone + Send + 'static,
        S::Future: Send + 'static,
        B: HttpBody<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        let Self { stream, peer, limits, open, admitted } = self;
        let Admitted { id, in_flight, mut closed } = admitted;
        let activity = Arc::new(Activity::now());
        let io = TokioIo::new(Watched { inner: stream, activity: Arc::clone(&activity) });
        let counter = Arc::clone(&in_flight);
        let service = hyper::service::service_fn(move |request: Request<Incoming>| {
            let busy = Busy::start(&counter);
            let mut request = request.map(Body::new);
            request.extensions_mut().insert(ConnectInfo(peer));
            // A clone per request, called in place: `oneshot` would move the (large) future
            // of the whole stack between its states.
            let mut app = app.clone();
            async move {
                let response = match app.ready().await {
                    Ok(ready) => ready.call(request).await,
                    Err(never) => match never {},
                };
                drop(busy);
                response
            }
        });
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_read_timeout)
            .serve_connection(io, service);
        tokio::pin!(connection);
        let mut draining = false;
        loop {
            let idle_for = activity.idle_for();
            let idle_check = tokio::time::sleep(limits.idle_timeout.saturating_sub(idle_for));
            tokio::select! {
                _ = connection.as_mut() => break,
                _ = &mut closed => break, // evicted to make room
                changed = stopping.changed(), if !draining => {
                    draining = true;
                    if changed.is_ok() {
                        connection.as_mut().graceful_shutdown();
                    }
                }
                () = idle_check => {
                    if in_flight.load(Ordering::Acquire) == 0 && activity.idle_for() >= limits.idle_timeout {
                        break;
                    }
                }
            }
        }
        lock(&open).connections.remove(&id);
    }
}

/// Marks a request in flight on its connection for as long as it lives.
struct Busy(Arc<AtomicUsize>);

impl Busy {
    fn start(counter: &Arc<AtomicUsize>) -> Self {
        counter.fetch_add(1, Ordering::AcqRel);
        Self(Arc::clone(counter))
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

static EPOCH: LazyLock<Instant> = LazyLock::new(Instant::now);

/// When a connection last read or wrote a byte (milliseconds since [`EPOCH`]).
struct Activity(AtomicU64);

impl Activity {
    fn now() -> Self {
        Self(AtomicU64::new(millis_since_epoch()))
    }

    fn touch(&self) {
        self.0.store(millis_since_epoch(), Ordering::Relaxed);
    }

    fn idle_for(&self) -> Duration {
        Duration::from_millis(millis_since_epoch().saturating_sub(self.0.load(Ordering::Relaxed)))
    }
}

fn millis_since_epoch() -> u64 {
    u64::try_from(EPOCH.elapsed().as_millis()).unwrap_or(u64::MAX)
}

pin_project_lite::pin_project! {
    /// A stream that notes every read and write in its connection's [`Activity`].
    struct Watched {
        #[pin]
        inner: TcpStream,
        activity: Arc<Activity>,
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.project();
        let before = buf.filled().len();
        let polled = this.inner.poll_read(cx, buf);
        if buf.filled().len() > before {
            this.activity.touch();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        let this = self.project();
        let polled = this.inner.poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            this.activity.touch();
        }
        polled
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.project().inner.poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.project().inner.poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_the_cap_the_oldest_connection_without_a_request_in_flight_makes_room() {
        let open = Mutex::new(Open::default());
        let first = admit(&open, 2).expect("room");
        let second = admit(&open, 2).expect("room");
        first.in_flight.fetch_add(1, Ordering::AcqRel); // the oldest is busy
        let mut second_closed = second.closed;
        let third = admit(&open, 2).expect("the idle one makes room");
        assert!(second_closed.try_recv().is_ok(), "the idle connection was told to close");
        assert_eq!(lock(&open).connections.len(), 2);
        third.in_flight.fetch_add(1, Ordering::AcqRel);
        assert!(admit(&open, 2).is_none(), "all busy: the newcomer is refused");
    }
}
