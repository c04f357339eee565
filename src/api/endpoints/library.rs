//! Library: saving, removing and checking items of any kind in one call (`/me/library`, added
//! in 2026-02 to replace the per-type save, remove, contains and follow operations).
//!
//! One list may mix kinds. The scope a call needs follows from the kinds it sends, and the
//! client checks exactly those before sending:
//! - tracks, albums, episodes, shows and audiobooks: `user-library-modify` (save, remove) or
//!   `user-library-read` (check);
//! - artists and users (following): `user-follow-modify` or `user-follow-read`;
//! - playlists (following): `playlist-modify-public` or `playlist-read-private`; the client checks the ones the kinds sent need.
//!
//! Chapters cannot be saved on their own: save their audiobook.

use crate::api::client::{Call, Spotify};
use crate::api::ids::{ItemType, SpotifyUri};
use crate::api::WebApiError;

/// The most URIs one library call takes (Spotify's limit for `/me/library`).
const MAX_URIS: usize = 40;

/// Adds `uris=...`, refusing kinds the library does not hold.
fn library_uris<'a>(call: Call<'a>, uris: &[SpotifyUri]) -> Call<'a> {
    match uris.iter().find(|uri| uri.kind() == ItemType::Chapter) {
        Some(uri) => call.invalid(format!(
            "{uri} is a chapter; the library holds its audiobook"
        )),
        None => call.uris("uris", uris, MAX_URIS),
    }
}

impl Spotify {
    /// Saves up to 40 items to the user's library, or follows them (artists, users,
    /// playlists); kinds may be mixed, chapters are refused. Scope, by the kinds sent:
    /// `user-library-modify` for tracks, albums, episodes, shows and audiobooks,
    /// `user-follow-modify` for artists and users, `playlist-modify-public` for playlists.
    #[doc(alias = "save_library_items")]
    pub async fn save_to_library(&self, uris: &[SpotifyUri]) -> Result<(), WebApiError> {
        library_uris(self.call("save_library_items"), uris)
            .execute()
            .await
    }

    /// Removes up to 40 items from the user's library, or unfollows them (artists, users,
    /// playlists); kinds may be mixed, chapters are refused. Scope, by the kinds sent:
    /// `user-library-modify` for tracks, albums, episodes, shows and audiobooks,
    /// `user-follow-modify` for artists and users, `playlist-modify-public` for playlists.
    #[doc(alias = "remove_library_items")]
    pub async fn remove_from_library(&self, uris: &[SpotifyUri]) -> Result<(), WebApiError> {
        library_uris(self.call("remove_library_items"), uris)
            .execute()
            .await
    }

    /// Whether each of up to 40 items is in the user's library (or followed, for artists,
    /// users and playlists), in order; kinds may be mixed, chapters are refused. Scope, by the
    /// kinds sent: `user-library-read` for tracks, albums, episodes, shows and audiobooks,
    /// `user-follow-read` for artists and users, `playlist-read-private` for playlists.
    #[doc(alias = "check_library_contains")]
    pub async fn check_library(&self, uris: &[SpotifyUri]) -> Result<Vec<bool>, WebApiError> {
        library_uris(self.call("check_library_contains"), uris)
            .fetch()
            .await
    }
}
