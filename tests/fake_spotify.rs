//! Integration tests for `spotipie::testing::FakeSpotify`, over real HTTP on loopback.
//!
//! Deterministic by construction: expiry uses a `ManualClock`, in-flight calls are created with
//! `hold_token_endpoint`, and nothing asserts on elapsed time.

#![cfg(feature = "testing")]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use reqwest::{redirect, Client, StatusCode};
use serde_json::{json, Value};
use spotipie::clock::ManualClock;
use spotipie::testing::{
    AuthorizeDecision, FakeSpotify, LogKind, TokenFault, FAKE_USER_ID, REDIRECT_TARGET,
};
use url::Url;

const ID: &str = FakeSpotify::CLIENT_ID;
const SECRET: &str = FakeSpotify::CLIENT_SECRET;
const REDIRECT_URI: &str = "http://127.0.0.1:8888/callback";
const TRACK_ID: &str = "6rqhFgbbKwnb9MLmUQDhG6";

/// A client that does not follow redirects, so tests can read `Location`.
fn http() -> Client {
    Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .expect("reqwest client")
}

/// A token call authenticated with HTTP Basic as the default client.
async fn token_basic(fake: &FakeSpotify, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let response = http()
        .post(format!("{}/api/token", fake.accounts_url()))
        .basic_auth(ID, Some(SECRET))
        .form(form)
        .send()
        .await
        .expect("token call");
    json_of(response).await
}

/// A token call with no Authorization header (credentials, if any, in `form`).
async fn token_form(fake: &FakeSpotify, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let response = http()
        .post(format!("{}/api/token", fake.accounts_url()))
        .form(form)
        .send()
        .await
        .expect("token call");
    json_of(response).await
}

async fn json_of(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let body = response.json().await.expect("JSON body");
    (status, body)
}

async fn api_get(fake: &FakeSpotify, path: &str, bearer: Option<&str>) -> (StatusCode, Value) {
    let mut request = http().get(format!("{}{path}", fake.api_url()));
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    json_of(request.send().await.expect("api call")).await
}

/// Calls `/authorize` with `params` and returns the `Location` it redirects to.
async fn authorize(fake: &FakeSpotify, params: &[(&str, &str)]) -> Url {
    let response = http()
        .get(format!("{}/authorize", fake.accounts_url()))
        .query(params)
        .send()
        .await
        .expect("authorize call");
    assert_eq!(response.status(), StatusCode::FOUND);
    let location = response.headers()["location"].to_str().expect("ascii");
    Url::parse(location).expect("absolute Location")
}

