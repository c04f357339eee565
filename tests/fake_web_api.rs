//! FakeSpotify's Web API, tested with plain reqwest: routing by the catalogue, Spotify's checks
//! and error shapes, fixtures, paging, Development Mode, fault injection and observation.

#![cfg(feature = "testing")]

#[path = "fake_web_api/support.rs"]
mod support;

use reqwest::header::{ALLOW, CONTENT_TYPE, RETRY_AFTER};
use reqwest::Method;
use serde_json::{json, Value};
use spotipie::api::catalogue::{Status, OPERATIONS};
use spotipie::testing::{ApiFault, FakeSpotify, FAKE_USER_ID};
use support::*;

#[tokio::test]
async fn every_operation_of_the_catalogue_is_served_and_counted() {
    let api = Api::start();
    for op in OPERATIONS {
        let (path, body) = valid_call(op);
        let answer = if op.id == "upload_custom_playlist_cover" {
            let request = api.http.put(api.url(&path)).bearer_auth(&api.token);
            let jpeg = request
                .header(CONTENT_TYPE, "image/jpeg")
                .body("/9j/4AAQSkZJRgABAQ==");
            api.send(jpeg).await
        } else {
            api.call(op.method.clone(), &path, body).await
        };
        let (status, body) = (answer.status, answer.body);
        assert!(
            (200..300).contains(&status),
            "{} {path}: {status} {body}",
            op.method
        );
        if status == 204 {
            assert_eq!(body, Value::Null);
        }
    }
    let calls = api.fake.operation_calls();
    assert_eq!(calls.len(), OPERATIONS.len());
    assert!(calls.values().all(|count| *count == 1), "{calls:?}");
    assert_eq!(api.fake.stats().api_calls, OPERATIONS.len() as u64);
}

#[tokio::test]
async fn routing_serves_each_method_and_echoes_ids() {
    let api = Api::start();
    let album = api.get(&format!("/v1/albums/{ID}")).await;
    assert_eq!(
        (&album["id"], &album["type"]),
        (&json!(ID), &json!("album"))
    );
    assert_eq!(album["tracks"]["total"], 7);
    let several = api.get(&format!("/v1/tracks?ids={ID},{ID2}")).await;
    let ids: Vec<&Value> = several["tracks"]
        .as_array()
        .expect("tracks")
        .iter()
        .map(|t| &t["id"])
        .collect();
    assert_eq!(ids, [ID, ID2]);
    let contains = api
        .get(&format!("/v1/me/albums/contains?ids={ID},{ID2},{ID}"))
        .await;
    assert_eq!(contains, json!([true, false, true]));
    let library = format!("/v1/me/library/contains?uris=spotify:track:{ID},spotify:artist:{ID2}");
    assert_eq!(api.get(&library).await, json!([true, false]));

    api.expect(PUT, &format!("/v1/me/albums?ids={ID}"), None, 204)
        .await;
    api.expect(
        DELETE,
        &format!("/v1/me/library?uris=spotify:album:{ID}"),
        None,
        204,
    )
    .await;
    api.expect(POST, "/v1/me/player/next", None, 204).await;

    let body = json!({ "name": "Road trip", "public": false });
    let created = api.expect(POST, "/v1/me/playlists", Some(body), 201).await;
    assert_eq!(
        (&created["name"], &created["public"]),
        (&json!("Road trip"), &json!(false))
    );
    assert_eq!(created["owner"]["id"], FAKE_USER_ID);
    let add = format!("/v1/playlists/{ID}/items?uris=spotify:track:{ID2}");
    let added = api.expect(POST, &add, None, 201).await;
    let replace = json!({ "uris": [format!("spotify:episode:{ID}")] });
    let replaced = api
        .expect(
            PUT,
            &format!("/v1/playlists/{ID}/items"),
            Some(replace),
            200,
        )
        .await;
    assert!(added["snapshot_id"].is_string());
    assert_ne!(
        replaced["snapshot_id"], added["snapshot_id"],
        "each change, a new snapshot"
    );

    let playlist = api.get(&format!("/v1/playlists/{ID}")).await;
    assert_eq!(playlist["id"], ID);
    assert!(
        playlist["items"]["items"][0]["item"]["id"].is_string(),
        "2026: items/item"
    );
    let search = api.get("/v1/search?q=abba&type=track,artist").await;
    let keys: Vec<&String> = search.as_object().expect("object").keys().collect();
    assert_eq!(keys, ["artists", "tracks"]);
    let me = api.get("/v1/me").await;
    assert_eq!(
        (&me["id"], me["account_id"].is_string()),
        (&json!(FAKE_USER_ID), true)
    );
}

