//! The session pool: one session actor per user key, started on demand from the token store,
//! stopped when idle, bounded in number.
//!
//! A backend acting for thousands of users holds only the sessions in use. `GetSession` returns
//! the live session of a key, or loads the key's token from the store (beside the mailbox; two
//! callers asking for the same key at once share one load and one session) and starts one.
//! Sessions idle longer than [`PoolConfig::idle_timeout`] are stopped (the [`Persister`] has saved
//! their tokens) and come back on the next request; past [`PoolConfig::max_live`] the least
//! recently used one is stopped. A user whose renewal fails with re-authorization required is
//! marked, their session stopped, and callers get [`PoolError::ReauthorizationRequired`] until
//! the user logs in again ([`Login`]).
//!
//! It sits beside [`Spotipie`] in the wiring layer: it starts sessions through it.
//!
//! [`Persister`]: crate::actors::Persister

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use actix::prelude::*;
use tokio::sync::oneshot;
use tokio::time::Instant;

use crate::actors::bus::Subscribe;
use crate::actors::events::{RefreshFailed, SessionId, TokenUpdated};
use crate::actors::session::{SessionHandle, StopSession};
use crate::actors::Flow;
use crate::spotipie::{SessionOptions, Spotipie};
use crate::store::{StoreError, StoreKey, TokenStore};
use crate::token::OAuth2Token;

/// How the pool behaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolConfig {
    /// A session unused this long is stopped. Default 15 minutes.
    pub idle_timeout: Duration,
    /// At most this many live sessions; the least recently used is stopped to make room.
    /// Default 10,000.
    pub max_live: usize,
}

impl Default for PoolConfig {
    fn default() -> Self {
        Self {
            idle_timeout: Duration::from_secs(15 * 60),
            max_live: 10_000,
        }
    }
}

/// Why the pool has no session for a key.
#[derive(Clone, Debug, thiserror::Error)]
pub enum PoolError {
    /// The user's refresh failed for good: they must authorize again.
    #[error("user {key} must authorize again")]
    ReauthorizationRequired {
        /// The user's key.
        key: StoreKey,
    },
    /// No token is stored for the key: the user never authorized.
    #[error("no token is stored for user {key}: they must authorize")]
    NotAuthorized {
        /// The user's key.
        key: StoreKey,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The pool actor is gone.
    #[error("the session pool has stopped")]
    Stopped,
}

impl PoolError {
    /// Whether the user must (re-)authorize: send them to the login page.
    pub fn needs_authorization(&self) -> bool {
        matches!(
            self,
            Self::ReauthorizationRequired { .. } | Self::NotAuthorized { .. }
        )
    }
}

/// Counters of the pool.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, MessageResponse)]
pub struct PoolStats {
    /// Sessions live now.
    pub live: usize,
    /// Sessions started (from the store or by login).
    pub started: u64,
    /// Sessions stopped for idleness or to respect `max_live`.
    pub evicted: u64,
    /// Tokens renewed by the pool's sessions (`TokenUpdated` with an old token).
    pub renewals: u64,
    /// Renewals that failed for good.
    pub refresh_failures: u64,
    /// Users marked as needing to authorize again.
    pub reauthorization_required: usize,
}

type Reply = Result<SessionHandle, PoolError>;

/// The live session of a user, starting it from the store if needed.
#[derive(Message)]
#[rtype(result = "Result<SessionHandle, PoolError>")]
pub struct GetSession(pub StoreKey);

/// A session for a user who is logging in: the live one, or a new one without a token. Clears
/// a re-authorization mark. Finish with the session's `authorization_url` / `fetch_token`.
#[derive(Message)]
#[rtype(result = "SessionHandle")]
pub struct Login(pub StoreKey);

/// Stop a user's session now; `true` if one was live.
#[derive(Message)]
#[rtype(result = "bool")]
pub struct Evict(pub StoreKey);

/// Ask for the pool's counters.
#[derive(Message)]
#[rtype(result = "PoolStats")]
pub struct GetPoolStats;

/// Stops sessions idle past the timeout.
#[derive(Message)]
#[rtype(result = "()")]
struct Sweep;

struct Live {
    handle: SessionHandle,
    last_used: Instant,
}

/// The session-pool actor. Start it with [`SessionPool::new`] and `.start()` on the system of
/// its [`Spotipie`].
pub struct SessionPool {
    spotipie: Spotipie,
    store: Arc<dyn TokenStore>,
    flow: Arc<dyn Flow>,
    config: PoolConfig,
    live: HashMap<StoreKey, Live>,
    loading: HashMap<StoreKey, Vec<oneshot::Sender<Reply>>>,
    reauthorize: HashSet<StoreKey>,
    stats: PoolStats,
}

impl SessionPool {
    /// A pool whose sessions use `flow` (the app's credentials and scope) and load their tokens
    /// from `store`. Start a [`Persister`](crate::actors::Persister) on the same store so tokens are
    /// saved.
    pub fn new(
        spotipie: Spotipie,
        store: Arc<dyn TokenStore>,
        flow: Arc<dyn Flow>,
        config: PoolConfig,
    ) -> Self {
        Self {
            spotipie,
            store,
            flow,
            config,
            live: HashMap::new(),
            loading: HashMap::new(),
            reauthorize: HashSet::new(),
            stats: PoolStats::default(),
        }
    }

