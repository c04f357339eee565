//! Users: the [`PrivateUser`] of `GET /me`, the [`PublicUser`] that playlists embed as owner or
//! adder (and `GET /users/{id}` returns), and [`ExplicitContent`].
//!
//! `GET /me` lost country, email, product, explicit-content settings and followers for
//! Development Mode apps in 2026-02 and gained `account_id` in 2026-05, so all of those are
//! optional: a profile from either kind of app, before or after either change, parses.

use serde::{Deserialize, Serialize};

use super::common::{null_default, ExternalUrls, Followers, Image};

/// The user's explicit-content settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplicitContent {
    /// Whether explicit content is filtered out.
    #[serde(default, deserialize_with = "null_default")]
    pub filter_enabled: bool,
    /// Whether the setting is locked (e.g. by a parent) so the user cannot change it.
    #[serde(default, deserialize_with = "null_default")]
    pub filter_locked: bool,
}

/// A user as others see them: a playlist's owner or adder, `GET /users/{id}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicUser {
    /// The name shown on the profile; `None` if the user has not set one.
    #[serde(default)]
    pub display_name: Option<String>,
    /// Links outside the Web API.
    #[serde(default, deserialize_with = "null_default")]
    pub external_urls: ExternalUrls,
    /// Follower count. Absent from embedded owners, and dropped for Development Mode apps in
    /// 2026-02.
    #[serde(default)]
    pub followers: Option<Followers>,
    /// The user's Web API URL.
    #[serde(default, deserialize_with = "null_default")]
    pub href: String,
    /// The user's Spotify id (a username, not a base62 id).
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    /// Profile images; absent from embedded owners, so empty then.
    #[serde(default, deserialize_with = "null_default")]
    pub images: Vec<Image>,
    /// The object type, `"user"`.
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
    /// The user's Spotify URI.
    #[serde(default, deserialize_with = "null_default")]
    pub uri: String,
}

/// The current user's profile (`GET /me`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivateUser {
    /// The account's country (ISO 3166-1 alpha-2). Needs `user-read-private`; dropped for
    /// Development Mode apps in 2026-02.
    #[serde(default)]
    pub country: Option<String>,
    /// The name shown on the profile; `None` if the user has not set one.
    #[serde(default)]
    pub display_name: Option<String>,
    /// The account's email address, unverified. Needs `user-read-email`; dropped for
    /// Development Mode apps in 2026-02.
    #[serde(default)]
    pub email: Option<String>,
    /// Explicit-content settings. Needs `user-read-private`; dropped for Development Mode apps
    /// in 2026-02.
    #[serde(default)]
    pub explicit_content: Option<ExplicitContent>,
    /// Links outside the Web API.
    #[serde(default, deserialize_with = "null_default")]
    pub external_urls: ExternalUrls,
    /// Follower count. Dropped for Development Mode apps in 2026-02.
    #[serde(default)]
    pub followers: Option<Followers>,
    /// The user's Web API URL.
    #[serde(default, deserialize_with = "null_default")]
    pub href: String,
    /// The user's Spotify id (a username, which may change for older accounts; see
    /// `account_id`).
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    /// Profile images.
    #[serde(default, deserialize_with = "null_default")]
    pub images: Vec<Image>,
    /// `premium`, `free` (older accounts may say `open`). Needs `user-read-private`; dropped for
    /// Development Mode apps in 2026-02.
    #[serde(default)]
    pub product: Option<String>,
    /// The object type, `"user"`.
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
    /// The user's Spotify URI.
    #[serde(default, deserialize_with = "null_default")]
    pub uri: String,
    /// The stable key for linking the account to your own records. Added in 2026-05, so
    /// absent from older answers.
    #[serde(default)]
    pub account_id: Option<String>,
}