fn query_param(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

fn invalid_grant(description: &str) -> Value {
    json!({ "error": "invalid_grant", "error_description": description })
}

fn invalid_client() -> Value {
    json!({ "error": "invalid_client", "error_description": "Invalid client" })
}

/// Gets a fresh code for the default client via `/authorize`.
async fn code_for(fake: &FakeSpotify, scope: &str, challenge: Option<&str>) -> String {
    let mut params = vec![
        ("client_id", ID),
        ("response_type", "code"),
        ("redirect_uri", REDIRECT_URI),
        ("scope", scope),
    ];
    if let Some(challenge) = challenge {
        params.push(("code_challenge_method", "S256"));
        params.push(("code_challenge", challenge));
    }
    let location = authorize(fake, &params).await;
    query_param(&location, "code").expect("code in redirect")
}

#[tokio::test]
async fn client_credentials_with_basic_and_form_auth() {
    let fake = FakeSpotify::start();
    let (status, body) = token_basic(&fake, &[("grant_type", "client_credentials")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert!(body["access_token"].as_str().expect("token").len() >= 32);
    assert!(body.get("refresh_token").is_none() && body.get("scope").is_none());

    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", ID),
        ("client_secret", SECRET),
    ];
    let (status, body) = token_form(&fake, &form).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(fake.stats().token_calls_client_credentials, 2);
}

#[tokio::test]
async fn bad_client_credentials_are_invalid_client_400() {
    let fake = FakeSpotify::builder()
        .client("other", "other-secret")
        .start();
    let url = format!("{}/api/token", fake.accounts_url());
    let wrong_secret = http()
        .post(&url)
        .basic_auth(ID, Some("nope"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("call");
    assert_eq!(
        json_of(wrong_secret).await,
        (StatusCode::BAD_REQUEST, invalid_client())
    );

    let unknown = [
        ("grant_type", "client_credentials"),
        ("client_id", "who"),
        ("client_secret", "x"),
    ];
    assert_eq!(token_form(&fake, &unknown).await.1, invalid_client());
    let no_auth = token_form(&fake, &[("grant_type", "client_credentials")]).await;
    assert_eq!(no_auth.1, invalid_client());
    // A public client cannot use client credentials.
    let public = [("grant_type", "client_credentials"), ("client_id", ID)];
    assert_eq!(token_form(&fake, &public).await.1, invalid_client());
    // An extra registered client works.
    let other = http()
        .post(&url)
        .basic_auth("other", Some("other-secret"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("call");
    assert_eq!(other.status(), StatusCode::OK);
}

#[tokio::test]
async fn grant_type_and_missing_parameter_errors() {
    let fake = FakeSpotify::start();
    let (status, body) = token_basic(&fake, &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "unsupported_grant_type");
    let (_, body) = token_basic(&fake, &[("grant_type", "password")]).await;
    assert_eq!(body["error"], "unsupported_grant_type");
    let (status, body) = token_basic(&fake, &[("grant_type", "refresh_token")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_request");
    let (_, body) = token_basic(&fake, &[("grant_type", "authorization_code")]).await;
    assert_eq!(body["error"], "invalid_request");
    assert_eq!(fake.stats().token_calls_total(), 4);
    assert_eq!(fake.stats().token_calls_other, 2);
}

#[tokio::test]
async fn authorization_code_flow_and_code_reuse() {
    let fake = FakeSpotify::start();
    let redirect_with_query = "http://127.0.0.1:8888/callback?keep=1";
    let location = authorize(
        &fake,
        &[
            ("client_id", ID),
            ("response_type", "code"),
            ("redirect_uri", redirect_with_query),
            ("state", "xyz & more"),
            ("scope", "user-read-private user-top-read"),
            ("show_dialog", "true"),
        ],
    )
    .await;
    assert_eq!(location.path(), "/callback");
    assert_eq!(query_param(&location, "keep").as_deref(), Some("1"));
    assert_eq!(
        query_param(&location, "state").as_deref(),
        Some("xyz & more")
    );
    let code = query_param(&location, "code").expect("code");

    let exchange = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", redirect_with_query),
    ];
    let (status, body) = token_basic(&fake, &exchange).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["scope"], "user-read-private user-top-read");
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["refresh_token"].as_str().expect("refresh").len() >= 32);
    let access = body["access_token"].as_str().expect("access");
    let (status, me) = api_get(&fake, "/v1/me", Some(access)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["id"], FAKE_USER_ID);

    let (status, body) = token_basic(&fake, &exchange).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body, invalid_grant("Invalid authorization code"));

    let code = code_for(&fake, "", None).await;
    let wrong_redirect = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", "http://127.0.0.1:9999/other"),
    ];
    let (_, body) = token_basic(&fake, &wrong_redirect).await;
    assert_eq!(body, invalid_grant("Invalid redirect URI"));
    assert_eq!(fake.stats().token_calls_authorization_code, 3);
}

#[tokio::test]
async fn pkce_public_client_success_wrong_verifier_and_single_use_refresh() {
    let fake = FakeSpotify::start();
    let verifier = "a-sufficiently-long-code-verifier-of-43-plus-chars";
    let challenge = URL_SAFE_NO_PAD.encode(sha256(verifier));

    let code = code_for(&fake, "user-read-private", Some(&challenge)).await;
    let wrong = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT_URI),
        ("client_id", ID),
        ("code_verifier", "not-the-verifier"),
    ];
    let (status, body) = token_form(&fake, &wrong).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body, invalid_grant("code_verifier was incorrect"));

    let code = code_for(&fake, "user-read-private", Some(&challenge)).await;
    let right = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT_URI),
        ("client_id", ID),
        ("code_verifier", verifier),
    ];
    let (status, body) = token_form(&fake, &right).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["scope"], "user-read-private");
    let refresh = body["refresh_token"].as_str().expect("refresh").to_owned();

    // A public client refreshes without a secret; PKCE refresh tokens are single-use.
    let refresh_form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh.as_str()),
        ("client_id", ID),
    ];
    let (status, body) = token_form(&fake, &refresh_form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let rotated = body["refresh_token"].as_str().expect("rotated");
    assert_ne!(rotated, refresh);
    let (_, body) = token_form(&fake, &refresh_form).await;
    assert_eq!(body, invalid_grant("Invalid refresh token"));

    // A public client cannot redeem a non-PKCE code.
    let plain_code = code_for(&fake, "", None).await;
    let public = [
        ("grant_type", "authorization_code"),
        ("code", plain_code.as_str()),
        ("redirect_uri", REDIRECT_URI),
        ("client_id", ID),
    ];
    assert_eq!(token_form(&fake, &public).await.1, invalid_client());
}

/// SHA-256 via the `sha2` crate the fake depends on, computed independently of the fake.
fn sha256(input: &str) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(input.as_bytes()).to_vec()
}

#[tokio::test]
async fn refresh_without_rotation_keeps_the_refresh_token_valid() {
    let fake = FakeSpotify::start();
    let refresh = fake.issue_refresh_token("user-top-read");
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh.as_str()),
    ];
    for _ in 0..2 {
        let (status, body) = token_basic(&fake, &form).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["scope"], "user-top-read");
        assert!(body.get("refresh_token").is_none());
    }
    let public = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh.as_str()),
        ("client_id", ID),
    ];
    assert_eq!(token_form(&fake, &public).await.1, invalid_client());
    fake.revoke_refresh_tokens();
    let (status, body) = token_basic(&fake, &form).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body, invalid_grant("Refresh token revoked"));
    let unknown = [("grant_type", "refresh_token"), ("refresh_token", "nope")];
    assert_eq!(
        token_basic(&fake, &unknown).await.1,
        invalid_grant("Invalid refresh token")
    );
    assert_eq!(fake.stats().token_calls_refresh_token, 5);
}

#[tokio::test]
async fn refresh_with_rotation_invalidates_the_old_token() {
    let fake = FakeSpotify::builder()
        .rotate_refresh_tokens(true)
        .expires_in(60)
        .start();
    let old = fake.issue_refresh_token("streaming");
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", old.as_str()),
    ];
    let (status, body) = token_basic(&fake, &form).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["expires_in"], 60);
    let new = body["refresh_token"].as_str().expect("rotated").to_owned();
    assert_ne!(new, old);
    let (status, body) = token_basic(&fake, &form).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body, invalid_grant("Invalid refresh token"));
    let next = [
        ("grant_type", "refresh_token"),
        ("refresh_token", new.as_str()),
    ];
    assert_eq!(token_basic(&fake, &next).await.0, StatusCode::OK);
}

