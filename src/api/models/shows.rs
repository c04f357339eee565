//! Podcasts: the full [`Show`] and [`Episode`], their simplified forms ([`SimplifiedShow`] in
//! episodes, search and the library; [`SimplifiedEpisode`] in a show's episode list and search),
//! and the library's [`SavedShow`] and [`SavedEpisode`].

use serde::{Deserialize, Serialize};

use super::common::{null_default, Copyright, ExternalUrls, Image, Restrictions, ResumePoint};
use crate::api::paging::Page;

/// A show as episodes, search results and the library carry it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimplifiedShow {
    /// Markets the show is available in. Dropped for Development Mode apps in 2026-02.
    #[serde(default)]
    pub available_markets: Option<Vec<String>>,
    /// Copyright statements.
    #[serde(default, deserialize_with = "null_default")]
    pub copyrights: Vec<Copyright>,
    /// The description, HTML tags stripped.
    #[serde(default, deserialize_with = "null_default")]
    pub description: String,
    /// The description with HTML tags.
    #[serde(default)]
    pub html_description: Option<String>,
    /// Whether the show has explicit content (`false` also when unknown).
    #[serde(default, deserialize_with = "null_default")]
    pub explicit: bool,
    /// Links outside the Web API.
    #[serde(default, deserialize_with = "null_default")]
    pub external_urls: ExternalUrls,
    /// The show's Web API URL.
    #[serde(default, deserialize_with = "null_default")]
    pub href: String,
    /// The show's Spotify id.
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    /// Cover art, widest first.
    #[serde(default, deserialize_with = "null_default")]
    pub images: Vec<Image>,
    /// Whether the episodes are hosted outside Spotify's CDN.
    #[serde(default)]
    pub is_externally_hosted: Option<bool>,
    /// Languages (ISO 639-1) used in the show.
    #[serde(default, deserialize_with = "null_default")]
    pub languages: Vec<String>,
    /// `audio`, `video` or `mixed`.
    #[serde(default, deserialize_with = "null_default")]
    pub media_type: String,
    /// The show's name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// The publisher. Dropped for Development Mode apps in 2026-02.
    #[serde(default)]
    pub publisher: Option<String>,
    /// The object type, `"show"`.
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
    /// The show's Spotify URI.
    #[serde(default, deserialize_with = "null_default")]
    pub uri: String,
    /// The number of episodes.
    #[serde(default)]
    pub total_episodes: Option<u32>,
}

/// A show (full object, `GET /shows/{id}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Show {
    /// Markets the show is available in. Dropped for Development Mode apps in 2026-02.
    #[serde(default)]
    pub available_markets: Option<Vec<String>>,
    /// Copyright statements.
    #[serde(default, deserialize_with = "null_default")]
    pub copyrights: Vec<Copyright>,
    /// The description, HTML tags stripped.
    #[serde(default, deserialize_with = "null_default")]
    pub description: String,
    /// The description with HTML tags.
    #[serde(default)]
    pub html_description: Option<String>,
    /// Whether the show has explicit content.
    #[serde(default, deserialize_with = "null_default")]
    pub explicit: bool,
    /// Links outside the Web API.
    #[serde(default, deserialize_with = "null_default")]
    pub external_urls: ExternalUrls,
    /// The show's Web API URL.
    #[serde(default, deserialize_with = "null_default")]
    pub href: String,
    /// The show's Spotify id.
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    /// Cover art, widest first.
    #[serde(default, deserialize_with = "null_default")]
    pub images: Vec<Image>,
    /// Whether the episodes are hosted outside Spotify's CDN.
    #[serde(default)]
    pub is_externally_hosted: Option<bool>,
    /// Languages (ISO 639-1) used in the show.
    #[serde(default, deserialize_with = "null_default")]
    pub languages: Vec<String>,
    /// `audio`, `video` or `mixed`.
    #[serde(default, deserialize_with = "null_default")]
    pub media_type: String,
    /// The show's name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// The publisher. Dropped for Development Mode apps in 2026-02.
    #[serde(default)]
    pub publisher: Option<String>,
    /// The object type, `"show"`.
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
    /// The show's Spotify URI.
    #[serde(default, deserialize_with = "null_default")]
    pub uri: String,
    /// The number of episodes.
    #[serde(default)]
    pub total_episodes: Option<u32>,
    /// The first page of episodes (follow `next` with `GET /shows/{id}/episodes`).
    #[serde(default)]
    pub episodes: Option<Page<SimplifiedEpisode>>,
}

