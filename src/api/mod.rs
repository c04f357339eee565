//! The Web API layer, built over session handles: the [`Spotify`] client with one method per
//! operation, the [`catalogue`] of operations it is checked against, typed [`ids`], the
//! [`models`] responses parse into, and [`paging`].

pub mod catalogue;
mod client;
pub mod endpoints;
mod error;
pub mod ids;
pub mod models;
pub mod paging;
mod retry;

pub use client::{ClientPolicy, Spotify};
pub use error::WebApiError;
pub use ids::{
    AlbumId, ArtistId, AudiobookId, ChapterId, EpisodeId, IdError, ItemType, PlaylistId, ShowId,
    SpotifyId, SpotifyUri, TrackId, UserId,
};
pub use paging::{CursorPage, Cursors, Page, PageLimit, Paged};