#[tokio::test]
async fn every_token_fault_has_its_shape_and_is_consumed_once() {
    let fake = FakeSpotify::start();
    let url = format!("{}/api/token", fake.accounts_url());
    let send = || {
        http()
            .post(&url)
            .basic_auth(ID, Some(SECRET))
            .form(&[("grant_type", "client_credentials")])
            .send()
    };

    fake.fail_next_token_calls(2, TokenFault::Status(503));
    for _ in 0..2 {
        let response = send().await.expect("call");
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        let content_type = response.headers()["content-type"].to_str().expect("ascii");
        assert!(content_type.starts_with("text/plain"));
        assert!(!response.text().await.expect("body").is_empty());
    }
    assert_eq!(send().await.expect("call").status(), StatusCode::OK);

    fake.fail_next_token_calls(
        1,
        TokenFault::RateLimited {
            retry_after_secs: 7,
        },
    );
    let response = send().await.expect("call");
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "7");
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"]["status"], 429);

    fake.fail_next_token_calls(1, TokenFault::InvalidGrant);
    let (status, body) = json_of(send().await.expect("call")).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant"))
    );

    fake.fail_next_token_calls(1, TokenFault::InvalidClient);
    assert_eq!(
        json_of(send().await.expect("call")).await.1,
        invalid_client()
    );

    fake.fail_next_token_calls(1, TokenFault::MalformedJson);
    let response = send().await.expect("call");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.text().await.expect("body"),
        r#"{"access_token": "abc", "#
    );

    fake.fail_next_token_calls(1, TokenFault::HtmlPage);
    let response = send().await.expect("call");
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert!(response.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .starts_with("text/html"));
    assert!(response.text().await.expect("body").contains("Bad Gateway"));

    fake.fail_next_token_calls(1, TokenFault::EmptyBody);
    let response = send().await.expect("call");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.bytes().await.expect("body").is_empty());

    fake.fail_next_token_calls(1, TokenFault::HugeBody { bytes: 3_000_000 });
    let response = send().await.expect("call");
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.bytes().await.expect("body");
    assert_eq!(body.len(), 3_000_000);
    assert!(body.starts_with(b"{\""));

    fake.fail_next_token_calls(1, TokenFault::Redirect);
    let response = send().await.expect("call");
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.headers()["location"], REDIRECT_TARGET);

    assert_eq!(send().await.expect("call").status(), StatusCode::OK);
    let stats = fake.stats();
    assert_eq!(stats.token_calls_client_credentials, 12);
    let statuses: Vec<u16> = fake.log().iter().filter_map(|e| e.kind.status()).collect();
    assert_eq!(
        statuses,
        [503, 503, 200, 429, 400, 400, 200, 502, 200, 200, 302, 200]
    );
}

#[tokio::test]
async fn faults_do_not_consume_codes() {
    let fake = FakeSpotify::start();
    let code = code_for(&fake, "", None).await;
    let exchange = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT_URI),
    ];
    fake.fail_next_token_calls(1, TokenFault::Status(500));
    let response = http()
        .post(format!("{}/api/token", fake.accounts_url()))
        .basic_auth(ID, Some(SECRET))
        .form(&exchange)
        .send()
        .await
        .expect("call");
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(token_basic(&fake, &exchange).await.0, StatusCode::OK);
}

#[tokio::test]
async fn held_token_call_waits_until_the_guard_drops() {
    let fake = FakeSpotify::start();
    let url = format!("{}/api/token", fake.accounts_url());
    let hold = fake.hold_token_endpoint();
    let call = tokio::spawn(
        http()
            .post(url)
            .basic_auth(ID, Some(SECRET))
            .form(&[("grant_type", "client_credentials")])
            .send(),
    );
    hold.until_waiting(1).await;
    // Arrived, counted and logged, but not answered.
    assert_eq!(hold.waiting(), 1);
    assert_eq!(fake.stats().token_calls_total(), 1);
    assert!(!call.is_finished());
    fake.note("released");
    drop(hold);

    let response = call.await.expect("task").expect("call");
    assert_eq!(response.status(), StatusCode::OK);
    fake.note("answered");
    let log = fake.log();
    assert_eq!(log.len(), 3);
    assert_eq!(
        log[0].kind,
        LogKind::TokenCall {
            grant: "client_credentials".into(),
            status: 200
        }
    );
    assert_eq!(log[1].kind.note(), Some("released"));
    assert_eq!(log[2].kind.note(), Some("answered"));
    assert!(log.windows(2).all(|pair| pair[0].seq < pair[1].seq));
}

#[tokio::test]
async fn token_delay_still_answers() {
    let fake = FakeSpotify::start();
    fake.set_token_delay(Duration::from_millis(20));
    let (status, _) = token_basic(&fake, &[("grant_type", "client_credentials")]).await;
    assert_eq!(status, StatusCode::OK);
    fake.set_token_delay(Duration::ZERO);
}

#[tokio::test]
async fn api_401_shapes_and_expiry_by_the_fakes_clock() {
    let clock = ManualClock::new(1_000_000.0);
    let fake = FakeSpotify::builder().clock(clock.shared()).start();
    let error =
        |status: u16, message: &str| json!({ "error": { "status": status, "message": message } });

    let (status, body) = api_get(&fake, "/v1/me", None).await;
    assert_eq!(
        (status, body),
        (StatusCode::UNAUTHORIZED, error(401, "No token provided"))
    );
    let (status, body) = api_get(&fake, "/v1/me", Some("not-a-token")).await;
    assert_eq!(
        (status, body),
        (StatusCode::UNAUTHORIZED, error(401, "Invalid access token"))
    );

    let token = fake.issue_access_token(60, "user-read-private");
    assert_eq!(
        api_get(&fake, "/v1/me", Some(&token)).await.0,
        StatusCode::OK
    );
    clock.advance(Duration::from_secs(61));
    let (status, body) = api_get(&fake, "/v1/me", Some(&token)).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNAUTHORIZED,
            error(401, "The access token expired")
        )
    );

    let (_, cc) = token_basic(&fake, &[("grant_type", "client_credentials")]).await;
    let cc = cc["access_token"].as_str().expect("token");
    let (status, body) = api_get(&fake, "/v1/me", Some(cc)).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNAUTHORIZED,
            error(401, "Valid user authentication required")
        )
    );
    let track_path = format!("/v1/tracks/{TRACK_ID}");
    assert_eq!(
        api_get(&fake, &track_path, Some(cc)).await.0,
        StatusCode::OK
    );

    let stats = fake.stats();
    assert_eq!((stats.api_calls, stats.unauthorized), (6, 4));
}

