//! Running the actix-web server on its own OS thread, and stopping it.
//!
//! The fake must start from plain synchronous code and from inside any async runtime (an actix
//! `System`, `#[actix::test]`, a tokio current-thread runtime). So it never touches the caller's
//! runtime: a dedicated thread owns an `actix_rt::System` running one worker bound to
//! `127.0.0.1:0`, and the bound address comes back over a std channel.

use std::io;
use std::net::SocketAddr;
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;

use actix_web::dev::ServerHandle;
use actix_web::{web, App, HttpServer};

use super::state::Shared;
use super::{api, authorize, token};

/// The running server: its address and what is needed to stop it.
pub(crate) struct ServerThread {
    pub(crate) addr: SocketAddr,
    handle: ServerHandle,
    system: actix_rt::System,
    thread: Option<JoinHandle<()>>,
}

impl ServerThread {
    /// Starts the server thread and waits until the socket is bound.
    pub(crate) fn start(shared: Arc<Shared>) -> io::Result<Self> {
        let (tx, rx) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("fake-spotify".into())
            .spawn(move || run(shared, tx))?;
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
                Err(io::Error::other(
                    "fake-spotify server thread died while starting",
                ))
            }
        }
    }

    /// Stops the server (not gracefully: in-flight requests are dropped) and joins the thread.
    ///
    /// When this returns the listening socket is closed. Idempotent.
    pub(crate) fn shutdown(&mut self) {
        if let Some(thread) = self.thread.take() {
            // The stop command is sent synchronously; the returned future only reports
            // completion, which joining the thread observes anyway.
            drop(self.handle.stop(false));
            let _ = thread.join();
            self.system.stop();
        }
    }
}

impl Drop for ServerThread {
    fn drop(&mut self) {
        self.shutdown();
    }
}

type Started = io::Result<(SocketAddr, ServerHandle, actix_rt::System)>;

/// Body of the server thread: bind, report, serve until stopped.
fn run(shared: Arc<Shared>, started: mpsc::Sender<Started>) {
    let system = actix_rt::System::new();
    system.block_on(async move {
        let data = web::Data::from(shared);
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .route("/api/token", web::post().to(token::token))
                .route("/authorize", web::get().to(authorize::authorize))
                .route("/v1/me", web::get().to(api::me))
                .route("/v1/tracks/{id}", web::get().to(api::track))
                .default_service(web::to(api::not_found))
        })
        .workers(1)
        .disable_signals()
        .shutdown_timeout(0)
        .bind(("127.0.0.1", 0));
        let server = match server {
            Ok(server) => server,
            Err(error) => {
                let _ = started.send(Err(error));
                return;
            }
        };
        let Some(addr) = server.addrs().first().copied() else {
            let _ = started.send(Err(io::Error::other("fake-spotify bound no address")));
            return;
        };
        let server = server.run();
        let _ = started.send(Ok((addr, server.handle(), actix_rt::System::current())));
        if let Err(error) = server.await {
            tracing::warn!(%error, "fake-spotify server stopped with an error");
        }
    });
}
