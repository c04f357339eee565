//! The Web API models parse Spotify's answers, as an Extended Quota app sees them ("full"
//! fixtures, modelled on Spotify's reference examples) and as a Development Mode app sees them
//! after the 2026-02 changes ("dev" fixtures: fields dropped, playlists under `items`/`item`).
//! Also: unknown fields are ignored, unknown playable items are kept, `null` search entries are
//! `None`, and the pre-2026 playlist keys still parse.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use spotipie::api::models::{
    Album, Artist, AudioAnalysis, AudioFeatures, Audiobook, Categories, Chapter, CurrentlyPlaying,
    Device, Episode, FeaturedPlaylists, FollowedArtists, NewReleases, PlayHistory, PlayableItem,
    PlaybackState, Playlist, PlaylistItem, PrivateUser, Queue, Recommendations, RepeatState,
    SavedAudiobook, SearchResults, Show, SimplifiedPlaylist, SnapshotId, Track,
};
use spotipie::api::paging::{CursorPage, Page, Paged};

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("fixtures/models/", $name, ".json"))
    };
}

/// Parses `json` as `T`, then checks that serializing and parsing again gives the same value.
fn parse<T>(json: &str) -> T
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    let value: T = serde_json::from_str(json).unwrap_or_else(|e| panic!("parse failed: {e}"));
    let again: T = serde_json::from_str(&serde_json::to_string(&value).unwrap()).unwrap();
    assert_eq!(value, again, "round trip changed the value");
    value
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Devices {
    devices: Vec<Device>,
}

const TRACK_ID: &str = "11dFghVXANMlKmJXsNCbNl";

// ---------------------------------------------------------------- albums, artists, tracks

#[test]
fn album_full() {
    let album: Album = parse(fixture!("album.full"));
    assert_eq!(album.id, "4aawyAB9vmqN3uQ7FjRGTy");
    assert_eq!(album.name, "Global Warming");
    assert_eq!(album.kind, "album");
    assert_eq!(album.release_date, "2012-11-16");
    assert_eq!(album.artists[0].name, "Pitbull");
    assert_eq!(album.popularity, Some(56));
    assert_eq!(
        album.label.as_deref(),
        Some("Mr.305/Polo Grounds Music/RCA Records")
    );
    assert_eq!(album.available_markets.as_ref().map(Vec::len), Some(4));
    assert_eq!(album.copyrights[0].kind, "P");
    assert_eq!(
        album.external_ids.as_ref().and_then(|x| x.upc.as_deref()),
        Some("886443671584")
    );
    assert_eq!(album.images[0].height, Some(640));
    let tracks = album.tracks.expect("tracks page");
    assert_eq!(tracks.total, 18);
    assert_eq!(tracks.items.len(), 2);
    assert_eq!(tracks.items[1].duration_ms, 206120);
    assert!(tracks.items[0].linked_from.is_some());
    assert!(tracks.next.is_some());
}

#[test]
fn album_dev_mode() {
    let album: Album = parse(fixture!("album.dev"));
    assert_eq!(album.id, "4aawyAB9vmqN3uQ7FjRGTy");
    assert_eq!(album.popularity, None);
    assert_eq!(album.label, None);
    assert_eq!(album.available_markets, None);
    // external_ids came back in 2026-03.
    assert!(album.external_ids.is_some());
    let tracks = album.tracks.expect("tracks page");
    assert_eq!(tracks.items[0].available_markets, None);
    assert_eq!(tracks.items[0].linked_from, None);
    assert_eq!(tracks.items[0].name, "Global Warming (feat. Sensato)");
}

#[test]
fn artist_full_and_dev() {
    let full: Artist = parse(fixture!("artist.full"));
    assert_eq!(full.id, "0TnOYISbd1XYRBk9myaseg");
    assert_eq!(full.uri, "spotify:artist:0TnOYISbd1XYRBk9myaseg");
    assert_eq!(full.followers.as_ref().map(|f| f.total), Some(10521844));
    assert_eq!(full.popularity, Some(80));
    assert_eq!(full.genres.len(), 3);

    let dev: Artist = parse(fixture!("artist.dev"));
    assert_eq!(dev.name, "Pitbull");
    assert_eq!(dev.followers, None);
    assert_eq!(dev.popularity, None);
}