#[tokio::test]
async fn tracks_validate_ids_and_unknown_paths_are_404() {
    let fake = FakeSpotify::start();
    let token = fake.issue_access_token(3600, "");
    let (status, track) = api_get(&fake, &format!("/v1/tracks/{TRACK_ID}"), Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(track["id"], TRACK_ID);
    assert_eq!(track["type"], "track");
    assert_eq!(track["uri"], format!("spotify:track:{TRACK_ID}"));
    assert!(
        track["duration_ms"].is_u64() && track["artists"].is_array() && track["album"].is_object()
    );

    for bad in ["short", "6rqhFgbbKwnb9MLmUQDhG-", "6rqhFgbbKwnb9MLmUQDhG6x"] {
        let (status, body) = api_get(&fake, &format!("/v1/tracks/{bad}"), Some(&token)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            body,
            json!({ "error": { "status": 400, "message": "Invalid base62 id" } })
        );
    }
    let not_found = json!({ "error": { "status": 404, "message": "Service not found" } });
    let (status, body) = api_get(&fake, "/v1/nothing-here", Some(&token)).await;
    assert_eq!((status, body), (StatusCode::NOT_FOUND, not_found.clone()));
    assert_eq!(api_get(&fake, "/", None).await.1, not_found);
}

#[tokio::test]
async fn implicit_grant_returns_a_usable_token_in_the_fragment() {
    let fake = FakeSpotify::builder().expires_in(120).start();
    let location = authorize(
        &fake,
        &[
            ("client_id", ID),
            ("response_type", "token"),
            ("redirect_uri", REDIRECT_URI),
            ("state", "s1"),
        ],
    )
    .await;
    assert_eq!(location.query(), None);
    let fragment: Vec<(String, String)> =
        url::form_urlencoded::parse(location.fragment().expect("fragment").as_bytes())
            .into_owned()
            .collect();
    let get = |name: &str| {
        fragment
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    };
    assert_eq!(get("token_type").as_deref(), Some("Bearer"));
    assert_eq!(get("expires_in").as_deref(), Some("120"));
    assert_eq!(get("state").as_deref(), Some("s1"));
    let token = get("access_token").expect("token");
    assert_eq!(
        api_get(&fake, "/v1/me", Some(&token)).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn deny_and_unknown_client_at_authorize() {
    let fake = FakeSpotify::start();
    fake.set_authorize_decision(AuthorizeDecision::Deny);
    let params = [
        ("client_id", ID),
        ("response_type", "code"),
        ("redirect_uri", REDIRECT_URI),
        ("state", "st"),
    ];
    let location = authorize(&fake, &params).await;
    assert_eq!(
        query_param(&location, "error").as_deref(),
        Some("access_denied")
    );
    assert_eq!(query_param(&location, "state").as_deref(), Some("st"));
    assert_eq!(query_param(&location, "code"), None);

    let response = http()
        .get(format!("{}/authorize", fake.accounts_url()))
        .query(&[
            ("client_id", "unknown"),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT_URI),
        ])
        .send()
        .await
        .expect("call");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .starts_with("text/html"));
    assert!(response
        .text()
        .await
        .expect("body")
        .contains("INVALID_CLIENT"));

    let log = fake.log();
    let approvals: Vec<bool> = log
        .iter()
        .filter_map(|entry| match &entry.kind {
            LogKind::Authorize { approved, .. } => Some(*approved),
            _ => None,
        })
        .collect();
    assert_eq!(approvals, [false, false]);
    assert_eq!(fake.stats().authorize_calls, 2);
}

#[tokio::test]
async fn stats_and_log_follow_arrival_order_and_reset() {
    let fake = FakeSpotify::start();
    fake.note("start");
    let code = code_for(&fake, "user-read-private", None).await;
    let exchange = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT_URI),
    ];
    let (_, body) = token_basic(&fake, &exchange).await;
    let access = body["access_token"].as_str().expect("token").to_owned();
    api_get(&fake, "/v1/me", Some(&access)).await;
    api_get(&fake, "/v1/me", None).await;
    fake.note("end");

    let kinds: Vec<LogKind> = fake.log().into_iter().map(|entry| entry.kind).collect();
    assert_eq!(
        kinds,
        [
            LogKind::Note("start".into()),
            LogKind::Authorize {
                response_type: "code".into(),
                approved: true
            },
            LogKind::TokenCall {
                grant: "authorization_code".into(),
                status: 200
            },
            LogKind::Api {
                method: "GET".into(),
                path: "/v1/me".into(),
                had_token: true,
                status: 200
            },
            LogKind::Api {
                method: "GET".into(),
                path: "/v1/me".into(),
                had_token: false,
                status: 401
            },
            LogKind::Note("end".into()),
        ]
    );
    let stats = fake.stats();
    assert_eq!(
        (
            stats.authorize_calls,
            stats.token_calls_total(),
            stats.api_calls,
            stats.unauthorized
        ),
        (1, 1, 2, 1)
    );
    let debug = format!("{fake:?}");
    assert!(debug.contains(fake.url()) && !debug.contains(&access));

    fake.reset_stats();
    assert_eq!(fake.stats(), Default::default());
    assert!(fake.log().is_empty());
}

