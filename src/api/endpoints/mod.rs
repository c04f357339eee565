//! The typed methods of [`Spotify`](super::Spotify), one file per catalogue group. Each method
//! is named after its catalogue operation (or a clearer Rust name, given in its doc), lists the
//! scopes it needs, and is `#[deprecated]` when Spotify removed the operation for new apps.
mod albums;
mod artists;
mod audiobooks;
mod categories;
mod chapters;
mod episodes;
mod genres;
mod library;
mod markets;
mod player;
mod playlists;
mod search;
mod shows;
mod tracks;
mod users;

pub use artists::AlbumGroup;
pub use player::{PlaybackOffset, PlayedCursor, StartPlayback};
pub use playlists::{NewPlaylist, PlaylistDetails, PlaylistItemsUpdate};
pub use search::SearchType;
pub use tracks::RecommendationsRequest;
pub use users::TimeRange;
