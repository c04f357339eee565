//! Users: the current user's profile and top items, other users' profiles, and following
//! artists, users and playlists.
//!
//! Since 2026-02, following and unfollowing (and checking) go through the library for new and
//! Development Mode apps: [`Spotify::save_to_library`], [`Spotify::remove_from_library`] and
//! [`Spotify::check_library`] with artist, user or playlist URIs. Listing followed artists
//! ([`Spotify::get_followed_artists`]) stays.

use serde_json::json;

use crate::api::client::{Call, Spotify};
use crate::api::ids::{ArtistId, PlaylistId, SpotifyId, UserId};
use crate::api::models::{Artist, FollowedArtists, PrivateUser, PublicUser, Track};
use crate::api::paging::Page;
use crate::api::WebApiError;

/// The most artists or users one follow call takes.
const MAX_FOLLOW: usize = 50;

/// The period [`Spotify::get_top_artists`] and [`Spotify::get_top_tracks`] compute over.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TimeRange {
    /// About the last four weeks (`short_term`).
    ShortTerm,
    /// About the last six months (`medium_term`, Spotify's default).
    #[default]
    MediumTerm,
    /// About the last year (`long_term`).
    LongTerm,
}

impl TimeRange {
    /// The value as Spotify writes it: `short_term`, `medium_term` or `long_term`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ShortTerm => "short_term",
            Self::MediumTerm => "medium_term",
            Self::LongTerm => "long_term",
        }
    }
}

/// `GET /me/top/{kind}`.
fn top<'a>(
    call: Call<'a>,
    kind: &str,
    time_range: Option<TimeRange>,
    limit: Option<u32>,
    offset: Option<u32>,
) -> Call<'a> {
    call.path(&[kind])
        .query_opt("time_range", time_range.map(TimeRange::as_str))
        .page(limit, offset, 50)
}

/// `PUT /me/following`: the ids in the query (as the catalogue requires) and in the body.
fn follow<'a, I: SpotifyId>(call: Call<'a>, kind: &str, ids: &[I]) -> Call<'a> {
    let list: Vec<&str> = ids.iter().map(SpotifyId::id).collect();
    call.query("type", kind)
        .ids("ids", ids, MAX_FOLLOW)
        .json(&json!({ "ids": list }))
}

/// `DELETE /me/following` and `GET /me/following/contains`: the ids in the query.
fn following<'a, I: SpotifyId>(call: Call<'a>, kind: &str, ids: &[I]) -> Call<'a> {
    call.query("type", kind).ids("ids", ids, MAX_FOLLOW)
}

impl Spotify {
    /// The current user's profile. `account_id` is the stable key to link an account by (since
    /// 2026-05; the `id` is a username that can change). Scopes `user-read-private` (country,
    /// product, explicit-content settings) and `user-read-email` (email) widen the answer;
    /// Development Mode apps get none of those fields whatever the scope (since 2026-02).
    #[doc(alias = "get_current_users_profile")]
    pub async fn get_current_user(&self) -> Result<PrivateUser, WebApiError> {
        self.call("get_current_users_profile").fetch().await
    }

    /// The user's most listened-to artists over `time_range` (Spotify's default: about six
    /// months), limit 1–50. Scope: `user-top-read`.
    #[doc(alias = "get_users_top_artists_and_tracks")]
    pub async fn get_top_artists(
        &self,
        time_range: Option<TimeRange>,
        limit: Option<u32>,
        offset: Option<u32>,
    ) -> Result<Page<Artist>, WebApiError> {
        let call = self.call("get_users_top_artists_and_tracks");
        top(call, "artists", time_range, limit, offset)
            .fetch()
            .await
    }

    /// The user's most listened-to tracks over `time_range` (Spotify's default: about six
    /// months), limit 1–50. Scope: `user-top-read`.
    #[doc(alias = "get_users_top_artists_and_tracks")]
    pub async fn get_top_tracks(
        &self,
        time_range: Option<TimeRange>,
        limit: Option<u32>,
        offset: Option<u32>,
    ) -> Result<Page<Track>, WebApiError> {
        let call = self.call("get_users_top_artists_and_tracks");
        top(call, "tracks", time_range, limit, offset).fetch().await
    }

