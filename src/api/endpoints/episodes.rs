//! Episodes: podcast episodes by id, and the user's saved episodes.

use serde::Deserialize;
use serde_json::json;

use crate::api::client::Spotify;
use crate::api::ids::{EpisodeId, SpotifyId};
use crate::api::models::{Episode, SavedEpisode};
use crate::api::paging::Page;
use crate::api::WebApiError;

#[derive(Deserialize)]
struct Episodes {
    episodes: Vec<Option<Episode>>,
}

impl Spotify {
    /// One episode. Scope `user-read-playback-position` widens the answer: without it the
    /// episode has no `resume_point`.
    #[doc(alias = "get_an_episode")]
    pub async fn get_episode(
        &self,
        id: &EpisodeId,
        market: Option<&str>,
    ) -> Result<Episode, WebApiError> {
        self.call("get_an_episode")
            .path(&[id.id()])
            .market(market)
            .fetch()
            .await
    }

    /// Up to 50 episodes; an unknown id gives `None` in its place. Scope
    /// `user-read-playback-position` widens the answer: without it episodes have no
    /// `resume_point`.
    #[doc(alias = "get_multiple_episodes")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; call get_episode per id"
    )]
    pub async fn get_episodes(
        &self,
        ids: &[EpisodeId],
        market: Option<&str>,
    ) -> Result<Vec<Option<Episode>>, WebApiError> {
        let episodes: Episodes = self
            .call("get_multiple_episodes")
            .ids("ids", ids, 50)
            .market(market)
            .fetch()
            .await?;
        Ok(episodes.episodes)
    }

    /// The user's saved episodes, newest first (limit 1–50). Scope: `user-library-read` and
    /// `user-read-playback-position`.
    #[doc(alias = "get_users_saved_episodes")]
    pub async fn get_saved_episodes(
        &self,
        market: Option<&str>,
        limit: Option<u32>,
        offset: Option<u32>,
    ) -> Result<Page<SavedEpisode>, WebApiError> {
        self.call("get_users_saved_episodes")
            .market(market)
            .page(limit, offset, 50)
            .fetch()
            .await
    }

    /// Saves up to 50 episodes to the user's library. Scope: `user-library-modify`.
    #[doc(alias = "save_episodes_user")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use save_to_library"
    )]
    pub async fn save_episodes(&self, ids: &[EpisodeId]) -> Result<(), WebApiError> {
        // Spotify's spec requires the ids twice: in the query and in the body.
        let list: Vec<&str> = ids.iter().map(SpotifyId::id).collect();
        self.call("save_episodes_user")
            .ids("ids", ids, 50)
            .json(&json!({ "ids": list }))
            .execute()
            .await
    }

    /// Removes up to 50 episodes from the user's library. Scope: `user-library-modify`.
    #[doc(alias = "remove_episodes_user")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use remove_from_library"
    )]
    pub async fn remove_saved_episodes(&self, ids: &[EpisodeId]) -> Result<(), WebApiError> {
        self.call("remove_episodes_user")
            .ids("ids", ids, 50)
            .execute()
            .await
    }

    /// Whether each of up to 50 episodes is saved, in order. Scope: `user-library-read`.
    #[doc(alias = "check_users_saved_episodes")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use check_library"
    )]
    pub async fn check_saved_episodes(&self, ids: &[EpisodeId]) -> Result<Vec<bool>, WebApiError> {
        self.call("check_users_saved_episodes")
            .ids("ids", ids, 50)
            .fetch()
            .await
    }
}
