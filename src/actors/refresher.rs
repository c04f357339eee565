//! The refresher actor (S5): renews tokens for sessions, one renewal in flight per session, with
//! retries, and keeps refresh-ahead schedules from `TokenUpdated`.
//!
//! Sessions ask it to renew with [`Renew`]; it calls the token endpoint in a future spawned
//! beside its mailbox (so one slow token endpoint never delays another session's renewal),
//! retries transient failures on the [`RetrySchedule`], and reports back to the session with a
//! fire-and-forget message. It never awaits a session, and a session never awaits it, so the two
//! cannot deadlock. A renewal that fails for good publishes [`RefreshFailed`] before the session
//! fails its waiting requests.
//!
//! It also subscribes to `TokenUpdated` on the bus and, for each refreshable session, sets a
//! timer for when the new token enters the refresh-ahead window; the timer nudges the session,
//! which renews in the background if the token is still stale (P5: under steady load no request
//! waits on a renewal).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use actix::prelude::*;
use actix::WeakAddr;
use futures::future::BoxFuture;
use tokio::time::Instant;

use super::bus::{EventBus, Publish};
use super::events::{RefreshFailed, SessionId, TokenOrigin, TokenUpdated};
use super::session::{RefreshAheadDue, RenewalDone, Renewed, Session, SessionHandle};
use crate::lifecycle::{stale_at, RetryDecision, RetrySchedule};
use crate::oauth::{Grant, OAuthError};
use crate::token::OAuth2Token;

/// Renew this session's token with this grant. Sent by sessions; answered to the session with a
/// message when done.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Renew {
    session: SessionHandle,
    grant: Grant,
    renewing: Option<Arc<OAuth2Token>>,
}

impl Renew {
    /// Renew `renewing` (the token the session holds as it asks) with `grant`.
    pub(crate) fn new(
        session: SessionHandle,
        grant: Grant,
        renewing: Option<Arc<OAuth2Token>>,
    ) -> Self {
        Self {
            session,
            grant,
            renewing,
        }
    }
}

/// Counters of the refresher.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, MessageResponse)]
pub struct RefresherStats {
    /// Renewals started.
    pub renewals: u64,
    /// Token-endpoint calls made (attempts, retries included).
    pub attempts: u64,
    /// Renewals that failed for good.
    pub failures: u64,
    /// Renew requests ignored because one was in flight for the session.
    pub coalesced: u64,
}

/// Ask for the refresher's counters.
#[derive(Message)]
#[rtype(result = "RefresherStats")]
pub struct GetRefresherStats;

/// When each session's token turns stale, in time order, behind one timer.
///
/// One timer for all sessions rather than one per session: actix polls every future of an actor
/// each time it wakes, so a hundred thousand per-session timers would make each message to the
/// refresher cost milliseconds.
#[derive(Default)]
struct AheadSchedule {
    due: BTreeMap<(Instant, u64), (SessionId, WeakAddr<Session>)>,
    by_session: HashMap<SessionId, (Instant, u64)>,
    next_seq: u64,
    wake: Option<(Instant, SpawnHandle)>,
}

/// Renews in agreement with other processes that hold sessions for the same keys (the Redis
/// cluster of feature `redis`): it decides whether this process calls the token endpoint (with
/// [`renew_with_retries`]) or adopts the token another process got.
pub(crate) trait RenewalCoordinator: Send + Sync + 'static {
    /// Renews `session`'s token `renewing` (the one it held when it asked; it may have adopted
    /// a newer one since), which `grant` renews. Answers the outcome and how many
    /// token-endpoint calls this process made.
    fn renew(
        &self,
        session: SessionHandle,
        grant: Grant,
        renewing: Option<Arc<OAuth2Token>>,
    ) -> BoxFuture<'static, (Result<Renewed, OAuthError>, u64)>;
}

/// The refresher actor. One per [`Spotipie`](crate::Spotipie), shared by its sessions.
pub struct Refresher {
    bus: Addr<EventBus>,
    coordinator: Option<Arc<dyn RenewalCoordinator>>,
    in_flight: HashSet<SessionId>,
    ahead: AheadSchedule,
    stats: RefresherStats,
}

impl Refresher {
    /// A refresher that publishes `RefreshFailed` on `bus`.
    pub fn new(bus: Addr<EventBus>) -> Self {
        Self {
            bus,
            coordinator: None,
            in_flight: HashSet::new(),
            ahead: AheadSchedule::default(),
            stats: RefresherStats::default(),
        }
    }