    /// Another user's public profile.
    #[doc(alias = "get_users_profile")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; get_current_user for the current user"
    )]
    pub async fn get_user(&self, user: &UserId) -> Result<PublicUser, WebApiError> {
        self.call("get_users_profile")
            .path(&[user.id()])
            .fetch()
            .await
    }

    /// Follows a playlist; `public: Some(false)` keeps it off the user's profile (Spotify's
    /// default is public). Scope: `playlist-modify-public` or `playlist-modify-private`.
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use save_to_library with the playlist's URI"
    )]
    pub async fn follow_playlist(
        &self,
        id: &PlaylistId,
        public: Option<bool>,
    ) -> Result<(), WebApiError> {
        let body = match public {
            Some(public) => json!({ "public": public }),
            None => json!({}),
        };
        self.call("follow_playlist")
            .path(&[id.id()])
            .json(&body)
            .execute()
            .await
    }

    /// Unfollows a playlist (for its owner, this is how a playlist is deleted). Scope:
    /// `playlist-modify-public` or `playlist-modify-private`.
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use remove_from_library with the playlist's URI"
    )]
    pub async fn unfollow_playlist(&self, id: &PlaylistId) -> Result<(), WebApiError> {
        self.call("unfollow_playlist")
            .path(&[id.id()])
            .execute()
            .await
    }

    /// The artists the user follows, a cursor page starting after the artist `after` (limit
    /// 1–50). [`FollowedArtists`] is paged: [`Spotify::stream`] walks the whole list. Scope:
    /// `user-follow-read`.
    #[doc(alias = "get_followed")]
    pub async fn get_followed_artists(
        &self,
        after: Option<&ArtistId>,
        limit: Option<u32>,
    ) -> Result<FollowedArtists, WebApiError> {
        self.call("get_followed")
            .query("type", "artist")
            .query_opt("after", after.map(SpotifyId::id))
            .page(limit, None, 50)
            .fetch()
            .await
    }

    /// Follows up to 50 artists. Scope: `user-follow-modify`.
    #[doc(alias = "follow_artists_users")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use save_to_library with artist URIs"
    )]
    pub async fn follow_artists(&self, ids: &[ArtistId]) -> Result<(), WebApiError> {
        follow(self.call("follow_artists_users"), "artist", ids)
            .execute()
            .await
    }

    /// Follows up to 50 users. Scope: `user-follow-modify`.
    #[doc(alias = "follow_artists_users")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use save_to_library with user URIs"
    )]
    pub async fn follow_users(&self, ids: &[UserId]) -> Result<(), WebApiError> {
        follow(self.call("follow_artists_users"), "user", ids)
            .execute()
            .await
    }

    /// Unfollows up to 50 artists. Scope: `user-follow-modify`.
    #[doc(alias = "unfollow_artists_users")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use remove_from_library with artist URIs"
    )]
    pub async fn unfollow_artists(&self, ids: &[ArtistId]) -> Result<(), WebApiError> {
        following(self.call("unfollow_artists_users"), "artist", ids)
            .execute()
            .await
    }

    /// Unfollows up to 50 users. Scope: `user-follow-modify`.
    #[doc(alias = "unfollow_artists_users")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use remove_from_library with user URIs"
    )]
    pub async fn unfollow_users(&self, ids: &[UserId]) -> Result<(), WebApiError> {
        following(self.call("unfollow_artists_users"), "user", ids)
            .execute()
            .await
    }

    /// Whether the user follows each of up to 50 artists, in order. Scope: `user-follow-read`.
    #[doc(alias = "check_current_user_follows")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use check_library with artist URIs"
    )]
    pub async fn check_following_artists(
        &self,
        ids: &[ArtistId],
    ) -> Result<Vec<bool>, WebApiError> {
        following(self.call("check_current_user_follows"), "artist", ids)
            .fetch()
            .await
    }

    /// Whether the user follows each of up to 50 users, in order. Scope: `user-follow-read`.
    #[doc(alias = "check_current_user_follows")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use check_library with user URIs"
    )]
    pub async fn check_following_users(&self, ids: &[UserId]) -> Result<Vec<bool>, WebApiError> {
        following(self.call("check_current_user_follows"), "user", ids)
            .fetch()
            .await
    }

    /// Whether `user` (the current user when `None`) follows a playlist.
    ///
    /// Spotify answers with a one-element array; any other answer fails with a decode error
    /// ([`WebApiError::Session`] holding `SessionError::Decode`, raw body kept) rather than a
    /// guessed `false`.
    #[doc(alias = "check_if_user_follows_playlist")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use check_library with the playlist's URI"
    )]
    pub async fn check_following_playlist(
        &self,
        id: &PlaylistId,
        user: Option<&UserId>,
    ) -> Result<bool, WebApiError> {
        let [follows]: [bool; 1] = self
            .call("check_if_user_follows_playlist")
            .path(&[id.id()])
            .query_opt("ids", user.map(SpotifyId::id))
            .fetch()
            .await?;
        Ok(follows)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_playlist_follow_answer_has_exactly_one_element() {
        assert_eq!(
            serde_json::from_str::<[bool; 1]>("[true]").ok(),
            Some([true])
        );
        assert!(serde_json::from_str::<[bool; 1]>("[]").is_err());
        assert!(serde_json::from_str::<[bool; 1]>("[true, false]").is_err());
    }
}
