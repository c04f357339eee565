//! The error of the session layer: what a request, a token query or a renewal through a session
//! can fail with. It is `Clone` (one renewal failure is handed to every request that waited on
//! it), so sources that are not `Clone` are shared behind `Arc`.

use std::sync::Arc;
use std::time::Duration;

use crate::http::RawBody;
use crate::oauth::{AuthorizationError, OAuthError};

/// Spotify's Web API error object, `{"error": {"status", "message", "reason"}}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// Spotify's message, when the body had one.
    pub message: Option<String>,
    /// Spotify's reason code (player errors, `QUOTA_EXCEEDED`).
    pub reason: Option<String>,
    /// The `Retry-After` of a 429.
    pub retry_after: Option<Duration>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Web API answered HTTP {}", self.status)?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(reason) = &self.reason {
            write!(f, " ({reason})")?;
        }
        Ok(())
    }
}

/// What a session can fail with.
#[derive(Clone, Debug, thiserror::Error)]
pub enum SessionError {
    /// The session has no token yet: authorize, fetch or set one first.
    #[error("the session has no token: fetch or set one first")]
    NotAuthorized,
    /// The token expired and nobody renewed it in time; the request was not sent.
    #[error("the session's token expired at {expired_at:.0} and was not renewed; the request was not sent")]
    TokenExpired {
        /// The expired token's `expires_at` (Unix seconds).
        expired_at: f64,
    },
    /// Renewal failed. If `reauthorization_required`, only a new user authorization helps.
    #[error("token renewal failed{}: {source}", if *reauthorization_required { " (re-authorization required)" } else { "" })]
    RefreshFailed {
        /// Whether the user must authorize again (`invalid_grant`, no refresh token).
        reauthorization_required: bool,
        /// The token endpoint's answer.
        #[source]
        source: Arc<OAuthError>,
    },
    /// A user authorization failed: denied, state mismatch, bad callback, failed exchange.
    #[error(transparent)]
    Authorization(AuthorizationError),
    /// The flow cannot renew by itself (implicit grant), or the session is not refreshable.
    #[error("this session's flow cannot renew its token by itself")]
    NotRefreshable,
    /// The request itself is malformed (bad path, header, body, or a URL outside the Web API).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The Web API answered with an error status (from [`ApiResponse::error_for_status`](crate::ApiResponse::error_for_status)).
    #[error("{0}")]
    Api(ApiError),
    /// A response body could not be decoded; the raw body is kept.
    #[error("could not decode the HTTP {status} response ({body}): {reason}")]
    Decode {
        /// HTTP status.
        status: u16,
        /// The body as received.
        body: RawBody,
        /// What the decoder said.
        reason: String,
    },
    /// The response body was larger than the policy's cap.
    #[error("response body is larger than {limit} bytes")]
    BodyTooLarge {
        /// The cap in bytes.
        limit: usize,
    },
    /// The request timed out.
    #[error("request timed out")]
    Timeout,
    /// Could not connect, or the connection broke.
    #[error("transport error: {0}")]
    Transport(#[source] Arc<reqwest::Error>),
    /// The session actor is gone (stopped, or its system shut down).
    #[error("the session actor has stopped")]
    SessionStopped,
}

impl SessionError {
    pub(crate) fn transport(err: reqwest::Error) -> Self {
        if err.is_timeout() {
            Self::Timeout
        } else {
            Self::Transport(Arc::new(err))
        }
    }

    /// The token is expired (and was not renewed), or the Web API said so with a 401.
    pub fn is_token_expired(&self) -> bool {
        matches!(self, Self::TokenExpired { .. }) || matches!(self, Self::Api(e) if e.status == 401)
    }

    /// Only a new user authorization can fix this.
    pub fn requires_reauthorization(&self) -> bool {
        matches!(
            self,
            Self::RefreshFailed {
                reauthorization_required: true,
                ..
            }
        )
    }

    /// Rate-limited by the Web API (429).
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, Self::Api(e) if e.status == 429)
            || matches!(self, Self::RefreshFailed { source, .. } if matches!(**source, OAuthError::RateLimited { .. }))
    }

    /// How long Spotify asked to wait, for a 429.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Api(e) => e.retry_after,
            Self::RefreshFailed { source, .. } => source.retry_after(),
            _ => None,
        }
    }
}

impl From<AuthorizationError> for SessionError {
    fn from(error: AuthorizationError) -> Self {
        Self::Authorization(error)
    }
}

impl From<actix::MailboxError> for SessionError {
    fn from(_: actix::MailboxError) -> Self {
        Self::SessionStopped
    }
}
