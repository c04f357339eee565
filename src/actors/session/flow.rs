//! Flows: what kind of OAuth2 session this is, and so how (and whether) it renews its token.
//!
//! The session actor is one type for every flow; a flow is a small strategy object it consults.
//! This keeps `Addr<Session>` a single type that pools, events and handles can name, while later
//! flows (authorization code, PKCE, implicit) plug in by implementing [`Flow`].

use std::fmt;

use crate::config::Credentials;
use crate::oauth::{Grant, OAuthError};
use crate::token::{OAuth2Token, Scope};

/// How a session obtains and renews tokens.
pub trait Flow: Send + Sync + fmt::Debug + 'static {
    /// A short name for logs (`client_credentials`, `authorization_code`, …).
    fn name(&self) -> &'static str;

    /// The app's credentials.
    fn credentials(&self) -> &Credentials;

    /// Whether the session can renew by itself (the seed's *refreshable* sessions). Implicit-grant
    /// sessions cannot (S7).
    fn is_refreshable(&self) -> bool;

    /// The grant that renews `current`: `None` if the flow cannot renew by itself, or an error if
    /// it could but cannot now (no refresh token).
    fn renewal_grant(&self, current: Option<&OAuth2Token>) -> Option<Result<Grant, OAuthError>>;

    /// The scope this flow asks for (the session's scope before it has a token).
    fn requested_scope(&self) -> Scope {
        Scope::empty()
    }
}

/// The client-credentials flow: the app's own token, no user; renewing is fetching again.
#[derive(Clone, Debug)]
pub struct ClientCredentialsFlow {
    credentials: Credentials,
}

impl ClientCredentialsFlow {
    /// A client-credentials flow. The credentials need a client secret.
    pub fn new(credentials: Credentials) -> Self {
        Self { credentials }
    }
}

impl Flow for ClientCredentialsFlow {
    fn name(&self) -> &'static str {
        "client_credentials"
    }

    fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    fn is_refreshable(&self) -> bool {
        true
    }

    fn renewal_grant(&self, _: Option<&OAuth2Token>) -> Option<Result<Grant, OAuthError>> {
        Some(Ok(Grant::ClientCredentials))
    }
}

/// A flow that renews with the token's refresh token: the authorization-code flow (Basic client
/// authentication) or, for credentials without a secret, PKCE (`client_id` in the body). The
/// flows that *obtain* the first token from a user build on this.
#[derive(Clone, Debug)]
pub struct RefreshTokenFlow {
    credentials: Credentials,
    scope: Scope,
}

impl RefreshTokenFlow {
    /// A refreshing flow for `credentials`, asking for `scope`.
    pub fn new(credentials: Credentials, scope: impl Into<Scope>) -> Self {
        Self {
            credentials,
            scope: scope.into(),
        }
    }
}

impl Flow for RefreshTokenFlow {
    fn name(&self) -> &'static str {
        if self.credentials.client_secret.is_some() {
            "authorization_code"
        } else {
            "pkce"
        }
    }

    fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    fn is_refreshable(&self) -> bool {
        true
    }

    fn renewal_grant(&self, current: Option<&OAuth2Token>) -> Option<Result<Grant, OAuthError>> {
        Some(
            current
                .and_then(|token| token.refresh_token.clone())
                .map(Grant::RefreshToken)
                .ok_or(OAuthError::NoRefreshToken),
        )
    }

    fn requested_scope(&self) -> Scope {
        self.scope.clone()
    }
}

/// A flow that never renews by itself: tokens come from outside (the implicit grant, or a token
/// the application manages). A `TokenExpired` subscriber may install a new one (S7).
#[derive(Clone, Debug)]
pub struct ExternalTokenFlow {
    credentials: Credentials,
    scope: Scope,
}

impl ExternalTokenFlow {
    /// A non-renewing flow for `credentials`, asking for `scope`.
    pub fn new(credentials: Credentials, scope: impl Into<Scope>) -> Self {
        Self {
            credentials,
            scope: scope.into(),
        }
    }
}

impl Flow for ExternalTokenFlow {
    fn name(&self) -> &'static str {
        "external"
    }

    fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    fn is_refreshable(&self) -> bool {
        false
    }

    fn renewal_grant(&self, _: Option<&OAuth2Token>) -> Option<Result<Grant, OAuthError>> {
        None
    }

    fn requested_scope(&self) -> Scope {
        self.scope.clone()
    }
}