    fn start_session(&mut self, key: &StoreKey, token: Option<OAuth2Token>) -> SessionHandle {
        self.make_room();
        let handle = self.spotipie.start_shared_session(
            self.flow.clone(),
            SessionOptions {
                id: Some(SessionId::new(key.as_str())),
                token,
                policy: None,
            },
        );
        self.stats.started += 1;
        self.live.insert(
            key.clone(),
            Live {
                handle: handle.clone(),
                last_used: Instant::now(),
            },
        );
        handle
    }

    fn make_room(&mut self) {
        while self.live.len() >= self.config.max_live.max(1) {
            let Some(oldest) = self
                .live
                .iter()
                .min_by_key(|(_, live)| live.last_used)
                .map(|(key, _)| key.clone())
            else {
                return;
            };
            self.evict(&oldest);
        }
    }

    fn evict(&mut self, key: &StoreKey) -> bool {
        match self.live.remove(key) {
            Some(live) => {
                live.handle.addr().do_send(StopSession);
                self.stats.evicted += 1;
                true
            }
            None => false,
        }
    }

    fn key_of(&self, session: &SessionHandle) -> Option<StoreKey> {
        let key = StoreKey::new(session.id().as_str()).ok()?;
        self.live
            .get(&key)
            .is_some_and(|live| live.handle == *session)
            .then_some(key)
    }
}

impl Actor for SessionPool {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.set_mailbox_capacity(1 << 16);
        let bus = self.spotipie.bus();
        bus.do_send(Subscribe::<RefreshFailed>::reliable(
            ctx.address().recipient(),
        ));
        bus.do_send(Subscribe::<TokenUpdated>::reliable(
            ctx.address().recipient(),
        ));
        let every = (self.config.idle_timeout / 4).max(Duration::from_millis(10));
        ctx.run_interval(every, |_, ctx| ctx.notify(Sweep));
    }
}

impl Handler<GetSession> for SessionPool {
    type Result = ResponseFuture<Reply>;

    fn handle(&mut self, GetSession(key): GetSession, ctx: &mut Self::Context) -> Self::Result {
        if self.reauthorize.contains(&key) {
            return Box::pin(async move { Err(PoolError::ReauthorizationRequired { key }) });
        }
        if let Some(live) = self.live.get_mut(&key) {
            live.last_used = Instant::now();
            let handle = live.handle.clone();
            // A login that never finished leaves a session without a token.
            if handle.token_snapshot().is_none() {
                return Box::pin(async move { Err(PoolError::NotAuthorized { key }) });
            }
            return Box::pin(async move { Ok(handle) });
        }
        let (tx, rx) = oneshot::channel();
        let first = !self.loading.contains_key(&key);
        self.loading.entry(key.clone()).or_default().push(tx);
        if first {
            let store = self.store.clone();
            let for_store = key.clone();
            let load = async move { store.load(&for_store).await };
            ctx.spawn(load.into_actor(self).map(move |loaded, pool, _| {
                let reply = match loaded {
                    Ok(Some(token)) => Ok(pool.start_session(&key, Some(token))),
                    Ok(None) => Err(PoolError::NotAuthorized { key: key.clone() }),
                    Err(error) => Err(PoolError::Store(error)),
                };
                for waiter in pool.loading.remove(&key).unwrap_or_default() {
                    let _ = waiter.send(reply.clone());
                }
            }));
        }
        Box::pin(async move { rx.await.unwrap_or(Err(PoolError::Stopped)) })
    }
}

impl Handler<Login> for SessionPool {
    type Result = MessageResult<Login>;

    fn handle(&mut self, Login(key): Login, _: &mut Self::Context) -> Self::Result {
        self.reauthorize.remove(&key);
        if let Some(live) = self.live.get_mut(&key) {
            live.last_used = Instant::now();
            return MessageResult(live.handle.clone());
        }
        MessageResult(self.start_session(&key, None))
    }
}

impl Handler<Evict> for SessionPool {
    type Result = bool;

    fn handle(&mut self, Evict(key): Evict, _: &mut Self::Context) -> bool {
        self.evict(&key)
    }
}

impl Handler<Sweep> for SessionPool {
    type Result = ();

    fn handle(&mut self, _: Sweep, _: &mut Self::Context) {
        let now = Instant::now();
        let idle: Vec<StoreKey> = self
            .live
            .iter()
            .filter(|(_, live)| now.duration_since(live.last_used) >= self.config.idle_timeout)
            .map(|(key, _)| key.clone())
            .collect();
        for key in idle {
            self.evict(&key);
        }
    }
}

impl Handler<RefreshFailed> for SessionPool {
    type Result = ();

    fn handle(&mut self, event: RefreshFailed, _: &mut Self::Context) {
        let Some(key) = self.key_of(&event.session) else {
            return;
        };
        self.stats.refresh_failures += 1;
        if event.reauthorization_required {
            self.reauthorize.insert(key.clone());
            if let Some(live) = self.live.remove(&key) {
                live.handle.addr().do_send(StopSession);
            }
        }
    }
}

impl Handler<TokenUpdated> for SessionPool {
    type Result = ();

    fn handle(&mut self, event: TokenUpdated, _: &mut Self::Context) {
        if event.old_token.is_some() && self.key_of(&event.session).is_some() {
            self.stats.renewals += 1;
        }
    }
}

impl Handler<GetPoolStats> for SessionPool {
    type Result = PoolStats;

    fn handle(&mut self, _: GetPoolStats, _: &mut Self::Context) -> PoolStats {
        PoolStats {
            live: self.live.len(),
            reauthorization_required: self.reauthorize.len(),
            ..self.stats
        }
    }
}