#[test]
fn track_full() {
    let track: Track = parse(fixture!("track.full"));
    assert_eq!(track.id.as_deref(), Some(TRACK_ID));
    assert_eq!(track.name, "Cut To The Feeling");
    assert_eq!(track.duration_ms, 207959);
    assert_eq!(track.popularity, Some(63));
    assert_eq!(track.album.id.as_deref(), Some("0tGPJ0bkWOUmH7MEOR77qc"));
    assert_eq!(track.artists[0].name, "Carly Rae Jepsen");
    assert_eq!(
        track.linked_from.as_ref().and_then(|l| l.id.as_deref()),
        Some("6kLCHFM39wkFjOuyPGLGeQ")
    );
    assert_eq!(
        track.external_ids.as_ref().and_then(|x| x.isrc.as_deref()),
        Some("USUM71703861")
    );
    assert_eq!(track.preview_url, None);
    assert!(!track.is_local);
}

#[test]
fn track_dev_mode() {
    let track: Track = parse(fixture!("track.dev"));
    assert_eq!(track.id.as_deref(), Some(TRACK_ID));
    assert_eq!(track.popularity, None);
    assert_eq!(track.available_markets, None);
    assert_eq!(track.linked_from, None);
    assert_eq!(track.album.available_markets, None);
    assert!(track.external_ids.is_some());
}

#[test]
fn audio_features_full() {
    // Blocked for Development Mode apps since 2024-11-27, so there is no dev fixture.
    let features: AudioFeatures = parse(fixture!("audio_features.full"));
    assert_eq!(features.id, "2takcwOaAZWiXQijPHIx7B");
    assert_eq!(features.key, 9);
    assert_eq!(features.loudness, -5.883);
    assert_eq!(features.tempo, 118.211);
    assert_eq!(features.duration_ms, 237040);
    assert_eq!(features.kind, "audio_features");
}

#[test]
fn audio_analysis_typed_summary_and_tolerant_series() {
    let json = r#"{
        "meta": {"analyzer_version": "4.0.0", "platform": "Linux", "detailed_status": "OK",
                 "status_code": 0, "timestamp": 1495193577, "analysis_time": 6.93906,
                 "input_process": "libvorbisfile L+R 44100->22050"},
        "track": {"num_samples": 4585515, "duration": 207.95985, "sample_md5": "",
                  "offset_seconds": 0, "window_seconds": 0, "analysis_sample_rate": 22050,
                  "analysis_channels": 1, "end_of_fade_in": 0, "start_of_fade_out": 201.13705,
                  "loudness": -5.883, "tempo": 118.211, "tempo_confidence": 0.73,
                  "time_signature": 4, "time_signature_confidence": 0.994, "key": 9,
                  "key_confidence": 0.408, "mode": 0, "mode_confidence": 0.485,
                  "codestring": "eJxVnAmS5DgOBL-ShZ", "code_version": 3.15},
        "bars": [{"start": 0.49567, "duration": 2.18749, "confidence": 0.925}],
        "beats": [{"start": 0.49567, "duration": 0.52, "confidence": null}],
        "sections": [{"start": 0, "duration": 6.97092, "confidence": 1, "loudness": -14.938,
                      "tempo": 113.178, "tempo_confidence": 0.647, "key": 9, "key_confidence": 0.297,
                      "mode": -1, "mode_confidence": 0.471, "time_signature": 4,
                      "time_signature_confidence": 1}],
        "segments": [{"start": 0.70154, "duration": 0.19891, "confidence": 0.435,
                      "loudness_start": -23.053, "loudness_max": -14.25, "loudness_max_time": 0.07305,
                      "pitches": [0.212, 0.141, 0.294], "timbre": [42.115, 64.373, -0.233]}],
        "tatums": []
    }"#;
    let analysis: AudioAnalysis = parse(json);
    assert_eq!(analysis.track.as_ref().map(|t| t.tempo), Some(118.211));
    assert_eq!(analysis.meta.as_ref().and_then(|m| m.status_code), Some(0));
    assert_eq!(
        analysis.beats[0].confidence, 0.0,
        "null reads as the default"
    );
    assert_eq!(analysis.sections[0].mode, -1);
    assert_eq!(analysis.segments[0].loudness_end, None);
    assert_eq!(analysis.segments[0].pitches.len(), 3);
}

