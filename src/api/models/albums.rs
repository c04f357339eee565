//! Albums: the full [`Album`] (`GET /albums/{id}`), the [`SimplifiedAlbum`] that tracks, search,
//! new releases and artist discographies carry, and the [`SavedAlbum`] of the user's library.

use serde::{Deserialize, Serialize};

use super::artists::SimplifiedArtist;
use super::common::{null_default, Copyright, ExternalIds, ExternalUrls, Image, Restrictions};
use super::tracks::SimplifiedTrack;
use crate::api::paging::Page;

/// An album as tracks, search results, new releases and artist discographies carry it.
///
/// One type serves plain simplified albums and the spec's `ArtistDiscographyAlbumObject`, which
/// only adds `album_group`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimplifiedAlbum {
    /// `album`, `single` or `compilation` (kept a string: Spotify has sent other values).
    #[serde(default, deserialize_with = "null_default")]
    pub album_type: String,
    /// The number of tracks.
    #[serde(default, deserialize_with = "null_default")]
    pub total_tracks: u32,
    /// Markets (ISO 3166-1 alpha-2) the album is available in. Dropped for Development Mode
    /// apps in 2026-02, and absent whenever a market was given.
    #[serde(default)]
    pub available_markets: Option<Vec<String>>,
    /// Links outside the Web API.
    #[serde(default, deserialize_with = "null_default")]
    pub external_urls: ExternalUrls,
    /// The album's Web API URL; `None` for the album of a local file.
    #[serde(default)]
    pub href: Option<String>,
    /// The album's Spotify id; `None` for the album of a local file.
    #[serde(default)]
    pub id: Option<String>,
    /// Cover art, widest first.
    #[serde(default, deserialize_with = "null_default")]
    pub images: Vec<Image>,
    /// The album's name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Release date as Spotify sends it: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (see
    /// `release_date_precision`). Empty for local files.
    #[serde(default, deserialize_with = "null_default")]
    pub release_date: String,
    /// `year`, `month` or `day`: how much of `release_date` is known.
    #[serde(default, deserialize_with = "null_default")]
    pub release_date_precision: String,
    /// Why the album cannot be played, when it cannot (market relinking).
    #[serde(default)]
    pub restrictions: Option<Restrictions>,
    /// The object type, `"album"`.
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
    /// The album's Spotify URI; `None` for the album of a local file.
    #[serde(default)]
    pub uri: Option<String>,
    /// The album's artists.
    #[serde(default, deserialize_with = "null_default")]
    pub artists: Vec<SimplifiedArtist>,
    /// In an artist's discography: how the artist relates to the album (`album`, `single`,
    /// `compilation`, `appears_on`). Deprecated in the spec and dropped for Development Mode
    /// apps in 2026-02; absent outside discographies.
    #[serde(default)]
    pub album_group: Option<String>,
    /// Whether the album is playable in the given market (sent only when a market was given).
    #[serde(default)]
    pub is_playable: Option<bool>,
}

/// An album (full object).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Album {
    /// `album`, `single` or `compilation`.
    #[serde(default, deserialize_with = "null_default")]
    pub album_type: String,
    /// The number of tracks.
    #[serde(default, deserialize_with = "null_default")]
    pub total_tracks: u32,
    /// Markets the album is available in. Dropped for Development Mode apps in 2026-02, and
    /// absent whenever a market was given.
    #[serde(default)]
    pub available_markets: Option<Vec<String>>,
    /// Links outside the Web API.
    #[serde(default, deserialize_with = "null_default")]
    pub external_urls: ExternalUrls,
    /// The album's Web API URL.
    #[serde(default, deserialize_with = "null_default")]
    pub href: String,
    /// The album's Spotify id.
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    /// Cover art, widest first.
    #[serde(default, deserialize_with = "null_default")]
    pub images: Vec<Image>,
    /// The album's name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Release date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (see `release_date_precision`).
    #[serde(default, deserialize_with = "null_default")]
    pub release_date: String,
    /// `year`, `month` or `day`.
    #[serde(default, deserialize_with = "null_default")]
    pub release_date_precision: String,
    /// Why the album cannot be played, when it cannot.
    #[serde(default)]
    pub restrictions: Option<Restrictions>,
    /// The object type, `"album"`.
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
    /// The album's Spotify URI.
    #[serde(default, deserialize_with = "null_default")]
    pub uri: String,
    /// The album's artists.
    #[serde(default, deserialize_with = "null_default")]
    pub artists: Vec<SimplifiedArtist>,
    /// The first page of the album's tracks (follow `next` with `GET /albums/{id}/tracks`).
    /// Optional because a `fields`-style trimmed answer or a future change may leave it out.
    #[serde(default)]
    pub tracks: Option<Page<SimplifiedTrack>>,
    /// Copyright statements.
    #[serde(default, deserialize_with = "null_default")]
    pub copyrights: Vec<Copyright>,
    /// UPC/EAN. Dropped for Development Mode apps in 2026-02, restored in 2026-03.
    #[serde(default)]
    pub external_ids: Option<ExternalIds>,
    /// Always empty in practice; deprecated in the spec.
    #[serde(default, deserialize_with = "null_default")]
    pub genres: Vec<String>,
    /// The record label. Dropped for Development Mode apps in 2026-02.
    #[serde(default)]
    pub label: Option<String>,
    /// Popularity, 0 to 100. Dropped for Development Mode apps in 2026-02.
    #[serde(default)]
    pub popularity: Option<u32>,
    /// Whether the album is playable in the given market (sent only when a market was given).
    #[serde(default)]
    pub is_playable: Option<bool>,
}

/// An album in the user's library (`GET /me/albums`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedAlbum {
    /// When it was saved, as Spotify sends it (ISO 8601, `YYYY-MM-DDTHH:MM:SSZ`).
    #[serde(default, deserialize_with = "null_default")]
    pub added_at: String,
    /// The album.
    #[serde(default, deserialize_with = "null_default")]
    pub album: Album,
}
