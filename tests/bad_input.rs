//! R1: every bad answer or bad request is a typed error, never a panic, and nothing is sent that
//! should not be.

mod common;

use std::time::Duration;

use common::*;
use spotipie::oauth::{Grant, TokenClient};
use spotipie::testing::TokenFault;
use spotipie::{
    ApiRequest, Endpoints, ManualClock, OAuthError, OAuthErrorCode, Policy, SessionError,
};

/// Renews once against a fake that answers with `fault` (enough times to exhaust retries) and
/// returns the token endpoint's error.
async fn renewal_error(fault: TokenFault) -> OAuthError {
    let w = world();
    let session = w.spotipie.client_credentials_session(credentials());
    w.fake.fail_next_token_calls(10, fault);
    match session.renew().await {
        Err(SessionError::RefreshFailed { source, .. }) => {
            std::sync::Arc::try_unwrap(source).unwrap_or_else(|arc| clone_error(&arc))
        }
        other => panic!("expected RefreshFailed, got {other:?}"),
    }
}

/// `OAuthError` holds a `reqwest::Error` in one variant, so it is not `Clone`; the tests only
/// need the shape.
fn clone_error(error: &OAuthError) -> OAuthError {
    match error {
        OAuthError::Parse {
            status,
            body,
            reason,
        } => OAuthError::Parse {
            status: *status,
            body: body.clone(),
            reason: reason.clone(),
        },
        OAuthError::Server {
            status,
            code,
            description,
        } => OAuthError::Server {
            status: *status,
            code: code.clone(),
            description: description.clone(),
        },
        OAuthError::BodyTooLarge { limit } => OAuthError::BodyTooLarge { limit: *limit },
        OAuthError::Redirect { status, location } => OAuthError::Redirect {
            status: *status,
            location: location.clone(),
        },
        other => panic!("unexpected shared error {other:?}"),
    }
}

#[actix::test]
async fn an_html_error_page_is_a_parse_error_that_keeps_the_body() {
    match renewal_error(TokenFault::HtmlPage).await {
        OAuthError::Parse { status, body, .. } => {
            assert_eq!(status, 502);
            assert!(body.text_lossy().contains("<html"), "{}", body.text_lossy());
            assert!(body
                .content_type()
                .is_some_and(|c| c.starts_with("text/html")));
        }
        other => panic!("{other:?}"),
    }
}

#[actix::test]
async fn malformed_json_and_an_empty_body_are_parse_errors_and_not_retried() {
    for fault in [TokenFault::MalformedJson, TokenFault::EmptyBody] {
        let w = world();
        let session = w.spotipie.client_credentials_session(credentials());
        w.fake.fail_next_token_calls(10, fault);
        let err = session.renew().await.expect_err("unparseable");
        let SessionError::RefreshFailed { source, .. } = &err else {
            panic!("{err:?}");
        };
        let OAuthError::Parse { status, body, .. } = source.as_ref() else {
            panic!("{source:?}");
        };
        assert_eq!(*status, 200);
        if !body.is_empty() {
            assert!(body.text_lossy().starts_with('{'));
            assert!(
                !format!("{err:?} {err}").contains("abc"),
                "the raw body is not printed"
            );
        }
        assert_eq!(
            w.fake.stats().token_calls_total(),
            1,
            "a 200 that lies is not retried"
        );
    }
}

#[actix::test]
async fn a_body_over_one_mebibyte_is_refused_without_reading_it_all() {
    let err = renewal_error(TokenFault::HugeBody {
        bytes: 2 * 1024 * 1024,
    })
    .await;
    assert!(matches!(err, OAuthError::BodyTooLarge { limit } if limit == 1024 * 1024));
}

#[actix::test]
async fn a_redirect_from_the_token_endpoint_is_not_followed() {
    let err = renewal_error(TokenFault::Redirect).await;
    assert!(
        matches!(err, OAuthError::Redirect { status: 302, .. }),
        "{err:?}"
    );
}