#[test]
fn recommendations_parse() {
    let json = format!(
        r#"{{"seeds": [{{"afterFilteringSize": 250, "afterRelinkingSize": 250,
            "href": "https://api.spotify.com/v1/artists/4NHQUGzhtTLFvgF5SZesLK",
            "id": "4NHQUGzhtTLFvgF5SZesLK", "initialPoolSize": 250, "type": "ARTIST"}},
            {{"afterFilteringSize": 250, "afterRelinkingSize": 250, "href": null,
            "id": "classical", "initialPoolSize": 250, "type": "GENRE"}}],
            "tracks": [{}]}}"#,
        fixture!("track.full")
    );
    let recs: Recommendations = parse(&json);
    assert_eq!(recs.seeds.len(), 2);
    assert_eq!(recs.seeds[0].after_filtering_size, 250);
    assert_eq!(recs.seeds[1].href, None);
    assert_eq!(recs.seeds[1].kind, "GENRE");
    assert_eq!(recs.tracks[0].id.as_deref(), Some(TRACK_ID));
}

// ---------------------------------------------------------------- playlists

fn check_playlist_entries(items: &Page<PlaylistItem>) {
    assert_eq!(items.total, 4);
    let [track, episode, local, gone] = &items.items[..] else {
        panic!("expected 4 entries, got {}", items.items.len());
    };
    let track_item = track
        .item
        .as_ref()
        .and_then(PlayableItem::as_track)
        .expect("a track");
    assert_eq!(track_item.id.as_deref(), Some("4rzfv0JLZfVhOhbSQ8o5jZ"));
    assert_eq!(track.added_at.as_deref(), Some("2015-01-15T12:39:22Z"));
    assert_eq!(
        track.added_by.as_ref().map(|u| u.id.as_str()),
        Some("jmperezperez")
    );

    let ep = episode
        .item
        .as_ref()
        .and_then(PlayableItem::as_episode)
        .expect("an episode");
    assert_eq!(ep.id, "512ojhOuo1ktJprKbVcKyQ");
    assert_eq!(ep.show.id, "38bS44xjbVVZ3No3ByF1dJ");

    assert!(local.is_local);
    let local_track = local
        .item
        .as_ref()
        .and_then(PlayableItem::as_track)
        .expect("local");
    assert_eq!(local_track.id, None);
    assert_eq!(local_track.album.id, None);
    assert_eq!(local_track.album.release_date, "", "null reads as empty");
    assert_eq!(local_track.artists[0].uri, None);
    assert_eq!(local_track.uri, "spotify:local:Local+Band::Garage+Demo:181");

    assert_eq!(gone.item, None);
    assert_eq!(gone.added_at, None);
}

#[test]
fn playlist_full_with_legacy_tracks_keys() {
    let playlist: Playlist = parse(fixture!("playlist.full"));
    assert_eq!(playlist.id, "3cEYpjA9oz9GiPac4AsH4n");
    assert_eq!(playlist.owner.display_name.as_deref(), Some("JMPerez²"));
    assert_eq!(playlist.followers.as_ref().map(|f| f.total), Some(5));
    assert_eq!(playlist.public, Some(true));
    assert_eq!(playlist.kind, "playlist");
    check_playlist_entries(playlist.items.as_ref().expect("items from `tracks`"));
    // It serializes in the 2026 shape.
    let value = serde_json::to_value(&playlist).unwrap();
    assert!(value.get("items").is_some() && value.get("tracks").is_none());
    assert!(value["items"]["items"][0].get("item").is_some());
}

#[test]
fn playlist_dev_mode_with_items_keys() {
    let playlist: Playlist = parse(fixture!("playlist.dev"));
    assert_eq!(playlist.id, "3cEYpjA9oz9GiPac4AsH4n");
    assert_eq!(playlist.followers, None);
    let items = playlist.items.as_ref().expect("items");
    check_playlist_entries(items);
    let track = items.items[0]
        .item
        .as_ref()
        .and_then(PlayableItem::as_track)
        .unwrap();
    assert_eq!(track.popularity, None);
    assert_eq!(track.linked_from, None);
}

#[test]
fn playlist_in_the_deprecation_window_has_both_keys() {
    // `tracks: null` beside `items`, and each entry with both `item` and `track`: a serde alias
    // would reject this as a duplicate field.
    let playlist: Playlist = parse(fixture!("playlist.transition"));
    check_playlist_entries(playlist.items.as_ref().expect("items"));
}

