//! Audiobooks and their chapters: [`Audiobook`] and [`SimplifiedAudiobook`], [`Chapter`] and
//! [`SimplifiedChapter`], the [`SavedAudiobook`] of the library, and the [`Author`] and
//! [`Narrator`] they name. Audiobooks exist only in some markets (US, UK, CA, IE, NZ, AU).

use serde::{Deserialize, Serialize};

use super::common::{null_default, Copyright, ExternalUrls, Image, Restrictions, ResumePoint};
use crate::api::paging::Page;

/// An audiobook's author.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    /// The author's name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
}

/// An audiobook's narrator.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Narrator {
    /// The narrator's name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
}

/// An audiobook as chapters, search results and the library carry it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimplifiedAudiobook {
    /// The authors.
    #[serde(default, deserialize_with = "null_default")]
    pub authors: Vec<Author>,
    /// Markets the audiobook is available in. Dropped for Development Mode apps in 2026-02.
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
    /// The edition, e.g. "Unabridged".
    #[serde(default)]
    pub edition: Option<String>,
    /// Whether the audiobook has explicit content.
    #[serde(default, deserialize_with = "null_default")]
    pub explicit: bool,
    /// Links outside the Web API.
    #[serde(default, deserialize_with = "null_default")]
    pub external_urls: ExternalUrls,
    /// The audiobook's Web API URL.
    #[serde(default, deserialize_with = "null_default")]
    pub href: String,
    /// The audiobook's Spotify id.
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    /// Cover art, widest first.
    #[serde(default, deserialize_with = "null_default")]
    pub images: Vec<Image>,
    /// Languages (ISO 639-1) used in the audiobook.
    #[serde(default, deserialize_with = "null_default")]
    pub languages: Vec<String>,
    /// The media type, e.g. `audio`.
    #[serde(default, deserialize_with = "null_default")]
    pub media_type: String,
    /// The audiobook's name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// The narrators.
    #[serde(default, deserialize_with = "null_default")]
    pub narrators: Vec<Narrator>,
    /// The publisher. Dropped for Development Mode apps in 2026-02.
    #[serde(default)]
    pub publisher: Option<String>,
    /// The object type, `"audiobook"`.
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
    /// The audiobook's Spotify URI.
    #[serde(default, deserialize_with = "null_default")]
    pub uri: String,
    /// The number of chapters.
    #[serde(default)]
    pub total_chapters: Option<u32>,
}

/// An audiobook (full object, `GET /audiobooks/{id}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Audiobook {
    /// The authors.
    #[serde(default, deserialize_with = "null_default")]
    pub authors: Vec<Author>,
    /// Markets the audiobook is available in. Dropped for Development Mode apps in 2026-02.
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
    /// The edition, e.g. "Unabridged".
    #[serde(default)]
    pub edition: Option<String>,
    /// Whether the audiobook has explicit content.
    #[serde(default, deserialize_with = "null_default")]
    pub explicit: bool,
    /// Links outside the Web API.
    #[serde(default, deserialize_with = "null_default")]
    pub external_urls: ExternalUrls,
    /// The audiobook's Web API URL.
    #[serde(default, deserialize_with = "null_default")]
    pub href: String,
    /// The audiobook's Spotify id.
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    /// Cover art, widest first.
    #[serde(default, deserialize_with = "null_default")]
    pub images: Vec<Image>,
    /// Languages (ISO 639-1) used in the audiobook.
    #[serde(default, deserialize_with = "null_default")]
    pub languages: Vec<String>,
    /// The media type, e.g. `audio`.
    #[serde(default, deserialize_with = "null_default")]
    pub media_type: String,
    /// The audiobook's name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// The narrators.
    #[serde(default, deserialize_with = "null_default")]
    pub narrators: Vec<Narrator>,
    /// The publisher. Dropped for Development Mode apps in 2026-02.
    #[serde(default)]
    pub publisher: Option<String>,
    /// The object type, `"audiobook"`.
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
    /// The audiobook's Spotify URI.
    #[serde(default, deserialize_with = "null_default")]
    pub uri: String,
    /// The number of chapters.
    #[serde(default)]
    pub total_chapters: Option<u32>,
    /// The first page of chapters (follow `next` with `GET /audiobooks/{id}/chapters`).
    #[serde(default)]
    pub chapters: Option<Page<SimplifiedChapter>>,
}

/// An audiobook in the user's library (`GET /me/audiobooks`).
///
/// Spotify answers `{"added_at": …, "audiobook": {…}}` per item, as sonallux's corrected spec
/// says; the official spec describes the bare simplified audiobook instead. Both parse: a bare
/// audiobook gives an empty `added_at`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "SavedAudiobookWire")]
pub struct SavedAudiobook {
    /// When it was saved (ISO 8601); empty if Spotify sent the bare audiobook.
    pub added_at: String,
    /// The audiobook.
    pub audiobook: SimplifiedAudiobook,
}

