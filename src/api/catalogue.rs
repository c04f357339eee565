//! The Web API's operations as data: method, path, scopes, required parameters and status for
//! each of the 96 operations Spotify documents (`tests/data/spotify-web-api.tsv`, which a test
//! keeps this table in step with).
//!
//! One table serves three readers: the client checks a call's scopes against it before sending
//! (so a missing scope is a typed error, not a 403 from Spotify), `FakeSpotify` routes and
//! validates requests by it, and the coverage test walks it to prove every operation has a typed
//! method. Keeping it as data rather than spreading it over 96 method bodies is what makes those
//! three agree.
//!
//! **Which scopes are checked.** Spotify lists scopes of three kinds, and [`ScopeCheck`] keeps
//! them apart:
//! - scopes that gate the call (`user-library-read` for saved tracks): checked;
//! - scopes of which either will do (`playlist-modify-public` / `-private`, depending on the
//!   playlist): checked as alternatives;
//! - scopes that only widen the answer (`user-read-email` on `/me`, resume points on episodes,
//!   private playlists in a listing): not checked, because the call succeeds without them;
//! - for `/me/library` the scope depends on the kinds of URIs sent: checked per call.

use reqwest::Method;

use super::ids::ItemType;
use crate::token::Scope;

/// The catalogue's grouping, which is also the client's module layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)] // the names are Spotify's own group names
pub enum Group {
    Albums,
    Artists,
    Audiobooks,
    Categories,
    Chapters,
    Episodes,
    Genres,
    Library,
    Markets,
    Player,
    Playlists,
    Search,
    Shows,
    Tracks,
    Users,
}

/// Whether a new (Development Mode) app may still call an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// Callable by every app.
    Active,
    /// Blocked (403) for new and Development Mode apps since 2024-11 or 2026-02; still served to
    /// Extended Quota apps. The client's method is `#[deprecated]`.
    RemovedForNewApps,
}

/// Reading or changing the library, for [`ScopeCheck::ByUriType`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LibraryAccess {
    /// `GET /me/library/contains`.
    Read,
    /// `PUT` and `DELETE /me/library`.
    Modify,
}

/// How the client checks an operation's scopes before sending it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeCheck {
    /// The operation needs no scope.
    None,
    /// The listed scopes only widen the answer; the call works without them, so nothing is
    /// checked.
    Widens,
    /// Every inner list needs at least one of its scopes granted.
    Requires(&'static [&'static [&'static str]]),
    /// `/me/library`: the scope follows from the kinds of the URIs sent.
    ByUriType(LibraryAccess),
}

/// One Web API operation.
#[derive(Clone, Debug)]
pub struct Operation {
    /// Spotify's `operationId`.
    pub id: &'static str,
    /// The catalogue group.
    pub group: Group,
    /// The HTTP method.
    pub method: Method,
    /// The path template, e.g. `/v1/albums/{id}`.
    pub path: &'static str,
    /// The scopes Spotify lists, as listed.
    pub scopes: &'static [&'static str],
    /// How those scopes are checked.
    pub scope_check: ScopeCheck,
    /// Query parameters the call cannot go without.
    pub required_query: &'static [&'static str],
    /// JSON body fields the call cannot go without.
    pub required_body: &'static [&'static str],
    /// Whether new apps may call it.
    pub status: Status,
}

impl Operation {
    /// The operation with Spotify's `operationId` `id`.
    pub fn find(id: &str) -> Option<&'static Operation> {
        OPERATIONS.iter().find(|op| op.id == id)
    }

    /// The scopes `granted` lacks for this call, one entry per unmet requirement (alternatives
    /// joined with `" or "`). `uri_types` are the kinds of the URIs sent, for `/me/library`.
    pub fn missing_scopes(&self, granted: &Scope, uri_types: &[ItemType]) -> Vec<String> {
        match self.scope_check {
            ScopeCheck::None | ScopeCheck::Widens => Vec::new(),
            ScopeCheck::Requires(groups) => unmet(granted, groups.iter().copied()),
            ScopeCheck::ByUriType(access) => {
                let mut needed: Vec<&'static [&'static str]> = uri_types
                    .iter()
                    .map(|kind| library_scopes(*kind, access))
                    .collect();
                needed.sort_unstable();
                needed.dedup();
                unmet(granted, needed.into_iter())
            }
        }
    }
}