/// Sends a raw HTTP/1.1 request and returns the whole response as text.
fn raw_get(addr: std::net::SocketAddr, path: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(addr)?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: fake\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}

#[test]
fn starts_from_sync_code_and_drop_shuts_it_down() {
    let fake = FakeSpotify::start();
    let addr = fake.addr();
    assert_eq!(fake.url(), format!("http://{addr}"));
    let response = raw_get(addr, "/v1/nope").expect("served");
    assert!(response.starts_with("HTTP/1.1 404"), "{response}");
    drop(fake);
    assert!(
        TcpStream::connect(addr).is_err(),
        "still listening after drop"
    );

    let fake = FakeSpotify::start();
    let addr = fake.addr();
    fake.shutdown();
    assert!(
        TcpStream::connect(addr).is_err(),
        "still listening after shutdown"
    );
}

#[actix_rt::test]
async fn starts_and_stops_inside_an_actix_system() {
    let fake = FakeSpotify::start();
    let (status, _) = token_basic(&fake, &[("grant_type", "client_credentials")]).await;
    assert_eq!(status, StatusCode::OK);
    let addr = fake.addr();
    drop(fake);
    assert!(TcpStream::connect(addr).is_err());
}

#[tokio::test]
async fn dropping_the_fake_while_a_call_is_held_does_not_hang() {
    let fake = FakeSpotify::start();
    let hold = fake.hold_token_endpoint();
    let call = tokio::spawn(
        http()
            .post(format!("{}/api/token", fake.accounts_url()))
            .basic_auth(ID, Some(SECRET))
            .form(&[("grant_type", "client_credentials")])
            .send(),
    );
    hold.until_waiting(1).await;
    drop(fake);
    assert!(
        call.await.expect("task").is_err(),
        "held call answered after shutdown"
    );
    drop(hold);
}

#[test]
fn handles_can_be_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<FakeSpotify>();
    assert_send_sync::<spotipie::testing::TokenHold>();
    let fake = std::sync::Arc::new(FakeSpotify::start());
    let remote = std::sync::Arc::clone(&fake);
    std::thread::spawn(move || remote.fail_next_token_calls(1, TokenFault::EmptyBody))
        .join()
        .expect("thread");
    assert!(format!("{:?}", FakeSpotify::builder()).contains(FakeSpotify::CLIENT_ID));
    assert!(!format!("{:?}", FakeSpotify::builder()).contains(FakeSpotify::CLIENT_SECRET));
}

// ---- Redirect URIs (Spotify's rules since 2025-11-27), public clients, refresh expiry ----

const PUBLIC_ID: &str = FakeSpotify::PUBLIC_CLIENT_ID;
const VERIFIER: &str = "a-sufficiently-long-code-verifier-of-43-plus-chars";

