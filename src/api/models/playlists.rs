//! Playlists: the full [`Playlist`], the [`SimplifiedPlaylist`] of listings and search, the
//! [`PlaylistItem`] entries, the [`PlaylistItemsRef`] summary, and the [`FeaturedPlaylists`]
//! wrapper of the browse endpoints.
//!
//! **`tracks` became `items` (2026-02).** In the new shape a playlist's entries are under
//! `items` and each entry's track or episode under `item`; the old keys `tracks` and `track`
//! are deprecated, and during the deprecation window Spotify sends both (the old one sometimes
//! as `null`). A serde `alias` would fail on such an answer ("duplicate field"), so these types
//! read through private wire structs that accept either key or both, prefer the new one, and
//! fall back to the old one when the new one is missing or `null`. They serialize in the new
//! shape only.

use serde::{Deserialize, Serialize};

use super::common::{null_default, ExternalUrls, Followers, Image};
use super::player::PlayableItem;
use super::users::PublicUser;
use crate::api::paging::{Page, Paged};

/// Where a playlist's items are and how many there are (the `items` of a simplified playlist).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaylistItemsRef {
    /// The Web API URL of the playlist's items.
    #[serde(default, deserialize_with = "null_default")]
    pub href: String,
    /// The number of items.
    #[serde(default, deserialize_with = "null_default")]
    pub total: u32,
}

/// One entry of a playlist (the spec's `PlaylistTrackObject`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "PlaylistItemWire")]
pub struct PlaylistItem {
    /// When the entry was added (ISO 8601); `None` for very old playlists.
    pub added_at: Option<String>,
    /// Who added it; `None` for very old playlists.
    pub added_by: Option<PublicUser>,
    /// Whether the entry is a local file.
    pub is_local: bool,
    /// The track or episode; `None` when Spotify no longer has it. Read from `item`, or from
    /// the pre-2026 `track` key.
    pub item: Option<PlayableItem>,
}

#[derive(Deserialize)]
struct PlaylistItemWire {
    #[serde(default)]
    added_at: Option<String>,
    #[serde(default)]
    added_by: Option<PublicUser>,
    #[serde(default, deserialize_with = "null_default")]
    is_local: bool,
    #[serde(default)]
    item: Option<PlayableItem>,
    #[serde(default)]
    track: Option<PlayableItem>,
}

impl From<PlaylistItemWire> for PlaylistItem {
    fn from(wire: PlaylistItemWire) -> Self {
        Self {
            added_at: wire.added_at,
            added_by: wire.added_by,
            is_local: wire.is_local,
            item: wire.item.or(wire.track),
        }
    }
}

/// A playlist as listings (`GET /me/playlists`), search and the browse endpoints carry it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "SimplifiedPlaylistWire")]
pub struct SimplifiedPlaylist {
    /// Whether other users may change the playlist.
    pub collaborative: bool,
    /// The description; `None` unless the owner wrote one.
    pub description: Option<String>,
    /// Links outside the Web API.
    pub external_urls: ExternalUrls,
    /// The playlist's Web API URL.
    pub href: String,
    /// The playlist's Spotify id.
    pub id: String,
    /// Cover images, widest first; empty (Spotify sends `null`) for a new empty playlist.
    pub images: Vec<Image>,
    /// The playlist's name.
    pub name: String,
    /// The owner.
    pub owner: PublicUser,
    /// Whether the playlist is public; `None` when the owner's choice is not known.
    pub public: Option<bool>,
    /// The playlist's current version.
    pub snapshot_id: String,
    /// Where the items are and how many; read from `items`, or from the pre-2026 `tracks`.
    pub items: Option<PlaylistItemsRef>,
    /// The object type, `"playlist"`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The playlist's Spotify URI.
    pub uri: String,
    /// The playlist's primary colour (a hex string), when Spotify sends one.
    pub primary_color: Option<String>,
}

#[derive(Deserialize)]
struct SimplifiedPlaylistWire {
    #[serde(default, deserialize_with = "null_default")]
    collaborative: bool,
    #[serde(default)]
    description: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    external_urls: ExternalUrls,
    #[serde(default, deserialize_with = "null_default")]
    href: String,
    #[serde(default, deserialize_with = "null_default")]
    id: String,
    #[serde(default, deserialize_with = "null_default")]
    images: Vec<Image>,
    #[serde(default, deserialize_with = "null_default")]
    name: String,
    #[serde(default, deserialize_with = "null_default")]
    owner: PublicUser,
    #[serde(default)]
    public: Option<bool>,
    #[serde(default, deserialize_with = "null_default")]
    snapshot_id: String,
    #[serde(default)]
    items: Option<PlaylistItemsRef>,
    #[serde(default)]
    tracks: Option<PlaylistItemsRef>,
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    kind: String,
    #[serde(default, deserialize_with = "null_default")]
    uri: String,
    #[serde(default)]
    primary_color: Option<String>,
}