#[tokio::test]
async fn unknown_paths_wrong_methods_and_token_checks() {
    let api = Api::start();
    api.fails(GET, "/v1/nothing/here", None, 404, "Service not found")
        .await;
    let wrong = api.call(POST, &format!("/v1/albums/{ID}"), None).await;
    assert_eq!(
        (wrong.status, wrong.body),
        (405, error(405, "Method not allowed"))
    );
    assert_eq!(wrong.headers[ALLOW], "GET");

    let path = format!("/v1/albums/{ID}");
    let none = api.call_as(None, GET, &path).await;
    assert_eq!(
        (none.status, none.body),
        (401, error(401, "No token provided"))
    );
    let forged = api.call_as(Some("forged"), GET, &path).await;
    assert_eq!(
        (forged.status, forged.body),
        (401, error(401, "Invalid access token"))
    );

    let form = [("grant_type", "client_credentials")];
    let request = api
        .http
        .post(format!("{}/api/token", api.fake.accounts_url()));
    let request = request.basic_auth(FakeSpotify::CLIENT_ID, Some(FakeSpotify::CLIENT_SECRET));
    let cc = api.send(request.form(&form)).await.body;
    let cc = cc["access_token"].as_str().expect("token");
    let mine = api.call_as(Some(cc), GET, "/v1/me/tracks").await;
    let user_required = error(401, "Valid user authentication required");
    assert_eq!((mine.status, mine.body), (401, user_required));
    assert_eq!(
        api.call_as(Some(cc), GET, &path).await.status,
        200,
        "the catalogue is open"
    );
    assert_eq!(api.fake.stats().unauthorized, 3);
}

#[tokio::test]
async fn scopes_are_checked_per_operation_and_per_uri_type() {
    let api = Api::start();
    let insufficient = error(403, "Insufficient client scope");
    let status_with = |scope: &'static str, method: Method, path: String| {
        let api = &api;
        let token = api.fake.issue_access_token(3600, scope);
        let insufficient = insufficient.clone();
        async move {
            let answer = api.call_as(Some(&token), method, &path).await;
            if answer.status == 403 {
                assert_eq!(answer.body, insufficient);
            }
            answer.status
        }
    };
    let read = "user-library-read";
    assert_eq!(status_with(read, GET, "/v1/me/tracks".into()).await, 200);
    assert_eq!(status_with(read, GET, "/v1/me/player".into()).await, 403);
    let save = format!("/v1/me/library?uris=spotify:track:{ID}");
    assert_eq!(status_with(read, PUT, save).await, 403);
    let tracks = format!("/v1/me/library/contains?uris=spotify:track:{ID}");
    assert_eq!(status_with(read, GET, tracks.clone()).await, 200);
    let artists = format!("{tracks},spotify:artist:{ID}");
    assert_eq!(status_with(read, GET, artists.clone()).await, 403);
    let follows = "user-library-read user-follow-read";
    assert_eq!(status_with(follows, GET, artists).await, 200);
    // Scopes that only widen the answer are not required.
    assert_eq!(status_with("", GET, "/v1/me".into()).await, 200);
    // Either playlist-modify scope will do.
    let details = format!("/v1/playlists/{ID}");
    assert_eq!(
        status_with("playlist-modify-private", PUT, details.clone()).await,
        204
    );
    assert_eq!(
        status_with("playlist-read-private", PUT, details).await,
        403
    );
}

