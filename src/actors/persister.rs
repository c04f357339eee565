//! The persister actor (R2): saves every `TokenUpdated` to a [`TokenStore`], so no token, and no
//! rotated refresh token, is lost between runs.
//!
//! Per key it keeps only the newest token. One save per key is in flight at a time; a token that
//! arrives meanwhile waits, and replaces any older one that was waiting, so the newest token
//! always wins and a slow store never writes an older token after a newer one. A failed save is
//! published as [`TokenSaveFailed`] and retried with capped backoff, with the newest token at
//! that time. Saves run beside the mailbox.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use actix::prelude::*;
use tokio::sync::oneshot;

use super::bus::{EventBus, Publish, Subscribe};
use super::events::{SessionId, TokenSaveFailed, TokenUpdated};
use super::session::SessionHandle;
use crate::store::{StoreError, StoreKey, TokenStore};
use crate::token::OAuth2Token;

/// Maps a session to its store key. The default uses the session id.
pub type KeyOf = Arc<dyn Fn(&SessionId) -> Result<StoreKey, StoreError> + Send + Sync>;

/// Counters of the persister.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, MessageResponse)]
pub struct PersisterStats {
    /// Tokens saved.
    pub saved: u64,
    /// Tokens that were replaced by a newer one before they were saved.
    pub superseded: u64,
    /// Failed save attempts.
    pub failed_attempts: u64,
    /// Tokens given up on after the last retry.
    pub given_up: u64,
}

/// Ask for the persister's counters.
#[derive(Message)]
#[rtype(result = "PersisterStats")]
pub struct GetPersisterStats;

/// Answers once every token published so far is saved (or given up on): it first lets the bus
/// deliver what it holds, then waits for the saves.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Flush;

/// The second half of [`Flush`], queued behind every update the bus delivered before it.
#[derive(Message)]
#[rtype(result = "()")]
struct FlushQueued(oneshot::Sender<()>);

struct Latest {
    token: Arc<OAuth2Token>,
    session: SessionHandle,
    version: u64,
}

/// The persister actor.
pub struct Persister {
    store: Arc<dyn TokenStore>,
    bus: Addr<EventBus>,
    key_of: KeyOf,
    latest: HashMap<StoreKey, Latest>,
    saving: HashMap<StoreKey, u64>,
    next_version: u64,
    retries: u32,
    base_delay: Duration,
    max_delay: Duration,
    stats: PersisterStats,
    flush_waiters: Vec<oneshot::Sender<()>>,
}

impl Persister {
    /// A persister that saves to `store` under each session's id, and reports failures on `bus`.
    /// Start it on the same bus as the sessions; it subscribes itself.
    pub fn new(store: Arc<dyn TokenStore>, bus: Addr<EventBus>) -> Self {
        Self {
            store,
            bus,
            key_of: Arc::new(|id: &SessionId| StoreKey::new(id.as_str())),
            latest: HashMap::new(),
            saving: HashMap::new(),
            next_version: 0,
            retries: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(10),
            stats: PersisterStats::default(),
            flush_waiters: Vec::new(),
        }
    }

    /// Uses `key_of` to name each session's key.
    pub fn with_key(mut self, key_of: KeyOf) -> Self {
        self.key_of = key_of;
        self
    }

    /// Retries a failed save `retries` times, waiting `base_delay` doubling up to `max_delay`.
    pub fn with_retries(mut self, retries: u32, base_delay: Duration, max_delay: Duration) -> Self {
        self.retries = retries;
        self.base_delay = base_delay;
        self.max_delay = max_delay;
        self
    }

    fn save(&mut self, key: StoreKey, attempt: u32, ctx: &mut Context<Self>) {
        let Some(latest) = self.latest.get(&key) else {
            self.saving.remove(&key);
            self.notify_if_idle();
            return;
        };
        let (token, version) = (latest.token.clone(), latest.version);
        self.saving.insert(key.clone(), version);
        let store = self.store.clone();
        let for_store = key.clone();
        let work = async move { store.save(&for_store, &token).await };
        ctx.spawn(work.into_actor(self).map(move |result, persister, ctx| {
            persister.saved(key, version, attempt, result, ctx)
        }));
    }

