//! S3, S5, P2: renewal through the refresher: single flight, retries, terminal failures, merging.

mod common;

use std::time::Duration;

use common::*;
use futures::future::join_all;
use spotipie::testing::TokenFault;
use spotipie::{OAuth2Token, RefreshTokenFlow, SessionError, SessionEvent};

#[actix::test]
async fn a_thousand_concurrent_requests_on_an_expired_token_make_one_token_call() {
    let w = world();
    let session = w.spotipie.client_credentials_session(credentials());
    session.renew().await.expect("first token");
    w.fake.reset_stats();
    expire(&w);

    let requests = (0..1000).map(|_| session.get(TRACK));
    let responses = join_all(requests).await;
    assert!(responses
        .iter()
        .all(|r| r.as_ref().is_ok_and(|r| r.status == 200)));
    assert_eq!(w.fake.stats().token_calls_total(), 1);
    assert_eq!(w.fake.stats().api_calls, 1000);
}

#[actix::test]
async fn other_messages_are_answered_while_a_renewal_is_held() {
    let w = world();
    let session = w.spotipie.client_credentials_session(credentials());
    session.renew().await.expect("first token");
    expire(&w);
    let hold = w.fake.hold_token_endpoint();
    let pending = actix::spawn({
        let session = session.clone();
        async move { session.get(TRACK).await }
    });
    hold.until_waiting(1).await;
    // The renewal is parked at the fake; the session still answers.
    assert!(session.token().await.expect("answers").is_some());
    assert!(session.auto_refresh().await.expect("answers"));
    hold.release();
    let response = pending.await.expect("joined").expect("renewed");
    assert_eq!(response.status, 200);
}

#[actix::test]
async fn three_503s_then_success_is_one_episode_and_the_requests_succeed() {
    let w = world();
    let session = w.spotipie.client_credentials_session(credentials());
    session.renew().await.expect("first token");
    let recorder = Recorder::subscribe_all(&w.spotipie).await;
    w.fake.reset_stats();
    expire(&w);
    w.fake.fail_next_token_calls(3, TokenFault::Status(503));

    let responses = join_all((0..20).map(|_| session.get(TRACK))).await;
    assert!(responses.iter().all(|r| r.is_ok()), "{responses:?}");
    assert_eq!(w.fake.stats().token_calls_total(), 4);
    settle(&w.spotipie).await;
    let names = recorder.names();
    assert_eq!(names.iter().filter(|n| **n == "token_expired").count(), 1);
    assert_eq!(names.iter().filter(|n| **n == "token_updated").count(), 1);
    assert!(!names.contains(&"refresh_failed"));
}

#[actix::test]
async fn rate_limited_renewal_waits_the_retry_after_then_succeeds() {
    let w = world_with(
        spotipie::Policy {
            retry_max_delay: Duration::from_secs(1),
            ..fast_policy()
        },
        |b| b,
    );
    let session = w.spotipie.client_credentials_session(credentials());
    w.fake.fail_next_token_calls(
        1,
        TokenFault::RateLimited {
            retry_after_secs: 0,
        },
    );
    session.renew().await.expect("retried after the 429");
    assert_eq!(w.fake.stats().token_calls_total(), 2);
    w.fake.fail_next_token_calls(
        1,
        TokenFault::RateLimited {
            retry_after_secs: 3600,
        },
    );
    let err = session.renew().await.expect_err("an hour is past the cap");
    assert!(err.is_rate_limited());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
}

#[actix::test]
async fn invalid_grant_fails_every_waiter_with_reauthorization_required_until_a_new_token_is_set() {
    let w = world();
    let refresh = w.fake.issue_refresh_token("user-read-email");
    let access = w.fake.issue_access_token(3600, "user-read-email");
    let session = w
        .spotipie
        .start_session(RefreshTokenFlow::new(credentials(), "user-read-email"));
    session
        .set_token(
            OAuth2Token::new(access, Duration::from_secs(3600), &w.clock)
                .with_refresh_token(refresh)
                .with_scope("user-read-email"),
        )
        .await
        .expect("set");
    let recorder = Recorder::subscribe_all(&w.spotipie).await;
    w.fake.revoke_refresh_tokens();
    expire(&w);

    let results = join_all((0..50).map(|_| session.get(TRACK))).await;
    for result in &results {
        let err = result.as_ref().expect_err("renewal failed");
        assert!(err.requires_reauthorization(), "{err:?}");
    }
    assert_eq!(
        w.fake.stats().token_calls_refresh_token,
        1,
        "no retry of a terminal error"
    );
    assert_eq!(w.fake.stats().api_calls, 0);
    settle(&w.spotipie).await;
    let failed: Vec<_> = recorder
        .events
        .lock()
        .expect("lock")
        .iter()
        .filter_map(|e| match e {
            SessionEvent::RefreshFailed(f) => Some(f.reauthorization_required),
            _ => None,
        })
        .collect();
    assert_eq!(failed, vec![true]);

    // A new authorization (here: a token set by hand) brings the session back.
    let access = w.fake.issue_access_token(3600, "user-read-email");
    session
        .set_token(OAuth2Token::new(
            access,
            Duration::from_secs(3600),
            &w.clock,
        ))
        .await
        .expect("set");
    assert_eq!(session.get(TRACK).await.expect("works again").status, 200);
}

