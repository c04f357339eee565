//! Artists: catalogue lookups, an artist's albums and top tracks, and related artists.

use serde::Deserialize;

use crate::api::client::Spotify;
use crate::api::ids::{ArtistId, SpotifyId};
use crate::api::models::{Artist, SimplifiedAlbum, Track};
use crate::api::paging::Page;
use crate::api::WebApiError;

#[derive(Deserialize)]
struct Artists<T> {
    artists: Vec<T>,
}

#[derive(Deserialize)]
struct Tracks {
    tracks: Vec<Track>,
}

/// How an artist relates to an album, to filter [`Spotify::get_artist_albums`] by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AlbumGroup {
    /// The artist's own albums.
    Album,
    /// The artist's singles and EPs.
    Single,
    /// Albums by others the artist appears on.
    AppearsOn,
    /// Compilations the artist is on.
    Compilation,
}

impl AlbumGroup {
    /// The name Spotify uses: `album`, `single`, `appears_on` or `compilation`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Album => "album",
            Self::Single => "single",
            Self::AppearsOn => "appears_on",
            Self::Compilation => "compilation",
        }
    }
}

impl Spotify {
    /// One artist.
    #[doc(alias = "get_an_artist")]
    pub async fn get_artist(&self, id: &ArtistId) -> Result<Artist, WebApiError> {
        self.call("get_an_artist").path(&[id.id()]).fetch().await
    }

    /// Up to 50 artists; an unknown id gives `None` in its place.
    #[doc(alias = "get_multiple_artists")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; call get_artist per id"
    )]
    pub async fn get_artists(&self, ids: &[ArtistId]) -> Result<Vec<Option<Artist>>, WebApiError> {
        let artists: Artists<Option<Artist>> = self
            .call("get_multiple_artists")
            .ids("ids", ids, 50)
            .fetch()
            .await?;
        Ok(artists.artists)
    }

    /// One page of an artist's albums (limit 1–10, Spotify's default 5), filtered by
    /// `include_groups` (empty: every group). `market` limits them to one market.
    #[doc(alias = "get_an_artists_albums")]
    pub async fn get_artist_albums(
        &self,
        id: &ArtistId,
        include_groups: &[AlbumGroup],
        market: Option<&str>,
        limit: Option<u32>,
        offset: Option<u32>,
    ) -> Result<Page<SimplifiedAlbum>, WebApiError> {
        let groups = (!include_groups.is_empty()).then(|| {
            include_groups
                .iter()
                .map(|group| group.as_str())
                .collect::<Vec<_>>()
                .join(",")
        });
        self.call("get_an_artists_albums")
            .path(&[id.id()])
            .query_opt("include_groups", groups)
            .market(market)
            .page(limit, offset, 10)
            .fetch()
            .await
    }

    /// An artist's top tracks (up to 10) in `market`.
    #[doc(alias = "get_an_artists_top_tracks")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; no replacement"
    )]
    pub async fn get_artist_top_tracks(
        &self,
        id: &ArtistId,
        market: Option<&str>,
    ) -> Result<Vec<Track>, WebApiError> {
        let tracks: Tracks = self
            .call("get_an_artists_top_tracks")
            .path(&[id.id()])
            .market(market)
            .fetch()
            .await?;
        Ok(tracks.tracks)
    }

    /// Artists similar to an artist (up to 20).
    #[doc(alias = "get_an_artists_related_artists")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2024-11; no replacement"
    )]
    pub async fn get_related_artists(&self, id: &ArtistId) -> Result<Vec<Artist>, WebApiError> {
        let artists: Artists<Artist> = self
            .call("get_an_artists_related_artists")
            .path(&[id.id()])
            .fetch()
            .await?;
        Ok(artists.artists)
    }
}