#[actix::test]
async fn oauth_error_objects_become_typed_codes() {
    let err = renewal_error(TokenFault::InvalidClient).await;
    assert_eq!(err.code(), Some(&OAuthErrorCode::InvalidClient));
    assert!(!err.requires_reauthorization() && !err.is_transient());
    let err = renewal_error(TokenFault::InvalidGrant).await;
    assert_eq!(err.code(), Some(&OAuthErrorCode::InvalidGrant));
    assert!(err.requires_reauthorization());
}

#[actix::test]
async fn wrong_client_secret_is_invalid_client() {
    let w = world();
    let session = w
        .spotipie
        .client_credentials_session(spotipie::Credentials::new("fake-client-id", "wrong"));
    let err = session.renew().await.expect_err("bad secret");
    assert!(err.to_string().contains("invalid_client"), "{err}");
}

#[actix::test]
async fn timeouts_and_unreachable_servers_are_typed() {
    let clock = ManualClock::starting_now();
    let policy = Policy {
        request_timeout: Duration::from_millis(200),
        ..Policy::default()
    };
    let fake = spotipie::testing::FakeSpotify::builder()
        .clock(clock.shared())
        .start();
    fake.set_token_delay(Duration::from_secs(2));
    let endpoints = Endpoints::single(fake.url()).expect("loopback");
    let client = TokenClient::new(spotipie::build_client(&policy), &endpoints, &policy);
    let err = client
        .request_token(&credentials(), &Grant::ClientCredentials, &clock)
        .await
        .expect_err("slow");
    assert!(matches!(err, OAuthError::Timeout), "{err:?}");
    assert!(err.is_transient());

    let url = fake.url().to_owned();
    drop(fake);
    let gone = Endpoints::single(&url).expect("loopback");
    let client = TokenClient::new(spotipie::build_client(&policy), &gone, &policy);
    let err = client
        .request_token(&credentials(), &Grant::ClientCredentials, &clock)
        .await
        .expect_err("nobody listens");
    assert!(matches!(err, OAuthError::Transport(_)), "{err:?}");
}

#[actix::test]
async fn bad_requests_are_refused_before_anything_is_sent() {
    let w = world();
    let session = w.spotipie.client_credentials_session(credentials());
    session.renew().await.expect("token");
    w.fake.reset_stats();
    let err = session
        .get("https://evil.example/steal")
        .await
        .expect_err("foreign host");
    assert!(matches!(err, SessionError::InvalidRequest(_)), "{err:?}");
    assert!(ApiRequest::get(TRACK).header("bad header", "x").is_err());
    assert!(ApiRequest::get(TRACK)
        .header("x-ok", "line\nbreak")
        .is_err());
    assert_eq!(w.fake.stats().api_calls, 0);
}

#[actix::test]
async fn api_bodies_are_capped_and_undecodable_ones_keep_their_body() {
    let w = world_with(
        Policy {
            max_api_body: 64,
            ..fast_policy()
        },
        |b| b,
    );
    let session = w.spotipie.client_credentials_session(credentials());
    session.renew().await.expect("token");
    let err = session
        .get(TRACK)
        .await
        .expect_err("track JSON is over 64 bytes");
    assert!(matches!(err, SessionError::BodyTooLarge { limit: 64 }));

    let w = world();
    let session = w.spotipie.client_credentials_session(credentials());
    session.renew().await.expect("token");
    let response = session.get(TRACK).await.expect("sent");
    let err = response
        .json::<Vec<u32>>()
        .expect_err("a track is not a list");
    let SessionError::Decode { status, body, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(*status, 200);
    assert!(body.text_lossy().contains("\"track\""));

    let missing = session
        .get("/v1/tracks/not-a-valid-id")
        .await
        .expect("sent")
        .error_for_status()
        .expect_err("400");
    let SessionError::Api(api) = missing else {
        panic!("{missing:?}");
    };
    assert_eq!(api.status, 400);
    assert!(api.message.is_some());
}