/// An episode as a show's episode list and search results carry it (no show).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimplifiedEpisode {
    /// A 30-second MP3 preview. Deprecated in the spec; may be `null`.
    #[serde(default)]
    pub audio_preview_url: Option<String>,
    /// The description, HTML tags stripped.
    #[serde(default, deserialize_with = "null_default")]
    pub description: String,
    /// The description with HTML tags.
    #[serde(default)]
    pub html_description: Option<String>,
    /// Length in milliseconds.
    #[serde(default, deserialize_with = "null_default")]
    pub duration_ms: u64,
    /// Whether the episode has explicit content.
    #[serde(default, deserialize_with = "null_default")]
    pub explicit: bool,
    /// Links outside the Web API.
    #[serde(default, deserialize_with = "null_default")]
    pub external_urls: ExternalUrls,
    /// The episode's Web API URL.
    #[serde(default, deserialize_with = "null_default")]
    pub href: String,
    /// The episode's Spotify id.
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    /// Cover art, widest first.
    #[serde(default, deserialize_with = "null_default")]
    pub images: Vec<Image>,
    /// Whether the episode is hosted outside Spotify's CDN.
    #[serde(default)]
    pub is_externally_hosted: Option<bool>,
    /// Whether the episode is playable in the given market.
    #[serde(default)]
    pub is_playable: Option<bool>,
    /// The main language (ISO 639-1). Deprecated in favour of `languages`.
    #[serde(default)]
    pub language: Option<String>,
    /// Languages (ISO 639-1) used in the episode.
    #[serde(default, deserialize_with = "null_default")]
    pub languages: Vec<String>,
    /// The episode's name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Release date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (see `release_date_precision`).
    #[serde(default, deserialize_with = "null_default")]
    pub release_date: String,
    /// `year`, `month` or `day`.
    #[serde(default, deserialize_with = "null_default")]
    pub release_date_precision: String,
    /// How far the user got. Needs `user-read-playback-position`.
    #[serde(default)]
    pub resume_point: Option<ResumePoint>,
    /// The object type, `"episode"`.
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
    /// The episode's Spotify URI.
    #[serde(default, deserialize_with = "null_default")]
    pub uri: String,
    /// Why the episode cannot be played, when it cannot.
    #[serde(default)]
    pub restrictions: Option<Restrictions>,
}

/// An episode (full object: `GET /episodes/{id}`, the player, playlists).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Episode {
    /// A 30-second MP3 preview. Deprecated in the spec; may be `null`.
    #[serde(default)]
    pub audio_preview_url: Option<String>,
    /// The description, HTML tags stripped.
    #[serde(default, deserialize_with = "null_default")]
    pub description: String,
    /// The description with HTML tags.
    #[serde(default)]
    pub html_description: Option<String>,
    /// Length in milliseconds.
    #[serde(default, deserialize_with = "null_default")]
    pub duration_ms: u64,
    /// Whether the episode has explicit content.
    #[serde(default, deserialize_with = "null_default")]
    pub explicit: bool,
    /// Links outside the Web API.
    #[serde(default, deserialize_with = "null_default")]
    pub external_urls: ExternalUrls,
    /// The episode's Web API URL.
    #[serde(default, deserialize_with = "null_default")]
    pub href: String,
    /// The episode's Spotify id.
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    /// Cover art, widest first.
    #[serde(default, deserialize_with = "null_default")]
    pub images: Vec<Image>,
    /// Whether the episode is hosted outside Spotify's CDN.
    #[serde(default)]
    pub is_externally_hosted: Option<bool>,
    /// Whether the episode is playable in the given market.
    #[serde(default)]
    pub is_playable: Option<bool>,
    /// The main language (ISO 639-1). Deprecated in favour of `languages`.
    #[serde(default)]
    pub language: Option<String>,
    /// Languages (ISO 639-1) used in the episode.
    #[serde(default, deserialize_with = "null_default")]
    pub languages: Vec<String>,
    /// The episode's name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Release date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (see `release_date_precision`).
    #[serde(default, deserialize_with = "null_default")]
    pub release_date: String,
    /// `year`, `month` or `day`.
    #[serde(default, deserialize_with = "null_default")]
    pub release_date_precision: String,
    /// How far the user got. Needs `user-read-playback-position`.
    #[serde(default)]
    pub resume_point: Option<ResumePoint>,
    /// The object type, `"episode"`.
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
    /// The episode's Spotify URI.
    #[serde(default, deserialize_with = "null_default")]
    pub uri: String,
    /// Why the episode cannot be played, when it cannot.
    #[serde(default)]
    pub restrictions: Option<Restrictions>,
    /// The show the episode belongs to.
    #[serde(default, deserialize_with = "null_default")]
    pub show: SimplifiedShow,
}

/// A show in the user's library (`GET /me/shows`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedShow {
    /// When it was saved (ISO 8601, `YYYY-MM-DDTHH:MM:SSZ`).
    #[serde(default, deserialize_with = "null_default")]
    pub added_at: String,
    /// The show.
    #[serde(default, deserialize_with = "null_default")]
    pub show: SimplifiedShow,
}

/// An episode in the user's library (`GET /me/episodes`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedEpisode {
    /// When it was saved (ISO 8601, `YYYY-MM-DDTHH:MM:SSZ`).
    #[serde(default, deserialize_with = "null_default")]
    pub added_at: String,
    /// The episode.
    #[serde(default, deserialize_with = "null_default")]
    pub episode: Episode,
}
