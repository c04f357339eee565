//! User authorization end to end against FakeSpotify: the authorization-code flow, PKCE and the
//! legacy implicit grant, with the browser's part played by an HTTP client that reads the
//! `/authorize` redirect.

mod common;

use std::sync::Arc;

use actix::prelude::*;
use common::*;
use futures::future::join_all;
use spotipie::testing::{AuthorizeDecision, FakeSpotify};
use spotipie::{
    AuthorizationCodeFlow, AuthorizationError, Credentials, ImplicitGrantFlow, OAuthErrorCode,
    PkceFlow, SessionError, SessionHandle, TokenExpired,
};

const REDIRECT: &str = "http://127.0.0.1:8765/callback";
const SCOPE: &str = "user-read-email user-read-private";

fn confidential() -> Credentials {
    credentials().with_redirect_uri(REDIRECT)
}

fn public() -> Credentials {
    Credentials::public(FakeSpotify::PUBLIC_CLIENT_ID).with_redirect_uri(REDIRECT)
}

/// Plays the browser: opens the authorization URL and returns where Spotify sends the user back.
async fn consent(url: &url::Url) -> String {
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let response = browser.get(url.clone()).send().await.expect("authorize");
    assert_eq!(response.status(), 302, "the fake redirects at once");
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("a Location")
        .to_owned()
}

/// Runs one whole authorization on `session`.
async fn authorize(session: &SessionHandle) -> Result<Arc<spotipie::OAuth2Token>, SessionError> {
    let (url, _state) = session.authorization_url(false).await?;
    session.fetch_token(&consent(&url).await).await
}

fn authorization_error(result: Result<impl std::fmt::Debug, SessionError>) -> AuthorizationError {
    match result {
        Err(SessionError::Authorization(error)) => error,
        other => panic!("expected an authorization error, got {other:?}"),
    }
}

#[actix::test]
async fn authorization_code_flow_end_to_end_then_renews_with_the_refresh_token() {
    let w = world();
    let flow = AuthorizationCodeFlow::new(confidential(), SCOPE).expect("valid flow");
    let session = w.spotipie.start_session(flow);
    let recorder = Recorder::subscribe_all(&w.spotipie).await;

    let token = authorize(&session).await.expect("authorized");
    assert!(token.refresh_token.is_some());
    assert_eq!(token.scope.to_string(), "user-read-email user-read-private");
    let me = session.get("/v1/me").await.expect("sent");
    assert_eq!(me.status, 200, "a user token");
    settle(&w.spotipie).await;
    assert_eq!(recorder.names(), vec!["token_updated"]);

    expire(&w);
    assert_eq!(session.get("/v1/me").await.expect("renewed").status, 200);
    let stats = w.fake.stats();
    assert_eq!(stats.token_calls_authorization_code, 1);
    assert_eq!(stats.token_calls_refresh_token, 1);
}

#[actix::test]
async fn pkce_flow_end_to_end_sends_no_secret_and_renews() {
    let w = world();
    let session = w
        .spotipie
        .start_session(PkceFlow::new(public(), SCOPE).expect("valid flow"));
    let (url, _) = session.authorization_url(true).await.expect("url");
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let has = |k: &str, v: &str| query.iter().any(|(a, b)| a == k && b == v);
    assert!(has("code_challenge_method", "S256") && has("show_dialog", "true"));
    let token = session
        .fetch_token(&consent(&url).await)
        .await
        .expect("authorized");
    assert!(token.refresh_token.is_some());
    expire(&w);
    assert_eq!(session.get("/v1/me").await.expect("renewed").status, 200);
    assert_eq!(w.fake.stats().token_calls_refresh_token, 1);
}

