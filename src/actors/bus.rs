//! The event bus (S4): typed publish/subscribe of session events for actors, and the same events
//! as a [`futures::Stream`] for code that is not an actor.
//!
//! The bus **never awaits a subscriber** inside its own mailbox. Fire-and-forget events
//! (`TokenUpdated`, `RefreshFailed`) go out with `try_send`, which honours each subscriber's
//! mailbox capacity: a subscriber whose mailbox is full misses that event (counted in
//! [`BusStats::dropped`] and logged), and a closed one is pruned. A subscriber that must see every
//! event and always drains its mailbox (the refresher, a persister, a pool) subscribes with
//! [`Subscribe::reliable`]: its events go out with `do_send`, past its capacity. `TokenExpired` is
//! different: the session must know when subscribers have handled it, so the bus delivers it with
//! `send` in a future spawned beside its mailbox, bounded per subscriber by a timeout. A slow,
//! full, panicking or dead subscriber therefore delays at most its own session's episode, and
//! never the bus.

use std::pin::Pin;
use std::task::{Context as TaskContext, Poll};
use std::time::Duration;

use actix::prelude::*;
use futures::future::join_all;
use tokio::sync::mpsc;

use super::events::{
    RefreshFailed, SessionEvent, SessionId, TokenExpired, TokenSaveFailed, TokenUpdated,
};

/// Identifies one subscription, to unsubscribe it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, MessageResponse)]
pub struct SubscriptionId(u64);

/// Counters of the bus.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, MessageResponse)]
pub struct BusStats {
    /// Live subscriptions (actors and streams).
    pub subscribers: usize,
    /// Events handed to subscribers.
    pub delivered: u64,
    /// Events a subscriber missed because its mailbox or stream buffer was full.
    pub dropped: u64,
    /// Subscriptions removed because their actor or stream was gone.
    pub pruned: u64,
}

/// One actor's subscription (internal to the bus; public only because [`BusEvent`] names it).
#[doc(hidden)]
pub struct ActorSub<E: Message<Result = ()> + Send> {
    id: SubscriptionId,
    session: Option<SessionId>,
    recipient: Recipient<E>,
    reliable: bool,
}

struct StreamSub {
    id: SubscriptionId,
    session: Option<SessionId>,
    tx: mpsc::Sender<SessionEvent>,
}

/// The event-bus actor. One per [`Spotipie`](crate::Spotipie); sessions and the refresher
/// publish to it.
#[derive(Default)]
pub struct EventBus {
    next_id: u64,
    expired: Vec<ActorSub<TokenExpired>>,
    updated: Vec<ActorSub<TokenUpdated>>,
    failed: Vec<ActorSub<RefreshFailed>>,
    save_failed: Vec<ActorSub<TokenSaveFailed>>,
    streams: Vec<StreamSub>,
    stats: BusStats,
}

impl Actor for EventBus {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        // Publishers use do_send, which ignores capacity; this bounds only awaited requests.
        ctx.set_mailbox_capacity(1 << 16);
    }
}

/// The events the bus carries to actors. Sealed: the bus knows exactly these.
pub trait BusEvent: Message<Result = ()> + Clone + Send + Into<SessionEvent> + 'static {
    /// The session that raised the event.
    fn session_id(&self) -> &SessionId;
    #[doc(hidden)]
    fn subscribers(bus: &mut EventBus) -> &mut Vec<ActorSub<Self>>;
}

macro_rules! bus_event {
    ($event:ty, $field:ident) => {
        impl BusEvent for $event {
            fn session_id(&self) -> &SessionId {
                self.session.id()
            }
            fn subscribers(bus: &mut EventBus) -> &mut Vec<ActorSub<Self>> {
                &mut bus.$field
            }
        }
    };
}
bus_event!(TokenExpired, expired);
bus_event!(TokenUpdated, updated);
bus_event!(RefreshFailed, failed);
bus_event!(TokenSaveFailed, save_failed);

fn wants(filter: &Option<SessionId>, id: &SessionId) -> bool {
    filter.as_ref().is_none_or(|f| f == id)
}

