//! Player: the user's playback state, devices, queue and listening history, and playback
//! control (start, pause, skip, seek, repeat, volume, shuffle, transfer, queue).
//!
//! Controlling playback needs a Premium account (Spotify answers 403 with reason
//! `PREMIUM_REQUIRED` otherwise), and an active device unless a `device_id` is given (404,
//! `NO_ACTIVE_DEVICE`). Spotify does not guarantee that player commands sent close together run
//! in the order they were sent.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::api::client::{Call, Spotify};
use crate::api::ids::{ItemType, SpotifyUri};
use crate::api::models::{
    CurrentlyPlaying, Device, PlayHistory, PlaybackState, Queue, RepeatState,
};
use crate::api::paging::CursorPage;
use crate::api::WebApiError;

/// Ask for episodes too: without it Spotify leaves out the item when an episode plays.
const ADDITIONAL_TYPES: &str = "track,episode";

#[derive(Deserialize)]
struct Devices {
    devices: Vec<Device>,
}

/// What [`Spotify::start_playback`] plays. The default (everything empty) resumes the current
/// playback.
///
/// Give either a `context_uri` (an album, artist, playlist, show or audiobook) or `uris` (tracks
/// and episodes), not both; `offset` picks where in either to start.
///
/// ```
/// use spotipie::api::endpoints::{PlaybackOffset, StartPlayback};
/// use spotipie::api::SpotifyUri;
///
/// # fn run() -> Result<(), spotipie::api::IdError> {
/// let album = StartPlayback {
///     context_uri: Some(SpotifyUri::parse("spotify:album:5ht7ItJgpBH7W6vJ5BqpPr")?),
///     offset: Some(PlaybackOffset::Position(4)),
///     ..StartPlayback::default()
/// };
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StartPlayback {
    /// The context to play: an album, artist, playlist, show or audiobook.
    pub context_uri: Option<SpotifyUri>,
    /// The tracks and episodes to play, in order.
    pub uris: Vec<SpotifyUri>,
    /// Where in the context or the `uris` to start; needs one of them.
    pub offset: Option<PlaybackOffset>,
    /// Where in the first item to start, in milliseconds.
    pub position_ms: Option<u64>,
}

/// Where [`StartPlayback`] starts in its context or list of URIs.
#[derive(Clone, Debug, PartialEq)]
pub enum PlaybackOffset {
    /// The zero-based position of the item, sent as `{"position": n}`.
    Position(u32),
    /// The item with this URI, sent as `{"uri": "spotify:track:..."}`.
    Uri(SpotifyUri),
}

/// Which end of the listening history [`Spotify::get_recently_played`] starts from: tracks
/// played after or before a moment, in Unix milliseconds. Spotify refuses both at once, which
/// this type makes impossible.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlayedCursor {
    /// Tracks played after this moment (Unix ms), exclusive.
    After(u64),
    /// Tracks played before this moment (Unix ms), exclusive.
    Before(u64),
}

#[derive(Serialize)]
struct TransferBody<'a> {
    device_ids: [&'a str; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    play: Option<bool>,
}

/// Whether `uri` names something a player can play on its own: a track or an episode.
fn is_playable(uri: &SpotifyUri) -> bool {
    matches!(uri.kind(), ItemType::Track | ItemType::Episode)
}

/// Whether `uri` names a context playback can start in.
fn is_context(uri: &SpotifyUri) -> bool {
    matches!(
        uri.kind(),
        ItemType::Album
            | ItemType::Artist
            | ItemType::Playlist
            | ItemType::Show
            | ItemType::Audiobook
    )
}

