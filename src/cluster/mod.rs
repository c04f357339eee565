//! Scale-out (feature `redis`): several processes hold sessions for the same keys and share their
//! tokens through Redis, with one renewal per expiry cluster-wide.
//!
//! Turn it on with [`SpotipieBuilder::cluster`](crate::SpotipieBuilder::cluster). Each process
//! then renews through a [`RedisCluster`]:
//!
//! 1. Before renewing a key's token, a process takes the key's lease in Redis
//!    ([`RedisStore::try_lease`]: `SET NX PX`, a random owner, released only by its owner).
//! 2. The holder renews (with the store's token if it is newer than its own: it carries the
//!    newest, perhaps rotated, refresh token), saves the result with
//!    [`RedisStore::save_if_newer`], which announces it on the namespace's pub/sub channel, and
//!    releases the lease.
//! 3. The others wait for an announcement of the key (or, every
//!    [`ClusterOptions::poll_interval`], look at the store), and adopt the stored token without
//!    calling the token endpoint. If the holder dies, its lease runs out and the next process to
//!    ask takes it over. The lease outlives the renewal timeout, and the holder gives up its
//!    token-endpoint calls when the lease ends.
//!
//! Every process relays announcements to its sessions of that key (a relay actor), which raise a
//! `TokenUpdated` whose [`origin`](crate::TokenOrigin) says the token came from another
//! process, so persisters do not save it again.
//!
//! **Degraded mode.** When Redis is unreachable, sessions keep serving the tokens they hold and
//! renew on their own; [`ClusterEvent::Outage`] reports it, [`ClusterEvent::Recovered`] its end.
//! On recovery every process compares its tokens with the store: the newer one wins in both
//! directions (a token renewed locally during the outage is saved, a newer stored one adopted).
//! With single-use refresh tokens, two processes renewing the same user during an outage is the
//! one case that can still end in `invalid_grant`: nothing can order them without Redis.

mod coordinator;
mod health;
pub(crate) mod policy;
pub(crate) mod relay;

use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use futures::Stream;
use tokio::sync::{broadcast, watch};

use crate::store::{Announcement, RedisOptions, RedisStore, StoreError, StoreKey};
use crate::SessionId;

pub use health::ClusterEvent;

/// How a [`RedisCluster`] coordinates.
#[derive(Clone, Debug)]
pub struct ClusterOptions {
    /// The connection to Redis and the key namespace (every process of one service must use the
    /// same namespace).
    pub redis: RedisOptions,
    /// How long a renewal lease lasts unless released: the longest a dead holder delays a
    /// renewal. At least the session's `renewal_timeout` plus one second is used whatever this
    /// says, so a live holder never loses its lease mid-renewal. Default 15 s.
    pub lease_ttl: Duration,
    /// How often a process waiting for another's renewal looks at the store, in case an
    /// announcement was lost. Default 200 ms.
    pub poll_interval: Duration,
    /// How long to wait between attempts to reach Redis again during an outage. Default 500 ms.
    pub reconnect_delay: Duration,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        Self {
            redis: RedisOptions::default(),
            lease_ttl: Duration::from_secs(15),
            poll_interval: Duration::from_millis(200),
            reconnect_delay: Duration::from_millis(500),
        }
    }
}

/// The Redis side of a cluster: the store, the announcement listener and the health of the
/// connection. Cheap to clone; the listener stops when the last clone is dropped.
#[derive(Clone)]
pub struct RedisCluster {
    inner: Arc<Inner>,
}

struct Inner {
    store: RedisStore,
    options: ClusterOptions,
    health: Arc<health::Health>,
    announcements: broadcast::Sender<Announcement>,
    /// Dropping it stops the listener.
    _stop: watch::Sender<()>,
}

impl std::fmt::Debug for RedisCluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisCluster")
            .field("store", &self.inner.store)
            .field("options", &self.inner.options)
            .field("degraded", &self.is_degraded())
            .finish()
    }
}

impl RedisCluster {
    /// A cluster through Redis at `url` with default options. See [`connect_with`](Self::connect_with).
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_with(url, ClusterOptions::default())
    }

    /// A cluster through Redis at `url`. Call it inside the runtime that will use it (the actix
    /// system): it starts the announcement listener there. It succeeds while Redis is down (the
    /// cluster starts degraded and recovers when Redis answers); a malformed URL fails.
    pub fn connect_with(url: &str, options: ClusterOptions) -> Result<Self, StoreError> {
        let store = RedisStore::open_with(url, options.redis.clone())?;
        let (announcements, _) = broadcast::channel(1024);
        let (stop, stopped) = watch::channel(());
        let health = Arc::new(health::Health::default());
        tokio::spawn(health::listen(
            store.clone(),
            health.clone(),
            announcements.clone(),
            options.reconnect_delay,
            stopped,
        ));
        Ok(Self {
            inner: Arc::new(Inner {
                store,
                options,
                health,
                announcements,
                _stop: stop,
            }),
        })
    }

    /// The shared store (for a [`SessionPool`](crate::SessionPool), or to look at tokens).
    pub fn store(&self) -> &RedisStore {
        &self.inner.store
    }

    /// The options.
    pub fn options(&self) -> &ClusterOptions {
        &self.inner.options
    }

    /// Whether Redis is unreachable right now (sessions renew on their own meanwhile).
    pub fn is_degraded(&self) -> bool {
        self.inner.health.is_degraded()
    }

    /// Outages and recoveries from now on, as a stream (a slow reader that falls more than
    /// 64 events behind skips the oldest).
    pub fn events(&self) -> Pin<Box<dyn Stream<Item = ClusterEvent> + Send>> {
        Box::pin(receiver_stream(self.inner.health.subscribe()))
    }

    /// The store key of a session: its id.
    pub fn key_of(session: &SessionId) -> Result<StoreKey, StoreError> {
        StoreKey::new(session.as_str())
    }

    pub(crate) fn health(&self) -> &health::Health {
        &self.inner.health
    }

    pub(crate) fn subscribe_announcements(&self) -> broadcast::Receiver<Announcement> {
        self.inner.announcements.subscribe()
    }
}

/// A broadcast receiver as a stream; a reader that fell behind skips what it missed.
fn receiver_stream<T: Clone + Send + 'static>(
    receiver: broadcast::Receiver<T>,
) -> impl Stream<Item = T> + Send {
    futures::stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(item) => return Some((item, receiver)),
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    })
}