/// Both shapes of [`SavedAudiobook`] on the wire. The saved shape is tried first and needs an
/// `audiobook` key, so a bare audiobook (all of whose fields are optional) cannot match it.
#[derive(Deserialize)]
#[serde(untagged)]
enum SavedAudiobookWire {
    Saved {
        #[serde(default, deserialize_with = "null_default")]
        added_at: String,
        audiobook: SimplifiedAudiobook,
    },
    Bare(SimplifiedAudiobook),
}

impl From<SavedAudiobookWire> for SavedAudiobook {
    fn from(wire: SavedAudiobookWire) -> Self {
        match wire {
            SavedAudiobookWire::Saved {
                added_at,
                audiobook,
            } => Self {
                added_at,
                audiobook,
            },
            SavedAudiobookWire::Bare(audiobook) => Self {
                added_at: String::new(),
                audiobook,
            },
        }
    }
}

/// A chapter as an audiobook's chapter list carries it (no audiobook).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimplifiedChapter {
    /// A 30-second MP3 preview. Deprecated in the spec; may be `null`.
    #[serde(default)]
    pub audio_preview_url: Option<String>,
    /// Markets the chapter is available in. Dropped for Development Mode apps in 2026-02.
    #[serde(default)]
    pub available_markets: Option<Vec<String>>,
    /// The chapter's number in the audiobook.
    #[serde(default, deserialize_with = "null_default")]
    pub chapter_number: u32,
    /// The description, HTML tags stripped.
    #[serde(default, deserialize_with = "null_default")]
    pub description: String,
    /// The description with HTML tags.
    #[serde(default)]
    pub html_description: Option<String>,
    /// Length in milliseconds.
    #[serde(default, deserialize_with = "null_default")]
    pub duration_ms: u64,
    /// Whether the chapter has explicit content.
    #[serde(default, deserialize_with = "null_default")]
    pub explicit: bool,
    /// Links outside the Web API.
    #[serde(default, deserialize_with = "null_default")]
    pub external_urls: ExternalUrls,
    /// The chapter's Web API URL.
    #[serde(default, deserialize_with = "null_default")]
    pub href: String,
    /// The chapter's Spotify id.
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    /// Cover art, widest first.
    #[serde(default, deserialize_with = "null_default")]
    pub images: Vec<Image>,
    /// Whether the chapter is playable in the given market.
    #[serde(default)]
    pub is_playable: Option<bool>,
    /// Languages (ISO 639-1) used in the chapter.
    #[serde(default, deserialize_with = "null_default")]
    pub languages: Vec<String>,
    /// The chapter's name.
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
    /// The object type, `"chapter"`.
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
    /// The chapter's Spotify URI.
    #[serde(default, deserialize_with = "null_default")]
    pub uri: String,
    /// Why the chapter cannot be played, when it cannot.
    #[serde(default)]
    pub restrictions: Option<Restrictions>,
}

/// A chapter (full object, `GET /chapters/{id}`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chapter {
    /// A 30-second MP3 preview. Deprecated in the spec; may be `null`.
    #[serde(default)]
    pub audio_preview_url: Option<String>,
    /// Markets the chapter is available in. Dropped for Development Mode apps in 2026-02.
    #[serde(default)]
    pub available_markets: Option<Vec<String>>,
    /// The chapter's number in the audiobook.
    #[serde(default, deserialize_with = "null_default")]
    pub chapter_number: u32,
    /// The description, HTML tags stripped.
    #[serde(default, deserialize_with = "null_default")]
    pub description: String,
    /// The description with HTML tags.
    #[serde(default)]
    pub html_description: Option<String>,
    /// Length in milliseconds.
    #[serde(default, deserialize_with = "null_default")]
    pub duration_ms: u64,
    /// Whether the chapter has explicit content.
    #[serde(default, deserialize_with = "null_default")]
    pub explicit: bool,
    /// Links outside the Web API.
    #[serde(default, deserialize_with = "null_default")]
    pub external_urls: ExternalUrls,
    /// The chapter's Web API URL.
    #[serde(default, deserialize_with = "null_default")]
    pub href: String,
    /// The chapter's Spotify id.
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    /// Cover art, widest first.
    #[serde(default, deserialize_with = "null_default")]
    pub images: Vec<Image>,
    /// Whether the chapter is playable in the given market.
    #[serde(default)]
    pub is_playable: Option<bool>,
    /// Languages (ISO 639-1) used in the chapter.
    #[serde(default, deserialize_with = "null_default")]
    pub languages: Vec<String>,
    /// The chapter's name.
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
    /// The object type, `"chapter"`.
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
    /// The chapter's Spotify URI.
    #[serde(default, deserialize_with = "null_default")]
    pub uri: String,
    /// Why the chapter cannot be played, when it cannot.
    #[serde(default)]
    pub restrictions: Option<Restrictions>,
    /// The audiobook the chapter belongs to.
    #[serde(default, deserialize_with = "null_default")]
    pub audiobook: SimplifiedAudiobook,
}
