//! Playlists: reading a playlist and its items, changing its details and items, the current
//! user's playlists, creating playlists, cover images, and the browse listings Spotify removed.
//!
//! Since 2026-02 the items of a playlist live under `/playlists/{id}/items` (the `/tracks`
//! variants are kept, deprecated, for Extended Quota apps), and Development Mode apps see items
//! only for playlists the user owns or collaborates on.

use base64::Engine as _;
use bytes::Bytes;
use serde::Serialize;
use serde_json::json;

use crate::api::client::{Call, Spotify};
use crate::api::ids::{ItemType, PlaylistId, SpotifyId, SpotifyUri, UserId};
use crate::api::models::{
    FeaturedPlaylists, Image, Playlist, PlaylistItem, SimplifiedPlaylist, SnapshotId,
};
use crate::api::paging::Page;
use crate::api::WebApiError;

/// Ask for episodes too: without it Spotify leaves out the episodes of a playlist.
const ADDITIONAL_TYPES: &str = "track,episode";

/// The most items one call adds, replaces or removes.
const MAX_ITEMS: usize = 100;

/// The largest cover Spotify takes: 256 KiB of base64.
const MAX_COVER_BASE64: usize = 256 * 1024;

/// The highest `offset` of `GET /me/playlists`.
const MAX_MY_PLAYLISTS_OFFSET: u32 = 100_000;

/// The details [`Spotify::change_playlist_details`] changes; `None` leaves a detail as it is,
/// and at least one must be set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlaylistDetails {
    /// The new name (not empty).
    pub name: Option<String>,
    /// Whether the playlist shows on the user's profile.
    pub public: Option<bool>,
    /// Whether other users may change it (only a non-public playlist can be collaborative).
    pub collaborative: Option<bool>,
    /// The new description.
    pub description: Option<String>,
}

/// A playlist to create with [`Spotify::create_playlist`]. `None` leaves a setting to
/// Spotify's default (public, not collaborative, no description).
///
/// ```
/// use spotipie::api::endpoints::NewPlaylist;
///
/// let road_trip = NewPlaylist {
///     public: Some(false),
///     ..NewPlaylist::named("Road trip")
/// };
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewPlaylist {
    /// The name (not empty; need not be unique).
    pub name: String,
    /// Whether the playlist shows on the user's profile.
    pub public: Option<bool>,
    /// Whether other users may change it (only a non-public playlist can be collaborative).
    pub collaborative: Option<bool>,
    /// The description.
    pub description: Option<String>,
}

impl NewPlaylist {
    /// A playlist called `name`, with Spotify's defaults for the rest.
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }
}

/// What [`Spotify::update_playlist_items`] does to a playlist's items.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlaylistItemsUpdate {
    /// Replace every item with these tracks and episodes (at most 100; an empty list clears
    /// the playlist).
    Replace(Vec<SpotifyUri>),
    /// Move `range_length` items (default 1) starting at `range_start` to before the item at
    /// `insert_before` (positions are zero-based, counted before the move; the playlist's
    /// length moves them to the end).
    Reorder {
        /// Position of the first item to move.
        range_start: u32,
        /// Position to move them before.
        insert_before: u32,
        /// How many items to move; Spotify's default is 1.
        range_length: Option<u32>,
        /// The playlist version to apply the move to (from an earlier change or
        /// [`Playlist`]); Spotify uses the latest when `None`.
        snapshot_id: Option<String>,
    },
}

/// The body of creating a playlist or changing its details.
#[derive(Serialize)]
struct DetailsBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    public: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    collaborative: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
}

#[derive(Serialize)]
struct AddBody {
    uris: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<u32>,
}

#[derive(Serialize)]
struct ReorderBody<'a> {
    range_start: u32,
    insert_before: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    range_length: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    snapshot_id: Option<&'a str>,
}

#[derive(Serialize)]
struct UriEntry {
    uri: String,
}