/// The JSON body of `PUT /me/player/play`, or why Spotify would refuse it.
fn play_body(request: &StartPlayback) -> Result<Value, String> {
    if request.context_uri.is_some() && !request.uris.is_empty() {
        return Err("start playback takes a context_uri or uris, not both".to_owned());
    }
    if let Some(context) = request.context_uri.as_ref().filter(|uri| !is_context(uri)) {
        return Err(format!(
            "context_uri must be an album, artist, playlist, show or audiobook, got a {}",
            context.kind()
        ));
    }
    if let Some(uri) = request.uris.iter().find(|uri| !is_playable(uri)) {
        return Err(format!("uris must be tracks or episodes, got {uri}"));
    }
    let mut body = serde_json::Map::new();
    if let Some(context) = &request.context_uri {
        body.insert("context_uri".to_owned(), json!(context.uri()));
    }
    if !request.uris.is_empty() {
        let uris: Vec<String> = request.uris.iter().map(SpotifyUri::uri).collect();
        body.insert("uris".to_owned(), json!(uris));
    }
    if let Some(offset) = &request.offset {
        if request.context_uri.is_none() && request.uris.is_empty() {
            return Err("offset needs a context_uri or uris to start in".to_owned());
        }
        let offset = match offset {
            PlaybackOffset::Position(position) => json!({ "position": position }),
            PlaybackOffset::Uri(uri) => json!({ "uri": uri.uri() }),
        };
        body.insert("offset".to_owned(), offset);
    }
    if let Some(position_ms) = request.position_ms {
        body.insert("position_ms".to_owned(), json!(position_ms));
    }
    Ok(Value::Object(body))
}

/// Adds the optional `device_id` (an empty one is refused: Spotify would ignore it silently).
fn device<'a>(call: Call<'a>, device_id: Option<&str>) -> Call<'a> {
    call.check(device_id != Some(""), || "device_id is empty".to_owned())
        .query_opt("device_id", device_id)
}

impl Spotify {
    /// The user's playback state: device, progress, shuffle and repeat, and the current item
    /// (tracks and episodes: the call always sends `additional_types=track,episode`). `None`
    /// when nothing is playing on any device (Spotify answers 204). `market` enables track
    /// relinking. Scope: `user-read-playback-state`.
    #[doc(alias = "get_information_about_the_users_current_playback")]
    pub async fn get_playback_state(
        &self,
        market: Option<&str>,
    ) -> Result<Option<PlaybackState>, WebApiError> {
        self.call("get_information_about_the_users_current_playback")
            .market(market)
            .query("additional_types", ADDITIONAL_TYPES)
            .fetch_optional()
            .await
    }

    /// Moves playback to the device `device_id`; `play: Some(true)` starts playing there,
    /// `Some(false)` or `None` keeps the current state. Premium only. Scope:
    /// `user-modify-playback-state`.
    #[doc(alias = "transfer_a_users_playback")]
    pub async fn transfer_playback(
        &self,
        device_id: &str,
        play: Option<bool>,
    ) -> Result<(), WebApiError> {
        self.call("transfer_a_users_playback")
            .check(!device_id.is_empty(), || "device_id is empty".to_owned())
            .json(&TransferBody {
                device_ids: [device_id],
                play,
            })
            .execute()
            .await
    }

    /// The user's available devices (Spotify Connect). Scope: `user-read-playback-state`.
    #[doc(alias = "get_a_users_available_devices")]
    pub async fn get_devices(&self) -> Result<Vec<Device>, WebApiError> {
        let devices: Devices = self.call("get_a_users_available_devices").fetch().await?;
        Ok(devices.devices)
    }

    /// What is playing now, tracks and episodes (the call always sends
    /// `additional_types=track,episode`); `None` when nothing is (Spotify answers 204). `market`
    /// enables track relinking. Scope: `user-read-currently-playing`.
    #[doc(alias = "get_the_users_currently_playing_track")]
    pub async fn get_currently_playing(
        &self,
        market: Option<&str>,
    ) -> Result<Option<CurrentlyPlaying>, WebApiError> {
        self.call("get_the_users_currently_playing_track")
            .market(market)
            .query("additional_types", ADDITIONAL_TYPES)
            .fetch_optional()
            .await
    }