#[actix::test]
async fn a_refresh_response_without_refresh_token_keeps_the_old_one_and_the_scope() {
    let w = world();
    let refresh = w.fake.issue_refresh_token("user-read-email");
    let session = w
        .spotipie
        .start_session(RefreshTokenFlow::new(credentials(), "user-read-email"));
    session
        .set_token(
            OAuth2Token::new("stale", Duration::ZERO, &w.clock)
                .with_refresh_token(refresh.clone())
                .with_scope("user-read-email"),
        )
        .await
        .expect("set");
    let renewed = session.renew().await.expect("refreshed");
    assert_ne!(renewed.access_token.secret(), "stale");
    assert_eq!(
        renewed.refresh_token.as_ref().map(|r| r.secret()),
        Some(refresh.as_str()),
        "the fake omits refresh_token without rotation"
    );
    assert_eq!(renewed.scope.to_string(), "user-read-email");
}

#[actix::test]
async fn a_rotated_refresh_token_replaces_the_old_one_every_time() {
    let w = world_with(fast_policy(), |b| b.rotate_refresh_tokens(true));
    let refresh = w.fake.issue_refresh_token("user-read-email");
    let session = w
        .spotipie
        .start_session(RefreshTokenFlow::new(credentials(), "user-read-email"));
    session
        .set_token(OAuth2Token::new("x", Duration::ZERO, &w.clock).with_refresh_token(refresh))
        .await
        .expect("set");
    let mut seen = std::collections::HashSet::new();
    for _ in 0..5 {
        let token = session.renew().await.expect("each rotation is used");
        let refresh = token.refresh_token.clone().expect("rotated");
        assert!(seen.insert(refresh.secret().to_owned()));
    }
    assert_eq!(w.fake.stats().token_calls_refresh_token, 5);
}

#[actix::test]
async fn a_stale_token_is_served_and_renewed_in_the_background() {
    let w = world();
    let session = w.spotipie.client_credentials_session(credentials());
    let first = session.renew().await.expect("first token");
    w.fake.reset_stats();
    // Inside the 60 s refresh-ahead window, not yet expired.
    w.clock.advance(Duration::from_secs(3600 - 30));
    let response = session
        .get(TRACK)
        .await
        .expect("served with the stale token");
    assert_eq!(response.status, 200);
    // The background renewal's token arrives without another request.
    let renewed = async {
        while session
            .token_snapshot()
            .is_some_and(|t| t.access_token == first.access_token)
        {
            actix::clock::sleep(Duration::from_millis(1)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(10), renewed)
        .await
        .expect("renewed in the background");
    assert_eq!(w.fake.stats().token_calls_total(), 1);
}

#[actix::test]
async fn renew_on_a_non_refreshable_session_is_a_typed_error() {
    let w = world();
    let session = w
        .spotipie
        .start_session(spotipie::ExternalTokenFlow::new(credentials(), ""));
    assert!(matches!(
        session.renew().await,
        Err(SessionError::NotRefreshable)
    ));
    let pkce_without_refresh = w
        .spotipie
        .start_session(RefreshTokenFlow::new(credentials(), ""));
    let err = pkce_without_refresh
        .renew()
        .await
        .expect_err("no refresh token");
    assert!(err.requires_reauthorization());
}

#[actix::test]
async fn refresh_ahead_keeps_a_busy_session_out_of_expiry_episodes() {
    use futures::StreamExt;
    // Real time here: the refresher's timers run on it. 4-second tokens with a 1 s margin are
    // stale after 1 s (half their life before the margin), so renewals come every second.
    let fake = spotipie::testing::FakeSpotify::builder()
        .expires_in(4)
        .start();
    let spotipie = spotipie::Spotipie::builder()
        .endpoints(spotipie::Endpoints::single(fake.url()).expect("loopback"))
        .policy(spotipie::Policy {
            expiry_margin: Duration::from_secs(1),
            ..fast_policy()
        })
        .start();
    let session = spotipie.client_credentials_session(credentials());
    let mut events = spotipie.events_of(Some(session.id())).await.expect("bus");
    session.renew().await.expect("first token");
    let mut updates = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while updates < 3 {
        // Steady requests meanwhile; none of them may find the token expired.
        assert_eq!(session.get(TRACK).await.expect("served").status, 200);
        let next = tokio::time::timeout(Duration::from_millis(50), events.next()).await;
        match next {
            Ok(Some(SessionEvent::TokenUpdated(_))) => updates += 1,
            Ok(Some(other)) => panic!("no {} expected under refresh-ahead", other.name()),
            Ok(None) => panic!("stream closed"),
            Err(_) => assert!(tokio::time::Instant::now() < deadline, "no renewal came"),
        }
    }
    assert_eq!(fake.stats().unauthorized, 0);
    assert!(fake.stats().token_calls_total() >= 3);
}