/// Whether `uri` can be a playlist item: a track or an episode.
fn is_item(uri: &SpotifyUri) -> bool {
    matches!(uri.kind(), ItemType::Track | ItemType::Episode)
}

/// Refuses a list of items outside `min..=100` or with something other than tracks and episodes.
fn check_items<'a>(call: Call<'a>, uris: &[SpotifyUri], min: usize) -> Call<'a> {
    let n = uris.len();
    call.check((min..=MAX_ITEMS).contains(&n), || {
        format!("uris: between {min} and {MAX_ITEMS} URIs, got {n}")
    })
    .check(uris.iter().all(is_item), || {
        "playlist items must be tracks or episodes".to_owned()
    })
}

fn uri_strings(uris: &[SpotifyUri]) -> Vec<String> {
    uris.iter().map(SpotifyUri::uri).collect()
}

/// Adds items (`POST .../items` or `.../tracks`).
fn add_items<'a>(call: Call<'a>, uris: &[SpotifyUri], position: Option<u32>) -> Call<'a> {
    check_items(call, uris, 1).json(&AddBody {
        uris: uri_strings(uris),
        position,
    })
}

/// Replaces or reorders items (`PUT .../items` or `.../tracks`).
fn update_items<'a>(call: Call<'a>, update: &PlaylistItemsUpdate) -> Call<'a> {
    match update {
        PlaylistItemsUpdate::Replace(uris) => {
            check_items(call, uris, 0).json(&json!({ "uris": uri_strings(uris) }))
        }
        PlaylistItemsUpdate::Reorder {
            range_start,
            insert_before,
            range_length,
            snapshot_id,
        } => call
            .check(*range_length != Some(0), || {
                "range_length must be at least 1".to_owned()
            })
            .json(&ReorderBody {
                range_start: *range_start,
                insert_before: *insert_before,
                range_length: *range_length,
                snapshot_id: snapshot_id.as_deref(),
            }),
    }
}

/// Removes items (`DELETE .../items` with key `items`, or `.../tracks` with key `tracks`).
fn remove_items<'a>(
    call: Call<'a>,
    key: &str,
    uris: &[SpotifyUri],
    snapshot_id: Option<&str>,
) -> Call<'a> {
    let entries: Vec<UriEntry> = uris.iter().map(|uri| UriEntry { uri: uri.uri() }).collect();
    let mut body = serde_json::Map::new();
    body.insert(key.to_owned(), json!(entries));
    if let Some(snapshot_id) = snapshot_id {
        body.insert("snapshot_id".to_owned(), json!(snapshot_id));
    }
    check_items(call, uris, 1).json(&body)
}

/// Creates a playlist (`POST /me/playlists` or `/users/{id}/playlists`).
fn new_playlist<'a>(call: Call<'a>, playlist: &NewPlaylist) -> Call<'a> {
    call.check(!playlist.name.is_empty(), || {
        "a playlist needs a name".to_owned()
    })
    .json(&DetailsBody {
        name: Some(&playlist.name),
        public: playlist.public,
        collaborative: playlist.collaborative,
        description: playlist.description.as_deref(),
    })
}

impl Spotify {
    /// One playlist with its first page of items (tracks and episodes: the call always sends
    /// `additional_types=track,episode`). `market` enables track relinking. Development Mode
    /// apps get items only for playlists the user owns or collaborates on, and a 404 for
    /// Spotify's editorial and algorithmic playlists.
    pub async fn get_playlist(
        &self,
        id: &PlaylistId,
        market: Option<&str>,
    ) -> Result<Playlist, WebApiError> {
        self.call("get_playlist")
            .path(&[id.id()])
            .market(market)
            .query("additional_types", ADDITIONAL_TYPES)
            .fetch()
            .await
    }

