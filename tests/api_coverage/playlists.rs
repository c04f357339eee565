//! Coverage calls of the playlists group.

use spotipie::api::endpoints::{NewPlaylist, PlaylistDetails, PlaylistItemsUpdate};
use spotipie::api::{EpisodeId, PlaylistId, SpotifyId, SpotifyUri, TrackId, UserId, WebApiError};
use spotipie::testing::FAKE_USER_ID;

use super::{Clients, ID};

/// The smallest JPEG header Spotify would look at; the fake only checks the base64.
const JPEG: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00,
];

pub async fn call_all(clients: &Clients) {
    let (user, app) = (&clients.user, &clients.app);
    let id = PlaylistId::parse(ID).expect("playlist id");
    let me = UserId::parse(FAKE_USER_ID).expect("user id");
    let track = SpotifyUri::from(&TrackId::parse("6rqhFgbbKwnb9MLmUQDhG6").expect("track id"));
    let episode =
        SpotifyUri::from(&EpisodeId::parse("512ojhOuo1ktJprKbVcKyQ").expect("episode id"));
    let uris = [track.clone(), episode.clone()];

    let playlist = user
        .get_playlist(&id, Some("SE"))
        .await
        .expect("get_playlist");
    assert_eq!(playlist.id, ID);
    user.change_playlist_details(
        &id,
        &PlaylistDetails {
            name: Some("Renamed".to_owned()),
            public: Some(false),
            ..PlaylistDetails::default()
        },
    )
    .await
    .expect("change_playlist_details");
    let items = user
        .get_playlist_items(&id, None, Some(4), Some(0))
        .await
        .expect("get_playlist_items");
    assert_eq!(items.items.len(), 4);
    let tracks = user
        .get_playlist_tracks(&id, Some("SE"), Some(2), Some(2))
        .await
        .expect("get_playlist_tracks");
    assert_eq!(tracks.items.len(), 2);

    let added = user
        .add_items_to_playlist(&id, &uris, Some(0))
        .await
        .expect("add_items_to_playlist");
    assert!(!added.snapshot_id.is_empty());
    let added_again = user
        .add_tracks_to_playlist(&id, &uris[..1], None)
        .await
        .expect("add_tracks_to_playlist");
    assert_ne!(added_again.snapshot_id, added.snapshot_id);
    let reordered = user
        .update_playlist_items(
            &id,
            &PlaylistItemsUpdate::Reorder {
                range_start: 3,
                insert_before: 0,
                range_length: Some(2),
                snapshot_id: Some(added_again.snapshot_id.clone()),
            },
        )
        .await
        .expect("update_playlist_items (reorder)");
    assert!(!reordered.snapshot_id.is_empty());
    let replaced = user
        .update_playlist_items(&id, &PlaylistItemsUpdate::Replace(uris.to_vec()))
        .await
        .expect("update_playlist_items (replace)");
    assert!(!replaced.snapshot_id.is_empty());
    let replaced = user
        .update_playlist_tracks(&id, &PlaylistItemsUpdate::Replace(vec![track.clone()]))
        .await
        .expect("update_playlist_tracks");
    assert!(!replaced.snapshot_id.is_empty());
    let removed = user
        .remove_playlist_items(&id, &uris, Some(&replaced.snapshot_id))
        .await
        .expect("remove_playlist_items");
    assert!(!removed.snapshot_id.is_empty());
    let removed = user
        .remove_playlist_tracks(&id, &uris[1..], None)
        .await
        .expect("remove_playlist_tracks");
    assert!(!removed.snapshot_id.is_empty());

    let mine = user
        .get_my_playlists(Some(5), None)
        .await
        .expect("get_my_playlists");
    assert_eq!(mine.items.len(), 5);
    let created = user
        .create_playlist(&NewPlaylist {
            public: Some(false),
            description: Some("made by the coverage test".to_owned()),
            ..NewPlaylist::named("Coverage")
        })
        .await
        .expect("create_playlist");
    assert_eq!(created.name, "Coverage");
    let theirs = user
        .get_user_playlists(&me, Some(3), Some(1))
        .await
        .expect("get_user_playlists");
    assert_eq!(theirs.items.len(), 3);
    let created = user
        .create_playlist_for_user(&me, &NewPlaylist::named("Coverage, the old way"))
        .await
        .expect("create_playlist_for_user");
    assert_eq!(created.name, "Coverage, the old way");

    let featured = app
        .get_featured_playlists(Some("sv_SE"), Some(2), None)
        .await
        .expect("get_featured_playlists");
    assert_eq!(featured.playlists.items.len(), 2);
    let category = app
        .get_category_playlists("dinner", Some(3), None)
        .await
        .expect("get_category_playlists");
    assert_eq!(category.playlists.items.len(), 3);

    let cover = app
        .get_playlist_cover(&id)
        .await
        .expect("get_playlist_cover");
    assert!(!cover.is_empty());
    user.upload_playlist_cover(&id, JPEG)
        .await
        .expect("upload_playlist_cover");

    // Refused before sending.
    let invalid = |error: WebApiError| {
        assert!(
            matches!(error, WebApiError::InvalidArgument(_)),
            "{error:?}"
        );
    };
    invalid(
        user.upload_playlist_cover(&id, b"\x89PNG\r\n")
            .await
            .expect_err("a PNG cover"),
    );
    let mut huge = JPEG.to_vec();
    huge.resize(200 * 1024, 0);
    invalid(
        user.upload_playlist_cover(&id, &huge)
            .await
            .expect_err("a cover over 256 KiB of base64"),
    );
    invalid(
        user.change_playlist_details(&id, &PlaylistDetails::default())
            .await
            .expect_err("no detail to change"),
    );
    invalid(
        user.create_playlist(&NewPlaylist::named(""))
            .await
            .expect_err("an unnamed playlist"),
    );
    let album = SpotifyUri::parse("spotify:album:5ht7ItJgpBH7W6vJ5BqpPr").expect("album uri");
    invalid(
        user.add_items_to_playlist(&id, &[album], None)
            .await
            .expect_err("an album as a playlist item"),
    );
    invalid(
        user.remove_playlist_items(&id, &vec![track.clone(); 101], None)
            .await
            .expect_err("101 items"),
    );
    assert_eq!(id.id(), ID);
}