#[tokio::test]
async fn bad_input_is_400_in_spotifys_shape() {
    let api = Api::start();
    let bad_id = "Invalid base62 id";
    api.fails(GET, "/v1/albums", None, 400, "Missing required field: ids")
        .await;
    api.fails(
        GET,
        "/v1/search?q=x",
        None,
        400,
        "Missing required field: type",
    )
    .await;
    api.fails(GET, "/v1/albums/short", None, 400, bad_id).await;
    api.fails(GET, &format!("/v1/tracks?ids={ID},nope"), None, 400, bad_id)
        .await;
    api.fails(GET, &format!("/v1/playlists/{ID}x"), None, 400, bad_id)
        .await;
    let uri = "Invalid uri: spotify:track:bad";
    api.fails(
        GET,
        "/v1/me/library/contains?uris=spotify:track:bad",
        None,
        400,
        uri,
    )
    .await;

    let not_json = api.http.put(api.url("/v1/me/tracks")).body("{not json");
    let answer = api.send(not_json.bearer_auth(&api.token)).await;
    assert_eq!(
        (answer.status, answer.body),
        (400, error(400, "Error parsing JSON."))
    );
    let missing = "Missing required field: ids";
    api.fails(PUT, "/v1/me/tracks", Some(json!({})), 400, missing)
        .await;
    let devices = "Missing required field: device_ids";
    api.fails(PUT, "/v1/me/player", Some(json!([1])), 400, devices)
        .await;
    api.fails(
        PUT,
        "/v1/me/tracks",
        Some(json!({ "ids": ["x"] })),
        400,
        bad_id,
    )
    .await;

    for limit in ["0", "51", "many", "-1"] {
        let path = format!("/v1/me/tracks?limit={limit}");
        api.fails(GET, &path, None, 400, "Invalid limit").await;
    }
    api.get("/v1/me/tracks?limit=50").await;
    let kind = "Invalid type: artists or tracks";
    api.fails(GET, "/v1/me/top/podcasts", None, 400, kind).await;
    let search = "Bad search type field song";
    api.fails(GET, "/v1/search?q=x&type=song", None, 400, search)
        .await;
    let volume = "/v1/me/player/volume?volume_percent=101";
    api.fails(PUT, volume, None, 400, "Invalid volume_percent")
        .await;
    // Broken escapes never panic the fake.
    api.fails(GET, "/v1/users/%ZZ", None, 400, "Malformed path")
        .await;
    api.fails(GET, "/v1/me/tracks?limit=%ff", None, 400, "Invalid limit")
        .await;
}

#[tokio::test]
async fn offset_pages_follow_absolute_next_urls() {
    let api = Api::start();
    let base = api.fake.api_url().to_owned();
    let first = api.get("/v1/me/tracks?limit=3&market=SE").await;
    assert_eq!(
        (&first["total"], &first["offset"], &first["previous"]),
        (&json!(7), &json!(0), &Value::Null)
    );
    assert_eq!(
        first["next"],
        format!("{base}/v1/me/tracks?market=SE&offset=3&limit=3")
    );

    let (sizes, nexts, items) = walk(&api, "/v1/me/tracks?limit=3", "").await;
    assert_eq!(sizes, [3, 3, 1]);
    let expected = [3, 6].map(|offset| format!("{base}/v1/me/tracks?offset={offset}&limit=3"));
    assert_eq!(nexts, expected);
    assert_eq!(distinct(&items, "/track/id"), 7);
    let second = api.get_url(&nexts[0]).await;
    assert_eq!(
        second["previous"],
        format!("{base}/v1/me/tracks?offset=0&limit=3")
    );

    // Wrapped pages page the same way.
    let (sizes, _, items) = walk(&api, "/v1/browse/new-releases?limit=3", "/albums").await;
    assert_eq!((sizes, distinct(&items, "/id")), (vec![3, 3, 1], 7));
    let (sizes, _, items) = walk(&api, "/v1/browse/categories?limit=3", "/categories").await;
    assert_eq!((sizes, distinct(&items, "/id")), (vec![3, 3, 1], 7));
    let (sizes, nexts, _) = walk(&api, "/v1/search?q=abba&type=track&limit=3", "/tracks").await;
    assert_eq!(sizes, [3, 3, 1]);
    assert_eq!(
        nexts[0],
        format!("{base}/v1/search?q=abba&type=track&offset=3&limit=3")
    );
    let (sizes, _, _) = walk(&api, &format!("/v1/playlists/{ID}/items?limit=4"), "").await;
    assert_eq!(sizes, [4, 3]);
}