#[test]
fn playlist_without_items_for_a_playlist_the_user_does_not_own() {
    // Dev Mode (2026-02): items only for owned or collaborative playlists.
    let json = r#"{"id": "37i9dQZF1DXcBWIGoYBM5M", "name": "Today's Top Hits",
        "owner": {"id": "spotify", "display_name": "Spotify"}, "images": null,
        "snapshot_id": "ZmVlZGJhY2s=", "type": "playlist", "public": true,
        "uri": "spotify:playlist:37i9dQZF1DXcBWIGoYBM5M", "description": null}"#;
    let playlist: Playlist = parse(json);
    assert_eq!(playlist.items, None);
    assert!(playlist.images.is_empty());
    assert_eq!(playlist.description, None);
    assert_eq!(playlist.owner.id, "spotify");
}

#[test]
fn simplified_playlists_accept_items_and_tracks_refs() {
    let json = r#"{"href": "https://api.spotify.com/v1/me/playlists?offset=0&limit=3",
        "limit": 3, "next": null, "offset": 0, "previous": null, "total": 3, "items": [
        {"id": "7ItS5uGu2YAUpUxUIkvYiS", "name": "New", "images": null, "collaborative": false,
         "owner": {"id": "smedjan"}, "snapshot_id": "AAAA", "type": "playlist",
         "uri": "spotify:playlist:7ItS5uGu2YAUpUxUIkvYiS",
         "items": {"href": "https://api.spotify.com/v1/playlists/7ItS5uGu2YAUpUxUIkvYiS/items", "total": 0}},
        {"id": "2mkHWOB6n4kRnHsJm5dbXy", "name": "Old", "images": [], "collaborative": true,
         "owner": {"id": "smedjan"}, "snapshot_id": "BBBB", "type": "playlist",
         "uri": "spotify:playlist:2mkHWOB6n4kRnHsJm5dbXy",
         "tracks": {"href": "https://api.spotify.com/v1/playlists/2mkHWOB6n4kRnHsJm5dbXy/tracks", "total": 12}},
        {"id": "0vvXsWCC9xrXsKd4FyS8kM", "name": "Both", "owner": {"id": "smedjan"},
         "snapshot_id": "CCCC", "type": "playlist", "uri": "spotify:playlist:0vvXsWCC9xrXsKd4FyS8kM",
         "tracks": null,
         "items": {"href": "https://api.spotify.com/v1/playlists/0vvXsWCC9xrXsKd4FyS8kM/items", "total": 7}}
    ]}"#;
    let page: Page<SimplifiedPlaylist> = parse(json);
    let totals: Vec<_> = page
        .items
        .iter()
        .map(|p| p.items.as_ref().map(|r| r.total))
        .collect();
    assert_eq!(totals, [Some(0), Some(12), Some(7)]);
    assert!(page.items[0].images.is_empty());
    assert!(page.items[1].collaborative);
}

