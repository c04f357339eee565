//! R2: token stores and the persister: every token saved, the newest one winning, failures
//! reported, keys that cannot escape their folder.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::*;
use futures::future::{join_all, BoxFuture, FutureExt as _};
use futures::StreamExt as _;
use spotipie::actors::persister::{Flush, GetPersisterStats};
use spotipie::store::{FileStore, MemoryStore, StoreError, StoreKey, TokenStore};
use spotipie::{OAuth2Token, Persister, RefreshTokenFlow, SessionEvent, SessionId, SessionOptions};
use tokio::sync::Semaphore;

fn key(name: &str) -> StoreKey {
    StoreKey::new(name).expect("a valid key")
}

#[actix::test]
async fn memory_and_file_stores_round_trip_and_delete() {
    let dir = TempDir::new("round-trip");
    let clock = spotipie::ManualClock::new(1000.0);
    let token = OAuth2Token::new("AT", Duration::from_secs(3600), &clock)
        .with_refresh_token("RT")
        .with_scope("b a");
    let stores: Vec<Box<dyn TokenStore>> = vec![
        Box::new(MemoryStore::new()),
        Box::new(FileStore::new(&dir.0, clock.shared())),
    ];
    for store in stores {
        let k = key("user:42");
        assert!(store.load(&k).await.expect("load").is_none());
        store.save(&k, &token).await.expect("save");
        assert_eq!(store.load(&k).await.expect("load"), Some(token.clone()));
        assert!(store.delete(&k).await.expect("delete"));
        assert!(!store.delete(&k).await.expect("delete again"));
        assert!(store.load(&k).await.expect("load").is_none());
    }
}

#[actix::test]
async fn a_file_store_reads_spotipy_cache_contents_and_names_a_corrupt_file() {
    let dir = TempDir::new("formats");
    let clock = spotipie::ManualClock::new(1000.0);
    let store = FileStore::new(&dir.0, clock.shared());
    let cache = key("spotipy-user");
    std::fs::write(
        store.path_of(&cache),
        r#"{"access_token": "AT", "token_type": "Bearer", "expires_in": 3600,
            "refresh_token": "RT", "scope": "user-read-email", "expires_at": 1700000000}"#,
    )
    .expect("write");
    let token = store.load(&cache).await.expect("load").expect("present");
    assert_eq!(token.expires_at, 1_700_000_000.0);
    assert!(token.scope.contains("user-read-email"));

    let corrupt = key("corrupt");
    std::fs::write(store.path_of(&corrupt), "{ not json").expect("write");
    let error = store.load(&corrupt).await.expect_err("corrupt");
    assert!(matches!(error, StoreError::File(_)));
    assert!(error.to_string().contains("corrupt.json"), "{error}");
}

#[actix::test]
async fn keys_are_checked_and_cannot_leave_the_folder() {
    let dir = TempDir::new("keys");
    let store = FileStore::new(&dir.0, spotipie::clock::system_clock());
    for bad in ["", "a\nb", &"x".repeat(81)] {
        assert!(matches!(
            StoreKey::new(bad),
            Err(StoreError::InvalidKey { .. })
        ));
    }
    for tricky in [
        "../../etc/passwd",
        "/abs/path",
        "..",
        ".hidden",
        "a/b\\c",
        "ünï",
    ] {
        let path = store.path_of(&key(tricky));
        assert_eq!(path.parent(), Some(dir.0.as_path()), "{tricky} → {path:?}");
        let name = path.file_name().and_then(|n| n.to_str()).expect("utf-8");
        assert!(!name.starts_with('.') && !name.contains('/'), "{name}");
    }
    let token = OAuth2Token::new("AT", Duration::from_secs(60), &spotipie::SystemClock);
    store
        .save(&key("../../escape"), &token)
        .await
        .expect("saved inside");
    assert_eq!(dir.names(), vec!["%2E%2E%2F%2E%2E%2Fescape.json"]);
}

/// A store whose first save waits for a permit, and that counts saves.
struct Gate {
    inner: MemoryStore,
    permits: Semaphore,
    saves: AtomicUsize,
}

impl TokenStore for Gate {
    fn load<'a>(
        &'a self,
        key: &'a StoreKey,
    ) -> BoxFuture<'a, Result<Option<OAuth2Token>, StoreError>> {
        self.inner.load(key)
    }
    fn save<'a>(
        &'a self,
        key: &'a StoreKey,
        token: &'a OAuth2Token,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        async move {
            let _permit = self.permits.acquire().await;
            self.saves.fetch_add(1, Ordering::SeqCst);
            self.inner.save(key, token).await
        }
        .boxed()
    }
    fn delete<'a>(&'a self, key: &'a StoreKey) -> BoxFuture<'a, Result<bool, StoreError>> {
        self.inner.delete(key)
    }
}

#[actix::test]
async fn the_newest_token_wins_over_older_ones_queued_behind_a_slow_save() {
    let w = world();
    let gate = Arc::new(Gate {
        inner: MemoryStore::new(),
        permits: Semaphore::new(0),
        saves: AtomicUsize::new(0),
    });
    let persister = w.spotipie.start_persister(gate.clone());
    let session = w.spotipie.start_session_with(
        RefreshTokenFlow::new(credentials(), ""),
        SessionOptions {
            id: Some(SessionId::new("alice")),
            ..SessionOptions::default()
        },
    );
    settle(&w.spotipie).await;
    for i in 1..=5 {
        let token = OAuth2Token::new(format!("t{i}"), Duration::from_secs(3600), &w.clock);
        session.set_token(token).await.expect("set");
    }
    settle(&w.spotipie).await;
    gate.permits.add_permits(100);
    persister.send(Flush).await.expect("flushed");
    let stored = gate
        .inner
        .load(&key("alice"))
        .await
        .expect("load")
        .expect("saved");
    assert_eq!(stored.access_token.secret(), "t5");
    assert_eq!(
        gate.saves.load(Ordering::SeqCst),
        2,
        "t1 (in flight), then only the newest"
    );
    let stats = persister.send(GetPersisterStats).await.expect("stats");
    assert_eq!(stats.saved, 2);
    assert_eq!(stats.superseded, 3);
}