#[tokio::test]
async fn cursor_pages_follow_after() {
    let api = Api::start();
    let base = api.fake.api_url().to_owned();
    let (sizes, nexts, items) = walk(&api, "/v1/me/player/recently-played?limit=3", "").await;
    assert_eq!((sizes, distinct(&items, "/track/id")), (vec![3, 3, 1], 7));
    let prefix = format!("{base}/v1/me/player/recently-played?after=");
    assert!(
        nexts.iter().all(|next| next.starts_with(&prefix)),
        "{nexts:?}"
    );
    let first = api.get("/v1/me/player/recently-played?limit=3").await;
    let after = first["cursors"]["after"].as_str().expect("after");
    assert_eq!(nexts[0], format!("{prefix}{after}&limit=3"));

    let (sizes, nexts, items) =
        walk(&api, "/v1/me/following?type=artist&limit=3", "/artists").await;
    assert_eq!((sizes, distinct(&items, "/id")), (vec![3, 3, 1], 7));
    assert!(nexts[0].starts_with(&format!("{base}/v1/me/following?type=artist&after=")));
    let last = &api.get_url(&nexts[1]).await["artists"];
    assert_eq!((&last["next"], &last["total"]), (&Value::Null, &json!(7)));
}

#[tokio::test]
async fn development_mode_blocks_removed_operations_and_trims_fixtures() {
    let dev = Api::with(FakeSpotify::builder().development_mode(true).start());
    let full = Api::start();
    for op in OPERATIONS
        .iter()
        .filter(|op| op.status == Status::RemovedForNewApps)
    {
        let (path, body) = valid_call(op);
        let answer = dev.call(op.method.clone(), &path, body).await;
        assert_eq!(
            (answer.status, &answer.body["error"]["status"]),
            (403, &json!(403)),
            "{path}"
        );
        assert!(answer.body["error"]["message"].is_string());
    }
    let album = format!("/v1/albums/{ID}");
    let (trimmed, kept) = (dev.get(&album).await, full.get(&album).await);
    for field in ["popularity", "label", "available_markets"] {
        assert!(
            trimmed.get(field).is_none() && kept.get(field).is_some(),
            "{field}"
        );
    }
    assert!(trimmed["tracks"]["items"][0]
        .get("available_markets")
        .is_none());
    assert!(
        trimmed.get("external_ids").is_some(),
        "external_ids came back in 2026-03"
    );
    let artist = dev.get(&format!("/v1/artists/{ID}")).await;
    assert!(artist.get("followers").is_none() && artist.get("popularity").is_none());
    let (me, full_me) = (dev.get("/v1/me").await, full.get("/v1/me").await);
    for field in ["email", "country", "product", "explicit_content"] {
        assert!(
            me.get(field).is_none() && full_me.get(field).is_some(),
            "{field}"
        );
    }
    assert_eq!(me["account_id"], full_me["account_id"]);
    assert!(dev
        .get(&format!("/v1/shows/{ID}"))
        .await
        .get("publisher")
        .is_none());
}