#[test]
fn snapshot_id_parses() {
    let snap: SnapshotId = parse(r#"{"snapshot_id": "abc123"}"#);
    assert_eq!(snap.snapshot_id, "abc123");
}

// ---------------------------------------------------------------- users

#[test]
fn private_user_full() {
    // An Extended Quota answer from before 2026-05: no account_id yet.
    let user: PrivateUser = parse(fixture!("private_user.full"));
    assert_eq!(user.id, "smedjan");
    assert_eq!(user.country.as_deref(), Some("SE"));
    assert_eq!(user.email.as_deref(), Some("smedjan@example.com"));
    assert_eq!(user.product.as_deref(), Some("premium"));
    assert_eq!(
        user.explicit_content.as_ref().map(|e| e.filter_enabled),
        Some(false)
    );
    assert_eq!(user.followers.as_ref().map(|f| f.total), Some(17));
    assert_eq!(user.account_id, None);
}

#[test]
fn private_user_dev_mode() {
    let user: PrivateUser = parse(fixture!("private_user.dev"));
    assert_eq!(user.id, "smedjan");
    assert_eq!(user.display_name.as_deref(), Some("Smedjan"));
    assert_eq!(user.country, None);
    assert_eq!(user.email, None);
    assert_eq!(user.product, None);
    assert_eq!(user.explicit_content, None);
    assert_eq!(user.followers, None);
    assert_eq!(
        user.account_id.as_deref(),
        Some("a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6")
    );
}

// ---------------------------------------------------------------- shows, audiobooks

#[test]
fn episode_full_and_dev() {
    let full: Episode = parse(fixture!("episode.full"));
    assert_eq!(full.id, "512ojhOuo1ktJprKbVcKyQ");
    assert_eq!(full.duration_ms, 1686230);
    assert_eq!(
        full.resume_point.as_ref().map(|r| r.resume_position_ms),
        Some(612000)
    );
    assert_eq!(full.show.publisher.as_deref(), Some("SGU Productions"));
    assert!(full.show.available_markets.is_some());

    let dev: Episode = parse(fixture!("episode.dev"));
    assert_eq!(dev.name, "Skeptics Guide #1001");
    assert_eq!(dev.show.publisher, None);
    assert_eq!(dev.show.available_markets, None);
}

#[test]
fn show_full_and_dev() {
    let full: Show = parse(fixture!("show.full"));
    assert_eq!(full.id, "38bS44xjbVVZ3No3ByF1dJ");
    assert_eq!(full.total_episodes, Some(1023));
    assert_eq!(full.publisher.as_deref(), Some("SGU Productions"));
    let episodes = full.episodes.expect("episodes page");
    assert_eq!(episodes.items[0].id, "512ojhOuo1ktJprKbVcKyQ");

    let dev: Show = parse(fixture!("show.dev"));
    assert_eq!(dev.publisher, None);
    assert_eq!(dev.available_markets, None);
    assert_eq!(dev.media_type, "audio");
}

#[test]
fn audiobook_full_and_dev() {
    let full: Audiobook = parse(fixture!("audiobook.full"));
    assert_eq!(full.id, "7iHfbu1YPACw6oZPAFJtqe");
    assert_eq!(full.authors[0].name, "Frank Herbert");
    assert_eq!(full.narrators.len(), 2);
    assert_eq!(full.publisher.as_deref(), Some("Frank Herbert"));
    assert_eq!(full.edition.as_deref(), Some("Unabridged"));
    let chapters = full.chapters.expect("chapters page");
    assert_eq!(chapters.items[1].chapter_number, 2);

    let dev: Audiobook = parse(fixture!("audiobook.dev"));
    assert_eq!(dev.publisher, None);
    assert_eq!(dev.available_markets, None);
    assert_eq!(dev.total_chapters, Some(51));
}

#[test]
fn chapter_full_and_dev() {
    let full: Chapter = parse(fixture!("chapter.full"));
    assert_eq!(full.id, "0D5wENdkdwbqlrHoaJ9g29");
    assert_eq!(full.audiobook.id, "7iHfbu1YPACw6oZPAFJtqe");
    assert!(full.available_markets.is_some());

    let dev: Chapter = parse(fixture!("chapter.dev"));
    assert_eq!(dev.available_markets, None);
    assert_eq!(dev.audiobook.publisher, None);
    assert_eq!(dev.duration_ms, 1543000);
}

#[test]
fn saved_audiobooks_in_either_shape() {
    let audiobook = serde_json::to_string(
        &serde_json::from_str::<serde_json::Value>(fixture!("audiobook.dev")).unwrap(),
    )
    .unwrap();
    let json = format!(
        r#"{{"href": "h", "limit": 2, "next": null, "offset": 0, "previous": null, "total": 2,
            "items": [{{"added_at": "2024-02-01T09:00:00Z", "audiobook": {audiobook}}}, {audiobook}]}}"#
    );
    let page: Page<SavedAudiobook> = parse(&json);
    assert_eq!(page.items[0].added_at, "2024-02-01T09:00:00Z");
    assert_eq!(page.items[0].audiobook.id, "7iHfbu1YPACw6oZPAFJtqe");
    // The official spec's bare shape.
    assert_eq!(page.items[1].added_at, "");
    assert_eq!(page.items[1].audiobook.id, "7iHfbu1YPACw6oZPAFJtqe");
}

// ---------------------------------------------------------------- player

#[test]
fn devices_full_and_dev() {
    let full: Devices = parse(fixture!("device.full"));
    assert_eq!(full.devices.len(), 2);
    assert_eq!(full.devices[0].kind, "Speaker");
    assert_eq!(full.devices[0].volume_percent, Some(59));
    assert!(full.devices[0].is_active);

    let dev: Devices = parse(fixture!("device.dev"));
    assert_eq!(dev.devices[0].id, None);
    assert_eq!(dev.devices[0].volume_percent, None);
    assert!(dev.devices[0].is_restricted);
}