    /// Starts playback of a context or a list of tracks and episodes, or resumes playback when
    /// `request` is [`StartPlayback::default()`]. On the active device, or on `device_id`.
    /// Refused before sending: `context_uri` together with `uris`, a context that is a track or
    /// episode, `uris` that are not, an `offset` with neither. Premium only. Scope:
    /// `user-modify-playback-state`.
    #[doc(alias = "start_a_users_playback")]
    pub async fn start_playback(
        &self,
        device_id: Option<&str>,
        request: &StartPlayback,
    ) -> Result<(), WebApiError> {
        let call = device(self.call("start_a_users_playback"), device_id);
        match play_body(request) {
            Ok(body) => call.json(&body),
            Err(message) => call.invalid(message),
        }
        .execute()
        .await
    }

    /// Pauses playback, on the active device or on `device_id`. Premium only. Scope:
    /// `user-modify-playback-state`.
    #[doc(alias = "pause_a_users_playback")]
    pub async fn pause_playback(&self, device_id: Option<&str>) -> Result<(), WebApiError> {
        device(self.call("pause_a_users_playback"), device_id)
            .execute()
            .await
    }

    /// Skips to the next item in the queue. Premium only. Scope: `user-modify-playback-state`.
    #[doc(alias = "skip_users_playback_to_next_track")]
    pub async fn next_track(&self, device_id: Option<&str>) -> Result<(), WebApiError> {
        device(self.call("skip_users_playback_to_next_track"), device_id)
            .execute()
            .await
    }

    /// Skips to the previous item. Premium only. Scope: `user-modify-playback-state`.
    #[doc(alias = "skip_users_playback_to_previous_track")]
    pub async fn previous_track(&self, device_id: Option<&str>) -> Result<(), WebApiError> {
        device(
            self.call("skip_users_playback_to_previous_track"),
            device_id,
        )
        .execute()
        .await
    }

    /// Seeks to `position_ms` in the current item; past its end, Spotify skips to the next one.
    /// Premium only. Scope: `user-modify-playback-state`.
    #[doc(alias = "seek_to_position_in_currently_playing_track")]
    pub async fn seek(&self, position_ms: u64, device_id: Option<&str>) -> Result<(), WebApiError> {
        device(
            self.call("seek_to_position_in_currently_playing_track"),
            device_id,
        )
        .query("position_ms", position_ms)
        .execute()
        .await
    }

    /// Sets the repeat mode: off, the current item, or the current context. Premium only.
    /// Scope: `user-modify-playback-state`.
    #[doc(alias = "set_repeat_mode_on_users_playback")]
    pub async fn set_repeat(
        &self,
        state: RepeatState,
        device_id: Option<&str>,
    ) -> Result<(), WebApiError> {
        device(self.call("set_repeat_mode_on_users_playback"), device_id)
            .query("state", state.as_str())
            .execute()
            .await
    }

    /// Sets the volume, 0 to 100 (more is refused before sending). Premium only; some devices
    /// (phones) do not allow it. Scope: `user-modify-playback-state`.
    #[doc(alias = "set_volume_for_users_playback")]
    pub async fn set_volume(
        &self,
        volume_percent: u8,
        device_id: Option<&str>,
    ) -> Result<(), WebApiError> {
        device(self.call("set_volume_for_users_playback"), device_id)
            .check(volume_percent <= 100, || {
                format!("volume_percent must be between 0 and 100, got {volume_percent}")
            })
            .query("volume_percent", volume_percent)
            .execute()
            .await
    }

    /// Turns shuffle on or off. Premium only. Scope: `user-modify-playback-state`.
    #[doc(alias = "toggle_shuffle_for_users_playback")]
    pub async fn set_shuffle(
        &self,
        state: bool,
        device_id: Option<&str>,
    ) -> Result<(), WebApiError> {
        device(self.call("toggle_shuffle_for_users_playback"), device_id)
            .query("state", state)
            .execute()
            .await
    }

