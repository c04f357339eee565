//! Albums: catalogue lookups, an album's tracks, the user's saved albums, and new releases.

use serde::Deserialize;
use serde_json::json;

use crate::api::client::Spotify;
use crate::api::ids::{AlbumId, SpotifyId};
use crate::api::models::{Album, NewReleases, SavedAlbum, SimplifiedTrack};
use crate::api::paging::Page;
use crate::api::WebApiError;

#[derive(Deserialize)]
struct Albums {
    albums: Vec<Option<Album>>,
}

impl Spotify {
    /// One album. `market` enables track relinking.
    #[doc(alias = "get_an_album")]
    pub async fn get_album(
        &self,
        id: &AlbumId,
        market: Option<&str>,
    ) -> Result<Album, WebApiError> {
        self.call("get_an_album")
            .path(&[id.id()])
            .market(market)
            .fetch()
            .await
    }

    /// Up to 20 albums; an unknown id gives `None` in its place.
    #[doc(alias = "get_multiple_albums")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; call get_album per id"
    )]
    pub async fn get_albums(
        &self,
        ids: &[AlbumId],
        market: Option<&str>,
    ) -> Result<Vec<Option<Album>>, WebApiError> {
        let albums: Albums = self
            .call("get_multiple_albums")
            .ids("ids", ids, 20)
            .market(market)
            .fetch()
            .await?;
        Ok(albums.albums)
    }

    /// One page of an album's tracks (limit 1–50). `market` enables track relinking.
    #[doc(alias = "get_an_albums_tracks")]
    pub async fn get_album_tracks(
        &self,
        id: &AlbumId,
        market: Option<&str>,
        limit: Option<u32>,
        offset: Option<u32>,
    ) -> Result<Page<SimplifiedTrack>, WebApiError> {
        self.call("get_an_albums_tracks")
            .path(&[id.id()])
            .market(market)
            .page(limit, offset, 50)
            .fetch()
            .await
    }

    /// The user's saved albums, newest first (limit 1–50). Scope: `user-library-read`.
    #[doc(alias = "get_users_saved_albums")]
    pub async fn get_saved_albums(
        &self,
        limit: Option<u32>,
        offset: Option<u32>,
        market: Option<&str>,
    ) -> Result<Page<SavedAlbum>, WebApiError> {
        self.call("get_users_saved_albums")
            .page(limit, offset, 50)
            .market(market)
            .fetch()
            .await
    }

    /// Saves up to 20 albums to the user's library. Scope: `user-library-modify`.
    #[doc(alias = "save_albums_user")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use save_to_library"
    )]
    pub async fn save_albums(&self, ids: &[AlbumId]) -> Result<(), WebApiError> {
        let list: Vec<&str> = ids.iter().map(SpotifyId::id).collect();
        self.call("save_albums_user")
            .ids("ids", ids, 20)
            .json(&json!({ "ids": list }))
            .execute()
            .await
    }

    /// Removes up to 20 albums from the user's library. Scope: `user-library-modify`.
    #[doc(alias = "remove_albums_user")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use remove_from_library"
    )]
    pub async fn remove_saved_albums(&self, ids: &[AlbumId]) -> Result<(), WebApiError> {
        self.call("remove_albums_user")
            .ids("ids", ids, 20)
            .execute()
            .await
    }

    /// Whether each of up to 20 albums is saved, in order. Scope: `user-library-read`.
    #[doc(alias = "check_users_saved_albums")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use check_library"
    )]
    pub async fn check_saved_albums(&self, ids: &[AlbumId]) -> Result<Vec<bool>, WebApiError> {
        self.call("check_users_saved_albums")
            .ids("ids", ids, 20)
            .fetch()
            .await
    }

    /// One page of new album releases (limit 1–50). Page on with [`Spotify::stream`].
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; no replacement"
    )]
    pub async fn get_new_releases(
        &self,
        limit: Option<u32>,
        offset: Option<u32>,
    ) -> Result<NewReleases, WebApiError> {
        self.call("get_new_releases")
            .page(limit, offset, 50)
            .fetch()
            .await
    }
}