#[test]
fn playback_state_full() {
    let state: PlaybackState = parse(fixture!("playback_state.full"));
    assert_eq!(state.device.name, "Kitchen speaker");
    assert_eq!(state.repeat_state, RepeatState::Context);
    assert!(state.shuffle_state);
    assert_eq!(state.progress_ms, Some(44272));
    assert_eq!(
        state.context.as_ref().map(|c| c.uri.as_str()),
        Some("spotify:playlist:3cEYpjA9oz9GiPac4AsH4n")
    );
    let track = state
        .item
        .as_ref()
        .and_then(PlayableItem::as_track)
        .expect("a track");
    assert_eq!(track.id.as_deref(), Some(TRACK_ID));
    assert_eq!(
        state.item.as_ref().and_then(PlayableItem::uri),
        Some("spotify:track:11dFghVXANMlKmJXsNCbNl")
    );
    assert_eq!(state.actions.disallows.resuming, Some(true));
    assert_eq!(state.actions.disallows.pausing, None);
}

#[test]
fn playback_state_dev_mode_playing_an_episode() {
    let state: PlaybackState = parse(fixture!("playback_state.dev"));
    assert_eq!(state.repeat_state, RepeatState::Off);
    assert_eq!(state.context, None);
    assert_eq!(state.smart_shuffle, None);
    assert_eq!(state.currently_playing_type, "episode");
    let episode = state
        .item
        .as_ref()
        .and_then(PlayableItem::as_episode)
        .expect("an episode");
    assert_eq!(episode.id, "512ojhOuo1ktJprKbVcKyQ");
    assert_eq!(episode.show.publisher, None);
}

#[test]
fn actions_in_the_spec_shape_parse_too() {
    let json = r#"{"is_playing": false, "timestamp": 1, "currently_playing_type": "track",
        "actions": {"interrupting_playback": true, "pausing": true}}"#;
    let now: CurrentlyPlaying = parse(json);
    assert_eq!(now.actions.disallows.pausing, Some(true));
    assert_eq!(now.actions.disallows.interrupting_playback, Some(true));
}

#[test]
fn currently_playing_an_ad() {
    let now: CurrentlyPlaying = parse(fixture!("currently_playing.full"));
    assert_eq!(now.item, None);
    assert_eq!(now.currently_playing_type, "ad");
    assert_eq!(now.actions.disallows.seeking, Some(true));
}

#[test]
fn repeat_state_values() {
    for (state, text) in [
        (RepeatState::Off, "off"),
        (RepeatState::Track, "track"),
        (RepeatState::Context, "context"),
    ] {
        assert_eq!(
            serde_json::to_string(&state).unwrap(),
            format!("\"{text}\"")
        );
        assert_eq!(state.as_str(), text);
    }
}

#[test]
fn queue_full_and_dev() {
    let full: Queue = parse(fixture!("queue.full"));
    assert!(full
        .currently_playing
        .as_ref()
        .and_then(PlayableItem::as_track)
        .is_some());
    assert_eq!(full.queue.len(), 2);
    assert!(full.queue[1].as_episode().is_some());

    let dev: Queue = parse(fixture!("queue.dev"));
    assert_eq!(
        dev.queue[0].as_episode().map(|e| e.id.as_str()),
        Some("512ojhOuo1ktJprKbVcKyQ")
    );
    assert_eq!(dev.queue[1].as_track().and_then(|t| t.popularity), None);
}

#[test]
fn play_history_full_and_dev() {
    let full: CursorPage<PlayHistory> = parse(fixture!("play_history.full"));
    assert_eq!(full.items.len(), 2);
    assert_eq!(full.items[0].played_at, "2024-09-22T10:13:20.123Z");
    assert_eq!(full.items[0].track.id.as_deref(), Some(TRACK_ID));
    assert_eq!(
        full.items[0].context.as_ref().map(|c| c.kind.as_str()),
        Some("playlist")
    );
    assert_eq!(full.items[1].context, None);
    assert_eq!(full.total, Some(50));

    let dev: CursorPage<PlayHistory> = parse(fixture!("play_history.dev"));
    assert_eq!(dev.items[0].track.popularity, None);
    assert_eq!(
        dev.cursors.as_ref().and_then(|c| c.before.as_deref()),
        Some("1726999000000")
    );
}