    /// Tracks the user played recently, newest first (limit 1–50; episodes are not listed),
    /// after or before a moment given by `cursor`. Spotify keeps only the last 50 plays. The
    /// page is a cursor page: [`Spotify::stream`] walks it. Scope: `user-read-recently-played`.
    pub async fn get_recently_played(
        &self,
        limit: Option<u32>,
        cursor: Option<PlayedCursor>,
    ) -> Result<CursorPage<PlayHistory>, WebApiError> {
        let call = self.call("get_recently_played").page(limit, None, 50);
        match cursor {
            Some(PlayedCursor::After(ms)) => call.query("after", ms),
            Some(PlayedCursor::Before(ms)) => call.query("before", ms),
            None => call,
        }
        .fetch()
        .await
    }

    /// The item playing now and the user's queue after it. Scopes: `user-read-currently-playing`
    /// and `user-read-playback-state`.
    pub async fn get_queue(&self) -> Result<Queue, WebApiError> {
        self.call("get_queue").fetch().await
    }

    /// Adds a track or an episode (other kinds are refused before sending) to the end of the
    /// queue. Premium only. Scope: `user-modify-playback-state`.
    pub async fn add_to_queue(
        &self,
        uri: &SpotifyUri,
        device_id: Option<&str>,
    ) -> Result<(), WebApiError> {
        device(self.call("add_to_queue"), device_id)
            .check(is_playable(uri), || {
                format!("only tracks and episodes can be queued, got {uri}")
            })
            .query("uri", uri.uri())
            .execute()
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(text: &str) -> SpotifyUri {
        SpotifyUri::parse(text).expect("a valid URI")
    }

    const TRACK: &str = "spotify:track:6rqhFgbbKwnb9MLmUQDhG6";
    const ALBUM: &str = "spotify:album:5ht7ItJgpBH7W6vJ5BqpPr";

    #[test]
    fn an_empty_request_resumes_with_an_empty_body() {
        assert_eq!(play_body(&StartPlayback::default()), Ok(json!({})));
    }

    #[test]
    fn offsets_are_sent_as_spotify_spells_them() {
        let by_position = StartPlayback {
            context_uri: Some(uri(ALBUM)),
            offset: Some(PlaybackOffset::Position(4)),
            position_ms: Some(1500),
            ..StartPlayback::default()
        };
        assert_eq!(
            play_body(&by_position),
            Ok(json!({ "context_uri": ALBUM, "offset": { "position": 4 }, "position_ms": 1500 }))
        );
        let by_uri = StartPlayback {
            uris: vec![uri(TRACK)],
            offset: Some(PlaybackOffset::Uri(uri(TRACK))),
            ..StartPlayback::default()
        };
        assert_eq!(
            play_body(&by_uri),
            Ok(json!({ "uris": [TRACK], "offset": { "uri": TRACK } }))
        );
    }

    #[test]
    fn a_context_and_uris_together_are_refused() {
        let both = StartPlayback {
            context_uri: Some(uri(ALBUM)),
            uris: vec![uri(TRACK)],
            ..StartPlayback::default()
        };
        assert!(play_body(&both).is_err_and(|message| message.contains("not both")));
    }

    #[test]
    fn kinds_that_cannot_be_played_there_are_refused() {
        let track_as_context = StartPlayback {
            context_uri: Some(uri(TRACK)),
            ..StartPlayback::default()
        };
        assert!(play_body(&track_as_context).is_err());
        let album_as_item = StartPlayback {
            uris: vec![uri(ALBUM)],
            ..StartPlayback::default()
        };
        assert!(play_body(&album_as_item).is_err());
        let offset_alone = StartPlayback {
            offset: Some(PlaybackOffset::Position(1)),
            ..StartPlayback::default()
        };
        assert!(play_body(&offset_alone).is_err());
    }
}
