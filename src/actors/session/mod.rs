//! The session actor (S1, S2, S3, S7, S8): the one owner of a token.
//!
//! A request message finds the token fresh, stale or expired ([`crate::lifecycle::classify`])
//! and the actor acts on the answer. An expired token opens an *episode*: `TokenExpired` goes to
//! subscribers through the bus (which answers when they are done), requests arriving meanwhile
//! join the same episode, and, if the token is still expired afterwards, the refresher renews it
//! once. Nothing in the actor awaits inside its mailbox: the episode's waits are futures spawned
//! beside it, so a subscriber may `send(..).await` to this session from its `TokenExpired`
//! handler without deadlock (S6), and other messages are answered during a renewal.

mod flow;
mod handle;
mod messages;

use std::sync::Arc;

use actix::prelude::*;
use futures::future::{ready, FutureExt as _};
use tokio::sync::oneshot;

pub use flow::{
    AuthorizationCodeFlow, ClientCredentialsFlow, ExternalTokenFlow, Flow, ImplicitGrantFlow,
    PkceFlow, RefreshTokenFlow, UserAuthorization,
};
pub use handle::SessionHandle;
#[cfg(feature = "redis")]
pub(crate) use handle::WeakSessionHandle;
pub(crate) use handle::{SessionConfig, SessionShared};
#[cfg(feature = "redis")]
pub(crate) use messages::AdoptToken;
pub use messages::{
    AuthorizationUrl, FetchToken, FetchTokenGivenCode, GetAutoRefresh, GetScope, GetToken,
    RenewNow, RenewRejected, SetAutoRefresh, SetToken, StopSession,
};
pub(crate) use messages::{RefreshAheadDue, RenewalDone, Renewed};

use super::bus::{DeliverExpired, EventBus, Publish};
use super::events::{RefreshFailed, TokenExpired, TokenOrigin, TokenUpdated};
use super::refresher::{Refresher, Renew};
use crate::error::SessionError;
use crate::lifecycle::{
    classify, merge_refresh, AfterSubscribers, Episode, Freshness, Verdict, Verdicts,
};
use crate::oauth::authorize::{
    authorization_url, code_from, match_state, parse_callback, token_from, AuthorizationRequest,
};
use crate::oauth::{AuthorizationError, Grant, RedirectUri, ResponseType};
use crate::request::{dispatch, ApiRequest, ApiResponse};
use crate::secret::{CsrfState, PkceVerifier};
use crate::token::OAuth2Token;

type TokenReply = Result<Option<Arc<OAuth2Token>>, SessionError>;
type Waiter = oneshot::Sender<TokenReply>;
type RenewWaiter = oneshot::Sender<Result<Arc<OAuth2Token>, SessionError>>;
type TokenResult = Result<Arc<OAuth2Token>, SessionError>;

/// At most this many user authorizations may be pending at once (older ones are forgotten).
const MAX_PENDING_AUTHORIZATIONS: usize = 16;
/// A pending authorization is forgotten after this many seconds.
const PENDING_AUTHORIZATION_TTL: f64 = 900.0;

/// A user authorization this session started and whose callback has not come back yet.
struct PendingAuthorization {
    state: CsrfState,
    verifier: Option<PkceVerifier>,
    redirect_uri: RedirectUri,
    started_at: f64,
}

/// What a callback leads to once its state matched.
enum Callback {
    /// Implicit grant: the token itself.
    Token(OAuth2Token),
    /// Code flows: exchange this grant; the state goes into the token.
    Exchange(Grant, CsrfState),
}

/// The session actor. Start one with [`Spotipie::start_session`](crate::Spotipie::start_session)
/// and talk to it through its [`SessionHandle`].
pub struct Session {
    shared: Arc<SessionShared>,
    bus: Addr<EventBus>,
    refresher: Addr<Refresher>,
    token: Option<Arc<OAuth2Token>>,
    auto_refresh: bool,
    episode: Option<Episode<Waiter, SessionError>>,
    episodes_started: u64,
    renewing: bool,
    renew_waiters: Vec<RenewWaiter>,
    pending: Vec<PendingAuthorization>,
}

impl Session {
    pub(crate) fn new(
        shared: Arc<SessionShared>,
        bus: Addr<EventBus>,
        refresher: Addr<Refresher>,
        token: Option<Arc<OAuth2Token>>,
    ) -> Self {
        Self {
            auto_refresh: shared.flow.is_refreshable(),
            shared,
            bus,
            refresher,
            token,
            episode: None,
            episodes_started: 0,
            renewing: false,
            renew_waiters: Vec::new(),
            pending: Vec::new(),
        }
    }

