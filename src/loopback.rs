//! A small actix-web server on its own thread and its own actix system, bound to a loopback
//! address, that stops when dropped.
//!
//! Both `FakeSpotify` and the loopback authorization app need a server that starts from plain
//! synchronous code or from inside any runtime, never touches the caller's runtime, and is gone
//! when the handle is dropped (the habit of reqwest's and mini-redis's test servers). Routes come
//! in as an `App::configure` function.

use std::io;
use std::net::SocketAddr;
use std::sync::mpsc;
use std::thread::JoinHandle;

use actix_web::dev::ServerHandle;
use actix_web::{web, App, HttpServer};

/// A running server; stops (not gracefully: in-flight requests are dropped) and joins its thread
/// on drop.
pub(crate) struct LoopbackServer {
    addr: SocketAddr,
    handle: ServerHandle,
    system: actix_rt::System,
    thread: Option<JoinHandle<()>>,
}

/// How long a graceful stop waits for responses in flight.
pub(crate) const GRACE: std::time::Duration = std::time::Duration::from_secs(2);

type Started = io::Result<(SocketAddr, ServerHandle, actix_rt::System)>;

impl LoopbackServer {
    /// Binds `addr` (port 0 picks a free one), serves the routes `configure` adds with one
    /// worker, and returns once the socket is bound.
    pub(crate) fn start<F>(name: &str, addr: SocketAddr, configure: F) -> io::Result<Self>
    where
        F: Fn(&mut web::ServiceConfig) + Send + Clone + 'static,
    {
        let (tx, rx) = mpsc::channel::<Started>();
        let thread = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || run(addr, configure, tx))?;
        match rx.recv() {
            Ok(Ok((addr, handle, system))) => Ok(Self {
                addr,
                handle,
                system,
                thread: Some(thread),
            }),
            Ok(Err(error)) => {
                let _ = thread.join();
                Err(error)
            }
            Err(_) => {
                let _ = thread.join();
                Err(io::Error::other("the server thread died while starting"))
            }
        }
    }

    /// The bound address.
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops the server and joins its thread; the socket is closed when this returns.
    /// Idempotent.
    pub(crate) fn shutdown(&mut self) {
        self.stop(false);
    }

    /// Stops the server after the responses in flight are sent (at most
    /// [`GRACE`] later), and joins its thread.
    pub(crate) fn shutdown_gracefully(mut self) {
        self.stop(true);
    }

    fn stop(&mut self, graceful: bool) {
        if let Some(thread) = self.thread.take() {
            // The stop command is sent synchronously; the returned future only reports
            // completion, which joining the thread observes anyway.
            drop(self.handle.stop(graceful));
            let _ = thread.join();
            self.system.stop();
        }
    }
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn run<F>(addr: SocketAddr, configure: F, started: mpsc::Sender<Started>)
where
    F: Fn(&mut web::ServiceConfig) + Send + Clone + 'static,
{
    let system = actix_rt::System::new();
    system.block_on(async move {
        let server = HttpServer::new(move || App::new().configure(configure.clone()))
            .workers(1)
            .disable_signals()
            .shutdown_timeout(GRACE.as_secs())
            .bind(addr);
        let server = match server {
            Ok(server) => server,
            Err(error) => {
                let _ = started.send(Err(error));
                return;
            }
        };
        let Some(addr) = server.addrs().first().copied() else {
            let _ = started.send(Err(io::Error::other("the server bound no address")));
            return;
        };
        let server = server.run();
        let _ = started.send(Ok((addr, server.handle(), actix_rt::System::current())));
        if let Err(error) = server.await {
            tracing::warn!(%error, "loopback server stopped with an error");
        }
    });
}
