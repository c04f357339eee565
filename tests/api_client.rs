//! The Web API client's failure handling, through its public API against FakeSpotify: the scope
//! check, 429 with and without an automatic wait, 5xx retries, a refused token renewed once,
//! paging streams and argument errors.
#![allow(deprecated)] // get_tracks and get_recommendations are removed for new apps

mod common;

use std::time::Duration;

use futures::TryStreamExt as _;
use spotipie::api::endpoints::RecommendationsRequest;
use spotipie::api::{ClientPolicy, PageLimit, Spotify, SpotifyId as _, TrackId, WebApiError};
use spotipie::testing::ApiFault;

const ID: &str = "11dFghVXANMlKmJXsNCbNl";

fn track() -> TrackId {
    TrackId::parse(ID).expect("a valid id")
}

fn quick_retries() -> ClientPolicy {
    ClientPolicy {
        retry_base_delay: Duration::from_millis(1),
        retry_max_delay: Duration::from_millis(5),
        ..ClientPolicy::default()
    }
}

#[actix::test]
async fn a_missing_scope_fails_before_any_request() {
    let world = common::world();
    let user = Spotify::new(common::user_session(&world, "user-read-email"));
    let error = user
        .get_saved_tracks(None, None, None)
        .await
        .expect_err("user-library-read was not granted");
    let WebApiError::InsufficientScope { operation, missing } = &error else {
        panic!("expected InsufficientScope, got {error:?}");
    };
    assert_eq!(*operation, "get_users_saved_tracks");
    assert_eq!(missing, &["user-library-read"]);
    assert!(error.is_insufficient_scope());
    assert_eq!(world.fake.stats().api_calls, 0, "nothing was sent");

    // A client-credentials session has no user scope at all.
    let app = Spotify::new(
        world
            .spotipie
            .client_credentials_session(common::credentials()),
    );
    app.session().renew().await.expect("app token");
    let error = app
        .get_saved_tracks(None, None, None)
        .await
        .expect_err("no user");
    assert!(error.is_insufficient_scope(), "{error:?}");

    // With the check off, Spotify's own 403 comes back as a typed HTTP error.
    let unchecked = Spotify::with_policy(
        user.session().clone(),
        ClientPolicy {
            check_scopes: false,
            ..ClientPolicy::default()
        },
    );
    let error = unchecked
        .get_saved_tracks(None, None, None)
        .await
        .expect_err("403");
    assert!(error.is_forbidden(), "{error:?}");
    assert_eq!(world.fake.stats().api_calls, 1);
}

#[actix::test]
async fn a_429_without_automatic_wait_is_a_typed_rate_limit_error() {
    let world = common::world();
    let spotify = Spotify::new(common::user_session(&world, ""));
    world.fake.fail_next_api_calls(
        1,
        ApiFault::Status {
            status: 429,
            message: "API rate limit exceeded".to_owned(),
            reason: Some("QUOTA_EXCEEDED".to_owned()),
        },
    );
    let error = spotify.get_track(&track(), None).await.expect_err("429");
    assert!(error.is_rate_limited());
    assert_eq!(error.reason(), Some("QUOTA_EXCEEDED"));
    assert_eq!(error.status(), Some(429));

    world.fake.fail_next_api_calls(
        1,
        ApiFault::RateLimited {
            retry_after_secs: 7,
        },
    );
    let error = spotify.get_track(&track(), None).await.expect_err("429");
    let WebApiError::RateLimited {
        retry_after,
        waited,
        ..
    } = error
    else {
        panic!("expected RateLimited, got {error:?}");
    };
    assert_eq!(retry_after, Some(Duration::from_secs(7)));
    assert_eq!(waited, Duration::ZERO);
    assert_eq!(
        world.fake.stats().api_calls,
        2,
        "no retry without a wait cap"
    );
}

