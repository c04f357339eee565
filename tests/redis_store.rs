//! `RedisStore` against a real `redis-server` (feature `redis`; run with
//! `cargo test --all-features`, which needs `redis-server` on PATH — `.ci/run` installs Debian's).
//!
//! Each test starts its own server on a free loopback port and stops it on drop, so tests run in
//! parallel and leave nothing behind.
#![cfg(feature = "redis")]

mod common;

use spotipie::testing::RedisServer;

use std::sync::Arc;
use std::time::Duration;

use spotipie::actors::persister::Flush;
use spotipie::store::{RedisOptions, RedisStore, SaveOutcome, StoreError, StoreKey, TokenStore};
use spotipie::{ManualClock, OAuth2Token, Persister, SessionId, SessionOptions};

fn key(name: &str) -> StoreKey {
    StoreKey::new(name).expect("valid key")
}

fn quick(namespace: &str) -> RedisOptions {
    RedisOptions {
        namespace: namespace.to_owned(),
        response_timeout: Duration::from_millis(500),
        connect_timeout: Duration::from_millis(500),
    }
}

fn token(access: &str, clock: &ManualClock, lifetime_secs: u64) -> OAuth2Token {
    OAuth2Token::new(access, Duration::from_secs(lifetime_secs), clock)
        .with_refresh_token(format!("refresh-{access}"))
        .with_scope("user-read-email")
}

#[actix::test]
async fn tokens_round_trip_with_a_version_per_save() {
    let redis = RedisServer::start().expect("redis-server");
    let store = RedisStore::open_with(&redis.url(), quick("round-trip")).expect("store");
    let clock = ManualClock::new(1000.0);
    let user = key("user:42");

    assert!(store.load(&user).await.expect("load").is_none());
    let first = token("AT1", &clock, 3600);
    assert_eq!(
        store.save_if_newer(&user, &first).await.expect("save"),
        SaveOutcome::Stored { version: 1 }
    );
    clock.advance(Duration::from_secs(3000));
    let second = token("AT2", &clock, 3600);
    store.save(&user, &second).await.expect("save");
    let (version, loaded) = store
        .load_versioned(&user)
        .await
        .expect("load")
        .expect("stored");
    assert_eq!((version, loaded), (2, second));
    assert_eq!(store.redis_key(&user), "round-trip:token:user:42");

    assert!(store.delete(&user).await.expect("delete"));
    assert!(!store.delete(&user).await.expect("delete again"));
    assert!(store.load(&user).await.expect("load").is_none());
}

#[actix::test]
async fn a_stale_writer_cannot_overwrite_a_newer_token() {
    let redis = RedisServer::start().expect("redis-server");
    let clock = ManualClock::new(1000.0);
    let old = token("old", &clock, 3600);
    clock.advance(Duration::from_secs(3590));
    let new = token("new", &clock, 3600);

    // Two processes: one saved the renewed token, the other wakes up with the old one.
    let fresh = RedisStore::open_with(&redis.url(), quick("stale")).expect("store");
    let sleepy = RedisStore::open_with(&redis.url(), quick("stale")).expect("store");
    let user = key("user");
    fresh.save(&user, &new).await.expect("save new");
    assert_eq!(
        sleepy.save_if_newer(&user, &old).await.expect("save old"),
        SaveOutcome::Stale { current_version: 1 }
    );
    // Through the trait a stale save is not an error, and it changes nothing.
    sleepy.save(&user, &old).await.expect("stale save is fine");
    assert_eq!(sleepy.load(&user).await.expect("load"), Some(new.clone()));
    // Saving the same token again is a no-op too.
    assert_eq!(
        fresh.save_if_newer(&user, &new).await.expect("again"),
        SaveOutcome::Stale { current_version: 1 }
    );
}

