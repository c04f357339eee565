//! [`SearchResults`], the answer of `GET /search`: one page per type asked for.
//!
//! Every page is `Page<Option<T>>` because Spotify puts `null` in search lists for results it
//! cannot show (for example episodes and shows when no market is given), and one such entry
//! must not fail the whole search.

use serde::{Deserialize, Serialize};

use super::albums::SimplifiedAlbum;
use super::artists::Artist;
use super::audiobooks::SimplifiedAudiobook;
use super::playlists::SimplifiedPlaylist;
use super::shows::{SimplifiedEpisode, SimplifiedShow};
use super::tracks::Track;
use crate::api::paging::Page;

/// The answer of `GET /search`. A page is `None` when its type was not asked for.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// Matching tracks (`type=track`).
    #[serde(default)]
    pub tracks: Option<Page<Option<Track>>>,
    /// Matching artists (`type=artist`).
    #[serde(default)]
    pub artists: Option<Page<Option<Artist>>>,
    /// Matching albums (`type=album`).
    #[serde(default)]
    pub albums: Option<Page<Option<SimplifiedAlbum>>>,
    /// Matching playlists (`type=playlist`).
    #[serde(default)]
    pub playlists: Option<Page<Option<SimplifiedPlaylist>>>,
    /// Matching shows (`type=show`).
    #[serde(default)]
    pub shows: Option<Page<Option<SimplifiedShow>>>,
    /// Matching episodes (`type=episode`).
    #[serde(default)]
    pub episodes: Option<Page<Option<SimplifiedEpisode>>>,
    /// Matching audiobooks (`type=audiobook`; audiobook markets only).
    #[serde(default)]
    pub audiobooks: Option<Page<Option<SimplifiedAudiobook>>>,
}