#[actix::test]
async fn a_429_within_the_wait_cap_is_retried_once_the_clock_passes_retry_after() {
    let world = common::world();
    let spotify = Spotify::with_policy(
        common::user_session(&world, ""),
        ClientPolicy {
            max_rate_limit_wait: Duration::from_secs(10),
            ..ClientPolicy::default()
        },
    );
    world.fake.fail_next_api_calls(
        1,
        ApiFault::RateLimited {
            retry_after_secs: 3,
        },
    );
    let call = actix::spawn({
        let spotify = spotify.clone();
        async move { spotify.get_track(&track(), None).await }
    });
    // The first attempt is answered with 429; the call then sleeps on the session's clock.
    // Advancing before it is asleep would move its deadline, so wait for that first.
    for _ in 0..1000 {
        if world.clock.sleepers() == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    assert_eq!(world.clock.sleepers(), 1, "the call waits on the clock");
    assert_eq!(world.fake.stats().api_calls, 1);
    world.clock.advance(Duration::from_secs(2));
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(!call.is_finished(), "2 s of a 3 s Retry-After have passed");
    assert_eq!(world.fake.stats().api_calls, 1);

    world.clock.advance(Duration::from_secs(1));
    let answer = call.await.expect("task").expect("the retry succeeds");
    assert_eq!(answer.id.as_deref(), Some(ID));
    assert_eq!(world.fake.stats().api_calls, 2);

    // A Retry-After beyond the cap fails at once instead of sleeping.
    world.fake.fail_next_api_calls(
        1,
        ApiFault::RateLimited {
            retry_after_secs: 60,
        },
    );
    let error = spotify
        .get_track(&track(), None)
        .await
        .expect_err("too long");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(60)));
    assert_eq!(world.fake.stats().api_calls, 3);
}

#[actix::test]
async fn server_errors_are_retried_with_backoff_up_to_the_budget() {
    let world = common::world();
    let spotify = Spotify::with_policy(common::user_session(&world, ""), quick_retries());
    world
        .fake
        .fail_next_api_calls(2, ApiFault::ServerError(503));
    let answer = spotify.get_track(&track(), None).await.expect("third try");
    assert_eq!(answer.id.as_deref(), Some(ID));
    assert_eq!(world.fake.stats().api_calls, 3);

    world.fake.reset_stats();
    world
        .fake
        .fail_next_api_calls(5, ApiFault::ServerError(502));
    let error = spotify
        .get_track(&track(), None)
        .await
        .expect_err("budget spent");
    assert_eq!(error.status(), Some(502));
    assert_eq!(world.fake.stats().api_calls, 3, "one try and two retries");
}

#[actix::test]
async fn a_post_is_never_retried_after_a_server_error() {
    let world = common::world();
    let spotify = Spotify::with_policy(
        common::user_session(&world, "user-modify-playback-state"),
        quick_retries(),
    );
    world
        .fake
        .fail_next_api_calls(1, ApiFault::ServerError(500));
    let uri = spotipie::api::SpotifyUri::from(&track());
    let error = spotify.add_to_queue(&uri, None).await.expect_err("500");
    assert_eq!(error.status(), Some(500));
    assert_eq!(
        world.fake.stats().api_calls,
        1,
        "POST /me/player/queue is not idempotent"
    );
}

#[actix::test]
async fn a_refused_token_is_renewed_once_and_the_calls_retried() {
    let world = common::world();
    let spotify = Spotify::new(common::user_session(&world, ""));
    spotify
        .get_track(&track(), None)
        .await
        .expect("fresh token");
    world.fake.reset_stats();

    // Spotify stops accepting the token the session still thinks is fresh.
    world.fake.expire_access_tokens();
    let calls = (0..20).map(|_| {
        let spotify = spotify.clone();
        async move { spotify.get_track(&track(), None).await }
    });
    for answer in futures::future::join_all(calls).await {
        assert_eq!(answer.expect("renewed and retried").id.as_deref(), Some(ID));
    }
    let stats = world.fake.stats();
    assert_eq!(
        stats.token_calls_refresh_token, 1,
        "one renewal for all 20 refusals"
    );
    assert_eq!(stats.unauthorized, 20);
    assert_eq!(stats.api_calls, 40);
}

#[actix::test]
async fn a_refused_token_that_cannot_be_renewed_is_a_typed_error() {
    let world = common::world();
    let token = spotipie::OAuth2Token::new(
        world.fake.issue_access_token(3600, ""),
        Duration::from_secs(3600),
        &world.clock,
    );
    let session = world.spotipie.start_session_with(
        spotipie::ExternalTokenFlow::new(common::credentials(), ""),
        spotipie::SessionOptions {
            token: Some(token),
            ..Default::default()
        },
    );
    let spotify = Spotify::new(session);
    world.fake.expire_access_tokens();
    let error = spotify.get_track(&track(), None).await.expect_err("401");
    assert!(error.is_token_expired(), "{error:?}");
    assert_eq!(error.status(), Some(401));
    assert_eq!(world.fake.stats().token_calls_total(), 0);
}

