//! Browse categories: the categories Spotify tags playlists with, as shown in its Browse tab.
//! Category ids are plain strings such as `dinner`, not base62 ids.

use crate::api::client::Spotify;
use crate::api::models::{Categories, Category};
use crate::api::WebApiError;

impl Spotify {
    /// One page of browse categories (limit 1–50). `locale` (e.g. `sv_SE`: an ISO 639-1
    /// language and an ISO 3166-1 alpha-2 country joined by `_`) picks the language of the
    /// names; Spotify falls back to American English. Page on with [`Spotify::stream`].
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; no replacement"
    )]
    pub async fn get_categories(
        &self,
        locale: Option<&str>,
        limit: Option<u32>,
        offset: Option<u32>,
    ) -> Result<Categories, WebApiError> {
        self.call("get_categories")
            .query_opt("locale", locale)
            .page(limit, offset, 50)
            .fetch()
            .await
    }

    /// One browse category by its id (e.g. `dinner`), its name in `locale` (see
    /// [`Spotify::get_categories`]).
    #[doc(alias = "get_a_category")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; no replacement"
    )]
    pub async fn get_category(
        &self,
        category_id: &str,
        locale: Option<&str>,
    ) -> Result<Category, WebApiError> {
        self.call("get_a_category")
            .path(&[category_id])
            .query_opt("locale", locale)
            .fetch()
            .await
    }
}
