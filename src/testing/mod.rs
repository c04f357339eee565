//! `FakeSpotify`: an in-process fake of Spotify's Accounts service and Web API, for offline
//! tests, examples and benchmarks.
//!
//! The fake is a real HTTP server on `127.0.0.1` (actix-web on its own thread), so the code under
//! test talks to it exactly as it would to Spotify, only with [`FakeSpotify::accounts_url`] and
//! [`FakeSpotify::api_url`] as base URLs. It shuts down when the handle is dropped.
//!
//! What it serves:
//! - `POST /api/token`: client credentials, authorization code (optionally PKCE S256), refresh
//!   token, with Spotify's error shapes (`invalid_client`, `invalid_grant`, ...). Refresh tokens
//!   expire a fixed time after the code exchange
//!   ([`FakeSpotifyBuilder::refresh_token_lifetime`]).
//! - `GET /authorize`: answers at once with a 302 to the `redirect_uri`, approving or denying
//!   ([`FakeSpotify::set_authorize_decision`]), provided the `redirect_uri` passes Spotify's
//!   2025 rules and is registered for the client ([`FakeSpotifyBuilder::redirect_uri`]).
//! - Confidential clients ([`FakeSpotifyBuilder::client`]) and public, PKCE-only clients
//!   ([`FakeSpotifyBuilder::public_client`]); one of each is registered by default.
//! - The Web API: every operation of the [catalogue](crate::api::catalogue) (96 of them), routed
//!   by method and path template. Checks come in Spotify's order, each failure in Spotify's
//!   `{"error": {"status", "message"}}` shape: 404 `"Service not found"` / 405 for unknown paths
//!   and methods; 401 unless the bearer token is one the fake issued and unexpired by the
//!   fake's [`Clock`](crate::clock::Clock) (and not [expired by the
//!   test](FakeSpotify::expire_access_tokens)); 401 for `/v1/me...` with a client-credentials
//!   token; 403 for operations removed for new apps in
//!   [Development Mode](FakeSpotifyBuilder::development_mode); 403 `"Insufficient client
//!   scope"` when the token's scope lacks what
//!   [`Operation::missing_scopes`](crate::api::catalogue::Operation::missing_scopes) asks for;
//!   400 for missing required query or body fields, malformed JSON, ids that are not 22 base62
//!   characters, bad URIs, `limit` outside 1..=50.
//! - Answers are small, realistic fixtures for every response type (2026 shapes: playlists carry
//!   `items`/`item`, `/v1/me` has `account_id`) that echo the ids asked for; `/v1/me` is always
//!   the user [`FAKE_USER_ID`]. Every list has 7 items with distinct ids, paged by `limit` and
//!   `offset` (or cursors, for recently played tracks and followed artists), with `next` and
//!   `previous` as absolute URLs on the fake. Write operations answer 204 (201 for creations
//!   and added playlist items, 202 for a cover upload) and change nothing, except that each
//!   playlist change returns a new `snapshot_id`. The player answers 204 "nothing playing"
//!   after [`FakeSpotify::set_playback_active`]`(false)`.
//!
//! What a test controls: queued failures ([`TokenFault`] for the token endpoint, [`ApiFault`]
//! for the Web API), a delay, a deterministic hold on the token endpoint ([`TokenHold`]),
//! minted, expired and revoked tokens, the player's state; and what it observes: counters
//! ([`FakeStats`], [`FakeSpotify::operation_calls`]) and an ordered log ([`LogEntry`]) that the
//! test can annotate with [`FakeSpotify::note`].
//!
//! ```no_run
//! use spotipie::testing::FakeSpotify;
//!
//! let fake = FakeSpotify::start();
//! let token_endpoint = format!("{}/api/token", fake.accounts_url());
//! // ... point the code under test at `token_endpoint` and `fake.api_url()` ...
//! assert_eq!(fake.stats().token_calls_total(), 0);
//! ```

mod api;
mod authorize;
#[cfg(feature = "authorize-app")]
mod browser;
mod builder;
mod control;
mod fault;
mod grants;
mod log;
mod redirect;
#[cfg(feature = "redis")]
mod redis;
mod server;
mod state;
mod token;
mod webapi;

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub use api::FAKE_USER_ID;
#[cfg(feature = "authorize-app")]
pub use browser::{HeadlessBrowser, Page};
pub use builder::FakeSpotifyBuilder;
pub use fault::{ApiFault, TokenFault, TokenHold, REDIRECT_TARGET};
pub use log::{FakeStats, LogEntry, LogKind};
#[cfg(feature = "redis")]
pub use redis::RedisServer;

use crate::loopback::LoopbackServer;
use state::Shared;

/// Whether the fake `/authorize` endpoint approves or denies the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthorizeDecision {
    /// Redirect back with a code (or, for `response_type=token`, an access token).
    #[default]
    Approve,
    /// Redirect back with `error=access_denied`.
    Deny,
}

/// A running fake Spotify server; stops when dropped.
///
/// All methods take `&self` and are synchronous, so the handle can be shared (e.g. in an `Arc`)
/// and used from any thread or runtime while requests are in flight.
pub struct FakeSpotify {
    shared: Arc<Shared>,
    server: LoopbackServer,
    url: String,
}

impl FakeSpotify {
    /// The client id registered by default.
    pub const CLIENT_ID: &'static str = "fake-client-id";
    /// The secret of [`CLIENT_ID`](Self::CLIENT_ID).
    pub const CLIENT_SECRET: &'static str = "fake-client-secret";
    /// The public (PKCE-only, secretless) client registered by default; see
    /// [`FakeSpotifyBuilder::public_client`].
    pub const PUBLIC_CLIENT_ID: &'static str = "fake-public-client-id";
    /// The redirect URIs registered by default for [`CLIENT_ID`](Self::CLIENT_ID) and
    /// [`PUBLIC_CLIENT_ID`](Self::PUBLIC_CLIENT_ID): loopback without a port, so any port
    /// matches, e.g. `http://127.0.0.1:8888/callback`.
    pub const DEFAULT_REDIRECT_URIS: [&'static str; 2] =
        ["http://127.0.0.1/callback", "http://[::1]/callback"];
    /// The default refresh-token lifetime: 180 days (Spotify's six months).
    pub const DEFAULT_REFRESH_TOKEN_LIFETIME: Duration = Duration::from_secs(180 * 24 * 60 * 60);

    /// Starts a fake with default settings (see [`FakeSpotifyBuilder`]).
    ///
    /// # Panics
    /// If the server cannot bind `127.0.0.1:0`; use [`FakeSpotifyBuilder::try_start`] to handle
    /// that.
    pub fn start() -> FakeSpotify {
        Self::builder().start()
    }

    /// A builder for a fake with non-default settings.
    pub fn builder() -> FakeSpotifyBuilder {
        FakeSpotifyBuilder::default()
    }

    /// Base URL, e.g. `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Base URL of the accounts service; the token endpoint is `{accounts_url}/api/token`.
    pub fn accounts_url(&self) -> &str {
        &self.url
    }

    /// Base URL of the Web API; endpoints are under `{api_url}/v1/...`.
    pub fn api_url(&self) -> &str {
        &self.url
    }

    /// The bound socket address.
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// Stops the server now (instead of at drop) and waits until its socket is closed.
    ///
    /// Requests still in flight are dropped. Calling it twice is harmless.
    pub fn shutdown(mut self) {
        self.server.shutdown();
    }
}

impl fmt::Debug for FakeSpotify {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeSpotify")
            .field("url", &self.url)
            .field("stats", &self.stats())
            .finish()
    }
}
