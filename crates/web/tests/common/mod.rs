//! What the web crate's TCP tests share: a real server on a port of its
//! own, in a runtime of its own, and one request over a connection of its
//! own.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use verdict_web::{Config, Domain};

pub const TOKEN: &str = "s3cret-token";

/// Serves `db` with `config` (and [`TOKEN`]) and `domain` on a free
/// loopback port, on a thread of its own; returns the address once bound.
pub fn serve(db: PathBuf, mut config: Config, domain: Arc<dyn Domain>) -> SocketAddr {
    config.token = Some(TOKEN.to_string());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            verdict_web::serve_on(listener, db, config, domain)
                .await
                .unwrap();
        });
    });
    rx.recv().unwrap()
}

/// Sends `head` (without its blank line) and `body` on a connection of its
/// own, closed after the answer; the whole answer.
pub fn exchange(addr: SocketAddr, head: &str, body: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        s,
        "{head}\r\nHost: test\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    s.write_all(body).unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    answer
}
