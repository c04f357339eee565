//! The session pool: sessions per user key, from the store on demand, evicted when idle or past
//! the bound, and users who must authorize again told so with a typed error.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use futures::future::join_all;
use spotipie::pool::{Evict, GetPoolStats, GetSession, Login};
use spotipie::store::{MemoryStore, StoreKey, TokenStore};
use spotipie::{OAuth2Token, PoolConfig, PoolError, RefreshTokenFlow, SessionPool};

fn key(name: &str) -> StoreKey {
    StoreKey::new(name).expect("valid key")
}

struct Pooled {
    w: World,
    store: Arc<MemoryStore>,
    pool: actix::Addr<SessionPool>,
}

async fn pooled(config: PoolConfig) -> Pooled {
    use actix::Actor as _;
    let w = world();
    let store = Arc::new(MemoryStore::new());
    w.spotipie.start_persister(store.clone());
    let flow = Arc::new(RefreshTokenFlow::new(credentials(), "user-read-email"));
    let pool = SessionPool::new(w.spotipie.clone(), store.clone(), flow, config).start();
    Pooled { w, store, pool }
}

/// Stores a working token (and refresh token) for `user`.
async fn stored_user(p: &Pooled, user: &str) {
    let token = OAuth2Token::new(
        p.w.fake.issue_access_token(3600, "user-read-email"),
        Duration::from_secs(3600),
        &p.w.clock,
    )
    .with_refresh_token(p.w.fake.issue_refresh_token("user-read-email"));
    p.store.save(&key(user), &token).await.expect("saved");
}

#[actix::test]
async fn sessions_start_from_the_store_once_however_many_ask() {
    let p = pooled(PoolConfig::default()).await;
    stored_user(&p, "alice").await;
    let handles = join_all((0..50).map(|_| p.pool.send(GetSession(key("alice"))))).await;
    let first = handles[0]
        .as_ref()
        .expect("mailbox")
        .as_ref()
        .expect("session")
        .clone();
    for handle in &handles {
        assert_eq!(
            handle.as_ref().expect("mailbox").as_ref().expect("session"),
            &first
        );
    }
    assert_eq!(first.id().as_str(), "alice");
    assert_eq!(first.get("/v1/me").await.expect("sent").status, 200);
    let stats = p.pool.send(GetPoolStats).await.expect("stats");
    assert_eq!((stats.live, stats.started), (1, 1));

    let nobody = p
        .pool
        .send(GetSession(key("nobody")))
        .await
        .expect("mailbox");
    assert!(matches!(nobody, Err(PoolError::NotAuthorized { .. })));
    assert!(nobody.expect_err("no token").needs_authorization());
}

#[actix::test]
async fn idle_sessions_stop_and_come_back_with_their_saved_token() {
    let p = pooled(PoolConfig {
        idle_timeout: Duration::from_millis(40),
        ..PoolConfig::default()
    })
    .await;
    stored_user(&p, "bob").await;
    let session = p
        .pool
        .send(GetSession(key("bob")))
        .await
        .expect("mailbox")
        .expect("session");
    expire(&p.w);
    session.get("/v1/me").await.expect("renewed");
    let renewed = session.token().await.expect("answers").expect("token");
    // Idle: the sweep stops it (its renewed token was saved by the persister).
    while p.pool.send(GetPoolStats).await.expect("stats").live > 0 {
        actix::clock::sleep(Duration::from_millis(10)).await;
    }
    assert!(session.token().await.is_err(), "the old actor has stopped");
    let back = p
        .pool
        .send(GetSession(key("bob")))
        .await
        .expect("mailbox")
        .expect("session");
    assert_eq!(back.token_snapshot().as_deref(), Some(&*renewed));
    let stats = p.pool.send(GetPoolStats).await.expect("stats");
    assert_eq!((stats.started, stats.evicted, stats.renewals), (2, 1, 1));
}

#[actix::test]
async fn the_least_recently_used_session_makes_room_past_the_bound() {
    let p = pooled(PoolConfig {
        max_live: 2,
        ..PoolConfig::default()
    })
    .await;
    for user in ["a", "b", "c"] {
        stored_user(&p, user).await;
    }
    for user in ["a", "b"] {
        p.pool
            .send(GetSession(key(user)))
            .await
            .expect("mailbox")
            .expect("session");
    }
    p.pool
        .send(GetSession(key("a")))
        .await
        .expect("mailbox")
        .expect("touch a");
    p.pool
        .send(GetSession(key("c")))
        .await
        .expect("mailbox")
        .expect("session");
    let stats = p.pool.send(GetPoolStats).await.expect("stats");
    assert_eq!((stats.live, stats.evicted), (2, 1));
    assert!(
        !p.pool.send(Evict(key("b"))).await.expect("mailbox"),
        "b was the one evicted"
    );
    assert!(p.pool.send(Evict(key("a"))).await.expect("mailbox"));
}

#[actix::test]
async fn a_user_whose_refresh_fails_must_authorize_again_and_login_clears_it() {
    let p = pooled(PoolConfig::default()).await;
    stored_user(&p, "carol").await;
    let session = p
        .pool
        .send(GetSession(key("carol")))
        .await
        .expect("mailbox")
        .expect("session");
    p.w.fake.revoke_refresh_tokens();
    expire(&p.w);
    let err = session.get("/v1/me").await.expect_err("revoked");
    assert!(err.requires_reauthorization());
    settle(&p.w.spotipie).await;
    let again = p
        .pool
        .send(GetSession(key("carol")))
        .await
        .expect("mailbox");
    assert!(
        matches!(again, Err(PoolError::ReauthorizationRequired { .. })),
        "{again:?}"
    );
    let stats = p.pool.send(GetPoolStats).await.expect("stats");
    assert_eq!(
        (stats.reauthorization_required, stats.refresh_failures),
        (1, 1)
    );

    let login = p.pool.send(Login(key("carol"))).await.expect("mailbox");
    let unfinished = p
        .pool
        .send(GetSession(key("carol")))
        .await
        .expect("mailbox");
    assert!(
        matches!(unfinished, Err(PoolError::NotAuthorized { .. })),
        "a login that has not finished has no token: {unfinished:?}"
    );
    let token = OAuth2Token::new(
        p.w.fake.issue_access_token(3600, "user-read-email"),
        Duration::from_secs(3600),
        &p.w.clock,
    );
    login.set_token(token).await.expect("set");
    let back = p
        .pool
        .send(GetSession(key("carol")))
        .await
        .expect("mailbox")
        .expect("back");
    assert_eq!(back, login);
    assert_eq!(back.get("/v1/me").await.expect("sent").status, 200);
}
