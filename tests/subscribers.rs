//! S3, S4, R6: the event bus with well-behaved and badly behaved subscribers.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use actix::prelude::*;
use common::*;
use futures::StreamExt;
use spotipie::actors::bus::GetBusStats;
use spotipie::{OAuth2Token, Policy, SessionEvent, TokenExpired, TokenUpdated};

/// Misbehaves on every event in the way it is told to.
#[derive(Clone, Copy)]
enum Misbehaviour {
    Panic,
    Stop,
    NeverFinish,
}

struct BadSubscriber(Misbehaviour);

impl Actor for BadSubscriber {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.set_mailbox_capacity(1);
    }
}

impl BadSubscriber {
    fn misbehave(&self, ctx: &mut Context<Self>) {
        match self.0 {
            Misbehaviour::Panic => panic!("a subscriber that panics (expected in this test)"),
            Misbehaviour::Stop => ctx.stop(),
            // Blocks its own mailbox for good: it never drains again.
            Misbehaviour::NeverFinish => {
                ctx.wait(actix::fut::wrap_future(futures::future::pending()))
            }
        }
    }
}

impl Handler<TokenExpired> for BadSubscriber {
    type Result = ();
    fn handle(&mut self, _: TokenExpired, ctx: &mut Self::Context) {
        self.misbehave(ctx);
    }
}

impl Handler<TokenUpdated> for BadSubscriber {
    type Result = ();
    fn handle(&mut self, _: TokenUpdated, ctx: &mut Self::Context) {
        self.misbehave(ctx);
    }
}

#[actix::test]
async fn token_updated_fires_on_every_set_even_for_an_equal_token_with_old_and_new() {
    let w = world();
    let session = w.spotipie.client_credentials_session(credentials());
    let recorder = Recorder::subscribe_all(&w.spotipie).await;
    let token = OAuth2Token::new("same", Duration::from_secs(3600), &w.clock);
    session.set_token(token.clone()).await.expect("set");
    session.set_token(token.clone()).await.expect("set again");
    settle(&w.spotipie).await;
    let updated = recorder.updated();
    assert_eq!(updated.len(), 2);
    assert!(updated[0].old_token.is_none());
    assert_eq!(*updated[0].new_token, token);
    assert_eq!(updated[1].old_token.as_deref(), Some(&token));
    assert_eq!(*updated[1].new_token, token);
    assert_eq!(updated[1].session.id(), session.id());
}

#[actix::test]
async fn subscriptions_to_one_session_see_only_it_and_unsubscribe_stops_delivery() {
    let w = world();
    let a = w.spotipie.client_credentials_session(credentials());
    let b = w.spotipie.client_credentials_session(credentials());
    let only_a = Recorder::default();
    let addr = only_a.clone().start();
    let sub = w
        .spotipie
        .subscribe_to::<TokenUpdated>(a.id(), addr.recipient())
        .await
        .expect("bus");
    let token = OAuth2Token::new("t", Duration::from_secs(3600), &w.clock);
    a.set_token(token.clone()).await.expect("set");
    b.set_token(token.clone()).await.expect("set");
    settle(&w.spotipie).await;
    assert_eq!(only_a.updated().len(), 1);
    assert_eq!(only_a.updated()[0].session.id(), a.id());

    assert!(w.spotipie.unsubscribe(sub).await.expect("bus"));
    assert!(
        !w.spotipie.unsubscribe(sub).await.expect("bus"),
        "only once"
    );
    a.set_token(token).await.expect("set");
    settle(&w.spotipie).await;
    assert_eq!(only_a.updated().len(), 1);
}

#[actix::test]
async fn non_actor_code_takes_events_as_a_stream() {
    let w = world();
    let session = w.spotipie.client_credentials_session(credentials());
    let mut events = w.spotipie.events_of(Some(session.id())).await.expect("bus");
    session.renew().await.expect("first token");
    expire(&w);
    session.get(TRACK).await.expect("renewed");
    let mut names = Vec::new();
    while names.len() < 3 {
        let event = events.next().await.expect("stream open");
        names.push(event.name());
    }
    assert_eq!(
        names,
        vec!["token_updated", "token_expired", "token_updated"]
    );
    assert_eq!(spotipie::actors::TOKEN_EXPIRED, "token_expired");
}

async fn survives(misbehaviour: Misbehaviour) {
    let w = world_with(
        Policy {
            subscriber_timeout: Duration::from_millis(100),
            ..fast_policy()
        },
        |b| b,
    );
    let session = w.spotipie.client_credentials_session(credentials());
    let bad = BadSubscriber(misbehaviour).start();
    w.spotipie
        .subscribe::<TokenExpired>(bad.clone().recipient())
        .await
        .expect("bus");
    w.spotipie
        .subscribe::<TokenUpdated>(bad.recipient())
        .await
        .expect("bus");
    let good = Recorder::subscribe_all(&w.spotipie).await;

    // Several expiry episodes and many updates: the session keeps working every time.
    for round in 0..3 {
        session.renew().await.expect("renews");
        expire(&w);
        let response = session.get(TRACK).await.expect("session unaffected");
        assert_eq!(response.status, 200, "round {round}");
    }
    settle(&w.spotipie).await;
    let names = good.names();
    assert_eq!(names.iter().filter(|n| **n == "token_expired").count(), 3);
    assert_eq!(names.iter().filter(|n| **n == "token_updated").count(), 6);
    let stats = w.spotipie.bus().send(GetBusStats).await.expect("bus alive");
    match misbehaviour {
        Misbehaviour::Panic | Misbehaviour::Stop => {
            assert!(stats.pruned >= 1, "dead subscriber pruned: {stats:?}");
            assert_eq!(
                stats.subscribers, 4,
                "the recorder's three and the refresher's remain: {stats:?}"
            );
        }
        Misbehaviour::NeverFinish => {
            assert!(stats.dropped >= 1, "full mailbox skipped: {stats:?}")
        }
    }
}

#[actix::test]
async fn a_panicking_subscriber_does_not_stall_the_session_or_the_bus_and_is_pruned() {
    survives(Misbehaviour::Panic).await;
}

#[actix::test]
async fn a_stopped_subscriber_is_pruned() {
    survives(Misbehaviour::Stop).await;
}

#[actix::test]
async fn a_subscriber_that_never_drains_its_mailbox_stalls_nothing() {
    survives(Misbehaviour::NeverFinish).await;
}

struct Counter(Arc<AtomicUsize>);

impl Actor for Counter {
    type Context = Context<Self>;
}

impl Handler<TokenUpdated> for Counter {
    type Result = ();
    fn handle(&mut self, _: TokenUpdated, _: &mut Self::Context) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[actix::test]
async fn events_reach_many_subscribers_in_publish_order() {
    let w = world();
    let session = w.spotipie.client_credentials_session(credentials());
    let count = Arc::new(AtomicUsize::new(0));
    for _ in 0..500 {
        let addr = Counter(count.clone()).start();
        w.spotipie
            .subscribe::<TokenUpdated>(addr.recipient())
            .await
            .expect("bus");
    }
    let mut stream = w.spotipie.events().await.expect("bus");
    for i in 0..5 {
        let token = OAuth2Token::new(format!("t{i}"), Duration::from_secs(3600), &w.clock);
        session.set_token(token).await.expect("set");
    }
    for i in 0..5 {
        match stream.next().await {
            Some(SessionEvent::TokenUpdated(e)) => {
                assert_eq!(e.new_token.access_token.secret(), format!("t{i}"))
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    settle(&w.spotipie).await;
    assert_eq!(count.load(Ordering::SeqCst), 2500);
}
