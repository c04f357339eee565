//! Tracks: catalogue lookups, the user's saved tracks, audio features and analysis, and
//! recommendations.

use serde::Deserialize;
use serde_json::json;

use crate::api::client::Spotify;
use crate::api::ids::{ArtistId, SpotifyId, TrackId};
use crate::api::models::{AudioAnalysis, AudioFeatures, Recommendations, SavedTrack, Track};
use crate::api::paging::Page;
use crate::api::WebApiError;

#[derive(Deserialize)]
struct Tracks {
    tracks: Vec<Option<Track>>,
}

#[derive(Deserialize)]
struct AudioFeaturesList {
    audio_features: Vec<Option<AudioFeatures>>,
}

/// The attributes recommendations can be tuned by, each as `min_`, `max_` or `target_`.
const TUNABLE: [&str; 14] = [
    "acousticness",
    "danceability",
    "duration_ms",
    "energy",
    "instrumentalness",
    "key",
    "liveness",
    "loudness",
    "mode",
    "popularity",
    "speechiness",
    "tempo",
    "time_signature",
    "valence",
];

/// The seeds and tunable attributes of [`Spotify::get_recommendations`]. At least one seed is
/// needed and at most five in total.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RecommendationsRequest {
    /// Seed artists.
    pub seed_artists: Vec<ArtistId>,
    /// Seed genres, from [`Spotify::get_recommendation_genres`].
    pub seed_genres: Vec<String>,
    /// Seed tracks.
    pub seed_tracks: Vec<TrackId>,
    /// Tunable attributes as Spotify names them, e.g. `("min_tempo", 120.0)` or
    /// `("target_valence", 0.5)`; an unknown name is refused before sending.
    pub attributes: Vec<(String, f64)>,
    /// How many tracks (1–100; Spotify's default is 20).
    pub limit: Option<u32>,
    /// Market for track relinking.
    pub market: Option<String>,
}

fn is_tunable(name: &str) -> bool {
    ["min_", "max_", "target_"].iter().any(|prefix| {
        name.strip_prefix(prefix)
            .is_some_and(|attribute| TUNABLE.contains(&attribute))
    })
}

fn joined<I: SpotifyId>(ids: &[I]) -> Option<String> {
    (!ids.is_empty()).then(|| ids.iter().map(SpotifyId::id).collect::<Vec<_>>().join(","))
}

impl Spotify {
    /// One track. `market` enables track relinking.
    pub async fn get_track(
        &self,
        id: &TrackId,
        market: Option<&str>,
    ) -> Result<Track, WebApiError> {
        self.call("get_track")
            .path(&[id.id()])
            .market(market)
            .fetch()
            .await
    }

    /// Up to 50 tracks; an unknown id gives `None` in its place.
    #[doc(alias = "get_several_tracks")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; call get_track per id"
    )]
    pub async fn get_tracks(
        &self,
        ids: &[TrackId],
        market: Option<&str>,
    ) -> Result<Vec<Option<Track>>, WebApiError> {
        let tracks: Tracks = self
            .call("get_several_tracks")
            .ids("ids", ids, 50)
            .market(market)
            .fetch()
            .await?;
        Ok(tracks.tracks)
    }

    /// The user's saved tracks, newest first (limit 1–50). Scope: `user-library-read`.
    #[doc(alias = "get_users_saved_tracks")]
    pub async fn get_saved_tracks(
        &self,
        market: Option<&str>,
        limit: Option<u32>,
        offset: Option<u32>,
    ) -> Result<Page<SavedTrack>, WebApiError> {
        self.call("get_users_saved_tracks")
            .market(market)
            .page(limit, offset, 50)
            .fetch()
            .await
    }

    /// Saves up to 50 tracks to the user's library. Scope: `user-library-modify`.
    #[doc(alias = "save_tracks_user")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use save_to_library"
    )]
    pub async fn save_tracks(&self, ids: &[TrackId]) -> Result<(), WebApiError> {
        let list: Vec<&str> = ids.iter().map(SpotifyId::id).collect();
        self.call("save_tracks_user")
            .check(!ids.is_empty() && ids.len() <= 50, || {
                format!("ids: between 1 and 50 ids, got {}", ids.len())
            })
            .json(&json!({ "ids": list }))
            .execute()
            .await
    }

    /// Removes up to 50 tracks from the user's library. Scope: `user-library-modify`.
    #[doc(alias = "remove_tracks_user")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use remove_from_library"
    )]
    pub async fn remove_saved_tracks(&self, ids: &[TrackId]) -> Result<(), WebApiError> {
        self.call("remove_tracks_user")
            .ids("ids", ids, 50)
            .execute()
            .await
    }

    /// Whether each of up to 50 tracks is saved, in order. Scope: `user-library-read`.
    #[doc(alias = "check_users_saved_tracks")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; use check_library"
    )]
    pub async fn check_saved_tracks(&self, ids: &[TrackId]) -> Result<Vec<bool>, WebApiError> {
        self.call("check_users_saved_tracks")
            .ids("ids", ids, 50)
            .fetch()
            .await
    }

    /// Audio features of up to 100 tracks; an unknown id gives `None` in its place.
    #[doc(alias = "get_several_audio_features")]
    #[deprecated(note = "removed for new and Development Mode apps (403) in 2024-11")]
    pub async fn get_tracks_audio_features(
        &self,
        ids: &[TrackId],
    ) -> Result<Vec<Option<AudioFeatures>>, WebApiError> {
        let list: AudioFeaturesList = self
            .call("get_several_audio_features")
            .ids("ids", ids, 100)
            .fetch()
            .await?;
        Ok(list.audio_features)
    }

    /// Audio features of one track.
    #[deprecated(note = "removed for new and Development Mode apps (403) in 2024-11")]
    pub async fn get_audio_features(&self, id: &TrackId) -> Result<AudioFeatures, WebApiError> {
        self.call("get_audio_features")
            .path(&[id.id()])
            .fetch()
            .await
    }

    /// Audio analysis of one track: sections, bars, beats, segments.
    #[deprecated(note = "removed for new and Development Mode apps (403) in 2024-11")]
    pub async fn get_audio_analysis(&self, id: &TrackId) -> Result<AudioAnalysis, WebApiError> {
        self.call("get_audio_analysis")
            .path(&[id.id()])
            .fetch()
            .await
    }

    /// Recommendations from up to five seeds, tuned by attributes.
    #[deprecated(note = "removed for new and Development Mode apps (403) in 2024-11")]
    pub async fn get_recommendations(
        &self,
        request: &RecommendationsRequest,
    ) -> Result<Recommendations, WebApiError> {
        let seeds =
            request.seed_artists.len() + request.seed_genres.len() + request.seed_tracks.len();
        let mut call = self
            .call("get_recommendations")
            .check((1..=5).contains(&seeds), || {
                format!("recommendations need 1 to 5 seeds in total, got {seeds}")
            })
            .check(request.limit.is_none_or(|n| (1..=100).contains(&n)), || {
                "limit must be between 1 and 100".to_owned()
            })
            .query_opt("limit", request.limit)
            .market(request.market.as_deref())
            .query_opt("seed_artists", joined(&request.seed_artists))
            .query_opt(
                "seed_genres",
                (!request.seed_genres.is_empty()).then(|| request.seed_genres.join(",")),
            )
            .query_opt("seed_tracks", joined(&request.seed_tracks));
        for (name, value) in &request.attributes {
            call = call
                .check(is_tunable(name), || {
                    format!("{name:?} is not a tunable attribute")
                })
                .query(name, value);
        }
        call.fetch().await
    }
}