    fn self_handle(&self, ctx: &Context<Self>) -> SessionHandle {
        SessionHandle::new(ctx.address(), self.shared.clone())
    }

    /// Refreshable, auto-refresh on: this session renews by itself.
    fn may_renew(&self) -> bool {
        self.auto_refresh && self.shared.flow.is_refreshable()
    }

    fn freshness(&self) -> Freshness {
        classify(
            self.token.as_deref(),
            self.shared.clock.now(),
            &self.shared.policy,
        )
    }

    /// Stores, publishes the snapshot and `TokenUpdated`, then lets a waiting episode go if the
    /// token is fresh (S3).
    fn set_token(&mut self, token: Arc<OAuth2Token>, origin: TokenOrigin, ctx: &mut Context<Self>) {
        let new_token = token;
        let old_token = self.token.replace(new_token.clone());
        self.shared.publish(Some(new_token.clone()));
        self.bus.do_send(Publish(TokenUpdated {
            session: self.self_handle(ctx),
            old_token,
            new_token,
            origin,
        }));
        if matches!(self.freshness(), Freshness::Fresh | Freshness::Stale) {
            if let Some(episode) = self.episode.take() {
                self.answer(episode.fresh_token_set());
            }
        }
    }

    /// Takes a token another process stored, if it expires later than the one held: an older
    /// or repeated one changes nothing and raises no event.
    fn adopt(&mut self, token: Arc<OAuth2Token>, ctx: &mut Context<Self>) {
        let newer = self
            .token
            .as_ref()
            .is_none_or(|held| token.expires_at > held.expires_at);
        if newer {
            self.set_token(token, TokenOrigin::OtherProcess, ctx);
        }
    }

    fn answer(&self, verdicts: Verdicts<Waiter, SessionError>) {
        let expired_at = self.token.as_ref().map_or(0.0, |t| t.expires_at);
        for (waiter, verdict) in verdicts {
            let reply = match verdict {
                Verdict::Proceed => Ok(self.token.clone()),
                Verdict::Expired => Err(SessionError::TokenExpired { expired_at }),
                Verdict::Failed(error) => Err(error),
            };
            let _ = waiter.send(reply);
        }
    }

    /// Joins the current expiry episode, opening one (and broadcasting `TokenExpired`) if none
    /// is open. The receiver answers when the episode ends.
    fn join_episode(
        &mut self,
        withhold_token: bool,
        ctx: &mut Context<Self>,
    ) -> oneshot::Receiver<TokenReply> {
        let (tx, rx) = oneshot::channel();
        if self.episode.is_none() {
            self.open_episode(withhold_token, ctx);
        }
        if let Some(episode) = self.episode.as_mut() {
            episode.join(tx, !withhold_token);
        }
        rx
    }

    fn open_episode(&mut self, withhold_token: bool, ctx: &mut Context<Self>) {
        let Some(expired_token) = self.token.clone() else {
            return;
        };
        self.episodes_started += 1;
        let id = self.episodes_started;
        self.episode = Some(Episode::new(id));
        let policy = &self.shared.policy;
        let delivery = self.bus.send(DeliverExpired {
            event: TokenExpired {
                session: self.self_handle(ctx),
                expired_token,
                withhold_token,
            },
            timeout: policy.subscriber_timeout.min(policy.renewal_timeout),
        });
        ctx.spawn(
            delivery
                .into_actor(self)
                .map(move |_, session, ctx| session.subscribers_done(id, ctx)),
        );
        ctx.run_later(policy.renewal_timeout, move |session, _| {
            if session.episode.as_ref().is_some_and(|e| e.id() == id) {
                if let Some(episode) = session.episode.take() {
                    session.answer(episode.timed_out());
                }
            }
        });
    }

    fn subscribers_done(&mut self, id: u64, ctx: &mut Context<Self>) {
        if self.episode.as_ref().is_none_or(|e| e.id() != id) {
            return; // ended already (a subscriber set a fresh token, or the timeout)
        }
        if matches!(self.freshness(), Freshness::Fresh | Freshness::Stale) {
            if let Some(episode) = self.episode.take() {
                self.answer(episode.fresh_token_set());
            }
            return;
        }
        let may_renew = self.may_renew();
        let Some(episode) = self.episode.as_mut() else {
            return;
        };
        match episode.subscribers_done(may_renew) {
            AfterSubscribers::StartRenewal => self.start_renewal(ctx),
            AfterSubscribers::End(verdicts) => {
                self.episode = None;
                self.answer(verdicts);
            }
        }
    }