/// Calls `/authorize` for `response_type=code` with a PKCE challenge (so that public clients
/// get a code too) and returns the raw response.
async fn authorize_raw(
    fake: &FakeSpotify,
    client_id: &str,
    redirect_uri: &str,
) -> reqwest::Response {
    http()
        .get(format!("{}/authorize", fake.accounts_url()))
        .query(&[
            ("client_id", client_id),
            ("response_type", "code"),
            ("redirect_uri", redirect_uri),
            ("state", "st"),
            ("code_challenge_method", "S256"),
            (
                "code_challenge",
                "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            ),
        ])
        .send()
        .await
        .expect("authorize call")
}

/// Asserts `/authorize` redirects back to `redirect_uri` with a code.
async fn assert_redirect_accepted(fake: &FakeSpotify, client_id: &str, redirect_uri: &str) {
    let response = authorize_raw(fake, client_id, redirect_uri).await;
    assert_eq!(response.status(), StatusCode::FOUND, "{redirect_uri}");
    let location = response.headers()["location"].to_str().expect("ascii");
    let location = Url::parse(location).expect("absolute Location");
    let expected = Url::parse(redirect_uri).expect("test URL");
    assert_eq!(
        (location.host(), location.port(), location.path()),
        (expected.host(), expected.port(), expected.path())
    );
    assert!(query_param(&location, "code").is_some(), "{location}");
}

/// Asserts `/authorize` answers a 400 HTML page carrying `message`, redirecting nowhere.
async fn assert_redirect_refused(
    fake: &FakeSpotify,
    client_id: &str,
    redirect_uri: &str,
    message: &str,
) {
    let response = authorize_raw(fake, client_id, redirect_uri).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{redirect_uri}");
    assert!(response.headers().get("location").is_none());
    assert!(response.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .starts_with("text/html"));
    let page = response.text().await.expect("body");
    assert!(page.contains(message), "{redirect_uri}: {page}");
}

const UNREGISTERED: &str = "INVALID_CLIENT: Invalid redirect URI";
const INSECURE: &str = "INVALID_CLIENT: Insecure redirect URI";

/// The `approved` flags of the log's `Authorize` entries, in order.
fn authorize_approvals(fake: &FakeSpotify) -> Vec<bool> {
    fake.log()
        .iter()
        .filter_map(|entry| match &entry.kind {
            LogKind::Authorize { approved, .. } => Some(*approved),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn registered_redirect_uris_pass_and_unregistered_ones_get_an_error_page() {
    let fake = FakeSpotify::builder()
        .client("app", "app-secret")
        .redirect_uri("app", "http://127.0.0.1:5000/one")
        .redirect_uri("app", "http://127.0.0.1:5000/two")
        .start();
    assert_redirect_accepted(&fake, "app", "http://127.0.0.1:5000/one").await;
    assert_redirect_accepted(&fake, "app", "http://127.0.0.1:5000/two").await;
    // A new client gets no default registrations.
    assert_redirect_refused(&fake, "app", "http://127.0.0.1:5000/callback", UNREGISTERED).await;
    // The default client keeps its loopback defaults; another path is not registered.
    assert_redirect_accepted(&fake, ID, REDIRECT_URI).await;
    assert_redirect_refused(&fake, ID, "http://127.0.0.1:8888/other", UNREGISTERED).await;
    assert_redirect_refused(&fake, ID, "not a url", UNREGISTERED).await;
    assert_redirect_refused(&fake, "app", "", UNREGISTERED).await;

    // Error pages are logged as not approved and counted.
    assert_eq!(
        authorize_approvals(&fake),
        [true, true, false, true, false, false, false]
    );
    assert_eq!(fake.stats().authorize_calls, 7);
    assert_eq!(fake.stats().token_calls_total(), 0);
}

#[tokio::test]
async fn localhost_redirect_is_insecure_even_when_registered() {
    let fake = FakeSpotify::builder()
        .redirect_uri(ID, "http://localhost:8888/callback")
        .redirect_uri(ID, "http://localhost/callback")
        .redirect_uri(ID, "https://localhost/callback")
        .start();
    for uri in [
        "http://localhost:8888/callback",
        "http://localhost/callback",
        "http://LocalHost:9000/callback",
        "https://localhost/callback",
    ] {
        assert_redirect_refused(&fake, ID, uri, INSECURE).await;
    }
    // Even the public client and even unregistered: insecurity is checked first.
    assert_redirect_refused(&fake, PUBLIC_ID, "http://localhost:1234/x", INSECURE).await;
    assert_eq!(authorize_approvals(&fake), [false; 5]);
}

#[tokio::test]
async fn plain_http_on_a_non_loopback_host_is_insecure() {
    let fake = FakeSpotify::builder()
        .redirect_uri(ID, "http://app.example/callback")
        .redirect_uri(ID, "http://192.168.1.10:8080/callback")
        .start();
    for uri in [
        "http://app.example/callback",
        "http://192.168.1.10:8080/callback",
        // Other loopback addresses are not the literals Spotify allows.
        "http://127.0.0.2:8888/callback",
    ] {
        assert_redirect_refused(&fake, ID, uri, INSECURE).await;
    }
}

#[tokio::test]
async fn loopback_registered_without_a_port_matches_any_port() {
    let fake = FakeSpotify::start();
    for uri in [
        "http://127.0.0.1/callback",
        "http://127.0.0.1:1/callback",
        "http://127.0.0.1:8888/callback",
        "http://127.0.0.1:65535/callback",
        "http://127.0.0.1:8888/callback?from=query",
    ] {
        assert_redirect_accepted(&fake, ID, uri).await;
        assert_redirect_accepted(&fake, PUBLIC_ID, uri).await;
    }
    // Same host and path required; https is not the registered scheme.
    assert_redirect_refused(&fake, ID, "http://127.0.0.1:8888/callback/", UNREGISTERED).await;
    assert_redirect_refused(&fake, ID, "https://127.0.0.1:8888/callback", UNREGISTERED).await;

    // With a port in the registration, only that port matches.
    let fixed = FakeSpotify::builder()
        .clear_redirect_uris(ID)
        .redirect_uri(ID, "http://127.0.0.1:8888/callback")
        .start();
    assert_redirect_accepted(&fixed, ID, "http://127.0.0.1:8888/callback").await;
    assert_redirect_refused(&fixed, ID, "http://127.0.0.1:8889/callback", UNREGISTERED).await;
    assert_redirect_refused(&fixed, ID, "http://127.0.0.1/callback", UNREGISTERED).await;
    assert_redirect_refused(&fixed, ID, "http://[::1]:8888/callback", UNREGISTERED).await;
}

#[tokio::test]
async fn ipv6_loopback_redirects() {
    let fake = FakeSpotify::start();
    assert_redirect_accepted(&fake, ID, "http://[::1]/callback").await;
    assert_redirect_accepted(&fake, ID, "http://[::1]:43123/callback").await;
    assert_redirect_accepted(&fake, PUBLIC_ID, "http://[::1]:8888/callback").await;
    assert_redirect_refused(&fake, ID, "http://[::1]:43123/other", UNREGISTERED).await;

    // A [::1] registration does not admit 127.0.0.1, nor the reverse.
    let v6_only = FakeSpotify::builder()
        .clear_redirect_uris(ID)
        .redirect_uri(ID, "http://[::1]/cb")
        .start();
    assert_redirect_accepted(&v6_only, ID, "http://[::1]:7/cb").await;
    assert_redirect_refused(&v6_only, ID, "http://127.0.0.1:7/cb", UNREGISTERED).await;
}

#[tokio::test]
async fn https_redirect_must_match_exactly_apart_from_the_query() {
    let fake = FakeSpotify::builder()
        .redirect_uri(ID, "https://app.example/callback")
        .redirect_uri(ID, "https://app.example:8443/alt")
        .start();
    assert_redirect_accepted(&fake, ID, "https://app.example/callback").await;
    assert_redirect_accepted(&fake, ID, "https://app.example:443/callback").await;
    assert_redirect_accepted(&fake, ID, "https://app.example/callback?next=%2Fhome").await;
    assert_redirect_accepted(&fake, ID, "https://app.example:8443/alt").await;
    for uri in [
        "https://app.example:8443/callback",
        "https://app.example/alt",
        "https://app.example/callback/",
        "https://app.example/Callback",
        "https://www.app.example/callback",
        "https://other.example/callback",
    ] {
        assert_redirect_refused(&fake, ID, uri, UNREGISTERED).await;
    }

    // The token endpoint still wants exactly what /authorize received (query included).
    let with_query = "https://app.example/callback?next=%2Fhome";
    let location = authorize(
        &fake,
        &[
            ("client_id", ID),
            ("response_type", "code"),
            ("redirect_uri", with_query),
        ],
    )
    .await;
    let code = query_param(&location, "code").expect("code");
    let without_query = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", "https://app.example/callback"),
    ];
    assert_eq!(
        token_basic(&fake, &without_query).await.1,
        invalid_grant("Invalid redirect URI")
    );
}

#[test]
fn an_unparseable_redirect_registration_fails_to_start() {
    let error = FakeSpotify::builder()
        .redirect_uri(ID, "not a url")
        .try_start()
        .expect_err("must not start");
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    assert!(error.to_string().contains("not a url"), "{error}");
}

/// Gets a PKCE code for the public client via `/authorize`.
async fn public_code(fake: &FakeSpotify, scope: &str) -> String {
    let challenge = URL_SAFE_NO_PAD.encode(sha256(VERIFIER));
    let location = authorize(
        fake,
        &[
            ("client_id", PUBLIC_ID),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT_URI),
            ("scope", scope),
            ("state", "pk"),
            ("code_challenge_method", "S256"),
            ("code_challenge", challenge.as_str()),
        ],
    )
    .await;
    assert_eq!(query_param(&location, "state").as_deref(), Some("pk"));
    query_param(&location, "code").expect("code in redirect")
}

/// Exchanges a public client's code (no secret) and returns the response body.
async fn public_exchange(fake: &FakeSpotify, code: &str) -> (StatusCode, Value) {
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", REDIRECT_URI),
        ("client_id", PUBLIC_ID),
        ("code_verifier", VERIFIER),
    ];
    token_form(fake, &form).await
}

/// Refreshes as the public client (no secret).
async fn public_refresh(fake: &FakeSpotify, refresh: &str) -> (StatusCode, Value) {
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh),
        ("client_id", PUBLIC_ID),
    ];
    token_form(fake, &form).await
}

