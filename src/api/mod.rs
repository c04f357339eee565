//! The Web API layer, built over session handles: the [`catalogue`] of operations, typed
//! [`ids`], the [`models`] responses parse into, [`paging`], and the [`Spotify`] client.

pub mod catalogue;
pub mod ids;
pub mod models;
pub mod paging;

pub use ids::{
    AlbumId, ArtistId, AudiobookId, ChapterId, EpisodeId, IdError, ItemType, PlaylistId, ShowId,
    SpotifyId, TrackId, UserId,
};
pub use paging::{CursorPage, Cursors, Page, PageLimit, Paged};
