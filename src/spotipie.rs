//! [`Spotipie`]: the bus and the refresher that sessions share, and the factory of sessions —
//! plus [`quickstart`], the one call that starts all three for a client-credentials app.
//!
//! Actors need an actix system. Under `#[actix::main]` / `#[actix::test]`, [`SpotipieBuilder::start`]
//! puts everything on the current thread, so requests from that thread cost no thread hop. A
//! plain tokio program (or any thread) uses [`SpotipieBuilder::start_in_thread`], which runs an
//! actix system on a thread of its own; session handles work from any thread, and requests with a
//! fresh token still run on the caller's task.

use std::sync::{Arc, Mutex};
use std::thread::{JoinHandle, ThreadId};

use actix::prelude::*;
use actix_rt::ArbiterHandle;

use crate::actors::bus::{BusEvent, EventStream, Subscribe, SubscribeStream, Unsubscribe};
use crate::actors::session::{SessionConfig, SessionShared};
use crate::actors::{
    ClientCredentialsFlow, EventBus, Flow, Persister, Refresher, Session, SessionHandle, SessionId,
    SubscriptionId,
};
use crate::clock::{system_clock, SharedClock};
use crate::config::{ConfigError, Credentials, Endpoints, Policy};
use crate::error::SessionError;
use crate::http::build_client;
use crate::oauth::TokenClient;
use crate::store::TokenStore;
use crate::token::OAuth2Token;

/// The shared half of a spotipie deployment: one event bus, one refresher, one HTTP connection
/// pool, and the defaults sessions start with. Cheap to clone.
#[derive(Clone)]
pub struct Spotipie {
    #[cfg(feature = "redis")]
    cluster: Option<crate::cluster::RedisCluster>,
    bus: Addr<EventBus>,
    refresher: Addr<Refresher>,
    arbiter: ArbiterHandle,
    arbiter_thread: ThreadId,
    config: Arc<SessionConfig>,
    _thread: Option<Arc<ActorThread>>,
}

/// Configures a [`Spotipie`]. Defaults: Spotify's endpoints, [`Policy::default`], the system
/// clock, an HTTP client built from the policy.
#[derive(Default)]
pub struct SpotipieBuilder {
    endpoints: Option<Endpoints>,
    policy: Policy,
    clock: Option<SharedClock>,
    http: Option<reqwest::Client>,
    #[cfg(feature = "redis")]
    cluster: Option<crate::cluster::RedisCluster>,
}

impl SpotipieBuilder {
    /// Where Spotify is (default: Spotify itself; see [`Endpoints::from_env`]).
    pub fn endpoints(mut self, endpoints: Endpoints) -> Self {
        self.endpoints = Some(endpoints);
        self
    }

    /// The sessions' policy.
    pub fn policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    /// The clock expiry is judged by (tests inject a [`ManualClock`](crate::ManualClock)).
    pub fn clock(mut self, clock: SharedClock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// A custom HTTP client. It should follow no redirects and have timeouts, as
    /// [`build_client`] does.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Shares tokens with the other processes of the service through Redis (feature `redis`):
    /// renewals take the key's lease so one process renews per expiry, tokens other processes
    /// store are adopted, and every token is saved to [`RedisCluster::store`] (a persister is
    /// started for it). See [`cluster`](crate::cluster).
    ///
    /// [`RedisCluster::store`]: crate::cluster::RedisCluster::store
    #[cfg(feature = "redis")]
    pub fn cluster(mut self, cluster: crate::cluster::RedisCluster) -> Self {
        self.cluster = Some(cluster);
        self
    }

    fn refresher(&self, bus: Addr<EventBus>) -> Refresher {
        let refresher = Refresher::new(bus);
        #[cfg(feature = "redis")]
        if let Some(cluster) = &self.cluster {
            return refresher.with_coordinator(Arc::new(cluster.clone()));
        }
        refresher
    }

    /// Starts the bus and the refresher on the current actix arbiter.
    ///
    /// # Panics
    /// Outside an actix system (use [`start_in_thread`](Self::start_in_thread) there).
    pub fn start(self) -> Spotipie {
        let arbiter = actix_rt::Arbiter::try_current().expect(
            "SpotipieBuilder::start needs an actix system (#[actix::main], #[actix::test]); \
             from plain tokio or other threads use start_in_thread",
        );
        let bus = EventBus::default().start();
        let refresher = self.refresher(bus.clone()).start();
        self.finish(bus, refresher, arbiter, std::thread::current().id(), None)
    }

    /// Starts an actix system on a dedicated thread and the bus and refresher on it. Works from
    /// anywhere, including plain tokio programs. The thread stops when the last clone of the
    /// returned [`Spotipie`] is dropped.
    pub fn start_in_thread(self) -> Spotipie {
        let thread = ActorThread::spawn();
        let arbiter = thread.arbiter.clone();
        let bus = EventBus::start_in_arbiter(&arbiter, |_| EventBus::default());
        let refresher_actor = self.refresher(bus.clone());
        let refresher = Refresher::start_in_arbiter(&arbiter, move |_| refresher_actor);
        let thread_id = thread.thread_id;
        self.finish(bus, refresher, arbiter, thread_id, Some(Arc::new(thread)))
    }

    fn finish(
        self,
        bus: Addr<EventBus>,
        refresher: Addr<Refresher>,
        arbiter: ArbiterHandle,
        arbiter_thread: ThreadId,
        thread: Option<Arc<ActorThread>>,
    ) -> Spotipie {
        let http = self.http.unwrap_or_else(|| build_client(&self.policy));
        let endpoints = self.endpoints.unwrap_or_default();
        let spotipie = Spotipie {
            #[cfg(feature = "redis")]
            cluster: self.cluster,
            config: Arc::new(SessionConfig {
                token_client: TokenClient::new(http.clone(), &endpoints, &self.policy),
                http,
                endpoints,
                policy: self.policy,
                clock: self.clock.unwrap_or_else(system_clock),
            }),
            bus,
            refresher,
            arbiter,
            arbiter_thread,
            _thread: thread,
        };
        #[cfg(feature = "redis")]
        if let Some(cluster) = spotipie.cluster.clone() {
            spotipie.start_persister(Arc::new(cluster.store().clone()));
            let bus = spotipie.bus.clone();
            spotipie.start_here(move || crate::cluster::relay::ClusterRelay::new(cluster, bus));
        }
        spotipie
    }
}

/// Options of one session, beyond its flow.
#[derive(Default)]
pub struct SessionOptions {
    /// Its id (default: the next `session-N`).
    pub id: Option<SessionId>,
    /// A token to start with (from a store, a file).
    pub token: Option<OAuth2Token>,
    /// A policy for this session only.
    pub policy: Option<Policy>,
}

impl Spotipie {
    /// Configure one.
    pub fn builder() -> SpotipieBuilder {
        SpotipieBuilder::default()
    }