impl From<SimplifiedPlaylistWire> for SimplifiedPlaylist {
    fn from(wire: SimplifiedPlaylistWire) -> Self {
        Self {
            collaborative: wire.collaborative,
            description: wire.description,
            external_urls: wire.external_urls,
            href: wire.href,
            id: wire.id,
            images: wire.images,
            name: wire.name,
            owner: wire.owner,
            public: wire.public,
            snapshot_id: wire.snapshot_id,
            items: wire.items.or(wire.tracks),
            kind: wire.kind,
            uri: wire.uri,
            primary_color: wire.primary_color,
        }
    }
}

/// A playlist (full object: `GET /playlists/{id}`, `POST /me/playlists`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "PlaylistWire")]
pub struct Playlist {
    /// Whether other users may change the playlist.
    pub collaborative: bool,
    /// The description; `None` unless the owner wrote one.
    pub description: Option<String>,
    /// Links outside the Web API.
    pub external_urls: ExternalUrls,
    /// Follower count. Dropped for Development Mode apps in 2026-02.
    pub followers: Option<Followers>,
    /// The playlist's Web API URL.
    pub href: String,
    /// The playlist's Spotify id.
    pub id: String,
    /// Cover images, widest first; empty (Spotify sends `null`) for a new empty playlist.
    pub images: Vec<Image>,
    /// The playlist's name.
    pub name: String,
    /// The owner.
    pub owner: PublicUser,
    /// Whether the playlist is public; `None` when the owner's choice is not known.
    pub public: Option<bool>,
    /// The playlist's current version.
    pub snapshot_id: String,
    /// The first page of entries (follow `next` with `GET /playlists/{id}/items`). Read from
    /// `items`, or from the pre-2026 `tracks`. `None` for Development Mode apps on playlists
    /// the user neither owns nor collaborates on (2026-02).
    pub items: Option<Page<PlaylistItem>>,
    /// The object type, `"playlist"`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The playlist's Spotify URI.
    pub uri: String,
    /// The playlist's primary colour (a hex string), when Spotify sends one.
    pub primary_color: Option<String>,
}

#[derive(Deserialize)]
struct PlaylistWire {
    #[serde(default, deserialize_with = "null_default")]
    collaborative: bool,
    #[serde(default)]
    description: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    external_urls: ExternalUrls,
    #[serde(default)]
    followers: Option<Followers>,
    #[serde(default, deserialize_with = "null_default")]
    href: String,
    #[serde(default, deserialize_with = "null_default")]
    id: String,
    #[serde(default, deserialize_with = "null_default")]
    images: Vec<Image>,
    #[serde(default, deserialize_with = "null_default")]
    name: String,
    #[serde(default, deserialize_with = "null_default")]
    owner: PublicUser,
    #[serde(default)]
    public: Option<bool>,
    #[serde(default, deserialize_with = "null_default")]
    snapshot_id: String,
    #[serde(default)]
    items: Option<Page<PlaylistItem>>,
    #[serde(default)]
    tracks: Option<Page<PlaylistItem>>,
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    kind: String,
    #[serde(default, deserialize_with = "null_default")]
    uri: String,
    #[serde(default)]
    primary_color: Option<String>,
}

impl From<PlaylistWire> for Playlist {
    fn from(wire: PlaylistWire) -> Self {
        Self {
            collaborative: wire.collaborative,
            description: wire.description,
            external_urls: wire.external_urls,
            followers: wire.followers,
            href: wire.href,
            id: wire.id,
            images: wire.images,
            name: wire.name,
            owner: wire.owner,
            public: wire.public,
            snapshot_id: wire.snapshot_id,
            items: wire.items.or(wire.tracks),
            kind: wire.kind,
            uri: wire.uri,
            primary_color: wire.primary_color,
        }
    }
}

/// The answer of `GET /browse/featured-playlists` and `GET /browse/categories/{id}/playlists`
/// (blocked for new and Development Mode apps since 2024-11-27).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeaturedPlaylists {
    /// A localized message for the list, e.g. "Monday morning music, coming right up!".
    #[serde(default)]
    pub message: Option<String>,
    /// The playlists. An entry is `None` where Spotify sends `null` (a playlist it cannot show).
    pub playlists: Page<Option<SimplifiedPlaylist>>,
}

impl Paged for FeaturedPlaylists {
    type Item = Option<SimplifiedPlaylist>;

    fn into_parts(self) -> (Vec<Self::Item>, Option<String>) {
        self.playlists.into_parts()
    }
}
