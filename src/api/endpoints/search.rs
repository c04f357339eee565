//! Search: albums, artists, playlists, tracks, shows, episodes and audiobooks matching a query.

use crate::api::client::Spotify;
use crate::api::models::SearchResults;
use crate::api::WebApiError;

/// A kind of item [`Spotify::search`] looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SearchType {
    /// Albums.
    Album,
    /// Artists.
    Artist,
    /// Playlists.
    Playlist,
    /// Tracks.
    Track,
    /// Podcast shows.
    Show,
    /// Podcast episodes.
    Episode,
    /// Audiobooks (audiobook markets only).
    Audiobook,
}

impl SearchType {
    /// The name Spotify uses: `album`, `artist`, `playlist`, `track`, `show`, `episode` or
    /// `audiobook`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Album => "album",
            Self::Artist => "artist",
            Self::Playlist => "playlist",
            Self::Track => "track",
            Self::Show => "show",
            Self::Episode => "episode",
            Self::Audiobook => "audiobook",
        }
    }
}

/// The highest offset search accepts.
const MAX_OFFSET: u32 = 1000;

impl Spotify {
    /// One page per requested type of the items matching `query` (limit 1–10 per type, offset
    /// at most 1000). `query` may use field filters such as `artist:`, `album:`, `year:` or
    /// `genre:`. `market` limits the results to content playable there. With
    /// `include_external`, the answer may include audio content hosted outside Spotify.
    /// Only the requested types are set in the [`SearchResults`]. For more results call again
    /// with a higher `offset` (a `next` link of search answers with the whole results object,
    /// not one page, so it does not suit [`Spotify::page`]).
    ///
    /// An empty `query` or empty `types` fails with [`WebApiError::InvalidArgument`].
    pub async fn search(
        &self,
        query: &str,
        types: &[SearchType],
        market: Option<&str>,
        limit: Option<u32>,
        offset: Option<u32>,
        include_external: bool,
    ) -> Result<SearchResults, WebApiError> {
        let kinds: Vec<&str> = types.iter().map(|kind| kind.as_str()).collect();
        self.call("search")
            .check(!query.trim().is_empty(), || {
                "search query is empty".to_owned()
            })
            .check(!types.is_empty(), || {
                "search needs at least one type".to_owned()
            })
            .check(offset.is_none_or(|n| n <= MAX_OFFSET), || {
                format!("offset must be at most {MAX_OFFSET}")
            })
            .query("q", query)
            .query("type", kinds.join(","))
            .market(market)
            .page(limit, offset, 10)
            .query_opt("include_external", include_external.then_some("audio"))
            .fetch()
            .await
    }
}