    /// Starts a session actor for `flow`, without a token.
    pub fn start_session(&self, flow: impl Flow) -> SessionHandle {
        self.start_session_with(flow, SessionOptions::default())
    }

    /// Starts a client-credentials session (call [`SessionHandle::renew`] to fetch its first
    /// token, as [`quickstart`] does).
    pub fn client_credentials_session(&self, credentials: Credentials) -> SessionHandle {
        self.start_session(ClientCredentialsFlow::new(credentials))
    }

    /// Starts a session actor for `flow` with `options`.
    pub fn start_session_with(&self, flow: impl Flow, options: SessionOptions) -> SessionHandle {
        self.start_shared_session(Arc::new(flow), options)
    }

    /// Starts a session actor for a shared flow (one flow object can serve many sessions, as in
    /// a session pool).
    pub fn start_shared_session(
        &self,
        flow: Arc<dyn Flow>,
        options: SessionOptions,
    ) -> SessionHandle {
        let config = match options.policy {
            None => self.config.clone(),
            Some(policy) => Arc::new(SessionConfig {
                token_client: TokenClient::new(
                    self.config.http.clone(),
                    &self.config.endpoints,
                    &policy,
                ),
                policy,
                clock: self.config.clock.clone(),
                http: self.config.http.clone(),
                endpoints: self.config.endpoints.clone(),
            }),
        };
        let token = options.token.map(Arc::new);
        let snapshot = std::sync::RwLock::new(token.clone());
        let shared = Arc::new(SessionShared {
            id: options.id.unwrap_or_else(SessionId::next),
            flow,
            config,
            snapshot,
        });
        let (bus, refresher) = (self.bus.clone(), self.refresher.clone());
        let for_actor = shared.clone();
        let build = move |_: &mut Context<Session>| Session::new(for_actor, bus, refresher, token);
        let addr = if std::thread::current().id() == self.arbiter_thread {
            Session::create(build)
        } else {
            Session::start_in_arbiter(&self.arbiter, build)
        };
        SessionHandle::new(addr, shared)
    }

    /// Starts a [`Persister`] that saves every session's `TokenUpdated` to `store`, under the
    /// session's id.
    pub fn start_persister(&self, store: Arc<dyn TokenStore>) -> Addr<Persister> {
        self.start_persister_with(Persister::new(store, self.bus.clone()))
    }

    /// Starts a configured [`Persister`] (built with [`Persister::new`] on [`Spotipie::bus`]).
    pub fn start_persister_with(&self, persister: Persister) -> Addr<Persister> {
        self.start_here(move || persister)
    }

