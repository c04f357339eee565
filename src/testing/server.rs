//! The fake's routes on a [`LoopbackServer`](crate::loopback::LoopbackServer): its own thread
//! and actix system, bound to `127.0.0.1:0`, never touching the caller's runtime, so the fake
//! starts from plain synchronous code and from inside any async runtime.
//!
//! The accounts service has two routes; everything else (`/v1/...` and unknown paths) goes to
//! the Web API's single handler, which routes by the catalogue itself.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use actix_web::web;

use super::state::Shared;
use super::{authorize, token, webapi};
use crate::loopback::LoopbackServer;

/// Starts the fake's server and waits until the socket is bound.
pub(crate) fn start(shared: Arc<Shared>) -> io::Result<LoopbackServer> {
    let data = web::Data::from(shared);
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    LoopbackServer::start("fake-spotify", addr, move |config| {
        config
            .app_data(data.clone())
            .route("/api/token", web::post().to(token::token))
            .route("/authorize", web::get().to(authorize::authorize))
            .default_service(web::to(webapi::handle));
    })
}
