//! R3: no `Debug` or `Display` of tokens, secrets, sessions, events or errors shows a secret.

mod common;

use std::time::Duration;

use common::*;
use spotipie::secret::{AuthorizationCode, CsrfState, PkceVerifier};
use spotipie::{Credentials, OAuth2Token};

#[actix::test]
async fn nothing_prints_a_secret() {
    let w = world();
    let creds = Credentials::new("visible-client-id", "CLIENT-SECRET-123");
    let session = w.spotipie.client_credentials_session(creds.clone());
    let token = OAuth2Token::new("ACCESS-TOKEN-123", Duration::from_secs(3600), &w.clock)
        .with_refresh_token("REFRESH-TOKEN-123")
        .with_scope("user-read-email");
    session.set_token(token.clone()).await.expect("set");
    let recorder = Recorder::subscribe_all(&w.spotipie).await;
    session.set_token(token.clone()).await.expect("set");
    settle(&w.spotipie).await;
    let event = recorder.updated().pop().expect("one event");
    let err = session
        .renew()
        .await
        .expect_err("wrong secret for the fake");

    let shown = [
        format!("{token:?}"),
        format!("{token:#?}"),
        format!("{token}"),
        format!("{creds:?}"),
        format!("{session:?}"),
        format!("{event:?}"),
        format!("{err:?}"),
        format!("{err}"),
        format!("{:?}", w.spotipie),
        format!("{:?}", AuthorizationCode::new("CODE-123")),
        format!("{}", CsrfState::new("STATE-123")),
        format!("{:?}", PkceVerifier::new("VERIFIER-123")),
    ]
    .join("\n");
    for secret in [
        "ACCESS-TOKEN-123",
        "REFRESH-TOKEN-123",
        "CLIENT-SECRET-123",
        "CODE-123",
        "STATE-123",
        "VERIFIER-123",
    ] {
        assert!(!shown.contains(secret), "{secret} leaked in:\n{shown}");
    }
    assert!(
        shown.contains("visible-client-id"),
        "the client id is public"
    );
    assert!(
        token.to_json().contains("ACCESS-TOKEN-123"),
        "files do hold the secret"
    );
}