#[tokio::test]
async fn public_client_pkce_flow_end_to_end() {
    let fake = FakeSpotify::start();
    let code = public_code(&fake, "user-read-private streaming").await;
    let (status, body) = public_exchange(&fake, &code).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["scope"], "user-read-private streaming");
    let access = body["access_token"].as_str().expect("access");
    assert_eq!(
        api_get(&fake, "/v1/me", Some(access)).await.0,
        StatusCode::OK
    );
    let first = body["refresh_token"].as_str().expect("refresh").to_owned();

    // Refresh without a secret; the refresh token is single-use (rotated every time).
    let (status, body) = public_refresh(&fake, &first).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["scope"], "user-read-private streaming");
    let access = body["access_token"].as_str().expect("access");
    assert_eq!(
        api_get(&fake, "/v1/me", Some(access)).await.0,
        StatusCode::OK
    );
    let second = body["refresh_token"].as_str().expect("rotated").to_owned();
    assert_ne!(second, first);
    assert_eq!(
        public_refresh(&fake, &first).await,
        (
            StatusCode::BAD_REQUEST,
            invalid_grant("Invalid refresh token")
        )
    );
    let (status, body) = public_refresh(&fake, &second).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_ne!(body["refresh_token"].as_str(), Some(second.as_str()));

    // The code was single-use; a wrong verifier fails; another client cannot redeem it.
    assert_eq!(
        public_exchange(&fake, &code).await.1,
        invalid_grant("Invalid authorization code")
    );
    let code = public_code(&fake, "").await;
    let as_confidential = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT_URI),
        ("code_verifier", VERIFIER),
    ];
    assert_eq!(
        token_basic(&fake, &as_confidential).await.1,
        invalid_grant("Invalid authorization code")
    );
    let code = public_code(&fake, "").await;
    let wrong_verifier = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT_URI),
        ("client_id", PUBLIC_ID),
        ("code_verifier", "not-the-verifier"),
    ];
    assert_eq!(
        token_form(&fake, &wrong_verifier).await.1,
        invalid_grant("code_verifier was incorrect")
    );
    // A confidential refresh token is not the public client's to use.
    let confidential = fake.issue_refresh_token("");
    assert_eq!(
        public_refresh(&fake, &confidential).await.1,
        invalid_client()
    );
}

#[tokio::test]
async fn public_client_cannot_use_client_credentials_or_a_secret() {
    let fake = FakeSpotify::start();
    let bare = [
        ("grant_type", "client_credentials"),
        ("client_id", PUBLIC_ID),
    ];
    assert_eq!(
        token_form(&fake, &bare).await,
        (StatusCode::BAD_REQUEST, invalid_client())
    );
    let with_secret = [
        ("grant_type", "client_credentials"),
        ("client_id", PUBLIC_ID),
        ("client_secret", "anything"),
    ];
    assert_eq!(token_form(&fake, &with_secret).await.1, invalid_client());
    let basic = http()
        .post(format!("{}/api/token", fake.accounts_url()))
        .basic_auth(PUBLIC_ID, Some(""))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("call");
    assert_eq!(
        json_of(basic).await,
        (StatusCode::BAD_REQUEST, invalid_client())
    );
    // A secret sent along with a valid PKCE exchange is refused too: the client has none.
    let code = public_code(&fake, "").await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT_URI),
        ("client_id", PUBLIC_ID),
        ("client_secret", "guess"),
        ("code_verifier", VERIFIER),
    ];
    assert_eq!(token_form(&fake, &form).await.1, invalid_client());
    assert_eq!(fake.stats().token_calls_client_credentials, 3);
}