    /// Starts an actor on this deployment's arbiter: directly when called from its thread.
    fn start_here<A>(&self, build: impl FnOnce() -> A + Send + 'static) -> Addr<A>
    where
        A: Actor<Context = Context<A>>,
    {
        if std::thread::current().id() == self.arbiter_thread {
            build().start()
        } else {
            A::start_in_arbiter(&self.arbiter, move |_| build())
        }
    }

    /// The cluster this deployment shares tokens through, if any (feature `redis`).
    #[cfg(feature = "redis")]
    pub fn cluster(&self) -> Option<&crate::cluster::RedisCluster> {
        self.cluster.as_ref()
    }

    /// The event bus.
    pub fn bus(&self) -> &Addr<EventBus> {
        &self.bus
    }

    /// The refresher.
    pub fn refresher(&self) -> &Addr<Refresher> {
        &self.refresher
    }

    /// The endpoints new sessions use.
    pub fn endpoints(&self) -> &Endpoints {
        &self.config.endpoints
    }

    /// The policy new sessions use.
    pub fn policy(&self) -> &Policy {
        &self.config.policy
    }

    /// The clock.
    pub fn clock(&self) -> &SharedClock {
        &self.config.clock
    }

    /// The shared HTTP client.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.config.http
    }

    /// Subscribes an actor to events of type `E` of every session.
    pub async fn subscribe<E: BusEvent>(
        &self,
        recipient: Recipient<E>,
    ) -> Result<SubscriptionId, SessionError> {
        self.subscribe_filtered(None, recipient).await
    }

    /// Subscribes an actor to events of type `E` of one session.
    pub async fn subscribe_to<E: BusEvent>(
        &self,
        session: &SessionId,
        recipient: Recipient<E>,
    ) -> Result<SubscriptionId, SessionError> {
        self.subscribe_filtered(Some(session.clone()), recipient)
            .await
    }

    async fn subscribe_filtered<E: BusEvent>(
        &self,
        session: Option<SessionId>,
        recipient: Recipient<E>,
    ) -> Result<SubscriptionId, SessionError> {
        Ok(self.bus.send(Subscribe::new(recipient, session)).await?)
    }

    /// Removes a subscription; `true` if it existed.
    pub async fn unsubscribe(&self, id: SubscriptionId) -> Result<bool, SessionError> {
        Ok(self.bus.send(Unsubscribe(id)).await?)
    }

    /// Every session's events as a stream (buffer of 1,024; dropping it unsubscribes).
    pub async fn events(&self) -> Result<EventStream, SessionError> {
        self.events_of(None).await
    }

    /// One session's events as a stream, or every session's with `None`.
    pub async fn events_of(
        &self,
        session: Option<&SessionId>,
    ) -> Result<EventStream, SessionError> {
        Ok(self
            .bus
            .send(SubscribeStream {
                session: session.cloned(),
                capacity: 1024,
            })
            .await?)
    }
}

impl std::fmt::Debug for Spotipie {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spotipie")
            .field("endpoints", &self.config.endpoints)
            .field("policy", &self.config.policy)
            .field("own_thread", &self._thread.is_some())
            .finish_non_exhaustive()
    }
}

/// An actix system on a dedicated thread; stopped and joined on drop.
struct ActorThread {
    system: actix_rt::System,
    arbiter: ArbiterHandle,
    thread_id: ThreadId,
    join: Mutex<Option<JoinHandle<()>>>,
}

impl ActorThread {
    fn spawn() -> Self {
        let (tx, rx) = std::sync::mpsc::channel();
        let join = std::thread::Builder::new()
            .name("spotipie-actors".into())
            .spawn(move || {
                let system = actix_rt::System::new();
                system.block_on(async {
                    let _ = tx.send((actix_rt::System::current(), actix_rt::Arbiter::current()));
                });
                let _ = system.run();
            })
            .expect("spawning the spotipie actor thread");
        let (system, arbiter) = rx
            .recv()
            .expect("the spotipie actor thread reports its system");
        Self {
            system,
            arbiter,
            thread_id: join.thread().id(),
            join: Mutex::new(Some(join)),
        }
    }
}

impl Drop for ActorThread {
    fn drop(&mut self) {
        self.system.stop();
        // Joining from the actor thread itself would wait forever.
        if std::thread::current().id() != self.thread_id {
            if let Some(join) = self.join.lock().ok().and_then(|mut j| j.take()) {
                let _ = join.join();
            }
        }
    }
}

/// What [`quickstart`] returns.
#[derive(Debug, Clone)]
pub struct Quickstart {
    /// The bus and refresher.
    pub spotipie: Spotipie,
    /// The client-credentials session, with its first token.
    pub session: SessionHandle,
}

/// Why [`quickstart`] failed.
#[derive(Debug, thiserror::Error)]
pub enum QuickstartError {
    /// Bad endpoints in the environment.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The first token could not be fetched.
    #[error(transparent)]
    Session(#[from] SessionError),
}

/// Starts the bus, the refresher and a client-credentials session on the current actix system,
/// with endpoints from the environment ([`Endpoints::from_env`]) and the default policy, and
/// fetches the first token.
pub async fn quickstart(credentials: Credentials) -> Result<Quickstart, QuickstartError> {
    let spotipie = Spotipie::builder()
        .endpoints(Endpoints::from_env()?)
        .start();
    let session = spotipie.client_credentials_session(credentials);
    session.renew().await?;
    Ok(Quickstart { spotipie, session })
}
