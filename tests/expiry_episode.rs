//! S2, S6, S7, S8: what a request does when it finds the token expired.

mod common;

use std::sync::Arc;
use std::time::Duration;

use actix::prelude::*;
use common::*;
use spotipie::testing::{FakeSpotify, LogKind};
use spotipie::{ExternalTokenFlow, OAuth2Token, SessionError, TokenExpired};

/// A subscriber that notes `TokenExpired` in the fake's log and, if asked, installs a fresh
/// token from inside its handler with `send(..).await` to the same session (S6).
struct Renewer {
    fake: Arc<FakeSpotify>,
    install: bool,
}

impl Actor for Renewer {
    type Context = Context<Self>;
}

impl Handler<TokenExpired> for Renewer {
    type Result = ResponseFuture<()>;

    fn handle(&mut self, event: TokenExpired, _: &mut Self::Context) -> Self::Result {
        self.fake.note(format!(
            "subscriber saw TokenExpired withhold={}",
            event.withhold_token
        ));
        let fake = self.fake.clone();
        let install = self.install;
        Box::pin(async move {
            if install {
                let access = fake.issue_access_token(3600, "");
                let clock = event.session.clock().clone();
                let token = OAuth2Token::new(access, Duration::from_secs(3600), clock.as_ref());
                event
                    .session
                    .set_token(token)
                    .await
                    .expect("session answers");
                // The session is not blocked by this handler: it answers other messages too.
                assert!(event.session.token().await.expect("answers").is_some());
            }
        })
    }
}

/// Subscribes a `Renewer` that only notes the event in the fake's log.
async fn subscribe_noting_renewer(w: &World) {
    let renewer = Renewer {
        fake: w.fake.clone(),
        install: false,
    }
    .start();
    w.spotipie
        .subscribe::<TokenExpired>(renewer.recipient())
        .await
        .expect("bus");
}

/// An external-token (never self-renewing) session holding a one-hour token the fake accepts.
async fn external_session(w: &World) -> spotipie::SessionHandle {
    let session = w
        .spotipie
        .start_session(ExternalTokenFlow::new(credentials(), ""));
    let first = w.fake.issue_access_token(3600, "");
    session
        .set_token(OAuth2Token::new(first, Duration::from_secs(3600), &w.clock))
        .await
        .expect("set");
    session
}

fn position(log: &[spotipie::testing::LogEntry], pred: impl Fn(&LogKind) -> bool) -> usize {
    log.iter()
        .position(|e| pred(&e.kind))
        .expect("entry in the fake's log")
}

#[actix::test]
async fn token_expired_reaches_subscribers_before_the_renewal_and_the_request() {
    let w = world();
    let session = w.spotipie.client_credentials_session(credentials());
    session.renew().await.expect("first token");
    subscribe_noting_renewer(&w).await;
    w.fake.reset_stats();
    expire(&w);

    let response = session.get(TRACK).await.expect("renewed and sent");
    assert_eq!(response.status, 200);

    let log = w.fake.log();
    let noted = position(&log, |k| k.note().is_some());
    let renewed = position(&log, |k| k.token_grant() == Some("client_credentials"));
    let sent = position(&log, LogKind::is_api);
    assert!(noted < renewed && renewed < sent, "{log:?}");
    assert_eq!(w.fake.stats().token_calls_total(), 1);
}

#[actix::test]
async fn a_subscriber_that_sets_a_token_from_its_handler_rescues_the_request_without_deadlock() {
    let w = world();
    // Not refreshable: only the subscriber can help.
    let session = external_session(&w).await;
    let renewer = Renewer {
        fake: w.fake.clone(),
        install: true,
    }
    .start();
    w.spotipie
        .subscribe_to::<TokenExpired>(session.id(), renewer.recipient())
        .await
        .expect("bus");
    expire(&w);

    let response = session
        .get(TRACK)
        .await
        .expect("the subscriber's token is used");
    assert_eq!(response.status, 200);
    assert_eq!(
        w.fake.stats().token_calls_total(),
        0,
        "nothing renewed by itself (S7)"
    );
    assert_eq!(w.fake.stats().unauthorized, 0);
}

#[actix::test]
async fn without_a_renewing_subscriber_a_non_refreshable_session_fails_and_sends_nothing() {
    let w = world();
    let session = external_session(&w).await;
    let recorder = Recorder::subscribe_all(&w.spotipie).await;
    expire(&w);

    let err = session.get(TRACK).await.expect_err("expired");
    assert!(matches!(err, SessionError::TokenExpired { .. }), "{err:?}");
    assert!(err.is_token_expired());
    assert_eq!(
        w.fake.stats().api_calls,
        0,
        "the request never reached the server"
    );
    settle(&w.spotipie).await;
    assert!(recorder.names().contains(&"token_expired"));
}

#[actix::test]
async fn withhold_token_fires_the_event_with_true_renews_nothing_and_sends_no_authorization() {
    let w = world();
    let session = w.spotipie.client_credentials_session(credentials());
    session.renew().await.expect("first token");
    subscribe_noting_renewer(&w).await;
    w.fake.reset_stats();
    expire(&w);

    let response = session
        .request(spotipie::ApiRequest::get(TRACK).withhold_token())
        .await
        .expect("sent without a token");
    assert_eq!(response.status, 401, "the fake wants a token");
    let log = w.fake.log();
    assert!(log
        .iter()
        .any(|e| e.kind.note() == Some("subscriber saw TokenExpired withhold=true")));
    assert!(log.iter().any(|e| matches!(
        &e.kind,
        LogKind::Api {
            had_token: false,
            ..
        }
    )));
    assert_eq!(w.fake.stats().token_calls_total(), 0, "nothing renewed");
}

#[actix::test]
async fn with_auto_refresh_off_the_event_still_fires_and_nothing_renews() {
    let w = world();
    let session = w.spotipie.client_credentials_session(credentials());
    session.renew().await.expect("first token");
    let recorder = Recorder::subscribe_all(&w.spotipie).await;
    session.set_auto_refresh(false).await.expect("set");
    assert!(!session.auto_refresh().await.expect("get"));
    w.fake.reset_stats();
    expire(&w);

    let err = session.get(TRACK).await.expect_err("no renewal");
    assert!(matches!(err, SessionError::TokenExpired { .. }));
    assert_eq!(w.fake.stats().token_calls_total(), 0);
    settle(&w.spotipie).await;
    assert!(recorder.names().contains(&"token_expired"));

    session.set_auto_refresh(true).await.expect("set");
    session
        .get(TRACK)
        .await
        .expect("renews again once switched back on");
    assert_eq!(w.fake.stats().token_calls_total(), 1);
}

#[actix::test]
async fn no_token_yet_is_a_typed_not_authorized_error() {
    let w = world();
    let session = w.spotipie.client_credentials_session(credentials());
    assert!(!session.is_authorized().await.expect("answers"));
    let err = session.get(TRACK).await.expect_err("no token");
    assert!(matches!(err, SessionError::NotAuthorized));
    assert_eq!(w.fake.stats().api_calls, 0);
}
