//! Coverage calls of the player group.

use spotipie::api::endpoints::{PlaybackOffset, PlayedCursor, StartPlayback};
use spotipie::api::models::RepeatState;
use spotipie::api::{EpisodeId, SpotifyId, SpotifyUri, TrackId, WebApiError};

use super::{Clients, ID};

pub async fn call_all(clients: &Clients) {
    let user = &clients.user;
    let track = SpotifyUri::from(&TrackId::parse(ID).expect("track id"));
    let episode =
        SpotifyUri::from(&EpisodeId::parse("512ojhOuo1ktJprKbVcKyQ").expect("episode id"));
    let album = SpotifyUri::parse("spotify:album:5ht7ItJgpBH7W6vJ5BqpPr").expect("album uri");

    let state = user
        .get_playback_state(Some("DE"))
        .await
        .expect("get_playback_state")
        .expect("something is playing");
    assert!(state.device.is_active);
    let devices = user.get_devices().await.expect("get_devices");
    assert!(!devices.is_empty());
    let other_device = devices
        .iter()
        .find(|device| !device.is_active)
        .and_then(|device| device.id.clone())
        .expect("an inactive device with an id");
    let playing = user
        .get_currently_playing(None)
        .await
        .expect("get_currently_playing")
        .expect("something is playing");
    assert!(playing.item.is_some());

    user.transfer_playback(&other_device, Some(true))
        .await
        .expect("transfer_playback");
    user.start_playback(None, &StartPlayback::default())
        .await
        .expect("start_playback (resume)");
    let album_from_fifth = StartPlayback {
        context_uri: Some(album.clone()),
        offset: Some(PlaybackOffset::Position(4)),
        position_ms: Some(1_000),
        ..StartPlayback::default()
    };
    user.start_playback(Some(&other_device), &album_from_fifth)
        .await
        .expect("start_playback (context)");
    let items = StartPlayback {
        uris: vec![track.clone(), episode.clone()],
        offset: Some(PlaybackOffset::Uri(episode.clone())),
        ..StartPlayback::default()
    };
    user.start_playback(None, &items)
        .await
        .expect("start_playback (uris)");
    user.pause_playback(None).await.expect("pause_playback");
    user.next_track(None).await.expect("next_track");
    user.previous_track(Some(&other_device))
        .await
        .expect("previous_track");
    user.seek(25_000, None).await.expect("seek");
    user.set_repeat(RepeatState::Context, None)
        .await
        .expect("set_repeat");
    user.set_volume(40, None).await.expect("set_volume");
    user.set_shuffle(true, None).await.expect("set_shuffle");

    let history = user
        .get_recently_played(Some(3), None)
        .await
        .expect("get_recently_played");
    assert_eq!(history.items.len(), 3);
    let history = user
        .get_recently_played(Some(2), Some(PlayedCursor::Before(4_102_444_800_000)))
        .await
        .expect("get_recently_played (before)");
    assert!(history.items.len() <= 2);
    let queue = user.get_queue().await.expect("get_queue");
    assert!(queue.currently_playing.is_some());
    assert!(!queue.queue.is_empty());
    user.add_to_queue(&episode, None)
        .await
        .expect("add_to_queue");

    // Refused before sending.
    let invalid = |result: Result<(), WebApiError>| {
        assert!(
            matches!(result, Err(WebApiError::InvalidArgument(_))),
            "{result:?}"
        );
    };
    invalid(user.set_volume(101, None).await);
    invalid(user.add_to_queue(&album, None).await);
    let both = StartPlayback {
        context_uri: Some(album.clone()),
        uris: vec![track.clone()],
        ..StartPlayback::default()
    };
    invalid(user.start_playback(None, &both).await);
    invalid(user.pause_playback(Some("")).await);

    // Nothing playing: 204 becomes None.
    clients.fake.set_playback_active(false);
    let state = user.get_playback_state(None).await;
    let playing = user.get_currently_playing(None).await;
    clients.fake.set_playback_active(true);
    assert!(state.expect("get_playback_state, idle").is_none());
    assert!(playing.expect("get_currently_playing, idle").is_none());
}