    /// Changes a playlist's name, visibility, collaborative flag or description; a
    /// [`PlaylistDetails`] with nothing set, or an empty name, is refused before sending.
    /// Owner only. Scope: `playlist-modify-public` or `playlist-modify-private`.
    pub async fn change_playlist_details(
        &self,
        id: &PlaylistId,
        details: &PlaylistDetails,
    ) -> Result<(), WebApiError> {
        let nothing = details.name.is_none()
            && details.public.is_none()
            && details.collaborative.is_none()
            && details.description.is_none();
        self.call("change_playlist_details")
            .path(&[id.id()])
            .check(!nothing, || "no playlist detail to change".to_owned())
            .check(details.name.as_deref() != Some(""), || {
                "a playlist name cannot be empty".to_owned()
            })
            .json(&DetailsBody {
                name: details.name.as_deref(),
                public: details.public,
                collaborative: details.collaborative,
                description: details.description.as_deref(),
            })
            .execute()
            .await
    }

    /// A page of a playlist's items, tracks and episodes (the call always sends
    /// `additional_types=track,episode`; limit 1–50). `market` enables track relinking.
    /// Spotify answers 403 unless the user owns or collaborates on the playlist. Scope
    /// `playlist-read-private` widens the answer: private playlists.
    #[doc(alias = "get_playlists_items")]
    pub async fn get_playlist_items(
        &self,
        id: &PlaylistId,
        market: Option<&str>,
        limit: Option<u32>,
        offset: Option<u32>,
    ) -> Result<Page<PlaylistItem>, WebApiError> {
        self.call("get_playlists_items")
            .path(&[id.id()])
            .market(market)
            .query("additional_types", ADDITIONAL_TYPES)
            .page(limit, offset, 50)
            .fetch()
            .await
    }