    /// Renews through `coordinator` instead of on its own.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn with_coordinator(mut self, coordinator: Arc<dyn RenewalCoordinator>) -> Self {
        self.coordinator = Some(coordinator);
        self
    }

    /// Puts `session` on the schedule at `at`, replacing its previous entry.
    fn schedule(
        &mut self,
        id: SessionId,
        session: WeakAddr<Session>,
        at: Option<Instant>,
        ctx: &mut Context<Self>,
    ) {
        if let Some(old) = self.ahead.by_session.remove(&id) {
            self.ahead.due.remove(&old);
        }
        if let Some(at) = at {
            self.ahead.next_seq += 1;
            let key = (at, self.ahead.next_seq);
            self.ahead.due.insert(key, (id.clone(), session));
            self.ahead.by_session.insert(id, key);
        }
        self.arm(ctx);
    }

    /// Sets the one timer for the earliest entry.
    fn arm(&mut self, ctx: &mut Context<Self>) {
        let earliest = self.ahead.due.keys().next().map(|(at, _)| *at);
        if let (Some((armed, _)), Some(earliest)) = (&self.ahead.wake, earliest) {
            if *armed <= earliest {
                return;
            }
        }
        if let Some((_, handle)) = self.ahead.wake.take() {
            ctx.cancel_future(handle);
        }
        if let Some(at) = earliest {
            let delay = at.saturating_duration_since(Instant::now());
            let handle = ctx.run_later(delay, |refresher, ctx| refresher.fire(ctx));
            self.ahead.wake = Some((at, handle));
        }
    }

    /// Nudges every session whose time has come, then re-arms.
    fn fire(&mut self, ctx: &mut Context<Self>) {
        self.ahead.wake = None;
        let now = Instant::now();
        while let Some(entry) = self.ahead.due.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let (id, session) = entry.remove();
            self.ahead.by_session.remove(&id);
            if let Some(addr) = session.upgrade() {
                addr.do_send(RefreshAheadDue);
            }
        }
        self.arm(ctx);
    }
}

impl Actor for Refresher {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.set_mailbox_capacity(1 << 16);
        self.bus
            .do_send(super::bus::Subscribe::<TokenUpdated>::reliable(
                ctx.address().recipient(),
            ));
    }
}

/// Calls the token endpoint until success, a terminal error, or the retry budget is spent.
pub(crate) async fn renew_with_retries(
    session: SessionHandle,
    grant: Grant,
    attempts: &mut u64,
) -> Result<OAuth2Token, OAuthError> {
    let shared = session.shared();
    let schedule = RetrySchedule::from_policy(&shared.policy);
    let mut attempt = 0;
    loop {
        attempt += 1;
        *attempts += 1;
        let result = shared
            .token_client
            .request_token(shared.flow.credentials(), &grant, shared.clock.as_ref())
            .await;
        let error = match result {
            Ok(token) => return Ok(token),
            Err(error) => error,
        };
        match schedule.next(attempt, &error, rand::random::<f64>()) {
            RetryDecision::RetryAfter(delay) => {
                tracing::debug!(session = %session.id(), attempt, ?delay, %error, "renewal failed; retrying");
                tokio::time::sleep(delay).await;
            }
            RetryDecision::GiveUp => return Err(error),
        }
    }
}

impl Handler<Renew> for Refresher {
    type Result = ();

    fn handle(&mut self, msg: Renew, ctx: &mut Self::Context) {
        let id = msg.session.id().clone();
        if !self.in_flight.insert(id.clone()) {
            self.stats.coalesced += 1;
            return;
        }
        self.stats.renewals += 1;
        let session = msg.session.clone();
        let work: BoxFuture<'static, _> = match &self.coordinator {
            Some(coordinator) => coordinator.renew(msg.session, msg.grant, msg.renewing),
            None => Box::pin(async move {
                let mut attempts = 0;
                let result = renew_with_retries(msg.session, msg.grant, &mut attempts)
                    .await
                    .map(|token| Renewed {
                        token,
                        origin: TokenOrigin::Local,
                    });
                (result, attempts)
            }),
        };
        ctx.spawn(
            work.into_actor(self)
                .map(move |(result, attempts), refresher, _| {
                    refresher.in_flight.remove(&id);
                    refresher.stats.attempts += attempts;
                    let result = result.map_err(Arc::new);
                    if let Err(error) = &result {
                        refresher.stats.failures += 1;
                        tracing::warn!(session = %id, %error, "token renewal failed");
                        refresher.bus.do_send(Publish(RefreshFailed {
                            session: session.clone(),
                            error: error.clone(),
                            reauthorization_required: error.requires_reauthorization(),
                        }));
                    }
                    session.addr().do_send(RenewalDone(result));
                }),
        );
    }
}

impl Handler<TokenUpdated> for Refresher {
    type Result = ();

    fn handle(&mut self, event: TokenUpdated, ctx: &mut Self::Context) {
        let policy = event.session.policy();
        let at = (event.session.is_refreshable() && !policy.refresh_ahead.is_zero()).then(|| {
            let due_at = stale_at(&event.new_token, policy);
            let delay = (due_at - event.session.clock().now()).max(0.0);
            Instant::now() + Duration::from_secs_f64(delay.min(1e9))
        });
        // A weak address: a pending entry must not keep a stopped session alive.
        let session = event.session.addr().downgrade();
        self.schedule(event.session.id().clone(), session, at, ctx);
    }
}

impl Handler<GetRefresherStats> for Refresher {
    type Result = RefresherStats;

    fn handle(&mut self, _: GetRefresherStats, _: &mut Self::Context) -> RefresherStats {
        self.stats
    }
}
