//! Small objects that many responses share: images, external URLs and ids, followers,
//! restrictions, copyrights, resume points, snapshot ids.
//!
//! They live apart so every group's file can use them without depending on another group. The
//! file also holds [`null_default`], the helper that lets a non-optional field take its default
//! when Spotify sends `null` or leaves it out, which is how the models stay tolerant of both
//! Extended Quota and Development Mode responses.

use serde::{Deserialize, Deserializer, Serialize};

/// Deserializes a field as its type's default when the JSON value is `null`.
///
/// Used as `#[serde(default, deserialize_with = "null_default")]`: `default` covers a missing
/// field, this covers an explicit `null` (Spotify sends `"images": null` for a new empty
/// playlist, for example). Plain `#[serde(default)]` only covers the first case.
pub(crate) fn null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// An image (cover art, avatar, icon) at one size.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// The image's URL, valid for a limited time.
    #[serde(default, deserialize_with = "null_default")]
    pub url: String,
    /// Height in pixels; `null` for images whose size Spotify does not know (user uploads).
    #[serde(default)]
    pub height: Option<u32>,
    /// Width in pixels; `null` when unknown, as for `height`.
    #[serde(default)]
    pub width: Option<u32>,
}

/// Links to an object outside the Web API.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalUrls {
    /// The object's open.spotify.com URL. Optional because local files send `{}`.
    #[serde(default)]
    pub spotify: Option<String>,
}

/// Industry identifiers of a track or album. Dropped for Development Mode apps in 2026-02 and
/// restored in 2026-03; every id is optional because each object carries only some of them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalIds {
    /// International Standard Recording Code (tracks).
    #[serde(default)]
    pub isrc: Option<String>,
    /// International Article Number (albums).
    #[serde(default)]
    pub ean: Option<String>,
    /// Universal Product Code (albums).
    #[serde(default)]
    pub upc: Option<String>,
}

/// How many users follow an artist, playlist or user.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Followers {
    /// Always `null` today: Spotify does not serve the follower list.
    #[serde(default)]
    pub href: Option<String>,
    /// The number of followers.
    #[serde(default, deserialize_with = "null_default")]
    pub total: u64,
}

/// Why content cannot be played (sent only when a restriction applies).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Restrictions {
    /// `market`, `product`, `explicit` or a reason Spotify adds later, so kept as a string.
    #[serde(default)]
    pub reason: Option<String>,
}

/// A copyright statement of an album, show or audiobook.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Copyright {
    /// The statement's text.
    #[serde(default, deserialize_with = "null_default")]
    pub text: String,
    /// `C` (copyright) or `P` (sound recording, "performance") copyright.
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
}

/// How far the user got in an episode or chapter. Sent only with the
/// `user-read-playback-position` scope.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResumePoint {
    /// Whether the user has listened to the end.
    #[serde(default, deserialize_with = "null_default")]
    pub fully_played: bool,
    /// Where playback would resume, in milliseconds.
    #[serde(default, deserialize_with = "null_default")]
    pub resume_position_ms: u64,
}

/// A playlist version, returned by every call that changes a playlist's items.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotId {
    /// The playlist's version after the change; pass it to later changes to target it.
    #[serde(default, deserialize_with = "null_default")]
    pub snapshot_id: String,
}
