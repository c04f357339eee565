//! # spotipie
//!
//! Actor-based Spotify OAuth2 sessions on actix: **each session is an actor that owns its
//! token**; requests are messages to it; an expired token broadcasts [`TokenExpired`] to
//! subscriber actors *before* the request goes out; every token set publishes [`TokenUpdated`]
//! through an [`EventBus`] actor that a [`Refresher`] actor works from. A Rust re-imagining of the
//! Python library spotipie.
//!
//! ```no_run
//! use spotipie::{quickstart, Credentials, DEFAULT_ENV_PREFIX};
//!
//! #[actix::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let app = quickstart(Credentials::from_env(DEFAULT_ENV_PREFIX)?).await?;
//!     let track = app.session.get("/v1/tracks/11dFghVXANMlKmJXsNCbNl").await?;
//!     println!("{}", track.error_for_status()?.text());
//!     Ok(())
//! }
//! ```
//!
//! ## Layout
//!
//! Layers, inside out; imports point inward only.
//!
//! - [`token`], [`secret`], [`clock`], [`config`]: values. The token model (spotipie's and
//!   spotipy's JSON), secrets that redact, an injectable clock, credentials, endpoints, policy.
//! - [`oauth`]: the protocol. The token endpoint for every grant, typed OAuth errors; redirect
//!   URIs, state, PKCE, authorization URLs and callbacks. No actors.
//! - [`lifecycle`]: the pure policy. Fresh / stale / expired, one expiry episode and its waiters,
//!   the retry schedule, merging a refresh response. No I/O, no actors.
//! - [`request`] and [`error`]: a Web API request and response as values, and the session
//!   layer's error.
//! - [`store`]: where tokens live between runs: `TokenStore`, `MemoryStore`, `FileStore`, token
//!   files, and `RedisStore` for several processes (feature `redis`).
//! - [`actors`]: the actix shell. [`Session`], [`EventBus`], [`Refresher`], [`Persister`], their
//!   messages and events.
//! - [`api`]: the Web API layer over session handles. [`api::Spotify`], one typed method per
//!   operation of Spotify's catalogue (one file per group in `api::endpoints`), with the scope
//!   check, 401 / 429 / 5xx handling and paging streams; the catalogue as data
//!   ([`api::catalogue`]); typed ids, URIs and URLs; serde models (one file per group).
//! - `cluster` (feature `redis`): several processes sharing sessions through Redis, one
//!   renewal per expiry cluster-wide (a lease per key, announcements relayed to local sessions,
//!   degraded mode when Redis is down).
//! - [`Spotipie`] and [`quickstart()`]: wiring the actors together; [`pool`]: a session per user
//!   key, loaded from a store on demand, stopped when idle.
//! - `authorize` (feature `authorize-app`, on by default): the loopback authorization app and
//!   the terminal variant; the `spotipie` CLI (`src/bin`) is built on it.
//! - `testing` (feature `testing`, on by default): `FakeSpotify`, an offline fake of Spotify's
//!   Accounts service and Web API on loopback, `HeadlessBrowser`, and (with `redis`)
//!   `RedisServer`, a throwaway `redis-server` for tests.

#![warn(missing_docs)]

pub mod actors;
pub mod api;
#[cfg(feature = "authorize-app")]
pub mod authorize;
pub mod clock;
#[cfg(feature = "redis")]
pub mod cluster;
pub mod config;
pub mod error;
mod http;
pub mod lifecycle;
#[cfg(any(feature = "testing", feature = "authorize-app"))]
mod loopback;
pub mod oauth;
pub mod pool;
pub mod request;
pub mod secret;
mod spotipie;
pub mod store;
pub mod token;

#[cfg(feature = "testing")]
pub mod testing;

pub use crate::actors::{
    AuthorizationCodeFlow, ClientCredentialsFlow, EventBus, EventStream, ExternalTokenFlow, Flow,
    ImplicitGrantFlow, Persister, PkceFlow, RefreshFailed, RefreshTokenFlow, Refresher, Session,
    SessionEvent, SessionHandle, SessionId, SubscriptionId, TokenExpired, TokenOrigin,
    TokenSaveFailed, TokenUpdated, UserAuthorization,
};
pub use crate::clock::{Clock, ManualClock, SharedClock, SystemClock};
pub use crate::config::{ConfigError, Credentials, Endpoints, Policy, DEFAULT_ENV_PREFIX};
pub use crate::error::{ApiError, SessionError};
pub use crate::http::{build_client, RawBody};
pub use crate::oauth::{AuthorizationError, OAuthError, OAuthErrorCode, RedirectUri};
pub use crate::pool::{PoolConfig, PoolError, PoolStats, SessionPool};
pub use crate::request::{ApiRequest, ApiResponse};
pub use crate::spotipie::{
    quickstart, Quickstart, QuickstartError, SessionOptions, Spotipie, SpotipieBuilder,
};
pub use crate::token::{OAuth2Token, Scope};
