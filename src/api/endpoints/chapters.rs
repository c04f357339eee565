//! Chapters: the parts of an audiobook, looked up by id. Audiobook markets only.

use serde::Deserialize;

use crate::api::client::Spotify;
use crate::api::ids::{ChapterId, SpotifyId};
use crate::api::models::Chapter;
use crate::api::WebApiError;

#[derive(Deserialize)]
struct Chapters {
    chapters: Vec<Option<Chapter>>,
}

impl Spotify {
    /// One chapter.
    #[doc(alias = "get_a_chapter")]
    pub async fn get_chapter(
        &self,
        id: &ChapterId,
        market: Option<&str>,
    ) -> Result<Chapter, WebApiError> {
        self.call("get_a_chapter")
            .path(&[id.id()])
            .market(market)
            .fetch()
            .await
    }

    /// Up to 50 chapters; an unknown id gives `None` in its place.
    #[doc(alias = "get_several_chapters")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; call get_chapter per id"
    )]
    pub async fn get_chapters(
        &self,
        ids: &[ChapterId],
        market: Option<&str>,
    ) -> Result<Vec<Option<Chapter>>, WebApiError> {
        let chapters: Chapters = self
            .call("get_several_chapters")
            .ids("ids", ids, 50)
            .market(market)
            .fetch()
            .await?;
        Ok(chapters.chapters)
    }
}