fn unmet<'a>(granted: &Scope, groups: impl Iterator<Item = &'a [&'a str]>) -> Vec<String> {
    groups
        .filter(|group| !group.iter().any(|scope| granted.contains(scope)))
        .map(|group| group.join(" or "))
        .collect()
}

/// The scope `/me/library` needs for one kind of URI: library items, follows or playlists.
fn library_scopes(kind: ItemType, access: LibraryAccess) -> &'static [&'static str] {
    match (kind, access) {
        (ItemType::Artist | ItemType::User, LibraryAccess::Read) => &["user-follow-read"],
        (ItemType::Artist | ItemType::User, LibraryAccess::Modify) => &["user-follow-modify"],
        (ItemType::Playlist, LibraryAccess::Read) => &["playlist-read-private"],
        (ItemType::Playlist, LibraryAccess::Modify) => &["playlist-modify-public"],
        (_, LibraryAccess::Read) => &["user-library-read"],
        (_, LibraryAccess::Modify) => &["user-library-modify"],
    }
}

/// Every operation of the Web API, in the catalogue's order.
pub static OPERATIONS: &[Operation] = &[
    Operation {
        id: "get_an_album",
        group: Group::Albums,
        method: Method::GET,
        path: "/v1/albums/{id}",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "get_multiple_albums",
        group: Group::Albums,
        method: Method::GET,
        path: "/v1/albums",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &["ids"],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_an_albums_tracks",
        group: Group::Albums,
        method: Method::GET,
        path: "/v1/albums/{id}/tracks",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "get_users_saved_albums",
        group: Group::Albums,
        method: Method::GET,
        path: "/v1/me/albums",
        scopes: &["user-library-read"],
        scope_check: ScopeCheck::Requires(&[&["user-library-read"]]),
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "save_albums_user",
        group: Group::Albums,
        method: Method::PUT,
        path: "/v1/me/albums",
        scopes: &["user-library-modify"],
        scope_check: ScopeCheck::Requires(&[&["user-library-modify"]]),
        required_query: &["ids"],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "remove_albums_user",
        group: Group::Albums,
        method: Method::DELETE,
        path: "/v1/me/albums",
        scopes: &["user-library-modify"],
        scope_check: ScopeCheck::Requires(&[&["user-library-modify"]]),
        required_query: &["ids"],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "check_users_saved_albums",
        group: Group::Albums,
        method: Method::GET,
        path: "/v1/me/albums/contains",
        scopes: &["user-library-read"],
        scope_check: ScopeCheck::Requires(&[&["user-library-read"]]),
        required_query: &["ids"],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_new_releases",
        group: Group::Albums,
        method: Method::GET,
        path: "/v1/browse/new-releases",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &[],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_an_artist",
        group: Group::Artists,
        method: Method::GET,
        path: "/v1/artists/{id}",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "get_multiple_artists",
        group: Group::Artists,
        method: Method::GET,
        path: "/v1/artists",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &["ids"],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_an_artists_albums",
        group: Group::Artists,
        method: Method::GET,
        path: "/v1/artists/{id}/albums",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "get_an_artists_top_tracks",
        group: Group::Artists,
        method: Method::GET,
        path: "/v1/artists/{id}/top-tracks",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &[],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_an_artists_related_artists",
        group: Group::Artists,
        method: Method::GET,
        path: "/v1/artists/{id}/related-artists",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &[],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_an_audiobook",
        group: Group::Audiobooks,
        method: Method::GET,
        path: "/v1/audiobooks/{id}",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "get_multiple_audiobooks",
        group: Group::Audiobooks,
        method: Method::GET,
        path: "/v1/audiobooks",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &["ids"],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_audiobook_chapters",
        group: Group::Audiobooks,
        method: Method::GET,
        path: "/v1/audiobooks/{id}/chapters",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "get_users_saved_audiobooks",
        group: Group::Audiobooks,
        method: Method::GET,
        path: "/v1/me/audiobooks",
        scopes: &["user-library-read"],
        scope_check: ScopeCheck::Requires(&[&["user-library-read"]]),
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "save_audiobooks_user",
        group: Group::Audiobooks,
        method: Method::PUT,
        path: "/v1/me/audiobooks",
        scopes: &["user-library-modify"],
        scope_check: ScopeCheck::Requires(&[&["user-library-modify"]]),
        required_query: &["ids"],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "remove_audiobooks_user",
        group: Group::Audiobooks,
        method: Method::DELETE,
        path: "/v1/me/audiobooks",
        scopes: &["user-library-modify"],
        scope_check: ScopeCheck::Requires(&[&["user-library-modify"]]),
        required_query: &["ids"],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "check_users_saved_audiobooks",
        group: Group::Audiobooks,
        method: Method::GET,
        path: "/v1/me/audiobooks/contains",
        scopes: &["user-library-read"],
        scope_check: ScopeCheck::Requires(&[&["user-library-read"]]),
        required_query: &["ids"],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_categories",
        group: Group::Categories,
        method: Method::GET,
        path: "/v1/browse/categories",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &[],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_a_category",
        group: Group::Categories,
        method: Method::GET,
        path: "/v1/browse/categories/{category_id}",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &[],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_a_chapter",
        group: Group::Chapters,
        method: Method::GET,
        path: "/v1/chapters/{id}",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "get_several_chapters",
        group: Group::Chapters,
        method: Method::GET,
        path: "/v1/chapters",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &["ids"],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_an_episode",
        group: Group::Episodes,
        method: Method::GET,
        path: "/v1/episodes/{id}",
        scopes: &["user-read-playback-position"],
        scope_check: ScopeCheck::Widens,
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "get_multiple_episodes",
        group: Group::Episodes,
        method: Method::GET,
        path: "/v1/episodes",
        scopes: &["user-read-playback-position"],
        scope_check: ScopeCheck::Widens,
        required_query: &["ids"],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_users_saved_episodes",
        group: Group::Episodes,
        method: Method::GET,
        path: "/v1/me/episodes",
        scopes: &["user-library-read", "user-read-playback-position"],
        scope_check: ScopeCheck::Requires(&[
            &["user-library-read"],
            &["user-read-playback-position"],
        ]),
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "save_episodes_user",
        group: Group::Episodes,
        method: Method::PUT,
        path: "/v1/me/episodes",
        scopes: &["user-library-modify"],
        scope_check: ScopeCheck::Requires(&[&["user-library-modify"]]),
        required_query: &["ids"],
        required_body: &["ids"],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "remove_episodes_user",
        group: Group::Episodes,
        method: Method::DELETE,
        path: "/v1/me/episodes",
        scopes: &["user-library-modify"],
        scope_check: ScopeCheck::Requires(&[&["user-library-modify"]]),
        required_query: &["ids"],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "check_users_saved_episodes",
        group: Group::Episodes,
        method: Method::GET,
        path: "/v1/me/episodes/contains",
        scopes: &["user-library-read"],
        scope_check: ScopeCheck::Requires(&[&["user-library-read"]]),
        required_query: &["ids"],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_recommendation_genres",
        group: Group::Genres,
        method: Method::GET,
        path: "/v1/recommendations/available-genre-seeds",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &[],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "save_library_items",
        group: Group::Library,
        method: Method::PUT,
        path: "/v1/me/library",
        scopes: &[
            "user-library-modify",
            "user-follow-modify",
            "playlist-modify-public",
        ],
        scope_check: ScopeCheck::ByUriType(LibraryAccess::Modify),
        required_query: &["uris"],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "remove_library_items",
        group: Group::Library,
        method: Method::DELETE,
        path: "/v1/me/library",
        scopes: &[
            "user-library-modify",
            "user-follow-modify",
            "playlist-modify-public",
        ],
        scope_check: ScopeCheck::ByUriType(LibraryAccess::Modify),
        required_query: &["uris"],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "check_library_contains",
        group: Group::Library,
        method: Method::GET,
        path: "/v1/me/library/contains",
        scopes: &[
            "user-library-read",
            "user-follow-read",
            "playlist-read-private",
        ],
        scope_check: ScopeCheck::ByUriType(LibraryAccess::Read),
        required_query: &["uris"],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "get_available_markets",
        group: Group::Markets,
        method: Method::GET,
        path: "/v1/markets",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &[],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_information_about_the_users_current_playback",
        group: Group::Player,
        method: Method::GET,
        path: "/v1/me/player",
        scopes: &["user-read-playback-state"],
        scope_check: ScopeCheck::Requires(&[&["user-read-playback-state"]]),
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "transfer_a_users_playback",
        group: Group::Player,
        method: Method::PUT,
        path: "/v1/me/player",
        scopes: &["user-modify-playback-state"],
        scope_check: ScopeCheck::Requires(&[&["user-modify-playback-state"]]),
        required_query: &[],
        required_body: &["device_ids"],
        status: Status::Active,
    },
    Operation {
        id: "get_a_users_available_devices",
        group: Group::Player,
        method: Method::GET,
        path: "/v1/me/player/devices",
        scopes: &["user-read-playback-state"],
        scope_check: ScopeCheck::Requires(&[&["user-read-playback-state"]]),
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "get_the_users_currently_playing_track",
        group: Group::Player,
        method: Method::GET,
        path: "/v1/me/player/currently-playing",
        scopes: &["user-read-currently-playing"],
        scope_check: ScopeCheck::Requires(&[&["user-read-currently-playing"]]),
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "start_a_users_playback",
        group: Group::Player,
        method: Method::PUT,
        path: "/v1/me/player/play",
        scopes: &["user-modify-playback-state"],
        scope_check: ScopeCheck::Requires(&[&["user-modify-playback-state"]]),
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "pause_a_users_playback",
        group: Group::Player,
        method: Method::PUT,
        path: "/v1/me/player/pause",
        scopes: &["user-modify-playback-state"],
        scope_check: ScopeCheck::Requires(&[&["user-modify-playback-state"]]),
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "skip_users_playback_to_next_track",
        group: Group::Player,
        method: Method::POST,
        path: "/v1/me/player/next",
        scopes: &["user-modify-playback-state"],
        scope_check: ScopeCheck::Requires(&[&["user-modify-playback-state"]]),
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "skip_users_playback_to_previous_track",
        group: Group::Player,
        method: Method::POST,
        path: "/v1/me/player/previous",
        scopes: &["user-modify-playback-state"],
        scope_check: ScopeCheck::Requires(&[&["user-modify-playback-state"]]),
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "seek_to_position_in_currently_playing_track",
        group: Group::Player,
        method: Method::PUT,
        path: "/v1/me/player/seek",
        scopes: &["user-modify-playback-state"],
        scope_check: ScopeCheck::Requires(&[&["user-modify-playback-state"]]),
        required_query: &["position_ms"],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "set_repeat_mode_on_users_playback",
        group: Group::Player,
        method: Method::PUT,
        path: "/v1/me/player/repeat",
        scopes: &["user-modify-playback-state"],
        scope_check: ScopeCheck::Requires(&[&["user-modify-playback-state"]]),
        required_query: &["state"],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "set_volume_for_users_playback",
        group: Group::Player,
        method: Method::PUT,
        path: "/v1/me/player/volume",
        scopes: &["user-modify-playback-state"],
        scope_check: ScopeCheck::Requires(&[&["user-modify-playback-state"]]),
        required_query: &["volume_percent"],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "toggle_shuffle_for_users_playback",
        group: Group::Player,
        method: Method::PUT,
        path: "/v1/me/player/shuffle",
        scopes: &["user-modify-playback-state"],
        scope_check: ScopeCheck::Requires(&[&["user-modify-playback-state"]]),
        required_query: &["state"],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "get_recently_played",
        group: Group::Player,
        method: Method::GET,
        path: "/v1/me/player/recently-played",
        scopes: &["user-read-recently-played"],
        scope_check: ScopeCheck::Requires(&[&["user-read-recently-played"]]),
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "get_queue",
        group: Group::Player,
        method: Method::GET,
        path: "/v1/me/player/queue",
        scopes: &["user-read-currently-playing", "user-read-playback-state"],
        scope_check: ScopeCheck::Requires(&[
            &["user-read-currently-playing"],
            &["user-read-playback-state"],
        ]),
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "add_to_queue",
        group: Group::Player,
        method: Method::POST,
        path: "/v1/me/player/queue",
        scopes: &["user-modify-playback-state"],
        scope_check: ScopeCheck::Requires(&[&["user-modify-playback-state"]]),
        required_query: &["uri"],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "get_playlist",
        group: Group::Playlists,
        method: Method::GET,
        path: "/v1/playlists/{playlist_id}",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "change_playlist_details",
        group: Group::Playlists,
        method: Method::PUT,
        path: "/v1/playlists/{playlist_id}",
        scopes: &["playlist-modify-public", "playlist-modify-private"],
        scope_check: ScopeCheck::Requires(&[&[
            "playlist-modify-public",
            "playlist-modify-private",
        ]]),
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "get_playlists_tracks",
        group: Group::Playlists,
        method: Method::GET,
        path: "/v1/playlists/{playlist_id}/tracks",
        scopes: &["playlist-read-private"],
        scope_check: ScopeCheck::Widens,
        required_query: &[],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "add_tracks_to_playlist",
        group: Group::Playlists,
        method: Method::POST,
        path: "/v1/playlists/{playlist_id}/tracks",
        scopes: &["playlist-modify-public", "playlist-modify-private"],
        scope_check: ScopeCheck::Requires(&[&[
            "playlist-modify-public",
            "playlist-modify-private",
        ]]),
        required_query: &[],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "reorder_or_replace_playlists_tracks",
        group: Group::Playlists,
        method: Method::PUT,
        path: "/v1/playlists/{playlist_id}/tracks",
        scopes: &["playlist-modify-public", "playlist-modify-private"],
        scope_check: ScopeCheck::Requires(&[&[
            "playlist-modify-public",
            "playlist-modify-private",
        ]]),
        required_query: &[],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "remove_tracks_playlist",
        group: Group::Playlists,
        method: Method::DELETE,
        path: "/v1/playlists/{playlist_id}/tracks",
        scopes: &["playlist-modify-public", "playlist-modify-private"],
        scope_check: ScopeCheck::Requires(&[&[
            "playlist-modify-public",
            "playlist-modify-private",
        ]]),
        required_query: &[],
        required_body: &["tracks"],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_playlists_items",
        group: Group::Playlists,
        method: Method::GET,
        path: "/v1/playlists/{playlist_id}/items",
        scopes: &["playlist-read-private"],
        scope_check: ScopeCheck::Widens,
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "add_items_to_playlist",
        group: Group::Playlists,
        method: Method::POST,
        path: "/v1/playlists/{playlist_id}/items",
        scopes: &["playlist-modify-public", "playlist-modify-private"],
        scope_check: ScopeCheck::Requires(&[&[
            "playlist-modify-public",
            "playlist-modify-private",
        ]]),
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "reorder_or_replace_playlists_items",
        group: Group::Playlists,
        method: Method::PUT,
        path: "/v1/playlists/{playlist_id}/items",
        scopes: &["playlist-modify-public", "playlist-modify-private"],
        scope_check: ScopeCheck::Requires(&[&[
            "playlist-modify-public",
            "playlist-modify-private",
        ]]),
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "remove_items_playlist",
        group: Group::Playlists,
        method: Method::DELETE,
        path: "/v1/playlists/{playlist_id}/items",
        scopes: &["playlist-modify-public", "playlist-modify-private"],
        scope_check: ScopeCheck::Requires(&[&[
            "playlist-modify-public",
            "playlist-modify-private",
        ]]),
        required_query: &[],
        required_body: &["items"],
        status: Status::Active,
    },
    Operation {
        id: "get_a_list_of_current_users_playlists",
        group: Group::Playlists,
        method: Method::GET,
        path: "/v1/me/playlists",
        scopes: &["playlist-read-private"],
        scope_check: ScopeCheck::Widens,
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "create_playlist",
        group: Group::Playlists,
        method: Method::POST,
        path: "/v1/me/playlists",
        scopes: &["playlist-modify-public", "playlist-modify-private"],
        scope_check: ScopeCheck::Requires(&[&[
            "playlist-modify-public",
            "playlist-modify-private",
        ]]),
        required_query: &[],
        required_body: &["name"],
        status: Status::Active,
    },
    Operation {
        id: "get_list_users_playlists",
        group: Group::Playlists,
        method: Method::GET,
        path: "/v1/users/{user_id}/playlists",
        scopes: &["playlist-read-private", "playlist-read-collaborative"],
        scope_check: ScopeCheck::Widens,
        required_query: &[],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "create_playlist_for_user",
        group: Group::Playlists,
        method: Method::POST,
        path: "/v1/users/{user_id}/playlists",
        scopes: &["playlist-modify-public", "playlist-modify-private"],
        scope_check: ScopeCheck::Requires(&[&[
            "playlist-modify-public",
            "playlist-modify-private",
        ]]),
        required_query: &[],
        required_body: &["name"],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_featured_playlists",
        group: Group::Playlists,
        method: Method::GET,
        path: "/v1/browse/featured-playlists",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &[],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_a_categories_playlists",
        group: Group::Playlists,
        method: Method::GET,
        path: "/v1/browse/categories/{category_id}/playlists",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &[],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_playlist_cover",
        group: Group::Playlists,
        method: Method::GET,
        path: "/v1/playlists/{playlist_id}/images",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "upload_custom_playlist_cover",
        group: Group::Playlists,
        method: Method::PUT,
        path: "/v1/playlists/{playlist_id}/images",
        scopes: &[
            "ugc-image-upload",
            "playlist-modify-public",
            "playlist-modify-private",
        ],
        scope_check: ScopeCheck::Requires(&[
            &["ugc-image-upload"],
            &["playlist-modify-public", "playlist-modify-private"],
        ]),
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "search",
        group: Group::Search,
        method: Method::GET,
        path: "/v1/search",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &["q", "type"],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "get_a_show",
        group: Group::Shows,
        method: Method::GET,
        path: "/v1/shows/{id}",
        scopes: &["user-read-playback-position"],
        scope_check: ScopeCheck::Widens,
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "get_multiple_shows",
        group: Group::Shows,
        method: Method::GET,
        path: "/v1/shows",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &["ids"],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_a_shows_episodes",
        group: Group::Shows,
        method: Method::GET,
        path: "/v1/shows/{id}/episodes",
        scopes: &["user-read-playback-position"],
        scope_check: ScopeCheck::Widens,
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "get_users_saved_shows",
        group: Group::Shows,
        method: Method::GET,
        path: "/v1/me/shows",
        scopes: &["user-library-read"],
        scope_check: ScopeCheck::Requires(&[&["user-library-read"]]),
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "save_shows_user",
        group: Group::Shows,
        method: Method::PUT,
        path: "/v1/me/shows",
        scopes: &["user-library-modify"],
        scope_check: ScopeCheck::Requires(&[&["user-library-modify"]]),
        required_query: &["ids"],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "remove_shows_user",
        group: Group::Shows,
        method: Method::DELETE,
        path: "/v1/me/shows",
        scopes: &["user-library-modify"],
        scope_check: ScopeCheck::Requires(&[&["user-library-modify"]]),
        required_query: &["ids"],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "check_users_saved_shows",
        group: Group::Shows,
        method: Method::GET,
        path: "/v1/me/shows/contains",
        scopes: &["user-library-read"],
        scope_check: ScopeCheck::Requires(&[&["user-library-read"]]),
        required_query: &["ids"],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_track",
        group: Group::Tracks,
        method: Method::GET,
        path: "/v1/tracks/{id}",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "get_several_tracks",
        group: Group::Tracks,
        method: Method::GET,
        path: "/v1/tracks",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &["ids"],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_users_saved_tracks",
        group: Group::Tracks,
        method: Method::GET,
        path: "/v1/me/tracks",
        scopes: &["user-library-read"],
        scope_check: ScopeCheck::Requires(&[&["user-library-read"]]),
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "save_tracks_user",
        group: Group::Tracks,
        method: Method::PUT,
        path: "/v1/me/tracks",
        scopes: &["user-library-modify"],
        scope_check: ScopeCheck::Requires(&[&["user-library-modify"]]),
        required_query: &[],
        required_body: &["ids"],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "remove_tracks_user",
        group: Group::Tracks,
        method: Method::DELETE,
        path: "/v1/me/tracks",
        scopes: &["user-library-modify"],
        scope_check: ScopeCheck::Requires(&[&["user-library-modify"]]),
        required_query: &["ids"],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "check_users_saved_tracks",
        group: Group::Tracks,
        method: Method::GET,
        path: "/v1/me/tracks/contains",
        scopes: &["user-library-read"],
        scope_check: ScopeCheck::Requires(&[&["user-library-read"]]),
        required_query: &["ids"],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_several_audio_features",
        group: Group::Tracks,
        method: Method::GET,
        path: "/v1/audio-features",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &["ids"],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_audio_features",
        group: Group::Tracks,
        method: Method::GET,
        path: "/v1/audio-features/{id}",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &[],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_audio_analysis",
        group: Group::Tracks,
        method: Method::GET,
        path: "/v1/audio-analysis/{id}",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &[],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_recommendations",
        group: Group::Tracks,
        method: Method::GET,
        path: "/v1/recommendations",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &[],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_current_users_profile",
        group: Group::Users,
        method: Method::GET,
        path: "/v1/me",
        scopes: &["user-read-private", "user-read-email"],
        scope_check: ScopeCheck::Widens,
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "get_users_top_artists_and_tracks",
        group: Group::Users,
        method: Method::GET,
        path: "/v1/me/top/{type}",
        scopes: &["user-top-read"],
        scope_check: ScopeCheck::Requires(&[&["user-top-read"]]),
        required_query: &[],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "get_users_profile",
        group: Group::Users,
        method: Method::GET,
        path: "/v1/users/{user_id}",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &[],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "follow_playlist",
        group: Group::Users,
        method: Method::PUT,
        path: "/v1/playlists/{playlist_id}/followers",
        scopes: &["playlist-modify-public", "playlist-modify-private"],
        scope_check: ScopeCheck::Requires(&[&[
            "playlist-modify-public",
            "playlist-modify-private",
        ]]),
        required_query: &[],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "unfollow_playlist",
        group: Group::Users,
        method: Method::DELETE,
        path: "/v1/playlists/{playlist_id}/followers",
        scopes: &["playlist-modify-public", "playlist-modify-private"],
        scope_check: ScopeCheck::Requires(&[&[
            "playlist-modify-public",
            "playlist-modify-private",
        ]]),
        required_query: &[],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "get_followed",
        group: Group::Users,
        method: Method::GET,
        path: "/v1/me/following",
        scopes: &["user-follow-read"],
        scope_check: ScopeCheck::Requires(&[&["user-follow-read"]]),
        required_query: &["type"],
        required_body: &[],
        status: Status::Active,
    },
    Operation {
        id: "follow_artists_users",
        group: Group::Users,
        method: Method::PUT,
        path: "/v1/me/following",
        scopes: &["user-follow-modify"],
        scope_check: ScopeCheck::Requires(&[&["user-follow-modify"]]),
        required_query: &["type", "ids"],
        required_body: &["ids"],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "unfollow_artists_users",
        group: Group::Users,
        method: Method::DELETE,
        path: "/v1/me/following",
        scopes: &["user-follow-modify"],
        scope_check: ScopeCheck::Requires(&[&["user-follow-modify"]]),
        required_query: &["type", "ids"],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "check_current_user_follows",
        group: Group::Users,
        method: Method::GET,
        path: "/v1/me/following/contains",
        scopes: &["user-follow-read"],
        scope_check: ScopeCheck::Requires(&[&["user-follow-read"]]),
        required_query: &["type", "ids"],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
    Operation {
        id: "check_if_user_follows_playlist",
        group: Group::Users,
        method: Method::GET,
        path: "/v1/playlists/{playlist_id}/followers/contains",
        scopes: &[],
        scope_check: ScopeCheck::None,
        required_query: &[],
        required_body: &[],
        status: Status::RemovedForNewApps,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alternatives_need_one_and_singles_need_each() {
        let upload = Operation::find("upload_custom_playlist_cover").expect("in the catalogue");
        let granted = Scope::from("ugc-image-upload playlist-modify-private");
        assert!(upload.missing_scopes(&granted, &[]).is_empty());
        let missing = upload.missing_scopes(&Scope::from("playlist-modify-public"), &[]);
        assert_eq!(missing, ["ugc-image-upload"]);
        let missing = upload.missing_scopes(&Scope::default(), &[]);
        assert_eq!(
            missing,
            [
                "ugc-image-upload",
                "playlist-modify-public or playlist-modify-private"
            ]
        );
    }

    #[test]
    fn widening_scopes_are_not_checked() {
        let me = Operation::find("get_current_users_profile").expect("in the catalogue");
        assert!(me.missing_scopes(&Scope::default(), &[]).is_empty());
    }

    #[test]
    fn library_scopes_follow_the_uri_types() {
        let save = Operation::find("save_library_items").expect("in the catalogue");
        let granted = Scope::from("user-library-modify");
        assert!(save
            .missing_scopes(&granted, &[ItemType::Track, ItemType::Album])
            .is_empty());
        let missing = save.missing_scopes(
            &granted,
            &[ItemType::Track, ItemType::Artist, ItemType::Artist],
        );
        assert_eq!(missing, ["user-follow-modify"]);
    }

    #[test]
    fn ids_are_unique() {
        let mut ids: Vec<_> = OPERATIONS.iter().map(|op| op.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), OPERATIONS.len());
    }
}
