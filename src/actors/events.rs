//! The events sessions raise, mirroring the seed's `spotipie.auth.events`.
//!
//! Every event carries a [`SessionHandle`]: the session's id **and its
//! address**, so a subscriber can act on the session that raised it (the seed's listeners set
//! `event.session.token`). Tokens travel as `Arc<OAuth2Token>`: an event is cheap to clone and
//! fan out, and the secrets are shared rather than copied.

use std::fmt;
use std::sync::Arc;

use actix::Message;

use super::session::SessionHandle;
use crate::oauth::OAuthError;
use crate::store::{StoreError, StoreKey};
use crate::token::OAuth2Token;

/// The seed's name of [`TokenExpired`].
pub const TOKEN_EXPIRED: &str = "token_expired";
/// The seed's name of [`TokenUpdated`].
pub const TOKEN_UPDATED: &str = "token_updated";
/// The name of [`RefreshFailed`].
pub const REFRESH_FAILED: &str = "refresh_failed";
/// The name of [`TokenSaveFailed`].
pub const TOKEN_SAVE_FAILED: &str = "token_save_failed";

/// A stable, printable name of a session (`"session-3"`, or one the user chose such as a user
/// id). Cheap to clone.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SessionId(Arc<str>);

impl SessionId {
    /// A session id from a name.
    pub fn new(name: impl Into<String>) -> Self {
        Self(Arc::from(name.into()))
    }

    /// The next `session-N` id of this process.
    pub fn next() -> Self {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Self::new(format!("session-{}", NEXT.fetch_add(1, Ordering::Relaxed)))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SessionId({})", self.0)
    }
}

/// Raised when a request finds the token expired, **before** the request is dispatched, once per
/// expiry episode (S2). A subscriber may install a new token (`event.session.set_token(..)`) and
/// the waiting requests then go out with it.
#[derive(Clone, Debug, Message)]
#[rtype(result = "()")]
pub struct TokenExpired {
    /// The session whose token expired.
    pub session: SessionHandle,
    /// The token that expired.
    pub expired_token: Arc<OAuth2Token>,
    /// The `withhold_token` of the request that found it expired: `true` means that request
    /// does not want the session to renew for it.
    pub withhold_token: bool,
}

/// Where the token of a [`TokenUpdated`] came from, so that a persister saves each token once
/// however many processes adopt it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenOrigin {
    /// Set in this process (a renewal, a user authorization, a `set_token`) and not yet saved
    /// anywhere: persisters save it.
    Local,
    /// Renewed in this process under a cluster lease and already saved to the shared store
    /// (feature `redis`).
    SharedStore,
    /// Renewed by another process and adopted from the shared store (feature `redis`).
    OtherProcess,
}

impl TokenOrigin {
    /// Whether a persister still has to save the token: only [`TokenOrigin::Local`] ones are
    /// not in the shared store yet.
    pub fn needs_saving(self) -> bool {
        self == Self::Local
    }
}

/// Raised after every token set, even when the new token equals the old one (S3). Persist tokens
/// from here (those whose [`origin`](Self::origin) [needs saving](TokenOrigin::needs_saving)).
#[derive(Clone, Debug, Message)]
#[rtype(result = "()")]
pub struct TokenUpdated {
    /// The session whose token was set.
    pub session: SessionHandle,
    /// The token before, or `None` on the first set.
    pub old_token: Option<Arc<OAuth2Token>>,
    /// The token now in place.
    pub new_token: Arc<OAuth2Token>,
    /// Where the new token came from: this process, or another one of a cluster.
    pub origin: TokenOrigin,
}

/// Raised when a renewal fails for good (terminal error, or transient errors past the retry
/// budget) (S5).
#[derive(Clone, Debug, Message)]
#[rtype(result = "()")]
pub struct RefreshFailed {
    /// The session that could not renew.
    pub session: SessionHandle,
    /// The token endpoint's last answer.
    pub error: Arc<OAuthError>,
    /// Whether only a new user authorization can fix it (`invalid_grant`, no refresh token).
    pub reauthorization_required: bool,
}

/// Raised by the [`Persister`](super::Persister) when saving a session's token failed (R2: a
/// failed save is reported, never swallowed). `will_retry` says whether it tries again.
#[derive(Clone, Debug, Message)]
#[rtype(result = "()")]
pub struct TokenSaveFailed {
    /// The session whose token could not be saved.
    pub session: SessionHandle,
    /// The store key.
    pub key: StoreKey,
    /// What the store said.
    pub error: StoreError,
    /// Which attempt failed (1 for the first).
    pub attempt: u32,
    /// Whether the persister will try again (with the newest token by then).
    pub will_retry: bool,
}

/// Any session event: what a [`futures::Stream`] subscription yields.
#[derive(Clone, Debug)]
pub enum SessionEvent {
    /// See [`TokenExpired`].
    TokenExpired(TokenExpired),
    /// See [`TokenUpdated`].
    TokenUpdated(TokenUpdated),
    /// See [`RefreshFailed`].
    RefreshFailed(RefreshFailed),
    /// See [`TokenSaveFailed`].
    TokenSaveFailed(TokenSaveFailed),
}

impl SessionEvent {
    /// The seed's event name (`token_expired`, `token_updated`) or `refresh_failed`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::TokenExpired(_) => TOKEN_EXPIRED,
            Self::TokenUpdated(_) => TOKEN_UPDATED,
            Self::RefreshFailed(_) => REFRESH_FAILED,
            Self::TokenSaveFailed(_) => TOKEN_SAVE_FAILED,
        }
    }

    /// The session that raised it.
    pub fn session(&self) -> &SessionHandle {
        match self {
            Self::TokenExpired(e) => &e.session,
            Self::TokenUpdated(e) => &e.session,
            Self::RefreshFailed(e) => &e.session,
            Self::TokenSaveFailed(e) => &e.session,
        }
    }
}

impl From<TokenExpired> for SessionEvent {
    fn from(event: TokenExpired) -> Self {
        Self::TokenExpired(event)
    }
}

impl From<TokenUpdated> for SessionEvent {
    fn from(event: TokenUpdated) -> Self {
        Self::TokenUpdated(event)
    }
}

impl From<RefreshFailed> for SessionEvent {
    fn from(event: RefreshFailed) -> Self {
        Self::RefreshFailed(event)
    }
}

impl From<TokenSaveFailed> for SessionEvent {
    fn from(event: TokenSaveFailed) -> Self {
        Self::TokenSaveFailed(event)
    }
}