    /// Asks the refresher for the single renewal, unless one is in flight already.
    fn start_renewal(&mut self, ctx: &mut Context<Self>) {
        if self.renewing {
            return;
        }
        match self.shared.flow.renewal_grant(self.token.as_deref()) {
            None => self.renewal_done(Err(SessionError::NotRefreshable)),
            Some(Err(error)) => {
                let error = Arc::new(error);
                self.bus.do_send(Publish(RefreshFailed {
                    session: self.self_handle(ctx),
                    reauthorization_required: error.requires_reauthorization(),
                    error: error.clone(),
                }));
                self.renewal_done(Err(refresh_failed(error)));
            }
            Some(Ok(grant)) => {
                self.renewing = true;
                self.refresher.do_send(Renew::new(
                    self.self_handle(ctx),
                    grant,
                    self.token.clone(),
                ));
            }
        }
    }

    fn renewal_done(&mut self, outcome: Result<Arc<OAuth2Token>, SessionError>) {
        for waiter in self.renew_waiters.drain(..) {
            let _ = waiter.send(outcome.clone());
        }
        if let Err(error) = outcome {
            if let Some(episode) = self.episode.take() {
                if episode.is_renewing() {
                    self.answer(episode.renewal_failed(error));
                } else {
                    self.episode = Some(episode);
                }
            }
        }
    }
}

/// User authorization: the pending states, reading callbacks and exchanging codes.
impl Session {
    fn user_authorization(&self) -> Result<&UserAuthorization, SessionError> {
        self.shared
            .flow
            .user_authorization()
            .ok_or(SessionError::Authorization(AuthorizationError::WrongFlow(
                "user authorization",
            )))
    }

    /// Forgets expired authorizations, then takes the one whose state `matches` picks.
    fn take_pending(
        &mut self,
        pick: impl FnOnce(&[PendingAuthorization]) -> Result<usize, AuthorizationError>,
    ) -> Result<PendingAuthorization, SessionError> {
        let now = self.shared.clock.now();
        self.pending
            .retain(|p| now - p.started_at < PENDING_AUTHORIZATION_TTL);
        let index = pick(&self.pending)?;
        Ok(self.pending.remove(index))
    }

    fn read_callback(&mut self, callback_url: &str) -> Result<Callback, SessionError> {
        let authorization = self.user_authorization()?.clone();
        let implicit = authorization.response_type == ResponseType::Token;
        let params = parse_callback(callback_url, &authorization.redirect_uri, implicit)?;
        let pending = self.take_pending(|pending| {
            match_state(
                &params,
                pending.iter().enumerate().map(|(i, p)| (&p.state, i)),
            )
        })?;
        if implicit {
            let mut token = token_from(&params, self.shared.clock.now())?;
            token.state = Some(pending.state);
            if token.scope.is_empty() {
                token.scope = authorization.scope;
            }
            return Ok(Callback::Token(token));
        }
        let code = code_from(&params)?;
        Ok(Callback::Exchange(
            Grant::AuthorizationCode {
                code,
                redirect_uri: pending.redirect_uri.as_str().to_owned(),
                verifier: pending.verifier,
            },
            pending.state,
        ))
    }

    /// Exchanges a code beside the mailbox, then sets the token (S3).
    fn exchange(&mut self, grant: Grant, state: CsrfState) -> ResponseActFuture<Self, TokenResult> {
        let shared = self.shared.clone();
        let work = async move {
            shared
                .token_client
                .request_token(shared.flow.credentials(), &grant, shared.clock.as_ref())
                .await
        };
        Box::pin(work.into_actor(self).map(move |result, session, ctx| {
            let mut token = result.map_err(|error| {
                SessionError::Authorization(AuthorizationError::Exchange(Arc::new(error)))
            })?;
            token.state = Some(state);
            if token.scope.is_empty() {
                token.scope = session.shared.flow.requested_scope();
            }
            session.set_token(Arc::new(token), TokenOrigin::Local, ctx);
            session.token.clone().ok_or(SessionError::NotAuthorized)
        }))
    }
}

fn refresh_failed(error: Arc<crate::oauth::OAuthError>) -> SessionError {
    SessionError::RefreshFailed {
        reauthorization_required: error.requires_reauthorization(),
        source: error,
    }
}

