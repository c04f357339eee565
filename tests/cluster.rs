//! The Redis cluster (feature `redis`) inside one test process: two or more `Spotipie`
//! deployments, each with its own `RedisCluster` connection (so each is a "process" to the
//! others), share one FakeSpotify, one manual clock and one real `redis-server`.
//!
//! Expiry follows the manual clock; the lease and the waits of the protocol run on real time, so
//! the tests wait for outcomes with a bounded poll, never a fixed sleep. The multi-process tests
//! (separate OS processes, SIGKILL, Redis restarts) are in `cluster_processes.rs`.
#![cfg(feature = "redis")]

mod common;

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt as _;
use spotipie::cluster::{ClusterEvent, ClusterOptions, RedisCluster};
use spotipie::store::{RedisOptions, SaveOutcome, StoreKey, TokenStore as _};
use spotipie::testing::FakeSpotify;
use spotipie::{
    ClientCredentialsFlow, Endpoints, ManualClock, SessionHandle, SessionId, SessionOptions,
    Spotipie, TokenOrigin,
};

use common::{credentials, fast_policy, Recorder, TRACK};
use spotipie::testing::RedisServer;

/// Options for a test: a short lease, quick polls and reconnects.
fn options(namespace: &str) -> ClusterOptions {
    ClusterOptions {
        redis: RedisOptions {
            namespace: namespace.to_owned(),
            response_timeout: Duration::from_millis(500),
            connect_timeout: Duration::from_millis(500),
        },
        lease_ttl: Duration::from_secs(3),
        poll_interval: Duration::from_millis(50),
        reconnect_delay: Duration::from_millis(100),
    }
}

/// One "process": a deployment on the shared clock and fake, with its own cluster connection.
fn process(
    redis: &RedisServer,
    namespace: &str,
    fake: &FakeSpotify,
    clock: &ManualClock,
) -> Spotipie {
    let cluster = RedisCluster::connect_with(&redis.url(), options(namespace)).expect("cluster");
    Spotipie::builder()
        .endpoints(Endpoints::single(fake.url()).expect("loopback URL"))
        .policy(fast_policy())
        .clock(clock.shared())
        .cluster(cluster)
        .start()
}

fn app_session(spotipie: &Spotipie) -> SessionHandle {
    spotipie.start_session_with(
        ClientCredentialsFlow::new(credentials()),
        SessionOptions {
            id: Some(SessionId::new("app")),
            ..SessionOptions::default()
        },
    )
}

/// Polls `check` every 10 ms for up to 5 s.
async fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    for _ in 0..500 {
        if check() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("timed out waiting for: {what}");
}

#[actix::test]
async fn one_token_call_per_expiry_across_processes_and_the_others_adopt() {
    let redis = RedisServer::start().expect("redis-server");
    let clock = ManualClock::starting_now();
    let fake = FakeSpotify::builder().clock(clock.shared()).start();
    let processes: Vec<Spotipie> = (0..3)
        .map(|_| process(&redis, "one-per-expiry", &fake, &clock))
        .collect();
    let sessions: Vec<SessionHandle> = processes.iter().map(app_session).collect();

    // The first token: every process asks at once, one token call is made.
    let first = futures::future::join_all(sessions.iter().map(|s| s.renew())).await;
    assert!(first.iter().all(Result::is_ok), "{first:?}");
    assert_eq!(fake.stats().token_calls_total(), 1);

    for expiry in 1..=3u64 {
        clock.advance(Duration::from_secs(3600));
        let requests = sessions
            .iter()
            .flat_map(|s| (0..5).map(move |_| s.get(TRACK)));
        let answers = futures::future::join_all(requests).await;
        assert!(answers.iter().all(Result::is_ok), "{answers:?}");
        assert_eq!(fake.stats().token_calls_total(), 1 + expiry);
    }
    let tokens: Vec<_> = sessions
        .iter()
        .map(|s| s.token_snapshot().expect("token"))
        .collect();
    assert!(
        tokens.windows(2).all(|w| w[0] == w[1]),
        "all hold the same token"
    );
}