/// Subscribe an actor to events of type `E`, of one session or (with `session: None`) of all.
pub struct Subscribe<E: BusEvent> {
    /// Where to deliver.
    pub recipient: Recipient<E>,
    /// Only this session's events, or all.
    pub session: Option<SessionId>,
    /// Deliver past the subscriber's mailbox capacity (`do_send`) instead of dropping events for
    /// a full mailbox. For subscribers that must see every event and always drain their mailbox
    /// (the refresher, a persister, a pool); a stuck reliable subscriber grows its queue.
    pub reliable: bool,
}

impl<E: BusEvent> Subscribe<E> {
    /// A subscription that drops events for a full mailbox (the default for user actors).
    pub fn new(recipient: Recipient<E>, session: Option<SessionId>) -> Self {
        Self {
            recipient,
            session,
            reliable: false,
        }
    }

    /// A subscription to every session's events that never drops one (see
    /// [`reliable`](Self::reliable)).
    pub fn reliable(recipient: Recipient<E>) -> Self {
        Self {
            recipient,
            session: None,
            reliable: true,
        }
    }
}

impl<E: BusEvent> Message for Subscribe<E> {
    type Result = SubscriptionId;
}

/// Remove a subscription; answers whether it existed.
#[derive(Message)]
#[rtype(result = "bool")]
pub struct Unsubscribe(pub SubscriptionId);

/// Take events as a [`futures::Stream`] ([`EventStream`]), of one session or all. `capacity`
/// events are buffered; past that the stream misses events (counted as dropped).
#[derive(Message)]
#[rtype(result = "EventStream")]
pub struct SubscribeStream {
    /// Only this session's events, or all.
    pub session: Option<SessionId>,
    /// Buffer size.
    pub capacity: usize,
}

/// Publish a fire-and-forget event (`TokenUpdated`, `RefreshFailed`) to its subscribers.
pub struct Publish<E: BusEvent>(pub E);

impl<E: BusEvent> Message for Publish<E> {
    type Result = ();
}

/// Deliver `TokenExpired` and answer when every matching subscriber has handled it or its
/// `timeout` has passed. Sessions send this at the start of an expiry episode.
#[derive(Message)]
#[rtype(result = "()")]
pub struct DeliverExpired {
    /// The event.
    pub event: TokenExpired,
    /// How long one subscriber may take.
    pub timeout: Duration,
}

/// Ask for the bus's counters.
#[derive(Message)]
#[rtype(result = "BusStats")]
pub struct GetBusStats;

impl EventBus {
    fn next_id(&mut self) -> SubscriptionId {
        self.next_id += 1;
        SubscriptionId(self.next_id)
    }

    fn count_subscribers(&self) -> usize {
        self.expired.len()
            + self.updated.len()
            + self.failed.len()
            + self.save_failed.len()
            + self.streams.len()
    }

    /// Copies an event to the matching streams, pruning closed ones.
    fn copy_to_streams(&mut self, event: &SessionEvent) {
        let id = event.session().id().clone();
        let stats = &mut self.stats;
        self.streams.retain(|sub| {
            if !wants(&sub.session, &id) {
                return true;
            }
            match sub.tx.try_send(event.clone()) {
                Ok(()) => {
                    stats.delivered += 1;
                    true
                }
                Err(mpsc::error::TrySendError::Full(_)) => {
                    stats.dropped += 1;
                    true
                }
                Err(mpsc::error::TrySendError::Closed(_)) => {
                    stats.pruned += 1;
                    false
                }
            }
        });
    }
}

impl<E: BusEvent> Handler<Subscribe<E>> for EventBus {
    type Result = SubscriptionId;

    fn handle(&mut self, msg: Subscribe<E>, _: &mut Self::Context) -> SubscriptionId {
        let id = self.next_id();
        E::subscribers(self).push(ActorSub {
            id,
            session: msg.session,
            recipient: msg.recipient,
            reliable: msg.reliable,
        });
        id
    }
}

impl Handler<Unsubscribe> for EventBus {
    type Result = bool;

    fn handle(&mut self, msg: Unsubscribe, _: &mut Self::Context) -> bool {
        let before = self.count_subscribers();
        let id = msg.0;
        self.expired.retain(|s| s.id != id);
        self.updated.retain(|s| s.id != id);
        self.failed.retain(|s| s.id != id);
        self.save_failed.retain(|s| s.id != id);
        self.streams.retain(|s| s.id != id);
        self.count_subscribers() < before
    }
}

