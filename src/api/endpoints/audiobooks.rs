//! Audiobooks: catalogue lookups, an audiobook's chapters, and the user's saved audiobooks.
//! Audiobooks exist only in some markets (US, UK, CA, IE, NZ, AU).

use serde::Deserialize;

use crate::api::client::Spotify;
use crate::api::ids::{AudiobookId, SpotifyId};
use crate::api::models::{Audiobook, SavedAudiobook, SimplifiedChapter};
use crate::api::paging::Page;
use crate::api::WebApiError;

#[derive(Deserialize)]
struct Audiobooks {
    audiobooks: Vec<Option<Audiobook>>,
}

impl Spotify {
    /// One audiobook.
    #[doc(alias = "get_an_audiobook")]
    pub async fn get_audiobook(
        &self,
        id: &AudiobookId,
        market: Option<&str>,
    ) -> Result<Audiobook, WebApiError> {
        self.call("get_an_audiobook")
            .path(&[id.id()])
            .market(market)
            .fetch()
            .await
    }

    /// Up to 50 audiobooks; an unknown id gives `None` in its place.
    #[doc(alias = "get_multiple_audiobooks")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; call get_audiobook per id"
    )]
    pub async fn get_audiobooks(
        &self,
        ids: &[AudiobookId],
        market: Option<&str>,
    ) -> Result<Vec<Option<Audiobook>>, WebApiError> {
        let audiobooks: Audiobooks = self
            .call("get_multiple_audiobooks")
            .ids("ids", ids, 50)
            .market(market)
            .fetch()
            .await?;
        Ok(audiobooks.audiobooks)
    }

    /// One page of an audiobook's chapters (limit 1–50).
    pub async fn get_audiobook_chapters(
        &self,
        id: &AudiobookId,
        market: Option<&str>,
        limit: Option<u32>,
        offset: Option<u32>,
    ) -> Result<Page<SimplifiedChapter>, WebApiError> {
        self.call("get_audiobook_chapters")
            .path(&[id.id()])
            .market(market)
            .page(limit, offset, 50)
            .fetch()
            .await
    }

    /// The user's saved audiobooks, newest first (limit 1–50). Scope: `user-library-read`.
    #[doc(alias = "get_users_saved_audiobooks")]
    pub async fn get_saved_audiobooks(
        &self,
        limit: Option<u32>,
        offset: Option<u32>,
    ) -> Result<Page<SavedAudiobook>, WebApiError> {
        self.call("get_users_saved_audiobooks")
            .page(limit, offset, 50)
            .fetch()
            .await
    }

    /// Saves up to 50 audiobooks to the user's library. Scope: `user-library-modify`.
    #[doc(alias = "save_audiobooks_user")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use save_to_library"
    )]
    pub async fn save_audiobooks(&self, ids: &[AudiobookId]) -> Result<(), WebApiError> {
        self.call("save_audiobooks_user")
            .ids("ids", ids, 50)
            .execute()
            .await
    }

    /// Removes up to 50 audiobooks from the user's library. Scope: `user-library-modify`.
    #[doc(alias = "remove_audiobooks_user")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use remove_from_library"
    )]
    pub async fn remove_saved_audiobooks(&self, ids: &[AudiobookId]) -> Result<(), WebApiError> {
        self.call("remove_audiobooks_user")
            .ids("ids", ids, 50)
            .execute()
            .await
    }

    /// Whether each of up to 50 audiobooks is saved, in order. Scope: `user-library-read`.
    #[doc(alias = "check_users_saved_audiobooks")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use check_library"
    )]
    pub async fn check_saved_audiobooks(
        &self,
        ids: &[AudiobookId],
    ) -> Result<Vec<bool>, WebApiError> {
        self.call("check_users_saved_audiobooks")
            .ids("ids", ids, 50)
            .fetch()
            .await
    }
}
