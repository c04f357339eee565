//! The error of the Web API client: the session layer's errors, plus what only a typed client
//! knows — a missing scope found before sending, a rate limit it gave up waiting on, an argument
//! Spotify would refuse.

use std::time::Duration;

use super::ids::IdError;
use crate::error::{ApiError, SessionError};

/// What a [`Spotify`](super::Spotify) call can fail with.
#[derive(Clone, Debug, thiserror::Error)]
pub enum WebApiError {
    /// The session's scope lacks what the operation needs; nothing was sent. Each entry is one
    /// requirement, alternatives joined with `" or "`.
    #[error("{operation} needs scope {} that the session was not granted; authorize again with it", missing.join(", "))]
    InsufficientScope {
        /// The catalogue's operation id.
        operation: &'static str,
        /// The unmet requirements.
        missing: Vec<String>,
    },
    /// Spotify answered 429, and waiting was off or would have gone past the client's cap.
    #[error("rate-limited by the Web API{}{}", retry_after.map(|d| format!("; retry after {} s", d.as_secs())).unwrap_or_default(), error.reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default())]
    RateLimited {
        /// How long Spotify asked to wait.
        retry_after: Option<Duration>,
        /// How long this call already waited on earlier 429s.
        waited: Duration,
        /// Spotify's error object (`reason` is `QUOTA_EXCEEDED` for a quota overrun).
        error: ApiError,
    },
    /// Spotify answered with an error status (other than a 429).
    #[error("{0}")]
    Http(ApiError),
    /// An argument Spotify would refuse (too many ids, an empty list, a volume over 100).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// An id, URI or URL that does not parse (so `?` works on `TrackId::parse` in code that
    /// returns this error).
    #[error(transparent)]
    InvalidId(#[from] IdError),
    /// The session could not send the request or read the answer: no token, renewal failed,
    /// transport error, timeout, a body that does not decode (raw body kept), and so on.
    #[error(transparent)]
    Session(SessionError),
}

impl WebApiError {
    /// The HTTP status Spotify answered, if it answered with an error.
    pub fn status(&self) -> Option<u16> {
        self.api_error().map(|error| error.status)
    }

    /// Spotify's error object, if it answered with one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Self::RateLimited { error, .. } | Self::Http(error) => Some(error),
            Self::Session(SessionError::Api(error)) => Some(error),
            _ => None,
        }
    }

    /// Spotify's `reason` code (`PREMIUM_REQUIRED`, `NO_ACTIVE_DEVICE`, `QUOTA_EXCEEDED`, ...).
    pub fn reason(&self) -> Option<&str> {
        self.api_error().and_then(|error| error.reason.as_deref())
    }

    /// Rate-limited (429), by the Web API or by the token endpoint during a renewal.
    pub fn is_rate_limited(&self) -> bool {
        match self {
            Self::RateLimited { .. } => true,
            Self::Session(error) => error.is_rate_limited(),
            _ => false,
        }
    }

    /// How long Spotify asked to wait before the next call.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after, .. } => *retry_after,
            Self::Session(error) => error.retry_after(),
            _ => None,
        }
    }

    /// The session's scope lacks what the call needs.
    pub fn is_insufficient_scope(&self) -> bool {
        matches!(self, Self::InsufficientScope { .. })
    }

    /// The token is expired or was refused (401) even after the one renewal the client tries.
    pub fn is_token_expired(&self) -> bool {
        match self {
            Self::Http(error) => error.status == 401,
            Self::Session(error) => error.is_token_expired(),
            _ => false,
        }
    }

    /// Only a new user authorization can fix this (the refresh token expired or was revoked).
    pub fn requires_reauthorization(&self) -> bool {
        matches!(self, Self::Session(error) if error.requires_reauthorization())
    }

    /// Spotify refused with 403: a scope it did not grant, a Premium-only call, or an operation
    /// removed for Development Mode apps.
    pub fn is_forbidden(&self) -> bool {
        self.status() == Some(403)
    }

    /// Spotify has no such resource (404).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }
}

impl From<SessionError> for WebApiError {
    fn from(error: SessionError) -> Self {
        match error {
            SessionError::Api(error) => Self::Http(error),
            other => Self::Session(other),
        }
    }
}