#[actix::test]
async fn adopted_tokens_say_they_came_from_another_process_and_are_not_saved_again() {
    let redis = RedisServer::start().expect("redis-server");
    let clock = ManualClock::starting_now();
    let fake = FakeSpotify::builder().clock(clock.shared()).start();
    let (a, b) = (
        process(&redis, "origin", &fake, &clock),
        process(&redis, "origin", &fake, &clock),
    );
    let recorder = Recorder::subscribe_all(&b).await;
    let (session_a, session_b) = (app_session(&a), app_session(&b));
    session_a.renew().await.expect("first token");
    session_b.renew().await.expect("adopted");
    assert_eq!(fake.stats().token_calls_total(), 1);

    clock.advance(Duration::from_secs(3600));
    session_a.get(TRACK).await.expect("renewed by a");
    let renewed = session_a.token_snapshot().expect("token");
    eventually("b adopts a's renewal", || {
        session_b.token_snapshot().as_ref() == Some(&renewed)
    })
    .await;
    let updates = recorder.updated();
    assert!(!updates.is_empty());
    assert!(
        updates
            .iter()
            .all(|u| u.origin == TokenOrigin::OtherProcess),
        "{:?}",
        updates.iter().map(|u| u.origin).collect::<Vec<_>>()
    );
    let store = a.cluster().expect("cluster").store();
    let (version, stored) = store
        .load_versioned(&StoreKey::new("app").expect("key"))
        .await
        .expect("load")
        .expect("stored");
    assert_eq!(stored, *renewed);
    assert_eq!(
        version, 2,
        "one save per renewal: nobody saved an adopted token again"
    );
}

#[actix::test]
async fn a_stale_writer_cannot_overwrite_the_newer_token() {
    let redis = RedisServer::start().expect("redis-server");
    let clock = ManualClock::starting_now();
    let fake = FakeSpotify::builder().clock(clock.shared()).start();
    let a = process(&redis, "stale-writer", &fake, &clock);
    let session = app_session(&a);
    let old = session.renew().await.expect("first");
    clock.advance(Duration::from_secs(3600));
    let new = session.renew().await.expect("second");
    let store = a.cluster().expect("cluster").store();
    let key = StoreKey::new("app").expect("key");
    assert!(matches!(
        store.save_if_newer(&key, &old).await.expect("save"),
        SaveOutcome::Stale { .. }
    ));
    assert_eq!(store.load(&key).await.expect("load").as_ref(), Some(&*new));
}

#[actix::test]
async fn an_outage_degrades_to_local_renewal_and_recovery_reconciles() {
    let mut redis = RedisServer::start().expect("redis-server");
    let clock = ManualClock::starting_now();
    let fake = FakeSpotify::builder().clock(clock.shared()).start();
    let a = process(&redis, "outage", &fake, &clock);
    let cluster = a.cluster().expect("cluster").clone();
    let mut events = cluster.events();
    let session = app_session(&a);
    session.renew().await.expect("first token");

    redis.stop();
    clock.advance(Duration::from_secs(3600));
    session
        .get(TRACK)
        .await
        .expect("renewed locally during the outage");
    let outage = tokio::time::timeout(Duration::from_secs(5), events.next()).await;
    assert!(
        matches!(outage, Ok(Some(ClusterEvent::Outage { .. }))),
        "{outage:?}"
    );
    assert!(cluster.is_degraded());

    redis.restart().expect("redis-server restarts"); // empty: no persistence
    let recovered = tokio::time::timeout(Duration::from_secs(5), events.next()).await;
    assert!(
        matches!(recovered, Ok(Some(ClusterEvent::Recovered { .. }))),
        "{recovered:?}"
    );
    let held = session.token_snapshot().expect("token");
    let key = StoreKey::new("app").expect("key");
    let store = Arc::new(cluster.store().clone());
    for _ in 0..500 {
        if store.load(&key).await.ok().flatten().as_ref() == Some(&*held) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the token renewed during the outage never reached the store");
}