    /// A page of a playlist's items through the older `/tracks` path (limit 1–50; tracks and
    /// episodes). Scope `playlist-read-private` widens the answer: private playlists.
    #[doc(alias = "get_playlists_tracks")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use get_playlist_items"
    )]
    pub async fn get_playlist_tracks(
        &self,
        id: &PlaylistId,
        market: Option<&str>,
        limit: Option<u32>,
        offset: Option<u32>,
    ) -> Result<Page<PlaylistItem>, WebApiError> {
        self.call("get_playlists_tracks")
            .path(&[id.id()])
            .market(market)
            .query("additional_types", ADDITIONAL_TYPES)
            .page(limit, offset, 50)
            .fetch()
            .await
    }

    /// Adds up to 100 tracks and episodes to a playlist, at `position` (zero-based) or at the
    /// end; returns the playlist's new version. Scope: `playlist-modify-public` or
    /// `playlist-modify-private`.
    pub async fn add_items_to_playlist(
        &self,
        id: &PlaylistId,
        uris: &[SpotifyUri],
        position: Option<u32>,
    ) -> Result<SnapshotId, WebApiError> {
        add_items(
            self.call("add_items_to_playlist").path(&[id.id()]),
            uris,
            position,
        )
        .fetch()
        .await
    }

    /// Adds up to 100 tracks and episodes through the older `/tracks` path; returns the
    /// playlist's new version. Scope: `playlist-modify-public` or `playlist-modify-private`.
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use add_items_to_playlist"
    )]
    pub async fn add_tracks_to_playlist(
        &self,
        id: &PlaylistId,
        uris: &[SpotifyUri],
        position: Option<u32>,
    ) -> Result<SnapshotId, WebApiError> {
        add_items(
            self.call("add_tracks_to_playlist").path(&[id.id()]),
            uris,
            position,
        )
        .fetch()
        .await
    }

    /// Replaces all of a playlist's items (at most 100) or moves a range of them; returns the
    /// playlist's new version. Scope: `playlist-modify-public` or `playlist-modify-private`.
    #[doc(alias = "reorder_or_replace_playlists_items")]
    pub async fn update_playlist_items(
        &self,
        id: &PlaylistId,
        update: &PlaylistItemsUpdate,
    ) -> Result<SnapshotId, WebApiError> {
        update_items(
            self.call("reorder_or_replace_playlists_items")
                .path(&[id.id()]),
            update,
        )
        .fetch()
        .await
    }

    /// Replaces or moves items through the older `/tracks` path; returns the playlist's new
    /// version. Scope: `playlist-modify-public` or `playlist-modify-private`.
    #[doc(alias = "reorder_or_replace_playlists_tracks")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use update_playlist_items"
    )]
    pub async fn update_playlist_tracks(
        &self,
        id: &PlaylistId,
        update: &PlaylistItemsUpdate,
    ) -> Result<SnapshotId, WebApiError> {
        update_items(
            self.call("reorder_or_replace_playlists_tracks")
                .path(&[id.id()]),
            update,
        )
        .fetch()
        .await
    }

    /// Removes every occurrence of up to 100 tracks and episodes from a playlist, in the
    /// version `snapshot_id` if given (the latest otherwise); returns the playlist's new
    /// version. Scope: `playlist-modify-public` or `playlist-modify-private`.
    #[doc(alias = "remove_items_playlist")]
    pub async fn remove_playlist_items(
        &self,
        id: &PlaylistId,
        uris: &[SpotifyUri],
        snapshot_id: Option<&str>,
    ) -> Result<SnapshotId, WebApiError> {
        let call = self.call("remove_items_playlist").path(&[id.id()]);
        remove_items(call, "items", uris, snapshot_id).fetch().await
    }

    /// Removes up to 100 tracks and episodes through the older `/tracks` path; returns the
    /// playlist's new version. Scope: `playlist-modify-public` or `playlist-modify-private`.
    #[doc(alias = "remove_tracks_playlist")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use remove_playlist_items"
    )]
    pub async fn remove_playlist_tracks(
        &self,
        id: &PlaylistId,
        uris: &[SpotifyUri],
        snapshot_id: Option<&str>,
    ) -> Result<SnapshotId, WebApiError> {
        let call = self.call("remove_tracks_playlist").path(&[id.id()]);
        remove_items(call, "tracks", uris, snapshot_id)
            .fetch()
            .await
    }

    /// The playlists the current user owns or follows (limit 1–50, offset at most 100 000).
    /// Scope `playlist-read-private` widens the answer: private playlists.
    #[doc(alias = "get_a_list_of_current_users_playlists")]
    pub async fn get_my_playlists(
        &self,
        limit: Option<u32>,
        offset: Option<u32>,
    ) -> Result<Page<SimplifiedPlaylist>, WebApiError> {
        self.call("get_a_list_of_current_users_playlists")
            .check(offset.is_none_or(|n| n <= MAX_MY_PLAYLISTS_OFFSET), || {
                format!("offset must be at most {MAX_MY_PLAYLISTS_OFFSET}")
            })
            .page(limit, offset, 50)
            .fetch()
            .await
    }

    /// Creates a playlist for the current user and returns it (empty). An empty name is refused
    /// before sending. Scope: `playlist-modify-public` or `playlist-modify-private` (for a
    /// public or a private playlist).
    pub async fn create_playlist(&self, playlist: &NewPlaylist) -> Result<Playlist, WebApiError> {
        new_playlist(self.call("create_playlist"), playlist)
            .fetch()
            .await
    }

    /// The public playlists of a user (limit 1–50). Scopes `playlist-read-private` and
    /// `playlist-read-collaborative` widen the answer: for the current user, private and
    /// collaborative playlists.
    #[doc(alias = "get_list_users_playlists")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use get_my_playlists for the current user"
    )]
    pub async fn get_user_playlists(
        &self,
        user: &UserId,
        limit: Option<u32>,
        offset: Option<u32>,
    ) -> Result<Page<SimplifiedPlaylist>, WebApiError> {
        self.call("get_list_users_playlists")
            .path(&[user.id()])
            .page(limit, offset, 50)
            .fetch()
            .await
    }

    /// Creates a playlist for `user` (who must be the current user) and returns it. Scope:
    /// `playlist-modify-public` or `playlist-modify-private`.
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use create_playlist"
    )]
    pub async fn create_playlist_for_user(
        &self,
        user: &UserId,
        playlist: &NewPlaylist,
    ) -> Result<Playlist, WebApiError> {
        new_playlist(
            self.call("create_playlist_for_user").path(&[user.id()]),
            playlist,
        )
        .fetch()
        .await
    }

    /// Spotify's featured playlists and their headline (limit 1–50); `locale` (e.g. `de_DE`)
    /// picks the language of the headline. A playlist Spotify cannot show is `None`.
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2024-11; no replacement"
    )]
    pub async fn get_featured_playlists(
        &self,
        locale: Option<&str>,
        limit: Option<u32>,
        offset: Option<u32>,
    ) -> Result<FeaturedPlaylists, WebApiError> {
        self.call("get_featured_playlists")
            .check(locale != Some(""), || "locale is empty".to_owned())
            .query_opt("locale", locale)
            .page(limit, offset, 50)
            .fetch()
            .await
    }

    /// The playlists of a browse category (limit 1–50). A playlist Spotify cannot show is
    /// `None`.
    #[doc(alias = "get_a_categories_playlists")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2024-11; no replacement"
    )]
    pub async fn get_category_playlists(
        &self,
        category_id: &str,
        limit: Option<u32>,
        offset: Option<u32>,
    ) -> Result<FeaturedPlaylists, WebApiError> {
        self.call("get_a_categories_playlists")
            .path(&[category_id])
            .page(limit, offset, 50)
            .fetch()
            .await
    }

    /// A playlist's cover images, largest first. The URLs expire after a while: fetch them
    /// again rather than storing them.
    pub async fn get_playlist_cover(&self, id: &PlaylistId) -> Result<Vec<Image>, WebApiError> {
        self.call("get_playlist_cover")
            .path(&[id.id()])
            .fetch()
            .await
    }

    /// Replaces a playlist's cover with a JPEG image, given as its bytes (the call base64-encodes
    /// them). Refused before sending: bytes that are not a JPEG, or an image whose base64 is over
    /// Spotify's limit of 256 KiB (about 192 KiB of JPEG). Spotify rate-limits this call on its
    /// own. Scopes: `ugc-image-upload`, and `playlist-modify-public` or `playlist-modify-private`.
    #[doc(alias = "upload_custom_playlist_cover")]
    pub async fn upload_playlist_cover(
        &self,
        id: &PlaylistId,
        jpeg: &[u8],
    ) -> Result<(), WebApiError> {
        let fits = base64::encoded_len(jpeg.len(), true).is_some_and(|n| n <= MAX_COVER_BASE64);
        let encoded = if fits {
            base64::engine::general_purpose::STANDARD.encode(jpeg)
        } else {
            String::new()
        };
        self.call("upload_custom_playlist_cover")
            .path(&[id.id()])
            .check(jpeg.starts_with(&[0xFF, 0xD8, 0xFF]), || {
                "the cover is not a JPEG image".to_owned()
            })
            .check(fits, || {
                format!(
                    "the cover ({} bytes) is over Spotify's limit of {MAX_COVER_BASE64} bytes in base64",
                    jpeg.len()
                )
            })
            .raw_body(Bytes::from(encoded), "image/jpeg")
            .execute()
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_leave_unset_fields_out() {
        let body = serde_json::to_value(DetailsBody {
            name: None,
            public: Some(false),
            collaborative: None,
            description: Some("for the road"),
        })
        .expect("serializes");
        assert_eq!(
            body,
            json!({ "public": false, "description": "for the road" })
        );
    }

    #[test]
    fn reorder_leaves_unset_fields_out() {
        let body = serde_json::to_value(ReorderBody {
            range_start: 3,
            insert_before: 0,
            range_length: None,
            snapshot_id: Some("abc"),
        })
        .expect("serializes");
        assert_eq!(
            body,
            json!({ "range_start": 3, "insert_before": 0, "snapshot_id": "abc" })
        );
    }
}