#[tokio::test]
async fn public_client_without_code_challenge_is_redirected_with_invalid_request() {
    let fake = FakeSpotify::start();
    let location = authorize(
        &fake,
        &[
            ("client_id", PUBLIC_ID),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT_URI),
            ("state", "s2"),
        ],
    )
    .await;
    assert_eq!(location.path(), "/callback");
    assert_eq!(
        query_param(&location, "error").as_deref(),
        Some("invalid_request")
    );
    assert_eq!(query_param(&location, "state").as_deref(), Some("s2"));
    assert_eq!(query_param(&location, "code"), None);

    // An empty challenge counts as none.
    let location = authorize(
        &fake,
        &[
            ("client_id", PUBLIC_ID),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT_URI),
            ("code_challenge_method", "S256"),
            ("code_challenge", ""),
        ],
    )
    .await;
    assert_eq!(
        query_param(&location, "error").as_deref(),
        Some("invalid_request")
    );
    assert_eq!(authorize_approvals(&fake), [false, false]);
}

#[tokio::test]
async fn public_client_may_use_the_implicit_grant() {
    let fake = FakeSpotify::start();
    let location = authorize(
        &fake,
        &[
            ("client_id", PUBLIC_ID),
            ("response_type", "token"),
            ("redirect_uri", "http://[::1]:9000/callback"),
            ("state", "s3"),
        ],
    )
    .await;
    let fragment = location.fragment().expect("fragment");
    let token = url::form_urlencoded::parse(fragment.as_bytes())
        .find(|(key, _)| key == "access_token")
        .map(|(_, value)| value.into_owned())
        .expect("access_token");
    assert_eq!(
        api_get(&fake, "/v1/me", Some(&token)).await.0,
        StatusCode::OK
    );
    assert_eq!(authorize_approvals(&fake), [true]);
}

const DAY: Duration = Duration::from_secs(24 * 60 * 60);

#[tokio::test]
async fn refresh_tokens_expire_after_the_default_six_months_and_rotation_does_not_extend() {
    let clock = ManualClock::new(1_000_000.0);
    let fake = FakeSpotify::builder().clock(clock.shared()).start();
    let code = public_code(&fake, "user-read-private").await;
    let (status, body) = public_exchange(&fake, &code).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut refresh = body["refresh_token"].as_str().expect("refresh").to_owned();

    // Rotate four times over 179 days: each successor works...
    for days in [50, 50, 50, 29] {
        clock.advance(DAY * days);
        let (status, body) = public_refresh(&fake, &refresh).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        refresh = body["refresh_token"].as_str().expect("rotated").to_owned();
    }
    // ...but the newest one, minted a moment ago, still dies 180 days after the code exchange.
    clock.advance(DAY + Duration::from_secs(1));
    assert_eq!(
        public_refresh(&fake, &refresh).await,
        (
            StatusCode::BAD_REQUEST,
            invalid_grant("Refresh token expired")
        )
    );
    // And stays expired.
    assert_eq!(
        public_refresh(&fake, &refresh).await.1,
        invalid_grant("Refresh token expired")
    );
    assert_eq!(
        FakeSpotify::DEFAULT_REFRESH_TOKEN_LIFETIME,
        DAY * 180,
        "six months"
    );
}

#[tokio::test]
async fn refresh_token_lifetime_is_configurable_and_counts_from_first_issue() {
    let clock = ManualClock::new(2_000_000.0);
    let fake = FakeSpotify::builder()
        .clock(clock.shared())
        .refresh_token_lifetime(Duration::from_secs(3600))
        .rotate_refresh_tokens(true)
        .start();

    // Confidential code flow with rotation: three refreshes 1000 s apart all succeed.
    let code = code_for(&fake, "streaming", None).await;
    let exchange = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT_URI),
    ];
    let (_, body) = token_basic(&fake, &exchange).await;
    let mut refresh = body["refresh_token"].as_str().expect("refresh").to_owned();
    for _ in 0..3 {
        clock.advance(Duration::from_secs(1000));
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh.as_str()),
        ];
        let (status, body) = token_basic(&fake, &form).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        refresh = body["refresh_token"].as_str().expect("rotated").to_owned();
    }
    // A token minted by the test at t0 + 3000 s counts from then.
    let minted = fake.issue_refresh_token("streaming");
    clock.advance(Duration::from_secs(600)); // t0 + 3600 s: the code's chain has expired.
    let chain_form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh.as_str()),
    ];
    assert_eq!(
        token_basic(&fake, &chain_form).await,
        (
            StatusCode::BAD_REQUEST,
            invalid_grant("Refresh token expired")
        )
    );
    let minted_form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", minted.as_str()),
    ];
    let (status, body) = token_basic(&fake, &minted_form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let successor = body["refresh_token"].as_str().expect("rotated").to_owned();
    clock.advance(Duration::from_secs(3000)); // minted + 3600 s
    let successor_form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", successor.as_str()),
    ];
    assert_eq!(
        token_basic(&fake, &successor_form).await.1,
        invalid_grant("Refresh token expired")
    );
    // Revocation still wins over expiry.
    fake.revoke_refresh_tokens();
    assert_eq!(
        token_basic(&fake, &successor_form).await.1,
        invalid_grant("Refresh token revoked")
    );
}

#[tokio::test]
async fn non_rotating_refresh_token_expires_from_its_issue_time() {
    let clock = ManualClock::new(3_000_000.0);
    let fake = FakeSpotify::builder()
        .clock(clock.shared())
        .refresh_token_lifetime(DAY)
        .start();
    let refresh = fake.issue_refresh_token("");
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh.as_str()),
    ];
    for _ in 0..3 {
        clock.advance(DAY / 4);
        let (status, body) = token_basic(&fake, &form).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.get("refresh_token").is_none());
    }
    clock.advance(DAY / 4);
    assert_eq!(
        token_basic(&fake, &form).await,
        (
            StatusCode::BAD_REQUEST,
            invalid_grant("Refresh token expired")
        )
    );
}
