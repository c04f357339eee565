//! Authorization helpers: take a user from "not logged in" to a live, self-renewing session in
//! one call.
//!
//! - [`authorize_in_browser`]: a one-shot loopback web app on `127.0.0.1` (or `[::1]`) receives
//!   Spotify's redirect, finishes the authorization through the session, and shows the user a
//!   success, denied or error page. For the implicit grant it serves a small page whose script
//!   forwards the URL fragment, which browsers never send to servers.
//! - [`authorize_in_terminal`]: for machines without a browser, the user opens the URL
//!   elsewhere and pastes back the URL they were sent to.
//!
//! Both only drive the session: the `state` check, the PKCE verifier and the code exchange
//! happen in the session actor, and the token arrives through its setter, so `TokenUpdated`
//! fires as for any other set.

mod browser;
mod pages;
mod terminal;

use std::io;
use std::time::Duration;

pub use browser::{authorize_in_browser, BrowserOptions, OpenBrowser, UrlHandler};
pub use pages::escape as escape_html;
pub use terminal::authorize_in_terminal;

use crate::error::SessionError;

/// Why an interactive authorization did not produce a token.
#[derive(Debug, thiserror::Error)]
pub enum AuthorizeError {
    /// No callback came back in time.
    #[error("no authorization came back within {0:?}")]
    Timeout(Duration),
    /// The loopback server could not listen.
    #[error("could not listen on {addr}: {source}")]
    Bind {
        /// The address it tried.
        addr: String,
        /// Why.
        source: io::Error,
    },
    /// The redirect URI is not one a local server can receive (HTTPS, or not a loopback literal).
    #[error("the redirect URI {0} is not http://127.0.0.1:PORT/… or http://[::1]:PORT/…, so a local app cannot receive it")]
    NotLoopback(String),
    /// The requested port differs from the port the redirect URI names.
    #[error("port {requested} was requested but the redirect URI names port {redirect}")]
    PortConflict {
        /// The redirect URI's port.
        redirect: u16,
        /// The requested port.
        requested: u16,
    },
    /// Reading the pasted URL failed.
    #[error("could not read the callback URL: {0}")]
    Input(#[source] io::Error),
    /// The session refused or failed: denied, state mismatch, failed exchange …
    #[error(transparent)]
    Session(#[from] SessionError),
}

impl AuthorizeError {
    /// The user refused the authorization.
    pub fn is_access_denied(&self) -> bool {
        matches!(self, Self::Session(SessionError::Authorization(e)) if e.is_access_denied())
    }
}