#[test]
fn unknown_playable_item_does_not_fail_the_response() {
    let json = format!(
        r#"{{"currently_playing": {{"type": "advertisement", "id": "x", "uri": "spotify:ad:x"}},
            "queue": [{}, {{"type": "video", "name": "a clip"}}, {{"name": "no type"}}]}}"#,
        fixture!("track.dev")
    );
    let queue: Queue = parse(&json);
    let current = queue.currently_playing.as_ref().expect("kept");
    assert!(matches!(current, PlayableItem::Unknown(v) if v["type"] == "advertisement"));
    assert_eq!(current.uri(), Some("spotify:ad:x"));
    assert!(queue.queue[0].as_track().is_some());
    assert!(matches!(&queue.queue[1], PlayableItem::Unknown(v) if v["name"] == "a clip"));
    assert!(matches!(&queue.queue[2], PlayableItem::Unknown(_)));

    // The raw object is written back as it came.
    let again = serde_json::to_value(&queue).unwrap();
    assert_eq!(again["currently_playing"]["type"], "advertisement");
}

#[test]
fn a_malformed_known_item_is_an_error() {
    let json = r#"{"type": "track", "duration_ms": "long"}"#;
    assert!(serde_json::from_str::<PlayableItem>(json).is_err());
}

// ---------------------------------------------------------------- search, browse

#[test]
fn search_results_full() {
    let results: SearchResults = parse(fixture!("search_results.full"));
    let tracks = results.tracks.as_ref().expect("tracks");
    assert_eq!(tracks.limit, 20);
    assert_eq!(
        tracks.items[0].as_ref().and_then(|t| t.id.as_deref()),
        Some(TRACK_ID)
    );
    assert_eq!(tracks.items[1], None);
    let artists = results.artists.as_ref().expect("artists");
    assert_eq!(
        artists.items[0].as_ref().and_then(|a| a.popularity),
        Some(80)
    );
    assert_eq!(results.playlists.as_ref().unwrap().items[0], None);
    assert_eq!(
        results.playlists.as_ref().unwrap().items[1]
            .as_ref()
            .map(|p| p.name.as_str()),
        Some("Today's Top Hits")
    );
    let episodes = results.episodes.as_ref().expect("episodes");
    assert_eq!(episodes.items.iter().filter(|e| e.is_none()).count(), 2);
    assert_eq!(episodes.total, 46297);
    assert!(results.shows.as_ref().unwrap().items[1].is_none());
    assert_eq!(
        results.audiobooks.as_ref().unwrap().items[0]
            .as_ref()
            .map(|a| a.narrators.len()),
        Some(2)
    );
}

#[test]
fn search_results_dev_mode() {
    let results: SearchResults = parse(fixture!("search_results.dev"));
    let tracks = results.tracks.as_ref().expect("tracks");
    assert_eq!(tracks.limit, 5);
    assert_eq!(tracks.items[0].as_ref().and_then(|t| t.popularity), None);
    assert_eq!(
        results.artists.as_ref().unwrap().items[0]
            .as_ref()
            .and_then(|a| a.followers.clone()),
        None
    );
    assert_eq!(
        results.shows.as_ref().unwrap().items[0]
            .as_ref()
            .and_then(|s| s.publisher.clone()),
        None
    );
}

#[test]
fn search_with_only_some_types() {
    let results: SearchResults = parse(
        r#"{"albums": {"href": "h", "items": [null], "limit": 1, "next": null, "offset": 0,
            "previous": null, "total": 1}}"#,
    );
    assert_eq!(
        results.albums.as_ref().map(|p| p.items.clone()),
        Some(vec![None])
    );
    assert!(results.tracks.is_none() && results.audiobooks.is_none());
}

