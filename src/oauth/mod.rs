//! The protocol layer: Spotify's Accounts service as plain async functions and types.
//!
//! No actors live here. [`TokenClient`] speaks to `POST /api/token` for every [`Grant`], with
//! Basic client authentication for confidential clients and `client_id` in the body for public
//! (PKCE) ones, and turns every answer into either an [`OAuth2Token`](crate::OAuth2Token) or a
//! typed [`OAuthError`]. [`authorize`] holds the user-authorization half: redirect-URI rules,
//! `state` and PKCE, the `/authorize` URL and callback parsing, with typed
//! [`AuthorizationError`]s.
//!
//! We write this by hand instead of using the `oauth2` crate: the session layer needs the
//! `Retry-After` of a 429, a hard cap on body size before parsing, and the raw body of a failed
//! parse, and `oauth2` hides response headers from its error type.

pub mod authorize;
mod error;
mod token_endpoint;

pub use authorize::{AuthorizationError, RedirectUri, ResponseType};
pub use error::{OAuthError, OAuthErrorCode};
pub use token_endpoint::{Grant, TokenClient};
