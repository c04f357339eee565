//! The Web API layer, built over session handles. So far it holds [`ids`], the typed resource
//! ids with their URI and URL forms. The client with one method per endpoint builds on them.

pub mod ids;

pub use ids::{
    AlbumId, ArtistId, AudiobookId, ChapterId, EpisodeId, IdError, ItemType, PlaylistId, ShowId,
    SpotifyId, TrackId, UserId,
};
