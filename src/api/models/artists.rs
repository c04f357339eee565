//! Artists: the full [`Artist`] (`GET /artists/{id}`, top artists, followed artists, search),
//! the [`SimplifiedArtist`] that tracks and albums embed, and [`FollowedArtists`], the wrapped
//! cursor page of `GET /me/following`.

use serde::{Deserialize, Serialize};

use super::common::{null_default, ExternalUrls, Followers, Image};
use crate::api::paging::{CursorPage, Paged};

/// An artist as tracks and albums embed it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimplifiedArtist {
    /// Links outside the Web API.
    #[serde(default, deserialize_with = "null_default")]
    pub external_urls: ExternalUrls,
    /// The artist's Web API URL; `None` for the artist of a local file.
    #[serde(default)]
    pub href: Option<String>,
    /// The artist's Spotify id; `None` for the artist of a local file.
    #[serde(default)]
    pub id: Option<String>,
    /// The artist's name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// The object type, `"artist"`.
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
    /// The artist's Spotify URI; `None` for the artist of a local file.
    #[serde(default)]
    pub uri: Option<String>,
}

/// An artist (full object).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Artist {
    /// Links outside the Web API.
    #[serde(default, deserialize_with = "null_default")]
    pub external_urls: ExternalUrls,
    /// Follower count. Dropped for Development Mode apps in 2026-02.
    #[serde(default)]
    pub followers: Option<Followers>,
    /// Genres the artist is associated with; may be empty. Deprecated in the spec, so it may
    /// disappear: a missing list reads as empty.
    #[serde(default, deserialize_with = "null_default")]
    pub genres: Vec<String>,
    /// The artist's Web API URL.
    #[serde(default, deserialize_with = "null_default")]
    pub href: String,
    /// The artist's Spotify id.
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    /// The artist's images, widest first.
    #[serde(default, deserialize_with = "null_default")]
    pub images: Vec<Image>,
    /// The artist's name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Popularity, 0 to 100. Dropped for Development Mode apps in 2026-02.
    #[serde(default)]
    pub popularity: Option<u32>,
    /// The object type, `"artist"`.
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
    /// The artist's Spotify URI.
    #[serde(default, deserialize_with = "null_default")]
    pub uri: String,
}

/// The answer of `GET /me/following?type=artist`: a cursor page wrapped in `{"artists": ...}`.
///
/// The next page comes wrapped the same way, so this type (not the bare page) is what a paging
/// stream parses each page into.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FollowedArtists {
    /// The page of followed artists.
    pub artists: CursorPage<Artist>,
}

impl Paged for FollowedArtists {
    type Item = Artist;

    fn into_parts(self) -> (Vec<Artist>, Option<String>) {
        self.artists.into_parts()
    }
}