#[actix::test]
async fn a_paging_stream_walks_every_page_and_stops_at_its_limit() {
    let world = common::world();
    let spotify = Spotify::new(common::user_session(&world, "user-library-read"));
    let first = spotify
        .get_saved_tracks(None, Some(3), None)
        .await
        .expect("first page");
    assert_eq!((first.items.len(), first.total), (3, 7));

    let all: Vec<_> = spotify
        .stream(first.clone(), PageLimit::all())
        .try_collect()
        .await
        .expect("three pages");
    assert_eq!(all.len(), 7);
    let mut ids: Vec<_> = all
        .iter()
        .filter_map(|saved| saved.track.id.clone())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 7, "seven distinct tracks across the pages");
    let calls = world.fake.operation_calls();
    assert_eq!(calls.get("get_users_saved_tracks"), Some(&3));

    let four: Vec<_> = spotify
        .stream(first.clone(), PageLimit::items(4))
        .try_collect()
        .await
        .expect("two pages");
    assert_eq!(four.len(), 4);
    let two_pages: Vec<_> = spotify
        .stream(first, PageLimit::pages(2))
        .try_collect()
        .await
        .expect("two pages");
    assert_eq!(two_pages.len(), 6);
    assert_eq!(
        world.fake.operation_calls().get("get_users_saved_tracks"),
        Some(&5),
        "each limited walk fetched only the second page"
    );
}

#[actix::test]
async fn bad_arguments_are_typed_errors_and_nothing_is_sent() {
    let world = common::world();
    let spotify = Spotify::new(common::user_session(&world, common::ALL_SCOPES));
    fn invalid<T>(result: Result<T, WebApiError>) -> bool {
        matches!(result, Err(WebApiError::InvalidArgument(_)))
    }
    assert!(invalid(spotify.get_saved_tracks(None, Some(0), None).await));
    assert!(invalid(
        spotify.get_saved_tracks(None, Some(51), None).await
    ));
    assert!(invalid(spotify.get_track(&track(), Some("germany")).await));
    assert!(invalid(spotify.get_tracks(&[], None).await));
    let too_many = vec![track(); 51];
    assert!(invalid(spotify.get_tracks(&too_many, None).await));
    let no_seed = RecommendationsRequest::default();
    assert!(invalid(spotify.get_recommendations(&no_seed).await));
    let bad_attribute = RecommendationsRequest {
        seed_tracks: vec![track()],
        attributes: vec![("target_loudnes".to_owned(), 1.0)],
        ..RecommendationsRequest::default()
    };
    assert!(invalid(spotify.get_recommendations(&bad_attribute).await));
    assert_eq!(world.fake.stats().api_calls, 0);
}

#[actix::test]
async fn spotifys_error_object_is_kept() {
    let world = common::world();
    let spotify = Spotify::new(common::user_session(&world, ""));
    world.fake.fail_next_api_calls(
        1,
        ApiFault::Status {
            status: 404,
            message: "Non existing id".to_owned(),
            reason: None,
        },
    );
    let error = spotify.get_track(&track(), None).await.expect_err("404");
    assert!(error.is_not_found());
    let api = error.api_error().expect("Spotify's error object");
    assert_eq!(api.message.as_deref(), Some("Non existing id"));
    assert!(error.to_string().contains("Non existing id"), "{error}");
}

#[actix::test]
async fn a_development_mode_app_gets_403_for_removed_operations_and_trimmed_answers() {
    let world = common::world_with(common::fast_policy(), |fake| fake.development_mode(true));
    let spotify = Spotify::new(common::user_session(&world, common::ALL_SCOPES));

    let error = spotify
        .get_tracks(&[track()], None)
        .await
        .expect_err("batch GETs are removed for new apps");
    assert!(error.is_forbidden(), "{error:?}");

    // The same models parse the trimmed answers; the dropped fields read as absent.
    let answer = spotify
        .get_track(&track(), None)
        .await
        .expect("still active");
    assert_eq!(answer.id.as_deref(), Some(ID));
    assert_eq!(answer.popularity, None);
    assert_eq!(answer.available_markets, None);
    let me = spotify.get_current_user().await.expect("still active");
    assert_eq!((me.email, me.country, me.product), (None, None, None));
    assert!(
        me.account_id.is_some(),
        "account_id is the 2026 linking key"
    );
}