#[actix::test]
async fn a_failing_store_is_reported_retried_and_recovers() {
    let w = world();
    let dir = TempDir::new("failing");
    let folder = dir.join("not-yet");
    let store = Arc::new(FileStore::new(&folder, w.clock.shared()));
    let persister = w.spotipie.start_persister_with(
        Persister::new(store.clone(), w.spotipie.bus().clone()).with_retries(
            2,
            Duration::from_millis(1),
            Duration::from_millis(5),
        ),
    );
    let mut events = w.spotipie.events().await.expect("bus");
    let session = w.spotipie.start_session_with(
        RefreshTokenFlow::new(credentials(), ""),
        SessionOptions {
            id: Some(SessionId::new("bob")),
            ..SessionOptions::default()
        },
    );
    settle(&w.spotipie).await;
    let token = OAuth2Token::new("t1", Duration::from_secs(3600), &w.clock);
    session.set_token(token).await.expect("set");
    persister.send(Flush).await.expect("flushed");
    let mut failures = Vec::new();
    while failures.len() < 3 {
        match events.next().await.expect("stream open") {
            SessionEvent::TokenSaveFailed(e) => {
                assert!(
                    e.error.to_string().contains("not-yet"),
                    "names the file: {}",
                    e.error
                );
                failures.push((e.attempt, e.will_retry));
            }
            _ => continue,
        }
    }
    assert_eq!(failures, vec![(1, true), (2, true), (3, false)]);
    assert_eq!(
        persister
            .send(GetPersisterStats)
            .await
            .expect("stats")
            .given_up,
        1
    );

    std::fs::create_dir(&folder).expect("the folder appears");
    let token = OAuth2Token::new("t2", Duration::from_secs(3600), &w.clock);
    session.set_token(token).await.expect("set");
    settle(&w.spotipie).await;
    persister.send(Flush).await.expect("flushed");
    let stored = store.load(&key("bob")).await.expect("load").expect("saved");
    assert_eq!(stored.access_token.secret(), "t2");
}

#[actix::test]
async fn a_thousand_users_renewing_at_once_each_end_with_their_newest_refresh_token_on_disk() {
    let w = world_with(fast_policy(), |b| b.rotate_refresh_tokens(true));
    let dir = TempDir::new("thousand");
    let store = Arc::new(FileStore::new(&dir.0, w.clock.shared()));
    let persister = w.spotipie.start_persister(store.clone());
    let sessions: Vec<_> = (0..1000)
        .map(|i| {
            let token = OAuth2Token::new("stale", Duration::ZERO, &w.clock)
                .with_refresh_token(w.fake.issue_refresh_token("user-read-email"));
            w.spotipie.start_session_with(
                RefreshTokenFlow::new(credentials(), "user-read-email"),
                SessionOptions {
                    id: Some(SessionId::new(format!("user-{i}"))),
                    token: Some(token),
                    ..SessionOptions::default()
                },
            )
        })
        .collect();
    for _ in 0..2 {
        let renewed = join_all(sessions.iter().map(|s| s.renew())).await;
        assert!(renewed.iter().all(Result::is_ok));
    }
    settle(&w.spotipie).await;
    persister.send(Flush).await.expect("flushed");
    for session in &sessions {
        let newest = session.token().await.expect("answers").expect("token");
        let k = key(session.id().as_str());
        let saved = store.load(&k).await.expect("load").expect("saved");
        assert_eq!(
            saved.refresh_token,
            newest.refresh_token,
            "{}",
            session.id()
        );
    }
    assert_eq!(
        dir.names().len(),
        1000,
        "one file per user, no temp files left"
    );
}

#[actix::test]
async fn tokens_already_in_the_shared_store_are_not_saved_again() {
    use spotipie::actors::bus::Publish;
    use spotipie::{TokenOrigin, TokenUpdated};

    let w = world();
    let store = Arc::new(MemoryStore::new());
    let persister = w.spotipie.start_persister(store.clone());
    let session = w.spotipie.start_session_with(
        RefreshTokenFlow::new(credentials(), ""),
        SessionOptions {
            id: Some(SessionId::new("bob")),
            ..SessionOptions::default()
        },
    );
    let token = |name: &str| Arc::new(OAuth2Token::new(name, Duration::from_secs(3600), &w.clock));
    // A cluster renewal (saved by the lease holder) and an adoption (saved by another process).
    for (name, origin) in [
        ("renewed", TokenOrigin::SharedStore),
        ("adopted", TokenOrigin::OtherProcess),
    ] {
        assert!(!origin.needs_saving());
        w.spotipie.bus().do_send(Publish(TokenUpdated {
            session: session.clone(),
            old_token: None,
            new_token: token(name),
            origin,
        }));
    }
    persister.send(Flush).await.expect("flushed");
    assert!(store.load(&key("bob")).await.expect("load").is_none());

    // A token set in this process is saved.
    session
        .set_token((*token("local")).clone())
        .await
        .expect("set");
    persister.send(Flush).await.expect("flushed");
    let stored = store.load(&key("bob")).await.expect("load").expect("saved");
    assert_eq!(stored.access_token.secret(), "local");
    let stats = persister.send(GetPersisterStats).await.expect("stats");
    assert_eq!(stats.saved, 1);
}
