//! The quickstart: one call starts the bus, the refresher and a client-credentials session with
//! its first token, with endpoints from the environment. (Its own test binary: it sets
//! environment variables, which no other test in this process reads.)

use spotipie::testing::FakeSpotify;
use spotipie::{quickstart, Credentials, QuickstartError};

#[actix::test]
async fn quickstart_reads_endpoints_from_the_environment_and_fetches_the_first_token() {
    let fake = FakeSpotify::start();
    std::env::set_var("SPOTIPIE_ACCOUNTS_URL", fake.url());
    std::env::set_var("SPOTIPIE_API_URL", fake.url());
    let creds = Credentials::from_lookup("QS", |name| match name {
        "QS_CLIENT_ID" => Some(FakeSpotify::CLIENT_ID.to_owned()),
        "QS_CLIENT_SECRET" => Some(FakeSpotify::CLIENT_SECRET.to_owned()),
        _ => None,
    })
    .expect("credentials");
    let app = quickstart(creds).await.expect("started");
    assert!(app.session.token_snapshot().is_some());
    let response = app
        .session
        .get("/v1/tracks/11dFghVXANMlKmJXsNCbNl")
        .await
        .expect("sent");
    assert_eq!(response.status, 200);
    assert_eq!(fake.stats().token_calls_client_credentials, 1);

    let bad = quickstart(Credentials::new(FakeSpotify::CLIENT_ID, "wrong")).await;
    assert!(matches!(bad, Err(QuickstartError::Session(_))));

    std::env::set_var("SPOTIPIE_API_URL", "http://example.com");
    let insecure = quickstart(Credentials::new("id", "secret")).await;
    assert!(matches!(insecure, Err(QuickstartError::Config(_))));
}
