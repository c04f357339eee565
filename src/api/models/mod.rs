//! Serde types for the Web API's response objects.
//!
//! One file per group (albums, artists, tracks, playlists, shows, audiobooks, player, users,
//! search, browse, plus the small shared objects in `common`), all re-exported here flat:
//! `spotipie::api::models::Track`. Pages are [`Page`](crate::api::paging::Page) and
//! [`CursorPage`](crate::api::paging::CursorPage) from [`paging`](crate::api::paging).
//!
//! **Tolerant by design.** The same endpoint answers differently for an Extended Quota app and
//! for a Development Mode app (which lost popularity, followers, available markets, label,
//! publisher, the user's email/country/product and `linked_from` in 2026-02), and Spotify keeps
//! changing shapes (`tracks` → `items` in playlists, `account_id` added to users). So:
//! unknown fields are ignored; every field Spotify may drop or send as `null` is an `Option`,
//! or takes its default when missing or `null`; playlists accept the old and the new keys; and
//! a [`PlayableItem`] of a type this crate does not know is kept as raw JSON rather than failing
//! the response. Timestamps and dates stay strings, as Spotify sends them.

mod albums;
mod artists;
mod audiobooks;
mod browse;
mod common;
mod player;
mod playlists;
mod search;
mod shows;
mod tracks;
mod users;

pub use albums::{Album, SavedAlbum, SimplifiedAlbum};
pub use artists::{Artist, FollowedArtists, SimplifiedArtist};
pub use audiobooks::{
    Audiobook, Author, Chapter, Narrator, SavedAudiobook, SimplifiedAudiobook, SimplifiedChapter,
};
pub use browse::{Categories, Category, NewReleases};
pub use common::{
    Copyright, ExternalIds, ExternalUrls, Followers, Image, Restrictions, ResumePoint, SnapshotId,
};
pub use player::{
    Actions, Context, CurrentlyPlaying, Device, Disallows, PlayHistory, PlayableItem,
    PlaybackState, Queue, RepeatState,
};
pub use playlists::{
    FeaturedPlaylists, Playlist, PlaylistItem, PlaylistItemsRef, SimplifiedPlaylist,
};
pub use search::SearchResults;
pub use shows::{Episode, SavedEpisode, SavedShow, Show, SimplifiedEpisode, SimplifiedShow};
pub use tracks::{
    AudioAnalysis, AudioAnalysisMeta, AudioAnalysisSection, AudioAnalysisSegment,
    AudioAnalysisTrack, AudioFeatures, LinkedFrom, RecommendationSeed, Recommendations, SavedTrack,
    SimplifiedTrack, TimeInterval, Track,
};
pub use users::{ExplicitContent, PrivateUser, PublicUser};
