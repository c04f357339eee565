//! The player: [`Device`]s, the [`PlaybackState`] of `GET /me/player`, [`CurrentlyPlaying`],
//! the [`Queue`], recently played [`PlayHistory`], and [`PlayableItem`], the track-or-episode
//! that the player, the queue and playlists hold.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};

use super::common::{null_default, ExternalUrls};
use super::shows::Episode;
use super::tracks::Track;

/// A track or an episode: what the player plays, the queue holds and a playlist entry points to.
///
/// Chosen by the object's `type` field. An object of any other type (Spotify plays ads, and may
/// add kinds of playable content later), or one without a `type` (a `fields`-filtered playlist
/// answer), becomes [`PlayableItem::Unknown`] holding the raw JSON instead of failing the whole
/// response: a playlist with one entry this crate does not know is still a playlist. Keeping the
/// raw value rather than a bare `#[serde(other)]` unit variant lets callers still read it. An
/// object whose `type` is `track` or `episode` but that does not parse as one is an error, so
/// real mistakes are not hidden.
///
/// It serializes untagged: the inner object already carries its `type`, and `Unknown` writes the
/// JSON it was read from, so a round trip is lossless.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum PlayableItem {
    /// A track (`"type": "track"`), local files included.
    Track(Box<Track>),
    /// A podcast episode (`"type": "episode"`).
    Episode(Box<Episode>),
    /// Anything else, kept as the JSON Spotify sent.
    Unknown(serde_json::Value),
}

impl PlayableItem {
    /// The track, if this is one.
    pub fn as_track(&self) -> Option<&Track> {
        match self {
            Self::Track(track) => Some(track),
            _ => None,
        }
    }

    /// The episode, if this is one.
    pub fn as_episode(&self) -> Option<&Episode> {
        match self {
            Self::Episode(episode) => Some(episode),
            _ => None,
        }
    }

    /// The item's Spotify URI, when it has one (`None` for an unknown object without `uri`).
    pub fn uri(&self) -> Option<&str> {
        match self {
            Self::Track(track) => Some(&track.uri),
            Self::Episode(episode) => Some(&episode.uri),
            Self::Unknown(value) => value.get("uri").and_then(serde_json::Value::as_str),
        }
    }
}

impl<'de> Deserialize<'de> for PlayableItem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Buffer once, then dispatch on `type`. The inner types keep their own `type` field,
        // which an internally tagged enum would have consumed.
        let value = serde_json::Value::deserialize(deserializer)?;
        match value.get("type").and_then(serde_json::Value::as_str) {
            Some("track") => Track::deserialize(value)
                .map(|track| Self::Track(Box::new(track)))
                .map_err(D::Error::custom),
            Some("episode") => Episode::deserialize(value)
                .map(|episode| Self::Episode(Box::new(episode)))
                .map_err(D::Error::custom),
            _ => Ok(Self::Unknown(value)),
        }
    }
}

/// A device the user can play on (`GET /me/player/devices`, and the playback state's device).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    /// The device id, unique and somewhat persistent; `None` for some restricted devices.
    #[serde(default)]
    pub id: Option<String>,
    /// Whether this is the current active device.
    #[serde(default, deserialize_with = "null_default")]
    pub is_active: bool,
    /// Whether the device is in a private session.
    #[serde(default, deserialize_with = "null_default")]
    pub is_private_session: bool,
    /// Whether the Web API cannot control this device (commands to it fail).
    #[serde(default, deserialize_with = "null_default")]
    pub is_restricted: bool,
    /// A human-readable name, such as "Kitchen speaker".
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// `computer`, `smartphone`, `speaker`, … (kept a string: Spotify adds kinds).
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
    /// The volume, 0 to 100; `None` when the device does not report one.
    #[serde(default)]
    pub volume_percent: Option<u32>,
    /// Whether the volume can be set through the Web API.
    #[serde(default, deserialize_with = "null_default")]
    pub supports_volume: bool,
}

/// Where playback comes from: an album, artist, playlist or show.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Context {
    /// `album`, `artist`, `playlist`, `show`, `collection`, …
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
    /// The context's Web API URL, when it has one.
    #[serde(default)]
    pub href: Option<String>,
    /// Links outside the Web API.
    #[serde(default, deserialize_with = "null_default")]
    pub external_urls: ExternalUrls,
    /// The context's Spotify URI.
    #[serde(default, deserialize_with = "null_default")]
    pub uri: String,
}

/// Player actions that are not allowed right now; `Some(true)` means disallowed, a missing key
/// means allowed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disallows {
    /// Interrupting playback.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interrupting_playback: Option<bool>,
    /// Pausing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pausing: Option<bool>,
    /// Resuming.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resuming: Option<bool>,
    /// Seeking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seeking: Option<bool>,
    /// Skipping to the next item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipping_next: Option<bool>,
    /// Skipping to the previous item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipping_prev: Option<bool>,
    /// Toggling repeat-context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toggling_repeat_context: Option<bool>,
    /// Toggling shuffle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toggling_shuffle: Option<bool>,
    /// Toggling repeat-track.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toggling_repeat_track: Option<bool>,
    /// Transferring playback between devices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transferring_playback: Option<bool>,
}

