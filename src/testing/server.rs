//! The fake's routes on a [`LoopbackServer`](crate::loopback::LoopbackServer): its own thread
//! and actix system, bound to `127.0.0.1:0`, never touching the caller's runtime, so the fake
//! starts from plain synchronous code and from inside any async runtime.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use actix_web::web;

use super::state::Shared;
use super::{api, authorize, token};
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
            .route("/v1/me", web::get().to(api::me))
            .route("/v1/tracks/{id}", web::get().to(api::track))
            .default_service(web::to(api::not_found));
    })
}
