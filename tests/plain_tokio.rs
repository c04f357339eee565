//! A plain tokio program (no actix system of its own) runs the actors on a thread of their own.

use std::time::Duration;

use spotipie::testing::FakeSpotify;
use spotipie::{Credentials, Endpoints, OAuth2Token, Spotipie};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_work_from_plain_tokio_through_an_actor_thread() {
    let fake = FakeSpotify::start();
    let spotipie = Spotipie::builder()
        .endpoints(Endpoints::single(fake.url()).expect("loopback"))
        .start_in_thread();
    let session = spotipie.client_credentials_session(Credentials::new(
        FakeSpotify::CLIENT_ID,
        FakeSpotify::CLIENT_SECRET,
    ));
    session.renew().await.expect("first token");
    let mut events = spotipie.events().await.expect("bus");

    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let session = session.clone();
            tokio::spawn(async move { session.get("/v1/tracks/11dFghVXANMlKmJXsNCbNl").await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.expect("joined").expect("ok").status, 200);
    }

    // An expired token set from this runtime is renewed by the actor thread.
    session
        .set_token(OAuth2Token::new(
            "old",
            Duration::ZERO,
            spotipie.clock().as_ref(),
        ))
        .await
        .expect("set");
    let response = session
        .get("/v1/tracks/11dFghVXANMlKmJXsNCbNl")
        .await
        .expect("renewed");
    assert_eq!(response.status, 200);
    use futures::StreamExt;
    let first = events.next().await.expect("event");
    assert_eq!(first.name(), "token_updated");
    assert_eq!(fake.stats().token_calls_total(), 2);
    drop(spotipie);
}
