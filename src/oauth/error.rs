//! Typed errors of the token endpoint, with the predicates the refresher acts on.

use std::fmt;
use std::time::Duration;

use crate::http::RawBody;

/// The `error` code of an RFC 6749 error response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OAuthErrorCode {
    /// The grant (refresh token, code, verifier) is invalid, expired or revoked.
    InvalidGrant,
    /// Client authentication failed: wrong client id or secret.
    InvalidClient,
    /// A parameter is missing or malformed.
    InvalidRequest,
    /// The client may not use this grant.
    UnauthorizedClient,
    /// The server does not know the grant type.
    UnsupportedGrantType,
    /// The requested scope is invalid.
    InvalidScope,
    /// Any other code, kept verbatim.
    Other(String),
}

impl OAuthErrorCode {
    /// Maps the wire string to a code.
    pub fn parse(code: &str) -> Self {
        match code {
            "invalid_grant" => Self::InvalidGrant,
            "invalid_client" => Self::InvalidClient,
            "invalid_request" => Self::InvalidRequest,
            "unauthorized_client" => Self::UnauthorizedClient,
            "unsupported_grant_type" => Self::UnsupportedGrantType,
            "invalid_scope" => Self::InvalidScope,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The wire string.
    pub fn as_str(&self) -> &str {
        match self {
            Self::InvalidGrant => "invalid_grant",
            Self::InvalidClient => "invalid_client",
            Self::InvalidRequest => "invalid_request",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::InvalidScope => "invalid_scope",
            Self::Other(code) => code,
        }
    }
}

impl fmt::Display for OAuthErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything that can go wrong asking the token endpoint for a token.
#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    /// The server answered with an OAuth error object `{error, error_description}`.
    #[error("token endpoint answered HTTP {status} {code}{}", description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    Server {
        /// HTTP status.
        status: u16,
        /// The `error` code.
        code: OAuthErrorCode,
        /// The `error_description`, when given.
        description: Option<String>,
    },
    /// HTTP 429: the app is over its rate limit.
    #[error("token endpoint rate-limited the app (retry after {retry_after:?})")]
    RateLimited {
        /// From the `Retry-After` header, when present.
        retry_after: Option<Duration>,
    },
    /// The body was not what the status promised: HTML, empty, not JSON, or JSON without the
    /// token fields. The raw body is kept.
    #[error("token endpoint answered HTTP {status} with a body that is not a token or an OAuth error ({body}): {reason}")]
    Parse {
        /// HTTP status.
        status: u16,
        /// The body as received.
        body: RawBody,
        /// What the parser said.
        reason: String,
    },
    /// The body was larger than the limit; it was not read to the end.
    #[error("token endpoint response is larger than {limit} bytes")]
    BodyTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The server redirected; the token client follows no redirects.
    #[error(
        "token endpoint redirected (HTTP {status}) to {location:?}; redirects are not followed"
    )]
    Redirect {
        /// HTTP status.
        status: u16,
        /// The `Location` header.
        location: Option<String>,
    },
    /// Connect or total timeout.
    #[error("token endpoint timed out")]
    Timeout,
    /// Could not connect, or the connection broke.
    #[error("token endpoint unreachable: {0}")]
    Transport(#[source] reqwest::Error),
    /// A refresh was asked for but the token has no refresh token.
    #[error("the token has no refresh token")]
    NoRefreshToken,
}

impl OAuthError {
    /// Worth retrying: 5xx, 408, 429, timeouts and connection errors.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Server { status, .. } | Self::Parse { status, .. } => {
                *status >= 500 || *status == 408
            }
            Self::RateLimited { .. } | Self::Timeout | Self::Transport(_) => true,
            Self::BodyTooLarge { .. } | Self::Redirect { .. } | Self::NoRefreshToken => false,
        }
    }

    /// Only a new user authorization can fix this: the refresh token is invalid, expired or
    /// revoked (`invalid_grant`), or there is none.
    pub fn requires_reauthorization(&self) -> bool {
        matches!(
            self,
            Self::Server {
                code: OAuthErrorCode::InvalidGrant,
                ..
            } | Self::NoRefreshToken
        )
    }

    /// How long the server asked us to wait, for a 429.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after } => *retry_after,
            _ => None,
        }
    }

    /// The OAuth error code, for a server error.
    pub fn code(&self) -> Option<&OAuthErrorCode> {
        match self {
            Self::Server { code, .. } => Some(code),
            _ => None,
        }
    }
}
