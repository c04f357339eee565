//! The coverage test of issue 5: every operation of Spotify's Web API catalogue is called once
//! through its typed method against FakeSpotify, and the fake confirms it saw all 96.
//!
//! The fake counts requests by the catalogue operation they matched, so an operation without a
//! typed method (or a method that hits the wrong path or method) shows up as missing. A second
//! test keeps the crate's catalogue in step with the reference table in `tests/data`.
//!
//! One file per catalogue group; each has `call_all`, which calls every operation of its group
//! and checks the parsed answer.
#![allow(deprecated)] // the operations removed for new apps are covered too

#[path = "../common/mod.rs"]
mod common;

mod albums;
mod artists;
mod audiobooks;
mod categories;
mod chapters;
mod episodes;
mod genres;
mod library;
mod markets;
mod player;
mod playlists;
mod search;
mod shows;
mod tracks;
mod users;

use std::collections::BTreeSet;
use std::sync::Arc;

use spotipie::api::catalogue::{Status, OPERATIONS};
use spotipie::api::Spotify;
use spotipie::testing::FakeSpotify;

/// Clients for the group files: a user who granted every scope, and the app itself (client
/// credentials, no user).
pub struct Clients {
    /// A refreshable user session with [`common::ALL_SCOPES`].
    pub user: Spotify,
    /// A client-credentials session.
    pub app: Spotify,
    /// The fake, for controls such as `set_playback_active`.
    pub fake: Arc<FakeSpotify>,
}

/// Ids the fixtures know; any 22-character base62 id works with the fake.
pub const ID: &str = "4aawyAB9vmqN3uQ7FjRGTy";

#[actix::test]
async fn every_catalogue_operation_is_reachable_through_a_typed_method() {
    let world = common::world();
    let clients = Clients {
        user: Spotify::new(common::user_session(&world, common::ALL_SCOPES)),
        app: Spotify::new(
            world
                .spotipie
                .client_credentials_session(common::credentials()),
        ),
        fake: world.fake.clone(),
    };
    clients.app.session().renew().await.expect("app token");

    albums::call_all(&clients).await;
    artists::call_all(&clients).await;
    audiobooks::call_all(&clients).await;
    categories::call_all(&clients).await;
    chapters::call_all(&clients).await;
    episodes::call_all(&clients).await;
    genres::call_all(&clients).await;
    library::call_all(&clients).await;
    markets::call_all(&clients).await;
    player::call_all(&clients).await;
    playlists::call_all(&clients).await;
    search::call_all(&clients).await;
    shows::call_all(&clients).await;
    tracks::call_all(&clients).await;
    users::call_all(&clients).await;

    let reached = world.fake.operation_calls();
    let missing: Vec<&str> = OPERATIONS
        .iter()
        .map(|op| op.id)
        .filter(|id| !reached.contains_key(id))
        .collect();
    assert!(
        missing.is_empty(),
        "operations without a typed call: {missing:?}"
    );
    assert_eq!(reached.len(), 96);
}

/// The crate's catalogue says what the reference table says: same operations, methods, paths,
/// scopes, required parameters and status.
#[test]
fn the_catalogue_matches_the_reference_table() {
    let table = include_str!("../data/spotify-web-api.tsv");
    let mut seen = BTreeSet::new();
    for line in table.lines().skip(1) {
        let cells: Vec<&str> = line.split('\t').collect();
        let [group, id, method, path, scopes, query, body, _response, status, _note] =
            cells.as_slice()
        else {
            panic!("bad reference row: {line}");
        };
        let op = OPERATIONS
            .iter()
            .find(|op| op.id == *id)
            .unwrap_or_else(|| panic!("{id} is missing from the catalogue"));
        assert_eq!(format!("{:?}", op.group), *group, "{id}");
        assert_eq!(op.method.as_str(), *method, "{id}");
        assert_eq!(op.path, *path, "{id}");
        let listed: Vec<&str> = scopes.split(' ').filter(|s| *s != "-").collect();
        assert_eq!(op.scopes, listed.as_slice(), "{id}");
        assert_eq!(op.required_query, required(query).as_slice(), "{id} query");
        assert_eq!(op.required_body, required(body).as_slice(), "{id} body");
        let expected = if *status == "active" {
            Status::Active
        } else {
            Status::RemovedForNewApps
        };
        assert_eq!(op.status, expected, "{id}");
        seen.insert(*id);
    }
    assert_eq!(seen.len(), OPERATIONS.len());
}

fn required(params: &str) -> Vec<&str> {
    params
        .split(',')
        .filter_map(|param| param.strip_suffix(":required"))
        .collect()
}
