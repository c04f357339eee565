//! Flows: what kind of OAuth2 session this is, and so how (and whether) it renews its token.
//!
//! The session actor is one type for every flow; a flow is a small strategy object it consults.
//! This keeps `Addr<Session>` a single type that pools, events and handles can name, and any flow
//! plugs in by implementing [`Flow`]. The user flows ([`AuthorizationCodeFlow`], [`PkceFlow`],
//! [`ImplicitGrantFlow`]) add a [`UserAuthorization`] step and renew like the simpler flows they
//! wrap.

use std::fmt;

use crate::config::Credentials;
use crate::oauth::{AuthorizationError, Grant, OAuthError, RedirectUri, ResponseType};
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

    /// How a user authorizes this flow, for flows that have a user (`None`: client credentials,
    /// or tokens managed elsewhere).
    fn user_authorization(&self) -> Option<&UserAuthorization> {
        None
    }
}

/// The user-authorization step of a flow: where the user is sent back, which scopes are asked
/// for, and whether the answer is a code (with PKCE or not) or a token in the fragment.
#[derive(Clone, Debug)]
pub struct UserAuthorization {
    /// `code` or the legacy `token`.
    pub response_type: ResponseType,
    /// Checked against Spotify's 2025 rules when the flow is built.
    pub redirect_uri: RedirectUri,
    /// The scopes asked for.
    pub scope: Scope,
    /// Whether the code flow uses PKCE (S256).
    pub pkce: bool,
}

impl UserAuthorization {
    fn new(
        credentials: &Credentials,
        scope: Scope,
        response_type: ResponseType,
        pkce: bool,
    ) -> Result<Self, AuthorizationError> {
        let uri = credentials
            .redirect_uri
            .as_deref()
            .ok_or(AuthorizationError::MissingCredential("redirect URI"))?;
        Ok(Self {
            response_type,
            redirect_uri: RedirectUri::parse(uri)?,
            scope,
            pkce,
        })
    }
}

/// The authorization-code flow (a confidential client: it has a client secret). The user
/// authorizes once; the session then renews with the refresh token, authenticating with Basic.
#[derive(Clone, Debug)]
pub struct AuthorizationCodeFlow {
    refresh: RefreshTokenFlow,
    authorization: UserAuthorization,
}

impl AuthorizationCodeFlow {
    /// A code flow for `credentials` (which need a secret and a redirect URI) asking for `scope`.
    pub fn new(
        credentials: Credentials,
        scope: impl Into<Scope>,
    ) -> Result<Self, AuthorizationError> {
        if credentials.client_secret.is_none() {
            return Err(AuthorizationError::MissingCredential(
                "client secret (use PkceFlow for clients without one)",
            ));
        }
        let scope = scope.into();
        Ok(Self {
            authorization: UserAuthorization::new(
                &credentials,
                scope.clone(),
                ResponseType::Code,
                false,
            )?,
            refresh: RefreshTokenFlow::new(credentials, scope),
        })
    }
}

/// The authorization-code flow with PKCE, for clients that cannot keep a secret (desktop, CLI,
/// mobile): no secret is ever sent; `client_id` goes in the body. Spotify's PKCE refresh tokens
/// are single-use, so the session always keeps the newest one.
#[derive(Clone, Debug)]
pub struct PkceFlow {
    refresh: RefreshTokenFlow,
    authorization: UserAuthorization,
}

impl PkceFlow {
    /// A PKCE flow for `credentials` (a redirect URI is needed; a secret, if present, is never
    /// used) asking for `scope`.
    pub fn new(
        credentials: Credentials,
        scope: impl Into<Scope>,
    ) -> Result<Self, AuthorizationError> {
        let public = Credentials {
            client_secret: None,
            ..credentials
        };
        let scope = scope.into();
        Ok(Self {
            authorization: UserAuthorization::new(
                &public,
                scope.clone(),
                ResponseType::Code,
                true,
            )?,
            refresh: RefreshTokenFlow::new(public, scope),
        })
    }
}

/// The legacy implicit grant: the token arrives in the redirect's fragment, with no refresh
/// token, so the session never renews by itself (S7); a `TokenExpired` subscriber may run the
/// authorization again. Spotify removed this grant on 2025-11-27; it stays for servers that
/// still speak it.
#[derive(Clone, Debug)]
pub struct ImplicitGrantFlow {
    external: ExternalTokenFlow,
    authorization: UserAuthorization,
}

impl ImplicitGrantFlow {
    /// An implicit-grant flow for `credentials` (a redirect URI is needed) asking for `scope`.
    pub fn new(
        credentials: Credentials,
        scope: impl Into<Scope>,
    ) -> Result<Self, AuthorizationError> {
        let scope = scope.into();
        Ok(Self {
            authorization: UserAuthorization::new(
                &credentials,
                scope.clone(),
                ResponseType::Token,
                false,
            )?,
            external: ExternalTokenFlow::new(credentials, scope),
        })
    }
}

/// Implements [`Flow`] for a user flow by delegating renewal to an inner flow.
macro_rules! user_flow {
    ($flow:ty, $inner:ident, $name:literal) => {
        impl Flow for $flow {
            fn name(&self) -> &'static str {
                $name
            }
            fn credentials(&self) -> &Credentials {
                self.$inner.credentials()
            }
            fn is_refreshable(&self) -> bool {
                self.$inner.is_refreshable()
            }
            fn renewal_grant(
                &self,
                current: Option<&OAuth2Token>,
            ) -> Option<Result<Grant, OAuthError>> {
                self.$inner.renewal_grant(current)
            }
            fn requested_scope(&self) -> Scope {
                self.authorization.scope.clone()
            }
            fn user_authorization(&self) -> Option<&UserAuthorization> {
                Some(&self.authorization)
            }
        }
    };
}
user_flow!(AuthorizationCodeFlow, refresh, "authorization_code");
user_flow!(PkceFlow, refresh, "pkce");
user_flow!(ImplicitGrantFlow, external, "implicit_grant");

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