#[tokio::test]
async fn injected_faults_answer_first_in_spotifys_shape() {
    let api = Api::start();
    let path = format!("/v1/tracks/{ID}");
    api.fake.fail_next_api_calls(
        1,
        ApiFault::RateLimited {
            retry_after_secs: 7,
        },
    );
    api.fake.fail_next_api_calls(1, ApiFault::ServerError(503));
    let quota = ApiFault::Status {
        status: 429,
        message: "Quota exceeded".into(),
        reason: Some("QUOTA_EXCEEDED".into()),
    };
    api.fake.fail_next_api_calls(2, quota);

    let limited = api.call(GET, &path, None).await;
    assert_eq!(
        (limited.status, limited.body),
        (429, error(429, "API rate limit exceeded"))
    );
    assert_eq!(limited.headers[RETRY_AFTER], "7");
    api.fails(GET, &path, None, 503, "Service Unavailable")
        .await;
    let quota = json!({ "error": {
        "status": 429, "message": "Quota exceeded", "reason": "QUOTA_EXCEEDED"
    }});
    assert_eq!(api.call(GET, &path, None).await.body, quota);
    // Before any check: even without a token.
    let untokened = api.call_as(None, GET, &path).await;
    assert_eq!((untokened.status, untokened.body), (429, quota));
    api.get(&path).await;
    assert_eq!(api.fake.operation_calls()["get_track"], 5);
}

#[tokio::test]
async fn expire_access_tokens_rejects_tokens_issued_so_far() {
    let api = Api::start();
    api.get("/v1/me").await;
    api.fake.expire_access_tokens();
    api.fails(GET, "/v1/me", None, 401, "The access token expired")
        .await;
    let fresh = api.fake.issue_access_token(3600, "");
    assert_eq!(api.call_as(Some(&fresh), GET, "/v1/me").await.status, 200);
    assert_eq!(api.fake.stats().unauthorized, 1);
}

#[tokio::test]
async fn operation_calls_count_matches_whatever_the_answer() {
    let api = Api::start();
    let album = format!("/v1/albums/{ID}");
    api.call(GET, &album, None).await;
    api.call_as(None, GET, &album).await;
    api.call(GET, "/v1/albums/bad", None).await;
    api.call(GET, "/v1/me/albums/contains", None).await;
    api.call(GET, "/v1/not-an-operation", None).await;
    api.call(Method::PATCH, "/v1/me", None).await;
    let calls: Vec<(&str, u64)> = api.fake.operation_calls().into_iter().collect();
    assert_eq!(
        calls,
        [("check_users_saved_albums", 1), ("get_an_album", 3)]
    );
    assert_eq!(api.fake.stats().api_calls, 6);
    api.fake.reset_stats();
    assert!(api.fake.operation_calls().is_empty());
}

#[tokio::test]
async fn nothing_playing_is_204_and_commands_need_an_active_device() {
    let api = Api::start();
    let playing = api.get("/v1/me/player").await;
    assert_eq!(
        (&playing["is_playing"], &playing["device"]["is_active"]),
        (&json!(true), &json!(true))
    );
    api.fake.set_playback_active(false);
    assert_eq!(
        api.expect(GET, "/v1/me/player", None, 204).await,
        Value::Null
    );
    api.expect(GET, "/v1/me/player/currently-playing", None, 204)
        .await;
    let pause = api.call(PUT, "/v1/me/player/pause", None).await;
    let no_device = json!({ "error": {
        "status": 404,
        "message": "Player command failed: No active device found",
        "reason": "NO_ACTIVE_DEVICE",
    }});
    assert_eq!((pause.status, pause.body), (404, no_device));
    let transfer = json!({ "device_ids": ["fake-device-1"] });
    api.expect(PUT, "/v1/me/player", Some(transfer), 204).await;
    api.expect(PUT, "/v1/me/player/play?device_id=fake-device-1", None, 204)
        .await;
    assert_eq!(
        api.get("/v1/me/player/queue").await["currently_playing"],
        Value::Null
    );
}