impl Handler<SubscribeStream> for EventBus {
    type Result = EventStream;

    fn handle(&mut self, msg: SubscribeStream, _: &mut Self::Context) -> EventStream {
        let (tx, rx) = mpsc::channel(msg.capacity.max(1));
        let id = self.next_id();
        self.streams.push(StreamSub {
            id,
            session: msg.session,
            tx,
        });
        EventStream { rx }
    }
}

impl<E: BusEvent> Handler<Publish<E>> for EventBus {
    type Result = ();

    fn handle(&mut self, msg: Publish<E>, _: &mut Self::Context) {
        let event = msg.0;
        let id = event.session_id().clone();
        let mut delivered = 0;
        let mut dropped = 0;
        let before = E::subscribers(self).len();
        E::subscribers(self).retain(|sub| {
            if !wants(&sub.session, &id) {
                return true;
            }
            if sub.reliable {
                if sub.recipient.connected() {
                    sub.recipient.do_send(event.clone());
                    delivered += 1;
                    return true;
                }
                return false;
            }
            match sub.recipient.try_send(event.clone()) {
                Ok(()) => {
                    delivered += 1;
                    true
                }
                Err(SendError::Full(_)) => {
                    dropped += 1;
                    true
                }
                Err(SendError::Closed(_)) => false,
            }
        });
        let pruned = before - E::subscribers(self).len();
        if dropped > 0 {
            tracing::warn!(session = %id, dropped, "event bus: subscribers with full mailboxes missed an event");
        }
        self.stats.delivered += delivered;
        self.stats.dropped += dropped;
        self.stats.pruned += pruned as u64;
        self.copy_to_streams(&event.into());
    }
}

impl Handler<DeliverExpired> for EventBus {
    type Result = ResponseActFuture<Self, ()>;

    fn handle(&mut self, msg: DeliverExpired, _: &mut Self::Context) -> Self::Result {
        let id = msg.event.session.id().clone();
        let sends: Vec<_> = self
            .expired
            .iter()
            .filter(|sub| wants(&sub.session, &id))
            .map(|sub| {
                let request = sub.recipient.send(msg.event.clone());
                let sub_id = sub.id;
                let timeout = msg.timeout;
                async move { (sub_id, tokio::time::timeout(timeout, request).await) }
            })
            .collect();
        self.copy_to_streams(&msg.event.clone().into());
        Box::pin(join_all(sends).into_actor(self).map(|results, bus, _| {
            for (sub_id, result) in results {
                match result {
                    Ok(Ok(())) => bus.stats.delivered += 1,
                    // Closed (stopped or panicked): prune it.
                    Ok(Err(MailboxError::Closed)) => {
                        let before = bus.expired.len();
                        bus.expired.retain(|s| s.id != sub_id);
                        bus.stats.pruned += (before - bus.expired.len()) as u64;
                    }
                    Ok(Err(MailboxError::Timeout)) | Err(_) => {
                        tracing::warn!(subscription = ?sub_id, "event bus: a TokenExpired subscriber did not finish in time");
                        bus.stats.dropped += 1;
                    }
                }
            }
        }))
    }
}

impl Handler<GetBusStats> for EventBus {
    type Result = BusStats;

    fn handle(&mut self, _: GetBusStats, _: &mut Self::Context) -> BusStats {
        BusStats {
            subscribers: self.count_subscribers(),
            ..self.stats
        }
    }
}

/// Session events as a [`futures::Stream`]. Dropping it unsubscribes.
#[derive(Debug)]
pub struct EventStream {
    rx: mpsc::Receiver<SessionEvent>,
}

impl futures::Stream for EventStream {
    type Item = SessionEvent;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Option<SessionEvent>> {
        self.rx.poll_recv(cx)
    }
}

// Responses of the bus's messages that are not actix built-ins.
impl<A: Actor, M: Message<Result = EventStream>> actix::dev::MessageResponse<A, M> for EventStream {
    fn handle(self, _: &mut A::Context, tx: Option<actix::dev::OneshotSender<EventStream>>) {
        if let Some(tx) = tx {
            let _ = tx.send(self);
        }
    }
}