#[actix::test]
async fn racing_saves_leave_the_newest_token() {
    let redis = RedisServer::start().expect("redis-server");
    let store = RedisStore::open_with(&redis.url(), quick("race")).expect("store");
    let clock = ManualClock::new(1000.0);
    // Twenty tokens, each expiring a second after the previous, saved in a shuffled order by
    // twenty tasks at once.
    let tokens: Vec<OAuth2Token> = (0..20)
        .map(|i| token(&format!("AT{i}"), &clock, 3600 + i))
        .collect();
    let order = [
        7, 19, 3, 0, 12, 5, 18, 1, 9, 14, 2, 16, 4, 11, 6, 17, 8, 13, 10, 15,
    ];
    let saves = order.iter().map(|&i| {
        let (store, token) = (store.clone(), tokens[i].clone());
        async move { store.save_if_newer(&key("shared"), &token).await }
    });
    let outcomes = futures::future::join_all(saves).await;
    let stored = outcomes
        .iter()
        .filter(|outcome| matches!(outcome, Ok(SaveOutcome::Stored { .. })))
        .count();
    let (version, newest) = store
        .load_versioned(&key("shared"))
        .await
        .expect("load")
        .expect("stored");
    assert_eq!(newest, tokens[19]);
    assert_eq!(version, stored as u64, "one version per accepted save");
}

#[actix::test]
async fn a_persister_saves_renewals_to_redis_and_another_process_starts_from_them() {
    let redis = RedisServer::start().expect("redis-server");
    let world = common::world();
    let store = Arc::new(RedisStore::open_with(&redis.url(), quick("persist")).expect("store"));
    let persister = world
        .spotipie
        .start_persister_with(Persister::new(store.clone(), world.spotipie.bus().clone()));
    let session = world.spotipie.start_session_with(
        spotipie::ClientCredentialsFlow::new(common::credentials()),
        SessionOptions {
            id: Some(SessionId::new("app")),
            ..SessionOptions::default()
        },
    );
    let renewed = session.renew().await.expect("token");
    persister.send(Flush).await.expect("flushed");
    let saved = store.load(&key("app")).await.expect("load").expect("saved");
    assert_eq!(saved.access_token, renewed.access_token);

    // Another process: its own spotipie, the same Redis; it starts with the stored token and
    // makes no token call of its own.
    let other = common::world();
    let stored = RedisStore::open_with(&redis.url(), quick("persist")).expect("store");
    let token = stored
        .load(&key("app"))
        .await
        .expect("load")
        .expect("saved");
    let calls_before = world.fake.stats().token_calls_total();
    let session = other.spotipie.start_session_with(
        spotipie::ClientCredentialsFlow::new(common::credentials()),
        SessionOptions {
            token: Some(token),
            ..SessionOptions::default()
        },
    );
    let current = session.token().await.expect("token").expect("present");
    assert_eq!(current.access_token, renewed.access_token);
    assert_eq!(world.fake.stats().token_calls_total(), calls_before);
}

#[actix::test]
async fn an_outage_is_a_typed_error_and_the_store_recovers_after_it() {
    let mut redis = RedisServer::start().expect("redis-server");
    let store = RedisStore::open_with(&redis.url(), quick("outage")).expect("store");
    let clock = ManualClock::new(1000.0);
    let user = key("user");
    store
        .save(&user, &token("before", &clock, 3600))
        .await
        .expect("save");

    redis.stop();
    let error = store
        .save(&user, &token("during", &clock, 3700))
        .await
        .expect_err("Redis is down");
    assert!(matches!(error, StoreError::Backend(_)), "{error:?}");
    assert!(
        !error.to_string().contains("during"),
        "no token in the message: {error}"
    );
    assert!(store.load(&user).await.is_err());

    // Back (empty: it kept nothing on disk); the same store reconnects by itself.
    redis.restart().expect("redis-server restarts");
    let mut saved = Err(StoreError::Backend("not tried".into()));
    for _ in 0..50 {
        saved = store.save(&user, &token("after", &clock, 3800)).await;
        if saved.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    saved.expect("saved after the restart");
    let loaded = store.load(&user).await.expect("load").expect("present");
    assert_eq!(loaded.access_token.secret(), "after");
}

#[actix::test]
async fn a_password_in_the_url_never_prints() {
    let store = RedisStore::open("redis://:hunter2@127.0.0.1:1/").expect("lazy: no connection yet");
    assert!(!format!("{store:?}").contains("hunter2"));
    let error = RedisStore::open("redis://:hunter2@[not-a-host/").expect_err("bad URL");
    assert!(!error.to_string().contains("hunter2"), "{error}");
}

#[test]
fn opening_outside_a_runtime_is_an_error_not_a_panic() {
    let error = RedisStore::open("redis://127.0.0.1:1/").expect_err("no runtime");
    assert!(error.to_string().contains("tokio runtime"), "{error}");
}
