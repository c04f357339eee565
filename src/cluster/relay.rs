//! The relay actor: hands tokens other processes stored to this process's sessions.
//!
//! It learns which sessions hold which key from `TokenUpdated` (a session announces its first
//! token when it starts, and every one after), keeping weak handles so it never keeps a session
//! alive. For each announcement from another process it loads the key's token once and sends it
//! to the sessions holding an older one; each session adopts it only if it is newer than what it
//! holds, so a repeated or late announcement changes nothing. After an outage (or if it fell
//! behind the announcements) it reconciles every key: the newer of the stored and the held
//! token wins, in whichever direction.
//!
//! Loads and saves run beside the mailbox, and the relay never awaits an actor.

use std::collections::HashMap;
use std::sync::Arc;

use actix::prelude::*;
use futures::StreamExt as _;
use tokio::sync::broadcast;

use super::health::ClusterEvent;
use super::policy::is_newer;
use super::RedisCluster;
use crate::actors::bus::{EventBus, Subscribe};
use crate::actors::events::TokenUpdated;
use crate::actors::session::{AdoptToken, SessionHandle, WeakSessionHandle};
use crate::store::{Announcement, StoreKey};
use crate::token::OAuth2Token;

/// How often the relay forgets sessions that have stopped.
const PRUNE_INTERVAL: std::time::Duration = std::time::Duration::from_secs(60);

/// What the relay hears from the cluster.
enum Heard {
    Announcement(Announcement),
    /// Announcements were missed (the relay fell behind): reconcile.
    Missed,
    Event(ClusterEvent),
}

impl Message for Heard {
    type Result = ();
}

/// The relay actor; [`SpotipieBuilder::cluster`](crate::SpotipieBuilder::cluster) starts one.
pub(crate) struct ClusterRelay {
    cluster: RedisCluster,
    bus: Addr<EventBus>,
    sessions: HashMap<StoreKey, Vec<WeakSessionHandle>>,
}

impl ClusterRelay {
    pub(crate) fn new(cluster: RedisCluster, bus: Addr<EventBus>) -> Self {
        Self {
            cluster,
            bus,
            sessions: HashMap::new(),
        }
    }

    /// The live sessions of `key`, forgetting stopped ones.
    fn live(&mut self, key: &StoreKey) -> Vec<SessionHandle> {
        let Some(weak) = self.sessions.get_mut(key) else {
            return Vec::new();
        };
        let mut live = Vec::with_capacity(weak.len());
        weak.retain(|handle| match handle.upgrade() {
            Some(session) => {
                live.push(session);
                true
            }
            None => false,
        });
        if weak.is_empty() {
            self.sessions.remove(key);
        }
        live
    }

    /// Loads `key`'s stored token, gives it to every session holding an older one, and (when
    /// `save_newer`) saves a held token that is newer than the stored one.
    fn sync_key(&mut self, key: StoreKey, save_newer: bool, ctx: &mut Context<Self>) {
        let sessions = self.live(&key);
        if sessions.is_empty() {
            return;
        }
        let cluster = self.cluster.clone();
        let work = async move {
            let stored = match cluster.store().load_versioned(&key).await {
                Ok(stored) => stored.map(|(_, token)| Arc::new(token)),
                Err(error) => return cluster.health().down(&error),
            };
            let mut newest_held: Option<Arc<OAuth2Token>> = None;
            for session in &sessions {
                let held = session.shared().snapshot();
                match &stored {
                    Some(stored) if is_newer(stored, held.as_deref()) => {
                        session.addr().do_send(AdoptToken(stored.clone()));
                    }
                    _ => {
                        if let Some(held) = held {
                            if newest_held
                                .as_deref()
                                .is_none_or(|n| is_newer(&held, Some(n)))
                            {
                                newest_held = Some(held);
                            }
                        }
                    }
                }
            }
            if let (true, Some(held)) = (save_newer, newest_held) {
                if stored.as_deref().is_none_or(|s| is_newer(&held, Some(s))) {
                    if let Err(error) = cluster.store().save_if_newer(&key, &held).await {
                        cluster.health().down(&error);
                    }
                }
            }
        };
        ctx.spawn(work.into_actor(self));
    }

    fn reconcile(&mut self, ctx: &mut Context<Self>) {
        let keys: Vec<StoreKey> = self.sessions.keys().cloned().collect();
        for key in keys {
            self.sync_key(key, true, ctx);
        }
    }
}

impl Actor for ClusterRelay {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.set_mailbox_capacity(1 << 16);
        self.bus.do_send(Subscribe::<TokenUpdated>::reliable(
            ctx.address().recipient(),
        ));
        let announcements = futures::stream::unfold(
            self.cluster.subscribe_announcements(),
            |mut receiver| async move {
                match receiver.recv().await {
                    Ok(announcement) => Some((Heard::Announcement(announcement), receiver)),
                    Err(broadcast::error::RecvError::Lagged(_)) => Some((Heard::Missed, receiver)),
                    Err(broadcast::error::RecvError::Closed) => None,
                }
            },
        );
        let events = self.cluster.events().map(Heard::Event);
        ctx.add_stream(futures::stream::select(announcements, events));
        // Forget stopped sessions of keys that saw no event for a while (a pool evicts users).
        ctx.run_interval(PRUNE_INTERVAL, |relay, _| {
            let keys: Vec<StoreKey> = relay.sessions.keys().cloned().collect();
            for key in keys {
                relay.live(&key);
            }
        });
    }
}

impl StreamHandler<Heard> for ClusterRelay {
    fn handle(&mut self, heard: Heard, ctx: &mut Self::Context) {
        match heard {
            Heard::Announcement(announcement) => {
                if announcement.origin == self.cluster.store().origin() {
                    return; // this process saved it: its sessions have it
                }
                let behind = self.live(&announcement.key).iter().any(|session| {
                    session
                        .shared()
                        .snapshot()
                        .is_none_or(|held| held.expires_at < announcement.expires_at)
                });
                if behind {
                    self.sync_key(announcement.key, false, ctx);
                }
            }
            Heard::Missed | Heard::Event(ClusterEvent::Recovered { .. }) => self.reconcile(ctx),
            Heard::Event(ClusterEvent::Outage { .. }) => {}
        }
    }

    /// The cluster is gone (its last clone dropped): nothing more will come, but the sessions
    /// keep working on their own, so the relay just idles.
    fn finished(&mut self, _: &mut Self::Context) {}
}

impl Handler<TokenUpdated> for ClusterRelay {
    type Result = ();

    fn handle(&mut self, event: TokenUpdated, ctx: &mut Self::Context) {
        let Ok(key) = RedisCluster::key_of(event.session.id()) else {
            return;
        };
        let known = self.sessions.entry(key.clone()).or_default();
        if known.iter().any(|weak| {
            weak.upgrade()
                .is_some_and(|session| session.id() == event.session.id())
        }) {
            return;
        }
        known.push(event.session.downgrade());
        // A session that starts with an old token (or none stored yet) catches up at once.
        self.sync_key(key, false, ctx);
    }
}
