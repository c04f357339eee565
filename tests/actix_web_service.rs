//! The `actix_web_service` example, driven in-process: its own `run_service`, `visit` and `demo`
//! (the example's file is included as a module), against FakeSpotify, on temporary token folders.
//! A "restart" stops the service's web server and actix system and starts new ones on the same
//! folder.

mod common;

#[allow(dead_code)]
#[path = "../examples/actix_web_service.rs"]
mod service;

use common::TempDir;
use service::{run_service, visit, ServiceConfig, Visit};
use spotipie::clock::system_clock;
use spotipie::store::{FileStore, StoreKey, TokenStore as _};
use spotipie::testing::{AuthorizeDecision, FakeSpotify, FAKE_USER_ID};

fn config(dir: &TempDir, code_flow: bool) -> ServiceConfig {
    ServiceConfig {
        data_dir: dir.0.clone(),
        port: 0,
        code_flow,
    }
}

async fn get(base: &str, path: &str, follow: bool) -> Visit {
    visit(base, path, follow)
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"))
}

fn assert_me(page: &Visit) {
    assert_eq!(page.status, 200, "{}: {}", page.trail(), page.body);
    let me: serde_json::Value = serde_json::from_str(&page.body).expect("JSON from /v1/me");
    assert_eq!(me["id"], FAKE_USER_ID);
}

const LOGIN_HOPS: [&str; 4] = ["/login", "/authorize", "/callback", "/me"];

#[actix::test]
async fn the_demo_succeeds_with_pkce_and_with_the_code_flow() {
    for code_flow in [false, true] {
        let dir = TempDir::new("web-demo");
        service::demo(&config(&dir, code_flow))
            .await
            .unwrap_or_else(|e| panic!("demo (code flow: {code_flow}): {e}"));
    }
}

#[actix::test]
async fn users_stay_logged_in_across_a_restart_and_strangers_are_sent_to_login() {
    let fake = FakeSpotify::start();
    let dir = TempDir::new("web-restart");
    let config = config(&dir, false);

    let first = run_service(&config, &fake).expect("started");
    for user in ["alice", "carol%20smith"] {
        let page = get(&first.url, &format!("/login?user={user}"), true).await;
        assert_eq!(page.hops, LOGIN_HOPS);
        assert_me(&page);
    }
    first.stop().await.expect("stopped");
    let store = FileStore::new(&dir.0, system_clock());
    for user in ["alice", "carol smith"] {
        let key = StoreKey::new(user).expect("key");
        assert!(store.path_of(&key).exists(), "{user}'s token is saved");
    }

    let before = fake.stats();
    let second = run_service(&config, &fake).expect("restarted");
    for user in ["alice", "carol+smith"] {
        let page = get(&second.url, &format!("/me?user={user}"), true).await;
        assert_eq!(page.hops, ["/me"], "{user} is still logged in");
        assert_me(&page);
    }
    let after = fake.stats();
    assert_eq!(after.authorize_calls, before.authorize_calls);
    assert_eq!(after.token_calls_total(), before.token_calls_total());

    let bob = get(&second.url, "/me?user=bob", false).await;
    assert_eq!(bob.status, 302);
    assert_eq!(bob.location.as_deref(), Some("/login?user=bob"));
    second.stop().await.expect("stopped");
}

#[actix::test]
async fn a_user_whose_refresh_token_was_revoked_is_sent_to_login_and_can_log_in_again() {
    let fake = FakeSpotify::start();
    let dir = TempDir::new("web-reauthorize");
    let config = config(&dir, true);
    let first = run_service(&config, &fake).expect("started");
    assert_me(&get(&first.url, "/login?user=alice", true).await);
    first.stop().await.expect("stopped");

    // While the service is down, alice's token expires and Spotify revokes her refresh token.
    let store = FileStore::new(&dir.0, system_clock());
    let alice = StoreKey::new("alice").expect("key");
    let mut token = store.load(&alice).await.expect("load").expect("saved");
    token.expires_at = system_clock().now() - 60.0;
    store.save(&alice, &token).await.expect("save");
    fake.revoke_refresh_tokens();

    let second = run_service(&config, &fake).expect("restarted");
    // The renewal fails with re-authorization required; then the pool has marked her.
    for _ in 0..2 {
        let page = get(&second.url, "/me?user=alice", false).await;
        assert_eq!(page.status, 302, "{}", page.body);
        assert_eq!(page.location.as_deref(), Some("/login?user=alice"));
    }
    let page = get(&second.url, "/me?user=alice", true).await;
    assert_eq!(page.hops[0], "/me");
    assert_eq!(page.hops[1..], LOGIN_HOPS);
    assert_me(&page);
    second.stop().await.expect("stopped");

    let saved = store.load(&alice).await.expect("load").expect("saved");
    assert_ne!(
        saved.refresh_token, token.refresh_token,
        "the new login is saved"
    );
}

#[actix::test]
async fn forged_and_denied_callbacks_and_bad_users_get_escaped_error_pages() {
    let fake = FakeSpotify::start();
    let dir = TempDir::new("web-errors");
    let svc = run_service(&config(&dir, false), &fake).expect("started");

    let forged = get(&svc.url, "/callback?code=x&state=%3Cscript%3E", false).await;
    assert_eq!(forged.status, 400);
    assert!(forged.body.contains("possible CSRF"), "{}", forged.body);
    let no_state = get(&svc.url, "/callback?code=x", false).await;
    assert_eq!(no_state.status, 400);

    fake.set_authorize_decision(AuthorizeDecision::Deny);
    let denied = get(&svc.url, "/login?user=dave", true).await;
    assert_eq!(denied.hops, ["/login", "/authorize", "/callback"]);
    assert_eq!(denied.status, 403);
    assert!(denied.body.contains("denied"), "{}", denied.body);
    fake.set_authorize_decision(AuthorizeDecision::Approve);
    let dave = get(&svc.url, "/me?user=dave", false).await;
    assert_eq!(dave.location.as_deref(), Some("/login?user=dave"));

    for path in ["/me?user=%3Cb%3E%01", "/login?user=%3Cb%3E%01"] {
        let bad = get(&svc.url, path, false).await;
        assert_eq!(bad.status, 400, "{path}");
        assert!(bad.body.contains("&lt;b&gt;"), "{}", bad.body);
        assert!(!bad.body.contains("<b>"), "{}", bad.body);
    }
    let too_long = format!("/me?user={}", "x".repeat(81));
    for path in ["/me", "/login?user=", too_long.as_str()] {
        assert_eq!(get(&svc.url, path, false).await.status, 400, "{path}");
    }
    svc.stop().await.expect("stopped");
}
