//! Floods, run on their own (not beside the rest of the suite, whose timings they would
//! disturb). Every flood is bounded in count and time and stays on 127.0.0.1.

// The helpers of the api suite; these tests need only some of them.
#[path = "api/helpers.rs"]
#[allow(dead_code)]
mod helpers;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use helpers::*;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

/// Slow clients: each opens a connection, starts a request head and then sends one more header
/// line every `trickle`, never finishing; when the server closes it, it opens another. Runs
/// until `stop` is set. Returns how many connections were opened in all.
async fn slow_clients(
    address: std::net::SocketAddr,
    clients: usize,
    trickle: Duration,
    stop: Arc<AtomicBool>,
) -> usize {
    let opened = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (stop, opened) = (stop.clone(), opened.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let Ok(Ok(mut stream)) =
                        tokio::time::timeout(Duration::from_secs(1), TcpStream::connect(address)).await
                    else {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    };
                    opened.fetch_add(1, Ordering::Relaxed);
                    if stream.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n").await.is_err() {
                        continue;
                    }
                    while !stop.load(Ordering::Relaxed) {
                        tokio::time::sleep(trickle).await;
                        if stream.write_all(b"X-Slow: 1\r\n").await.is_err() {
                            break; // closed by the server: come back with a new one
                        }
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        let _ = task.await;
    }
    opened.load(Ordering::Relaxed)
}

#[tokio::test]
async fn a_flood_of_slow_connections_does_not_keep_a_normal_client_out() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}/flood.db?mode=rwc", dir.path().display());
    // The server gets 1,024 descriptors, the flood three times as many connections.
    let limit = ["sh", "-c", "ulimit -n 1024 && exec \"$0\""];
    let server = ServerProcess::start_with(&url, "info", &[("HEADER_READ_TIMEOUT", "10")], &limit);
    let address: std::net::SocketAddr =
        server.address.trim_start_matches("http://").parse().expect("address");
    let stop = Arc::new(AtomicBool::new(false));
    let flood = tokio::spawn(slow_clients(address, 3_000, Duration::from_millis(500), stop.clone()));
    tokio::time::sleep(Duration::from_secs(2)).await; // let the flood fill every slot
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(2))
        .build()
        .expect("client");
    let mut slowest = Duration::ZERO;
    for _ in 0..20 {
        let asked = Instant::now();
        let reply = client.get(format!("http://{address}/api/health")).send().await;
        let took = asked.elapsed();
        let status = reply.map(|r| r.status().as_u16());
        assert!(matches!(status, Ok(200)), "a normal request during the flood: {status:?} after {took:?}");
        slowest = slowest.max(took);
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    stop.store(true, Ordering::Relaxed);
    let opened = flood.await.expect("flood");
    assert!(opened >= 3_000, "the flood opened {opened} connections");
    let after =
        client.get(format!("http://{address}/api/health")).send().await.expect("served after the flood");
    assert_eq!(after.status(), 200);
    let log = server.stop();
    assert!(!log.contains("panicked"), "{log}");
    eprintln!("slowest normal request during the flood: {slowest:?}; flood connections opened: {opened}");
}

#[tokio::test]
async fn a_connection_that_never_finishes_its_head_is_closed_after_the_header_timeout() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}/slow.db?mode=rwc", dir.path().display());
    let server =
        ServerProcess::start_with(&url, "info", &[("HEADER_READ_TIMEOUT", "2"), ("IDLE_TIMEOUT", "2")], &[]);
    let address: std::net::SocketAddr =
        server.address.trim_start_matches("http://").parse().expect("address");
    let mut slow = TcpStream::connect(address).await.expect("connect");
    slow.write_all(b"GET / HTTP/1.1\r\n").await.expect("start");
    let started = Instant::now();
    let closed = loop {
        tokio::time::sleep(Duration::from_millis(200)).await;
        if slow.write_all(b"X-Slow: 1\r\n").await.is_err() || started.elapsed() > Duration::from_secs(6) {
            break started.elapsed();
        }
    };
    assert!(closed < Duration::from_secs(5), "closed after {closed:?}");
    let idle = TcpStream::connect(address).await.expect("connect");
    let mut buf = [0u8; 1];
    let read = tokio::time::timeout(Duration::from_secs(5), async {
        let _ = idle.readable().await;
        idle.try_read(&mut buf)
    })
    .await;
    assert!(matches!(read, Ok(Ok(0))), "an idle connection is closed by the server: {read:?}");
}