impl Disallows {
    fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// What the player allows right now.
///
/// Spotify sends `{"disallows": {"resuming": true}}`, while the OpenAPI spec describes the
/// flags directly under `actions`. Both parse (into `disallows`); it serializes in the first,
/// real-world form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "ActionsWire")]
pub struct Actions {
    /// The actions that are not allowed.
    pub disallows: Disallows,
}

/// Both shapes of [`Actions`] on the wire.
#[derive(Deserialize)]
struct ActionsWire {
    #[serde(default)]
    disallows: Option<Disallows>,
    #[serde(flatten)]
    flat: Disallows,
}

impl From<ActionsWire> for Actions {
    fn from(wire: ActionsWire) -> Self {
        let disallows = match wire.disallows {
            Some(nested) if !nested.is_empty() || wire.flat.is_empty() => nested,
            _ => wire.flat,
        };
        Self { disallows }
    }
}

/// The player's repeat mode (also the value `PUT /me/player/repeat` takes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RepeatState {
    /// No repeat.
    #[default]
    Off,
    /// Repeat the current item.
    Track,
    /// Repeat the current context.
    Context,
}

impl RepeatState {
    /// The value as Spotify writes it: `off`, `track` or `context`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::Track => "track",
            Self::Context => "context",
        }
    }
}

/// The user's playback state (`GET /me/player`; the spec's `CurrentlyPlayingContextObject`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaybackState {
    /// The active device.
    #[serde(default, deserialize_with = "null_default")]
    pub device: Device,
    /// The repeat mode.
    #[serde(default, deserialize_with = "null_default")]
    pub repeat_state: RepeatState,
    /// Whether shuffle is on.
    #[serde(default, deserialize_with = "null_default")]
    pub shuffle_state: bool,
    /// Whether smart shuffle is on (sent by newer players only).
    #[serde(default)]
    pub smart_shuffle: Option<bool>,
    /// Where playback comes from; `None` when it has no context (e.g. a single track, or a
    /// private session).
    #[serde(default)]
    pub context: Option<Context>,
    /// When the state last changed, in Unix milliseconds.
    #[serde(default, deserialize_with = "null_default")]
    pub timestamp: u64,
    /// Position in the current item, in milliseconds.
    #[serde(default)]
    pub progress_ms: Option<u64>,
    /// Whether something is playing.
    #[serde(default, deserialize_with = "null_default")]
    pub is_playing: bool,
    /// The current item; `None` during ads, when nothing is loaded, or for an episode unless
    /// `additional_types=episode` was asked for.
    #[serde(default)]
    pub item: Option<PlayableItem>,
    /// `track`, `episode`, `ad` or `unknown`.
    #[serde(default, deserialize_with = "null_default")]
    pub currently_playing_type: String,
    /// What the player allows now.
    #[serde(default, deserialize_with = "null_default")]
    pub actions: Actions,
}

/// What is playing now (`GET /me/player/currently-playing`): the playback state without the
/// device, shuffle and repeat.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentlyPlaying {
    /// Where playback comes from, when it has a context.
    #[serde(default)]
    pub context: Option<Context>,
    /// When the state last changed, in Unix milliseconds.
    #[serde(default, deserialize_with = "null_default")]
    pub timestamp: u64,
    /// Position in the current item, in milliseconds.
    #[serde(default)]
    pub progress_ms: Option<u64>,
    /// Whether something is playing.
    #[serde(default, deserialize_with = "null_default")]
    pub is_playing: bool,
    /// The current item; `None` during ads or when nothing is loaded.
    #[serde(default)]
    pub item: Option<PlayableItem>,
    /// `track`, `episode`, `ad` or `unknown`.
    #[serde(default, deserialize_with = "null_default")]
    pub currently_playing_type: String,
    /// What the player allows now.
    #[serde(default, deserialize_with = "null_default")]
    pub actions: Actions,
}

/// A track the user played (`GET /me/player/recently-played`; episodes are not listed).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayHistory {
    /// The track.
    #[serde(default, deserialize_with = "null_default")]
    pub track: Track,
    /// When it was played (ISO 8601 with milliseconds, `YYYY-MM-DDTHH:MM:SS.sssZ`).
    #[serde(default, deserialize_with = "null_default")]
    pub played_at: String,
    /// Where it was played from, when known.
    #[serde(default)]
    pub context: Option<Context>,
}

/// The user's queue (`GET /me/player/queue`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    /// The item playing now, if any.
    #[serde(default)]
    pub currently_playing: Option<PlayableItem>,
    /// The items queued after it, next first.
    #[serde(default, deserialize_with = "null_default")]
    pub queue: Vec<PlayableItem>,
}