#[actix::test]
async fn state_mismatch_is_refused_before_any_exchange() {
    let w = world();
    let session = w
        .spotipie
        .start_session(AuthorizationCodeFlow::new(confidential(), SCOPE).expect("flow"));
    let (url, state) = session.authorization_url(false).await.expect("url");
    let callback = consent(&url).await;
    let forged = callback.replace(state.secret(), "forged-state");
    assert!(authorization_error(session.fetch_token(&forged).await).is_state_mismatch());
    let stripped = callback.replace(&format!("state={}", state.secret()), "");
    assert!(authorization_error(session.fetch_token(&stripped).await).is_state_mismatch());
    // A callback for a state never issued by this session.
    let other = w
        .spotipie
        .start_session(AuthorizationCodeFlow::new(confidential(), SCOPE).expect("flow"));
    assert!(authorization_error(other.fetch_token(&callback).await).is_state_mismatch());
    assert_eq!(w.fake.stats().token_calls_total(), 0);
    // The genuine callback still works, once.
    session.fetch_token(&callback).await.expect("genuine");
    assert!(authorization_error(session.fetch_token(&callback).await).is_state_mismatch());
}

#[actix::test]
async fn a_user_who_denies_gets_a_typed_access_denied() {
    let w = world();
    w.fake.set_authorize_decision(AuthorizeDecision::Deny);
    let session = w
        .spotipie
        .start_session(AuthorizationCodeFlow::new(confidential(), SCOPE).expect("flow"));
    let error = authorization_error(authorize(&session).await);
    assert!(error.is_access_denied(), "{error:?}");
    assert!(!session.is_authorized().await.expect("answers"));
}

#[actix::test]
async fn a_wrong_pkce_verifier_is_invalid_grant() {
    let w = world();
    let session = w
        .spotipie
        .start_session(PkceFlow::new(public(), SCOPE).expect("flow"));
    let (first_url, first_state) = session.authorization_url(false).await.expect("url");
    let (_, second_state) = session.authorization_url(false).await.expect("url");
    // The first authorization's code, presented with the second's state: the session sends the
    // second authorization's verifier, which does not match the first's challenge.
    let callback = consent(&first_url).await;
    let swapped = callback.replace(first_state.secret(), second_state.secret());
    match authorization_error(session.fetch_token(&swapped).await) {
        AuthorizationError::Exchange(error) => {
            assert_eq!(error.code(), Some(&OAuthErrorCode::InvalidGrant))
        }
        other => panic!("{other:?}"),
    }
}

#[actix::test]
async fn bad_callback_urls_are_typed_errors() {
    let w = world();
    let session = w
        .spotipie
        .start_session(AuthorizationCodeFlow::new(confidential(), SCOPE).expect("flow"));
    let (_, state) = session.authorization_url(false).await.expect("url");
    let s = state.secret();
    let no_code = format!("{REDIRECT}?state={s}");
    assert!(matches!(
        authorization_error(session.fetch_token(&no_code).await),
        AuthorizationError::Missing("code")
    ));
    let (_, state) = session.authorization_url(false).await.expect("url");
    let both = format!(
        "{REDIRECT}?code=abc&error=access_denied&state={}",
        state.secret()
    );
    assert!(matches!(
        authorization_error(session.fetch_token(&both).await),
        AuthorizationError::Ambiguous
    ));
    assert!(matches!(
        authorization_error(session.fetch_token("http://[garbage").await),
        AuthorizationError::InvalidCallback(_)
    ));
    let huge = format!("{REDIRECT}?code={}", "a".repeat(1024 * 1024));
    assert!(matches!(
        authorization_error(session.fetch_token(&huge).await),
        AuthorizationError::CallbackTooLong { .. }
    ));
    assert_eq!(w.fake.stats().token_calls_total(), 0);
}

#[actix::test]
async fn redirect_uri_rules_and_flow_requirements_are_checked_when_the_flow_is_built() {
    let localhost = credentials().with_redirect_uri("http://localhost:8888/callback");
    let error = AuthorizationCodeFlow::new(localhost, SCOPE).expect_err("localhost");
    assert!(error.to_string().contains("127.0.0.1"), "{error}");
    assert!(
        PkceFlow::new(Credentials::public("id"), SCOPE).is_err(),
        "no redirect URI"
    );
    assert!(
        AuthorizationCodeFlow::new(public(), SCOPE).is_err(),
        "no secret"
    );
    let w = world();
    let cc = w.spotipie.client_credentials_session(credentials());
    assert!(matches!(
        authorization_error(cc.authorization_url(false).await),
        AuthorizationError::WrongFlow(_)
    ));
}