#[test]
fn browse_wrappers_are_paged() {
    let categories: Categories = parse(
        r#"{"categories": {"href": "https://api.spotify.com/v1/browse/categories?offset=0&limit=1",
            "items": [{"href": "https://api.spotify.com/v1/browse/categories/dinner",
                "icons": [{"url": "https://t.scdn.co/media/original/dinner_1b6506abba0ba52c54e6d695c8571078_274x274.jpg",
                           "height": 274, "width": 274}],
                "id": "dinner", "name": "Cooking & Dining"}],
            "limit": 1, "next": "https://api.spotify.com/v1/browse/categories?offset=1&limit=1",
            "offset": 0, "previous": null, "total": 60}}"#,
    );
    let (items, next) = categories.into_parts();
    assert_eq!(items[0].id, "dinner");
    assert!(next.is_some());

    let album = serde_json::to_string(
        &serde_json::from_str::<Track>(fixture!("track.full"))
            .unwrap()
            .album,
    )
    .unwrap();
    let releases: NewReleases = parse(&format!(
        r#"{{"albums": {{"href": "h", "items": [{album}], "limit": 1, "next": null,
            "offset": 0, "previous": null, "total": 1}}}}"#
    ));
    let (items, next) = releases.into_parts();
    assert_eq!(items[0].id.as_deref(), Some("0tGPJ0bkWOUmH7MEOR77qc"));
    assert_eq!(next, None);

    let featured: FeaturedPlaylists = parse(
        r#"{"message": "Monday morning music, coming right up!",
            "playlists": {"href": "h", "items": [null, {"id": "37i9dQZF1DXcBWIGoYBM5M",
                "name": "Today's Top Hits", "owner": {"id": "spotify"}, "snapshot_id": "s",
                "type": "playlist", "uri": "spotify:playlist:37i9dQZF1DXcBWIGoYBM5M",
                "tracks": {"href": "t", "total": 50}}],
            "limit": 2, "next": null, "offset": 0, "previous": null, "total": 2}}"#,
    );
    assert_eq!(
        featured.message.as_deref(),
        Some("Monday morning music, coming right up!")
    );
    let (items, _) = featured.into_parts();
    assert_eq!(items[0], None);
    assert_eq!(
        items[1]
            .as_ref()
            .and_then(|p| p.items.as_ref())
            .map(|r| r.total),
        Some(50)
    );

    let artist = fixture!("artist.dev");
    let followed: FollowedArtists = parse(&format!(
        r#"{{"artists": {{"href": "https://api.spotify.com/v1/me/following?type=artist&limit=1",
            "items": [{artist}], "limit": 1,
            "next": "https://api.spotify.com/v1/me/following?type=artist&after=0TnOYISbd1XYRBk9myaseg&limit=1",
            "cursors": {{"after": "0TnOYISbd1XYRBk9myaseg"}}, "total": 12}}}}"#
    ));
    assert_eq!(
        followed
            .artists
            .cursors
            .as_ref()
            .and_then(|c| c.after.as_deref()),
        Some("0TnOYISbd1XYRBk9myaseg")
    );
    let (items, next) = followed.into_parts();
    assert_eq!(items[0].name, "Pitbull");
    assert!(next.is_some());
}

// ---------------------------------------------------------------- tolerance

#[test]
fn unknown_fields_are_ignored() {
    let mut track: serde_json::Value = serde_json::from_str(fixture!("track.full")).unwrap();
    track["brand_new_field"] = serde_json::json!({"nested": [1, 2, 3]});
    track["album"]["another_one"] = serde_json::json!(true);
    let parsed: Track = serde_json::from_value(track).expect("unknown fields ignored");
    assert_eq!(parsed.id.as_deref(), Some(TRACK_ID));

    let mut user: serde_json::Value = serde_json::from_str(fixture!("private_user.dev")).unwrap();
    user["future_flag"] = serde_json::json!("x");
    let parsed: PrivateUser = serde_json::from_value(user).expect("unknown fields ignored");
    assert_eq!(parsed.id, "smedjan");
}

#[test]
fn missing_and_null_cosmetic_fields_do_not_fail() {
    let track: Track = parse(
        r#"{"id": "11dFghVXANMlKmJXsNCbNl", "name": null, "uri": "spotify:track:11dFghVXANMlKmJXsNCbNl",
            "type": "track", "album": null, "artists": null, "explicit": null}"#,
    );
    assert_eq!(track.name, "");
    assert!(track.artists.is_empty());
    assert!(!track.explicit);
    assert_eq!(track.album.id, None);

    let artist: Artist = parse(r#"{"id": "0TnOYISbd1XYRBk9myaseg", "name": "Pitbull"}"#);
    assert!(artist.images.is_empty() && artist.genres.is_empty());
}