    fn saved(
        &mut self,
        key: StoreKey,
        version: u64,
        attempt: u32,
        result: Result<(), StoreError>,
        ctx: &mut Context<Self>,
    ) {
        let newer = self.latest.get(&key).is_some_and(|l| l.version > version);
        match result {
            Ok(()) => {
                self.stats.saved += 1;
                if newer {
                    self.save(key, 1, ctx);
                } else {
                    self.latest.remove(&key);
                    self.saving.remove(&key);
                    self.notify_if_idle();
                }
            }
            Err(error) => {
                self.stats.failed_attempts += 1;
                let will_retry = attempt <= self.retries;
                if let Some(latest) = self.latest.get(&key) {
                    tracing::warn!(key = %key, attempt, will_retry, %error, "saving a token failed");
                    self.bus.do_send(Publish(TokenSaveFailed {
                        session: latest.session.clone(),
                        key: key.clone(),
                        error,
                        attempt,
                        will_retry,
                    }));
                }
                if will_retry {
                    let exp = self
                        .base_delay
                        .saturating_mul(1u32.checked_shl(attempt - 1).unwrap_or(u32::MAX));
                    let delay = exp.min(self.max_delay);
                    ctx.run_later(delay, move |persister, ctx| {
                        persister.save(key, attempt + 1, ctx)
                    });
                } else {
                    self.stats.given_up += 1;
                    if !newer {
                        self.latest.remove(&key);
                    }
                    self.saving.remove(&key);
                    if newer {
                        self.save(key, 1, ctx);
                    } else {
                        self.notify_if_idle();
                    }
                }
            }
        }
    }

    fn notify_if_idle(&mut self) {
        if self.saving.is_empty() && self.latest.is_empty() {
            for waiter in self.flush_waiters.drain(..) {
                let _ = waiter.send(());
            }
        }
    }
}

impl Actor for Persister {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        // Every update must reach the persister: the bus drops events for full mailboxes.
        ctx.set_mailbox_capacity(1 << 16);
        self.bus.do_send(Subscribe::<TokenUpdated>::reliable(
            ctx.address().recipient(),
        ));
    }
}

impl Handler<TokenUpdated> for Persister {
    type Result = ();

    fn handle(&mut self, event: TokenUpdated, ctx: &mut Self::Context) {
        if !event.origin.needs_saving() {
            return; // already in the shared store (a cluster renewal or adoption)
        }
        let key = match (self.key_of)(event.session.id()) {
            Ok(key) => key,
            Err(error) => {
                tracing::warn!(session = %event.session.id(), %error, "no store key for a session");
                return;
            }
        };
        self.next_version += 1;
        let replaced = self.latest.insert(
            key.clone(),
            Latest {
                token: event.new_token,
                session: event.session,
                version: self.next_version,
            },
        );
        // A token replaced while waiting was never written; one being written still counts.
        if replaced.is_some_and(|old| self.saving.get(&key) != Some(&old.version)) {
            self.stats.superseded += 1;
        }
        if !self.saving.contains_key(&key) {
            self.save(key, 1, ctx);
        }
    }
}

impl Handler<GetPersisterStats> for Persister {
    type Result = PersisterStats;

    fn handle(&mut self, _: GetPersisterStats, _: &mut Self::Context) -> PersisterStats {
        self.stats
    }
}

impl Handler<Flush> for Persister {
    type Result = ResponseFuture<()>;

    fn handle(&mut self, _: Flush, ctx: &mut Self::Context) -> Self::Result {
        let (tx, rx) = oneshot::channel();
        let bus = self.bus.clone();
        let me = ctx.address();
        Box::pin(async move {
            // The bus answers in order, so once it has answered, every update it was asked to
            // publish before is in this mailbox, ahead of `FlushQueued`.
            let _ = bus.send(super::bus::GetBusStats).await;
            me.do_send(FlushQueued(tx));
            let _ = rx.await;
        })
    }
}

impl Handler<FlushQueued> for Persister {
    type Result = ();

    fn handle(&mut self, msg: FlushQueued, _: &mut Self::Context) {
        self.flush_waiters.push(msg.0);
        self.notify_if_idle();
    }
}
