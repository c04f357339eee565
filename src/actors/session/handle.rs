//! [`SessionHandle`]: what callers and subscribers hold to talk to a session.
//!
//! Requests are messages to the session actor. The one exception is the common case, which
//! needs no decision from the actor: when the token the session last published is fresh, the
//! handle dispatches on the caller's own task with that token. The session publishes every token
//! it sets in a snapshot the handle reads, so this shortcut sees exactly what the
//! actor would have used, and it saves the thread hop that costs 15–40% when the caller runs on
//! another thread than the session (DESIGN §6). Anything else (stale, expired, missing token)
//! goes to the actor, which owns the decision.

use std::fmt;
use std::sync::{Arc, RwLock};

use actix::Addr;

use super::flow::Flow;
use super::messages::{
    AuthorizationUrl, FetchToken, FetchTokenGivenCode, GetAutoRefresh, GetScope, GetToken,
    RenewNow, RenewRejected, SetAutoRefresh, SetToken,
};
use super::Session;
use crate::actors::events::SessionId;
use crate::clock::SharedClock;
use crate::config::{Endpoints, Policy};
use crate::error::SessionError;
use crate::lifecycle::{classify, Freshness};
use crate::oauth::TokenClient;
use crate::request::{dispatch, ApiRequest, ApiResponse};
use crate::secret::{AccessToken, AuthorizationCode, CsrfState};
use crate::token::{OAuth2Token, Scope};

/// What sessions of one [`Spotipie`](crate::Spotipie) (with one policy) have in common, shared
/// behind one `Arc` rather than copied into each of possibly 100,000 sessions.
pub(crate) struct SessionConfig {
    pub(crate) policy: Policy,
    pub(crate) clock: SharedClock,
    pub(crate) http: reqwest::Client,
    pub(crate) endpoints: Endpoints,
    pub(crate) token_client: TokenClient,
}

/// The immutable part of a session, shared by the actor and all its handles. It reads as its
/// [`SessionConfig`] too (`shared.policy`).
pub(crate) struct SessionShared {
    pub(crate) id: SessionId,
    pub(crate) flow: Arc<dyn Flow>,
    pub(crate) config: Arc<SessionConfig>,
    /// The token the actor last stored, published after every set. A plain lock rather than a
    /// `watch` channel: a session is small (P4), and readers only ever want the latest value.
    pub(crate) snapshot: RwLock<Option<Arc<OAuth2Token>>>,
}

impl SessionShared {
    /// The published token.
    pub(crate) fn snapshot(&self) -> Option<Arc<OAuth2Token>> {
        self.snapshot
            .read()
            .map(|t| t.clone())
            .unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }

    /// Publishes `token` (only the session actor calls this).
    pub(crate) fn publish(&self, token: Option<Arc<OAuth2Token>>) {
        match self.snapshot.write() {
            Ok(mut slot) => *slot = token,
            Err(poisoned) => *poisoned.into_inner() = token,
        }
    }
}

impl std::ops::Deref for SessionShared {
    type Target = SessionConfig;

    fn deref(&self) -> &SessionConfig {
        &self.config
    }
}

/// A [`SessionHandle`] that does not keep its session alive.
#[cfg(feature = "redis")]
#[derive(Clone)]
pub(crate) struct WeakSessionHandle {
    addr: actix::WeakAddr<Session>,
    shared: std::sync::Weak<SessionShared>,
}

#[cfg(feature = "redis")]
impl WeakSessionHandle {
    /// The handle, while the session runs.
    pub(crate) fn upgrade(&self) -> Option<SessionHandle> {
        let addr = self.addr.upgrade().filter(Addr::connected)?;
        Some(SessionHandle::new(addr, self.shared.upgrade()?))
    }
}

/// A cheap, cloneable handle to a session actor: its id, its address and its published token.
/// Events carry one, so a subscriber can act on the session that raised the event.
///
/// Cloning costs one atomic increment: everything sits behind one `Arc`, because an event is
/// cloned once per subscriber and an actix address alone costs two `Arc`s to clone.
#[derive(Clone)]
pub struct SessionHandle {
    inner: Arc<HandleInner>,
}

