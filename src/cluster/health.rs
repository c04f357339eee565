//! Whether Redis is reachable, and the task that keeps the announcement subscription alive.
//!
//! Any failed Redis command marks the cluster degraded; only the listener marks it healthy again,
//! once it has subscribed anew and Redis answers a `PING`. So there is one place where recovery
//! is decided, and [`ClusterEvent::Recovered`] fires once per outage.

use std::sync::Mutex;
use std::time::Duration;

use futures::StreamExt as _;
use tokio::sync::{broadcast, watch};
use tokio::time::Instant;

use crate::store::{Announcement, RedisStore, StoreError};

/// A change in the cluster's connection to Redis.
#[derive(Clone, Debug)]
pub enum ClusterEvent {
    /// Redis became unreachable: sessions serve the tokens they hold and renew on their own.
    Outage {
        /// The failure that revealed it (never holds a token or the URL).
        error: StoreError,
    },
    /// Redis answers again; tokens are being reconciled with the store (newest wins).
    Recovered {
        /// How long the outage lasted.
        outage: Duration,
    },
}

/// The degraded flag and the event channel.
pub(crate) struct Health {
    down_since: Mutex<Option<Instant>>,
    events: broadcast::Sender<ClusterEvent>,
}

impl Default for Health {
    fn default() -> Self {
        Self {
            down_since: Mutex::new(None),
            events: broadcast::channel(64).0,
        }
    }
}

impl Health {
    pub(crate) fn is_degraded(&self) -> bool {
        self.lock().is_some()
    }

    pub(crate) fn subscribe(&self) -> broadcast::Receiver<ClusterEvent> {
        self.events.subscribe()
    }

    /// Records a failure; the first one of an outage raises [`ClusterEvent::Outage`].
    pub(crate) fn down(&self, error: &StoreError) {
        let mut down_since = self.lock();
        if down_since.is_none() {
            *down_since = Some(Instant::now());
            tracing::warn!(%error, "Redis is unreachable: sessions renew on their own until it is back");
            let _ = self.events.send(ClusterEvent::Outage {
                error: error.clone(),
            });
        }
    }

    /// Records that Redis answers; ends an outage with [`ClusterEvent::Recovered`].
    fn up(&self) {
        let mut down_since = self.lock();
        if let Some(since) = down_since.take() {
            let outage = since.elapsed();
            tracing::info!(?outage, "Redis is reachable again");
            let _ = self.events.send(ClusterEvent::Recovered { outage });
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Instant>> {
        self.down_since
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Subscribes to the announcements and forwards them, resubscribing after every outage, until
/// `stop` closes. While subscribed it also probes Redis when the cluster is degraded (a command
/// may have failed while the subscription stayed up).
pub(crate) async fn listen(
    store: RedisStore,
    health: std::sync::Arc<Health>,
    announcements: broadcast::Sender<Announcement>,
    reconnect_delay: Duration,
    mut stop: watch::Receiver<()>,
) {
    loop {
        let subscribed = tokio::select! {
            subscribed = store.announcements() => subscribed,
            _ = stop.changed() => return,
        };
        match subscribed {
            Ok(mut stream) => {
                probe(&store, &health).await;
                loop {
                    tokio::select! {
                        next = stream.next() => match next {
                            Some(announcement) => {
                                let _ = announcements.send(announcement);
                            }
                            None => break,
                        },
                        _ = tokio::time::sleep(reconnect_delay), if health.is_degraded() => {
                            probe(&store, &health).await;
                        }
                        _ = stop.changed() => return,
                    }
                }
                health.down(&StoreError::Backend(
                    "the announcement subscription ended: Redis is unreachable".to_owned(),
                ));
            }
            Err(error) => health.down(&error),
        }
        tokio::select! {
            _ = tokio::time::sleep(reconnect_delay) => {}
            _ = stop.changed() => return,
        }
    }
}

async fn probe(store: &RedisStore, health: &Health) {
    match store.ping().await {
        Ok(()) => health.up(),
        Err(error) => health.down(&error),
    }
}