impl Actor for Session {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.set_mailbox_capacity(self.shared.policy.mailbox_capacity);
        // Announce the initial token, so persisters and the refresher's schedule see it.
        if let Some(token) = self.token.clone() {
            self.bus.do_send(Publish(TokenUpdated {
                session: self.self_handle(ctx),
                old_token: None,
                new_token: token,
                origin: TokenOrigin::Local,
            }));
        }
    }

    fn stopped(&mut self, _: &mut Self::Context) {
        // Pending waiters see their channel close, which reads as `SessionStopped`.
        self.episode = None;
        self.renew_waiters.clear();
    }
}

impl Handler<ApiRequest> for Session {
    type Result = ResponseFuture<Result<ApiResponse, SessionError>>;

    fn handle(&mut self, request: ApiRequest, ctx: &mut Self::Context) -> Self::Result {
        let shared = self.shared.clone();
        let withhold = request.withhold_token;
        let token = match self.freshness() {
            Freshness::Missing if !withhold => {
                return Box::pin(ready(Err(SessionError::NotAuthorized)));
            }
            Freshness::Missing => None,
            Freshness::Fresh => self.token.clone(),
            Freshness::Stale => {
                if !withhold && self.may_renew() {
                    self.start_renewal(ctx);
                }
                self.token.clone()
            }
            Freshness::Expired => {
                let episode = self.join_episode(withhold, ctx);
                return Box::pin(async move {
                    let token = episode.await.map_err(|_| SessionError::SessionStopped)??;
                    send(&shared, request, token).await
                });
            }
        };
        Box::pin(async move { send(&shared, request, token).await })
    }
}

async fn send(
    shared: &SessionShared,
    request: ApiRequest,
    token: Option<Arc<OAuth2Token>>,
) -> Result<ApiResponse, SessionError> {
    let access = token.as_ref().map(|t| &t.access_token);
    dispatch(
        &shared.http,
        &shared.endpoints,
        shared.policy.max_api_body,
        request,
        access,
    )
    .await
}

impl Handler<SetToken> for Session {
    type Result = ();

    fn handle(&mut self, msg: SetToken, ctx: &mut Self::Context) {
        self.set_token(Arc::new(msg.0), TokenOrigin::Local, ctx);
    }
}

impl Handler<GetToken> for Session {
    type Result = Option<Arc<OAuth2Token>>;

    fn handle(&mut self, _: GetToken, _: &mut Self::Context) -> Self::Result {
        self.token.clone()
    }
}

impl Handler<RenewNow> for Session {
    type Result = ResponseFuture<Result<Arc<OAuth2Token>, SessionError>>;

    fn handle(&mut self, _: RenewNow, ctx: &mut Self::Context) -> Self::Result {
        if !self.shared.flow.is_refreshable() {
            return Box::pin(ready(Err(SessionError::NotRefreshable)));
        }
        let (tx, rx) = oneshot::channel();
        self.renew_waiters.push(tx);
        self.start_renewal(ctx);
        Box::pin(rx.map(|reply| reply.unwrap_or(Err(SessionError::SessionStopped))))
    }
}

impl Handler<RenewRejected> for Session {
    type Result = ResponseFuture<Result<Arc<OAuth2Token>, SessionError>>;

    fn handle(&mut self, msg: RenewRejected, ctx: &mut Self::Context) -> Self::Result {
        match &self.token {
            Some(token) if token.access_token != msg.rejected => Box::pin(ready(Ok(token.clone()))),
            _ => self.handle(RenewNow, ctx),
        }
    }
}

impl Handler<SetAutoRefresh> for Session {
    type Result = ();

    fn handle(&mut self, msg: SetAutoRefresh, _: &mut Self::Context) {
        self.auto_refresh = msg.0;
    }
}

impl Handler<GetAutoRefresh> for Session {
    type Result = bool;

    fn handle(&mut self, _: GetAutoRefresh, _: &mut Self::Context) -> bool {
        self.auto_refresh
    }
}

impl Handler<GetScope> for Session {
    type Result = MessageResult<GetScope>;

    fn handle(&mut self, _: GetScope, _: &mut Self::Context) -> Self::Result {
        MessageResult(match &self.token {
            Some(token) if !token.scope.is_empty() => token.scope.clone(),
            _ => self.shared.flow.requested_scope(),
        })
    }
}

impl Handler<RenewalDone> for Session {
    type Result = ();