struct HandleInner {
    addr: Addr<Session>,
    shared: Arc<SessionShared>,
}

impl SessionHandle {
    pub(crate) fn new(addr: Addr<Session>, shared: Arc<SessionShared>) -> Self {
        Self {
            inner: Arc::new(HandleInner { addr, shared }),
        }
    }

    pub(crate) fn shared(&self) -> &SessionShared {
        &self.inner.shared
    }

    /// A handle that does not keep the session alive (a registry of sessions must not).
    #[cfg(feature = "redis")]
    pub(crate) fn downgrade(&self) -> WeakSessionHandle {
        WeakSessionHandle {
            addr: self.inner.addr.downgrade(),
            shared: Arc::downgrade(&self.inner.shared),
        }
    }

    /// The session's id.
    pub fn id(&self) -> &SessionId {
        &self.inner.shared.id
    }

    /// The session actor's address, for sending its messages directly.
    pub fn addr(&self) -> &Addr<Session> {
        &self.inner.addr
    }

    /// The flow's name (`client_credentials`, …).
    pub fn flow_name(&self) -> &'static str {
        self.inner.shared.flow.name()
    }

    /// The app's client id.
    pub fn client_id(&self) -> &str {
        &self.inner.shared.flow.credentials().client_id
    }

    /// The flow's user-authorization step, if it has one.
    pub fn user_authorization(&self) -> Option<&super::UserAuthorization> {
        self.inner.shared.flow.user_authorization()
    }

    /// Whether the session can renew its token by itself.
    pub fn is_refreshable(&self) -> bool {
        self.inner.shared.flow.is_refreshable()
    }

    /// The session's policy.
    pub fn policy(&self) -> &Policy {
        &self.inner.shared.policy
    }

    /// The session's clock.
    pub fn clock(&self) -> &SharedClock {
        &self.inner.shared.clock
    }

    /// The endpoints the session talks to.
    pub fn endpoints(&self) -> &Endpoints {
        &self.inner.shared.endpoints
    }

    /// The token the session last published, without a message (it may be a moment behind a set
    /// that is in flight).
    pub fn token_snapshot(&self) -> Option<Arc<OAuth2Token>> {
        self.inner.shared.snapshot()
    }

    /// Sends a request through the session (S2): with a fresh token it goes straight out on the
    /// caller's task; otherwise the session actor decides (renew ahead, run an expiry episode,
    /// or fail).
    ///
    /// The shared HTTP client keeps each connection on the runtime that opened it. Call this from
    /// long-lived runtimes (the actix system, actix-web workers, a tokio program's runtime); from a
    /// runtime that ends soon after, send [`ApiRequest`] to [`addr`](Self::addr) instead, so the
    /// connection is opened on the session's runtime.
    pub async fn request(&self, request: ApiRequest) -> Result<ApiResponse, SessionError> {
        let token = self.inner.shared.snapshot();
        let now = self.inner.shared.clock.now();
        if classify(token.as_deref(), now, &self.inner.shared.policy) == Freshness::Fresh {
            let shared = &self.inner.shared;
            let access = token.as_ref().map(|t| &t.access_token);
            return dispatch(
                &shared.http,
                &shared.endpoints,
                shared.policy.max_api_body,
                request,
                access,
            )
            .await;
        }
        self.inner.addr.send(request).await?
    }

    /// `GET path_or_url` through the session.
    pub async fn get(&self, path_or_url: &str) -> Result<ApiResponse, SessionError> {
        self.request(ApiRequest::get(path_or_url)).await
    }

    /// The session's current token (asks the actor).
    pub async fn token(&self) -> Result<Option<Arc<OAuth2Token>>, SessionError> {
        Ok(self.inner.addr.send(GetToken).await?)
    }

    /// Sets the token (S3): stored first, then `TokenUpdated` is published, and requests waiting
    /// in an expiry episode go out with it if it is fresh.
    pub async fn set_token(&self, token: OAuth2Token) -> Result<(), SessionError> {
        Ok(self.inner.addr.send(SetToken(token)).await?)
    }

    /// Renews now (client credentials: fetches a token; refresh-token flows: refreshes), joining
    /// a renewal already in flight. The seed's `fetch_token()` / `refresh_token()`.
    pub async fn renew(&self) -> Result<Arc<OAuth2Token>, SessionError> {
        self.inner.addr.send(RenewNow).await?
    }

    /// Renews because the Web API refused `rejected` with a 401, unless the session has moved on
    /// to another token already (see [`RenewRejected`](super::RenewRejected)).
    pub async fn renew_rejected(
        &self,
        rejected: &AccessToken,
    ) -> Result<Arc<OAuth2Token>, SessionError> {
        let rejected = rejected.clone();
        self.inner.addr.send(RenewRejected { rejected }).await?
    }

    /// The scope the session's requests carry, without a message: the last published token's
    /// scope, or the flow's requested scope when that token names none. `None` before there is
    /// a token.
    pub fn scope_snapshot(&self) -> Option<Scope> {
        let token = self.inner.shared.snapshot()?;
        Some(if token.scope.is_empty() {
            self.inner.shared.flow.requested_scope()
        } else {
            token.scope.clone()
        })
    }

    /// Turns auto-refresh on or off (S8).
    pub async fn set_auto_refresh(&self, on: bool) -> Result<(), SessionError> {
        Ok(self.inner.addr.send(SetAutoRefresh(on)).await?)
    }

    /// Whether auto-refresh is on.
    pub async fn auto_refresh(&self) -> Result<bool, SessionError> {
        Ok(self.inner.addr.send(GetAutoRefresh).await?)
    }

    /// The token's scope, or the flow's requested scope before there is a token.
    pub async fn scope(&self) -> Result<Scope, SessionError> {
        Ok(self.inner.addr.send(GetScope).await?)
    }

    /// Starts a user authorization: the URL to send the user to, and its `state` (the session
    /// remembers it, and the PKCE verifier, for the callback). The seed's `authorization_url`.
    pub async fn authorization_url(
        &self,
        show_dialog: bool,
    ) -> Result<(url::Url, CsrfState), SessionError> {
        self.authorization_url_with(AuthorizationUrl {
            show_dialog,
            ..AuthorizationUrl::default()
        })
        .await
    }

    /// As [`authorization_url`](Self::authorization_url), with extra query parameters.
    pub async fn authorization_url_with(
        &self,
        request: AuthorizationUrl,
    ) -> Result<(url::Url, CsrfState), SessionError> {
        self.inner.addr.send(request).await?
    }

    /// Finishes a user authorization from the callback URL: checks `state` (in constant time),
    /// exchanges the code, sets the token (publishing `TokenUpdated`) and returns it. For the
    /// implicit grant it reads the token from the fragment instead.
    pub async fn fetch_token(&self, callback_url: &str) -> Result<Arc<OAuth2Token>, SessionError> {
        self.inner
            .addr
            .send(FetchToken {
                callback_url: callback_url.to_owned(),
            })
            .await?
    }

    /// Finishes a code-flow authorization from a code and state received some other way.
    pub async fn fetch_token_given_code(
        &self,
        code: AuthorizationCode,
        state: CsrfState,
    ) -> Result<Arc<OAuth2Token>, SessionError> {
        self.inner
            .addr
            .send(FetchTokenGivenCode { code, state })
            .await?
    }

    /// The implicit grant's callback: the seed's name for [`fetch_token`](Self::fetch_token).
    pub async fn read_token_from_callback_url(
        &self,
        callback_url: &str,
    ) -> Result<Arc<OAuth2Token>, SessionError> {
        self.fetch_token(callback_url).await
    }

    /// Whether the session holds a token (expired or not), as the seed's `is_authorized`.
    pub async fn is_authorized(&self) -> Result<bool, SessionError> {
        Ok(self.token().await?.is_some())
    }
}

impl fmt::Debug for SessionHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionHandle")
            .field("id", &self.inner.shared.id)
            .field("flow", &self.inner.shared.flow.name())
            .field("client_id", &self.client_id())
            .finish_non_exhaustive()
    }
}

impl PartialEq for SessionHandle {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner.shared, &other.inner.shared)
    }
}
