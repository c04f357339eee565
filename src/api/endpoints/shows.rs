//! Shows: podcasts by id, a show's episodes, and the user's saved shows.

use serde::Deserialize;

use crate::api::client::Spotify;
use crate::api::ids::{ShowId, SpotifyId};
use crate::api::models::{SavedShow, Show, SimplifiedEpisode, SimplifiedShow};
use crate::api::paging::Page;
use crate::api::WebApiError;

#[derive(Deserialize)]
struct Shows {
    shows: Vec<Option<SimplifiedShow>>,
}

impl Spotify {
    /// One show with its first page of episodes. Scope `user-read-playback-position` widens
    /// the answer: without it the episodes have no `resume_point`.
    #[doc(alias = "get_a_show")]
    pub async fn get_show(&self, id: &ShowId, market: Option<&str>) -> Result<Show, WebApiError> {
        self.call("get_a_show")
            .path(&[id.id()])
            .market(market)
            .fetch()
            .await
    }

    /// Up to 50 shows (without their episodes); an unknown id gives `None` in its place.
    #[doc(alias = "get_multiple_shows")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; call get_show per id"
    )]
    pub async fn get_shows(
        &self,
        ids: &[ShowId],
        market: Option<&str>,
    ) -> Result<Vec<Option<SimplifiedShow>>, WebApiError> {
        let shows: Shows = self
            .call("get_multiple_shows")
            .market(market)
            .ids("ids", ids, 50)
            .fetch()
            .await?;
        Ok(shows.shows)
    }

    /// One page of a show's episodes (limit 1–50). Scope `user-read-playback-position` widens
    /// the answer: without it the episodes have no `resume_point`.
    #[doc(alias = "get_a_shows_episodes")]
    pub async fn get_show_episodes(
        &self,
        id: &ShowId,
        market: Option<&str>,
        limit: Option<u32>,
        offset: Option<u32>,
    ) -> Result<Page<SimplifiedEpisode>, WebApiError> {
        self.call("get_a_shows_episodes")
            .path(&[id.id()])
            .market(market)
            .page(limit, offset, 50)
            .fetch()
            .await
    }

    /// The user's saved shows, newest first (limit 1–50). Scope: `user-library-read`.
    #[doc(alias = "get_users_saved_shows")]
    pub async fn get_saved_shows(
        &self,
        limit: Option<u32>,
        offset: Option<u32>,
    ) -> Result<Page<SavedShow>, WebApiError> {
        self.call("get_users_saved_shows")
            .page(limit, offset, 50)
            .fetch()
            .await
    }

    /// Saves up to 50 shows to the user's library. Scope: `user-library-modify`.
    #[doc(alias = "save_shows_user")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use save_to_library"
    )]
    pub async fn save_shows(&self, ids: &[ShowId]) -> Result<(), WebApiError> {
        self.call("save_shows_user")
            .ids("ids", ids, 50)
            .execute()
            .await
    }

    /// Removes up to 50 shows from the user's library. Scope: `user-library-modify`.
    #[doc(alias = "remove_shows_user")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use remove_from_library"
    )]
    pub async fn remove_saved_shows(
        &self,
        ids: &[ShowId],
        market: Option<&str>,
    ) -> Result<(), WebApiError> {
        self.call("remove_shows_user")
            .ids("ids", ids, 50)
            .market(market)
            .execute()
            .await
    }

    /// Whether each of up to 50 shows is saved, in order. Scope: `user-library-read`.
    #[doc(alias = "check_users_saved_shows")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use check_library"
    )]
    pub async fn check_saved_shows(&self, ids: &[ShowId]) -> Result<Vec<bool>, WebApiError> {
        self.call("check_users_saved_shows")
            .ids("ids", ids, 50)
            .fetch()
            .await
    }
}