    fn handle(&mut self, msg: RenewalDone, ctx: &mut Self::Context) {
        self.renewing = false;
        match msg.0 {
            Ok(Renewed { token, origin }) => {
                if origin == TokenOrigin::OtherProcess {
                    // The relay may have handed this token over already.
                    self.adopt(Arc::new(token), ctx);
                } else {
                    let merged = merge_refresh(self.token.as_deref(), token);
                    self.set_token(Arc::new(merged), origin, ctx);
                }
                let outcome = self.token.clone().ok_or(SessionError::NotAuthorized);
                self.renewal_done(outcome);
            }
            Err(error) => self.renewal_done(Err(refresh_failed(error))),
        }
    }
}

#[cfg(feature = "redis")]
impl Handler<AdoptToken> for Session {
    type Result = ();

    fn handle(&mut self, msg: AdoptToken, ctx: &mut Self::Context) {
        self.adopt(msg.0, ctx);
    }
}

impl Handler<RefreshAheadDue> for Session {
    type Result = ();

    fn handle(&mut self, _: RefreshAheadDue, ctx: &mut Self::Context) {
        if self.may_renew() && self.freshness() == Freshness::Stale {
            self.start_renewal(ctx);
        }
    }
}

impl Handler<AuthorizationUrl> for Session {
    type Result = Result<(url::Url, CsrfState), SessionError>;

    fn handle(&mut self, msg: AuthorizationUrl, _: &mut Self::Context) -> Self::Result {
        let authorization = self.user_authorization()?;
        let state = CsrfState::random();
        let verifier = authorization.pkce.then(PkceVerifier::random);
        let redirect_uri = msg
            .redirect_uri
            .unwrap_or_else(|| authorization.redirect_uri.clone());
        let url = authorization_url(
            &self.shared.endpoints,
            &AuthorizationRequest {
                client_id: &self.shared.flow.credentials().client_id,
                redirect_uri: &redirect_uri,
                scope: &authorization.scope,
                response_type: authorization.response_type,
                state: &state,
                pkce: verifier.as_ref(),
                show_dialog: msg.show_dialog,
                extra: &msg.extra,
            },
        );
        if self.pending.len() >= MAX_PENDING_AUTHORIZATIONS {
            self.pending.remove(0);
        }
        self.pending.push(PendingAuthorization {
            state: state.clone(),
            verifier,
            redirect_uri,
            started_at: self.shared.clock.now(),
        });
        Ok((url, state))
    }
}

impl Handler<FetchToken> for Session {
    type Result = ResponseActFuture<Self, TokenResult>;

    fn handle(&mut self, msg: FetchToken, ctx: &mut Self::Context) -> Self::Result {
        match self.read_callback(&msg.callback_url) {
            Err(error) => Box::pin(actix::fut::ready(Err(error))),
            Ok(Callback::Exchange(grant, state)) => self.exchange(grant, state),
            Ok(Callback::Token(token)) => {
                self.set_token(Arc::new(token), TokenOrigin::Local, ctx);
                let token = self.token.clone().ok_or(SessionError::NotAuthorized);
                Box::pin(actix::fut::ready(token))
            }
        }
    }
}

impl Handler<FetchTokenGivenCode> for Session {
    type Result = ResponseActFuture<Self, TokenResult>;

    fn handle(&mut self, msg: FetchTokenGivenCode, _: &mut Self::Context) -> Self::Result {
        let prepared = self.user_authorization().and_then(|authorization| {
            if authorization.response_type != ResponseType::Code {
                return Err(AuthorizationError::WrongFlow("code exchange").into());
            }
            Ok(())
        });
        if let Err(error) = prepared {
            return Box::pin(actix::fut::ready(Err(error)));
        }
        let received = msg.state.secret().to_owned();
        let pending = self.take_pending(|pending| {
            pending
                .iter()
                .position(|p| p.state.matches(&received))
                .ok_or(AuthorizationError::StateMismatch)
        });
        match pending {
            Err(error) => Box::pin(actix::fut::ready(Err(error))),
            Ok(pending) => self.exchange(
                Grant::AuthorizationCode {
                    code: msg.code,
                    redirect_uri: pending.redirect_uri.as_str().to_owned(),
                    verifier: pending.verifier,
                },
                pending.state,
            ),
        }
    }
}

impl Handler<StopSession> for Session {
    type Result = ();

    fn handle(&mut self, _: StopSession, ctx: &mut Self::Context) {
        ctx.stop();
    }
}