#[actix::test]
async fn twenty_renewals_in_a_row_each_use_the_newest_refresh_token() {
    let w = world_with(fast_policy(), |b| b.rotate_refresh_tokens(true));
    let session = w
        .spotipie
        .start_session(AuthorizationCodeFlow::new(confidential(), SCOPE).expect("flow"));
    let mut refresh = authorize(&session)
        .await
        .expect("authorized")
        .refresh_token
        .clone();
    for round in 0..20 {
        expire(&w);
        assert_eq!(session.get("/v1/me").await.expect("renewed").status, 200);
        let now = session.token().await.expect("answers").expect("a token");
        assert_ne!(now.refresh_token, refresh, "round {round}: rotated");
        refresh = now.refresh_token.clone();
    }
    assert_eq!(w.fake.stats().token_calls_refresh_token, 20);
}

#[actix::test]
async fn five_hundred_requests_on_an_expired_pkce_session_make_one_renewal() {
    let w = world();
    let session = w
        .spotipie
        .start_session(PkceFlow::new(public(), SCOPE).expect("flow"));
    authorize(&session).await.expect("authorized");
    expire(&w);
    let results = join_all((0..500).map(|_| session.get("/v1/me"))).await;
    assert!(results
        .iter()
        .all(|r| r.as_ref().is_ok_and(|r| r.status == 200)));
    assert_eq!(
        w.fake.stats().token_calls_refresh_token,
        1,
        "single-use tokens survive"
    );
}

/// Renews an implicit-grant session the only way it can be: by running the authorization again
/// from inside its `TokenExpired` handler (S6, S7).
struct ReAuthorizer;

impl Actor for ReAuthorizer {
    type Context = Context<Self>;
}

impl Handler<TokenExpired> for ReAuthorizer {
    type Result = ResponseFuture<()>;

    fn handle(&mut self, event: TokenExpired, _: &mut Self::Context) -> Self::Result {
        Box::pin(async move {
            authorize(&event.session).await.expect("re-authorized");
        })
    }
}

#[actix::test]
async fn implicit_grant_never_renews_by_itself_but_a_re_authorizing_subscriber_rescues_requests() {
    let w = world();
    let session = w
        .spotipie
        .start_session(ImplicitGrantFlow::new(confidential(), SCOPE).expect("flow"));
    let token = authorize(&session).await.expect("token from the fragment");
    assert!(token.refresh_token.is_none());
    assert!(!session.is_refreshable());
    assert_eq!(session.get("/v1/me").await.expect("sent").status, 200);

    expire(&w);
    let err = session
        .get("/v1/me")
        .await
        .expect_err("no renewal by itself");
    assert!(err.is_token_expired(), "{err:?}");
    assert_eq!(w.fake.stats().token_calls_total(), 0);

    let reauthorizer = ReAuthorizer.start();
    w.spotipie
        .subscribe_to::<TokenExpired>(session.id(), reauthorizer.recipient())
        .await
        .expect("bus");
    expire(&w);
    assert_eq!(session.get("/v1/me").await.expect("rescued").status, 200);
    assert_eq!(w.fake.stats().authorize_calls, 2);
    assert_eq!(w.fake.stats().token_calls_total(), 0);
}

#[actix::test]
async fn an_expired_refresh_token_requires_a_new_authorization() {
    // Refresh tokens die a fixed time after consent; refreshing does not extend them.
    let w = world_with(fast_policy(), |b| {
        b.refresh_token_lifetime(std::time::Duration::from_secs(3 * 3600))
    });
    let session = w
        .spotipie
        .start_session(PkceFlow::new(public(), SCOPE).expect("flow"));
    authorize(&session).await.expect("authorized");
    for _ in 0..2 {
        expire(&w);
        session
            .get("/v1/me")
            .await
            .expect("renewed within the lifetime");
    }
    expire(&w);
    let err = session.get("/v1/me").await.expect_err("past the lifetime");
    assert!(err.requires_reauthorization(), "{err:?}");
    // Authorizing again brings the session back.
    authorize(&session).await.expect("authorized again");
    assert_eq!(session.get("/v1/me").await.expect("sent").status, 200);
}
