//! Tracks and what is computed about them: the full [`Track`], the [`SimplifiedTrack`] of album
//! track lists, [`SavedTrack`], [`LinkedFrom`] (track relinking), [`AudioFeatures`],
//! [`AudioAnalysis`] and [`Recommendations`].
//!
//! Audio features, audio analysis and recommendations are blocked for apps created from
//! 2024-11-27 and for Development Mode apps; Extended Quota apps that had them keep them, so the
//! types stay.

use serde::{Deserialize, Serialize};

use super::albums::SimplifiedAlbum;
use super::artists::SimplifiedArtist;
use super::common::{null_default, ExternalIds, ExternalUrls, Restrictions};

/// The track originally asked for, when Spotify relinked it to another one playable in the
/// requested market.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedFrom {
    /// Links outside the Web API.
    #[serde(default, deserialize_with = "null_default")]
    pub external_urls: ExternalUrls,
    /// The original track's Web API URL.
    #[serde(default)]
    pub href: Option<String>,
    /// The original track's Spotify id.
    #[serde(default)]
    pub id: Option<String>,
    /// The object type, `"track"`.
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
    /// The original track's Spotify URI.
    #[serde(default)]
    pub uri: Option<String>,
}

/// A track as an album's track list carries it (no album, no popularity).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimplifiedTrack {
    /// The track's artists.
    #[serde(default, deserialize_with = "null_default")]
    pub artists: Vec<SimplifiedArtist>,
    /// Markets the track is available in. Dropped for Development Mode apps in 2026-02, and
    /// absent whenever a market was given.
    #[serde(default)]
    pub available_markets: Option<Vec<String>>,
    /// The disc number (1 unless the album has several discs).
    #[serde(default, deserialize_with = "null_default")]
    pub disc_number: u32,
    /// Length in milliseconds.
    #[serde(default, deserialize_with = "null_default")]
    pub duration_ms: u64,
    /// Whether the track has explicit lyrics (`false` also when unknown).
    #[serde(default, deserialize_with = "null_default")]
    pub explicit: bool,
    /// Links outside the Web API.
    #[serde(default, deserialize_with = "null_default")]
    pub external_urls: ExternalUrls,
    /// The track's Web API URL; `None` for a local file.
    #[serde(default)]
    pub href: Option<String>,
    /// The track's Spotify id; `None` for a local file.
    #[serde(default)]
    pub id: Option<String>,
    /// Whether the track is playable in the given market (sent only when a market was given).
    #[serde(default)]
    pub is_playable: Option<bool>,
    /// The originally requested track, when relinked. Dropped for Development Mode apps in
    /// 2026-02.
    #[serde(default)]
    pub linked_from: Option<LinkedFrom>,
    /// Why the track cannot be played, when it cannot.
    #[serde(default)]
    pub restrictions: Option<Restrictions>,
    /// The track's name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// A 30-second MP3 preview. Deprecated since 2024-11-27 and `null` for most apps.
    #[serde(default)]
    pub preview_url: Option<String>,
    /// The track's number on its disc.
    #[serde(default, deserialize_with = "null_default")]
    pub track_number: u32,
    /// The object type, `"track"`.
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
    /// The track's Spotify URI (`spotify:local:…` for a local file).
    #[serde(default, deserialize_with = "null_default")]
    pub uri: String,
    /// Whether the track is a local file.
    #[serde(default, deserialize_with = "null_default")]
    pub is_local: bool,
}

/// A track (full object).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Track {
    /// The album the track is on.
    #[serde(default, deserialize_with = "null_default")]
    pub album: SimplifiedAlbum,
    /// The track's artists.
    #[serde(default, deserialize_with = "null_default")]
    pub artists: Vec<SimplifiedArtist>,
    /// Markets the track is available in. Dropped for Development Mode apps in 2026-02, and
    /// absent whenever a market was given.
    #[serde(default)]
    pub available_markets: Option<Vec<String>>,
    /// The disc number.
    #[serde(default, deserialize_with = "null_default")]
    pub disc_number: u32,
    /// Length in milliseconds.
    #[serde(default, deserialize_with = "null_default")]
    pub duration_ms: u64,
    /// Whether the track has explicit lyrics (`false` also when unknown).
    #[serde(default, deserialize_with = "null_default")]
    pub explicit: bool,
    /// The ISRC. Dropped for Development Mode apps in 2026-02, restored in 2026-03.
    #[serde(default)]
    pub external_ids: Option<ExternalIds>,
    /// Links outside the Web API.
    #[serde(default, deserialize_with = "null_default")]
    pub external_urls: ExternalUrls,
    /// The track's Web API URL; `None` for a local file.
    #[serde(default)]
    pub href: Option<String>,
    /// The track's Spotify id; `None` for a local file in a playlist.
    #[serde(default)]
    pub id: Option<String>,
    /// Whether the track is playable in the given market (sent only when a market was given).
    #[serde(default)]
    pub is_playable: Option<bool>,
    /// The originally requested track, when relinked. Dropped for Development Mode apps in
    /// 2026-02.
    #[serde(default)]
    pub linked_from: Option<LinkedFrom>,
    /// Why the track cannot be played, when it cannot.
    #[serde(default)]
    pub restrictions: Option<Restrictions>,
    /// The track's name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Popularity, 0 to 100. Dropped for Development Mode apps in 2026-02.
    #[serde(default)]
    pub popularity: Option<u32>,
    /// A 30-second MP3 preview. Deprecated since 2024-11-27 and `null` for most apps.
    #[serde(default)]
    pub preview_url: Option<String>,
    /// The track's number on its disc.
    #[serde(default, deserialize_with = "null_default")]
    pub track_number: u32,
    /// The object type, `"track"`.
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
    /// The track's Spotify URI (`spotify:local:…` for a local file).
    #[serde(default, deserialize_with = "null_default")]
    pub uri: String,
    /// Whether the track is a local file.
    #[serde(default, deserialize_with = "null_default")]
    pub is_local: bool,
}

/// A track in the user's library (`GET /me/tracks`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedTrack {
    /// When it was saved (ISO 8601, `YYYY-MM-DDTHH:MM:SSZ`).
    #[serde(default, deserialize_with = "null_default")]
    pub added_at: String,
    /// The track.
    #[serde(default, deserialize_with = "null_default")]
    pub track: Track,
}

/// Audio features of a track (`GET /audio-features/{id}`).
///
/// Blocked for new and Development Mode apps since 2024-11-27. Every value defaults when
/// missing so one absent measure does not lose the others.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AudioFeatures {
    /// Confidence, 0.0 to 1.0, that the track is acoustic.
    #[serde(default, deserialize_with = "null_default")]
    pub acousticness: f64,
    /// The Web API URL of the track's full audio analysis.
    #[serde(default, deserialize_with = "null_default")]
    pub analysis_url: String,
    /// How suitable the track is for dancing, 0.0 to 1.0.
    #[serde(default, deserialize_with = "null_default")]
    pub danceability: f64,
    /// Length in milliseconds.
    #[serde(default, deserialize_with = "null_default")]
    pub duration_ms: u64,
    /// Perceived intensity and activity, 0.0 to 1.0.
    #[serde(default, deserialize_with = "null_default")]
    pub energy: f64,
    /// The track's Spotify id.
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    /// Likelihood, 0.0 to 1.0, that the track has no vocals.
    #[serde(default, deserialize_with = "null_default")]
    pub instrumentalness: f64,
    /// The key in pitch-class notation (0 = C, 1 = C♯/D♭, …); -1 if none was detected.
    #[serde(default, deserialize_with = "null_default")]
    pub key: i32,
    /// Likelihood, 0.0 to 1.0, that the recording has an audience.
    #[serde(default, deserialize_with = "null_default")]
    pub liveness: f64,
    /// Average loudness in decibels (typically -60 to 0).
    #[serde(default, deserialize_with = "null_default")]
    pub loudness: f64,
    /// Modality: 1 major, 0 minor.
    #[serde(default, deserialize_with = "null_default")]
    pub mode: i32,
    /// Presence of spoken words, 0.0 to 1.0.
    #[serde(default, deserialize_with = "null_default")]
    pub speechiness: f64,
    /// Estimated tempo in beats per minute.
    #[serde(default, deserialize_with = "null_default")]
    pub tempo: f64,
    /// Estimated beats per bar (3 to 7).
    #[serde(default, deserialize_with = "null_default")]
    pub time_signature: i32,
    /// The track's Web API URL.
    #[serde(default, deserialize_with = "null_default")]
    pub track_href: String,
    /// The object type, `"audio_features"`.
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
    /// The track's Spotify URI.
    #[serde(default, deserialize_with = "null_default")]
    pub uri: String,
    /// Musical positiveness, 0.0 to 1.0.
    #[serde(default, deserialize_with = "null_default")]
    pub valence: f64,
}

/// A track's low-level audio analysis (`GET /audio-analysis/{id}`).
///
/// Blocked for new and Development Mode apps since 2024-11-27. The summaries are typed; the
/// long time series are typed as small structs whose every value defaults, so a missing or
/// `null` measure in one of thousands of segments does not fail the whole analysis.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AudioAnalysis {
    /// How the analysis was made.
    #[serde(default)]
    pub meta: Option<AudioAnalysisMeta>,
    /// Track-level summary (tempo, key, loudness, fades, fingerprints).
    #[serde(default)]
    pub track: Option<AudioAnalysisTrack>,
    /// Bars (measures).
    #[serde(default, deserialize_with = "null_default")]
    pub bars: Vec<TimeInterval>,
    /// Beats.
    #[serde(default, deserialize_with = "null_default")]
    pub beats: Vec<TimeInterval>,
    /// Sections (verse, chorus, …): large variations in rhythm or timbre.
    #[serde(default, deserialize_with = "null_default")]
    pub sections: Vec<AudioAnalysisSection>,
    /// Segments: short sounds of roughly consistent timbre.
    #[serde(default, deserialize_with = "null_default")]
    pub segments: Vec<AudioAnalysisSegment>,
    /// Tatums: the smallest regular pulse.
    #[serde(default, deserialize_with = "null_default")]
    pub tatums: Vec<TimeInterval>,
}

/// The `meta` block of an [`AudioAnalysis`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AudioAnalysisMeta {
    /// The analyzer's version.
    #[serde(default)]
    pub analyzer_version: Option<String>,
    /// The platform the analysis ran on.
    #[serde(default)]
    pub platform: Option<String>,
    /// A detailed status of the analysis (`"OK"`).
    #[serde(default)]
    pub detailed_status: Option<String>,
    /// The analysis' status code (0 means success).
    #[serde(default)]
    pub status_code: Option<i32>,
    /// When the analysis ran, in Unix seconds.
    #[serde(default)]
    pub timestamp: Option<u64>,
    /// How long the analysis took, in seconds.
    #[serde(default)]
    pub analysis_time: Option<f64>,
    /// How the input was processed.
    #[serde(default)]
    pub input_process: Option<String>,
}

/// The `track` summary of an [`AudioAnalysis`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AudioAnalysisTrack {
    /// Number of samples analysed.
    #[serde(default, deserialize_with = "null_default")]
    pub num_samples: u64,
    /// Length in seconds.
    #[serde(default, deserialize_with = "null_default")]
    pub duration: f64,
    /// Always empty; kept for completeness.
    #[serde(default, deserialize_with = "null_default")]
    pub sample_md5: String,
    /// Offset into the track where the analysis started, in seconds.
    #[serde(default, deserialize_with = "null_default")]
    pub offset_seconds: f64,
    /// Length of the analysis window, in seconds.
    #[serde(default, deserialize_with = "null_default")]
    pub window_seconds: f64,
    /// Sample rate used for the analysis.
    #[serde(default, deserialize_with = "null_default")]
    pub analysis_sample_rate: u64,
    /// Channels used for the analysis.
    #[serde(default, deserialize_with = "null_default")]
    pub analysis_channels: u32,
    /// End of the fade-in, in seconds.
    #[serde(default, deserialize_with = "null_default")]
    pub end_of_fade_in: f64,
    /// Start of the fade-out, in seconds.
    #[serde(default, deserialize_with = "null_default")]
    pub start_of_fade_out: f64,
    /// Average loudness in decibels.
    #[serde(default, deserialize_with = "null_default")]
    pub loudness: f64,
    /// Estimated tempo in beats per minute.
    #[serde(default, deserialize_with = "null_default")]
    pub tempo: f64,
    /// Confidence in `tempo`, 0.0 to 1.0.
    #[serde(default, deserialize_with = "null_default")]
    pub tempo_confidence: f64,
    /// Estimated beats per bar.
    #[serde(default, deserialize_with = "null_default")]
    pub time_signature: i32,
    /// Confidence in `time_signature`.
    #[serde(default, deserialize_with = "null_default")]
    pub time_signature_confidence: f64,
    /// Key in pitch-class notation; -1 if none.
    #[serde(default, deserialize_with = "null_default")]
    pub key: i32,
    /// Confidence in `key`.
    #[serde(default, deserialize_with = "null_default")]
    pub key_confidence: f64,
    /// Modality: 1 major, 0 minor.
    #[serde(default, deserialize_with = "null_default")]
    pub mode: i32,
    /// Confidence in `mode`.
    #[serde(default, deserialize_with = "null_default")]
    pub mode_confidence: f64,
    /// An Echo Nest Musical Fingerprint (ENMFP) code string.
    #[serde(default)]
    pub codestring: Option<String>,
    /// Version of the ENMFP code.
    #[serde(default)]
    pub code_version: Option<f64>,
    /// An EchoPrint code string.
    #[serde(default)]
    pub echoprintstring: Option<String>,
    /// Version of the EchoPrint code.
    #[serde(default)]
    pub echoprint_version: Option<f64>,
    /// A Synchstring code string.
    #[serde(default)]
    pub synchstring: Option<String>,
    /// Version of the Synchstring code.
    #[serde(default)]
    pub synch_version: Option<f64>,
    /// A Rhythmstring code string.
    #[serde(default)]
    pub rhythmstring: Option<String>,
    /// Version of the Rhythmstring code.
    #[serde(default)]
    pub rhythm_version: Option<f64>,
}

/// A bar, beat or tatum of an [`AudioAnalysis`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TimeInterval {
    /// Start, in seconds.
    #[serde(default, deserialize_with = "null_default")]
    pub start: f64,
    /// Length, in seconds.
    #[serde(default, deserialize_with = "null_default")]
    pub duration: f64,
    /// Confidence in the interval, 0.0 to 1.0.
    #[serde(default, deserialize_with = "null_default")]
    pub confidence: f64,
}

/// A section of an [`AudioAnalysis`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AudioAnalysisSection {
    /// Start, in seconds.
    #[serde(default, deserialize_with = "null_default")]
    pub start: f64,
    /// Length, in seconds.
    #[serde(default, deserialize_with = "null_default")]
    pub duration: f64,
    /// Confidence that this is a section, 0.0 to 1.0.
    #[serde(default, deserialize_with = "null_default")]
    pub confidence: f64,
    /// Average loudness in decibels.
    #[serde(default, deserialize_with = "null_default")]
    pub loudness: f64,
    /// Estimated tempo in beats per minute.
    #[serde(default, deserialize_with = "null_default")]
    pub tempo: f64,
    /// Confidence in `tempo`.
    #[serde(default, deserialize_with = "null_default")]
    pub tempo_confidence: f64,
    /// Key in pitch-class notation; -1 if none.
    #[serde(default, deserialize_with = "null_default")]
    pub key: i32,
    /// Confidence in `key`.
    #[serde(default, deserialize_with = "null_default")]
    pub key_confidence: f64,
    /// Modality: 1 major, 0 minor, -1 unknown.
    #[serde(default, deserialize_with = "null_default")]
    pub mode: i32,
    /// Confidence in `mode`.
    #[serde(default, deserialize_with = "null_default")]
    pub mode_confidence: f64,
    /// Estimated beats per bar.
    #[serde(default, deserialize_with = "null_default")]
    pub time_signature: i32,
    /// Confidence in `time_signature`.
    #[serde(default, deserialize_with = "null_default")]
    pub time_signature_confidence: f64,
}

/// A segment of an [`AudioAnalysis`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AudioAnalysisSegment {
    /// Start, in seconds.
    #[serde(default, deserialize_with = "null_default")]
    pub start: f64,
    /// Length, in seconds.
    #[serde(default, deserialize_with = "null_default")]
    pub duration: f64,
    /// Confidence in the segmentation, 0.0 to 1.0.
    #[serde(default, deserialize_with = "null_default")]
    pub confidence: f64,
    /// Loudness at the start, in decibels.
    #[serde(default, deserialize_with = "null_default")]
    pub loudness_start: f64,
    /// Peak loudness, in decibels.
    #[serde(default, deserialize_with = "null_default")]
    pub loudness_max: f64,
    /// Offset of the peak from the start, in seconds.
    #[serde(default, deserialize_with = "null_default")]
    pub loudness_max_time: f64,
    /// Loudness at the end, in decibels (sent for the last segment only).
    #[serde(default)]
    pub loudness_end: Option<f64>,
    /// Twelve pitch-class strengths, 0.0 to 1.0.
    #[serde(default, deserialize_with = "null_default")]
    pub pitches: Vec<f64>,
    /// Twelve timbre coefficients.
    #[serde(default, deserialize_with = "null_default")]
    pub timbre: Vec<f64>,
}

/// What a recommendation was seeded with, and how many tracks each seed yielded.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecommendationSeed {
    /// Tracks available after min/max filters.
    #[serde(
        rename = "afterFilteringSize",
        default,
        deserialize_with = "null_default"
    )]
    pub after_filtering_size: u32,
    /// Tracks available after relinking for regional availability.
    #[serde(
        rename = "afterRelinkingSize",
        default,
        deserialize_with = "null_default"
    )]
    pub after_relinking_size: u32,
    /// The seed's Web API URL; `None` for genre seeds.
    #[serde(default)]
    pub href: Option<String>,
    /// The seed's id: an artist or track id, or a genre name.
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    /// Tracks available for this seed before filtering.
    #[serde(rename = "initialPoolSize", default, deserialize_with = "null_default")]
    pub initial_pool_size: u32,
    /// `ARTIST`, `TRACK` or `GENRE` (upper case, as Spotify sends it).
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
}

/// The answer of `GET /recommendations` (blocked for new and Development Mode apps since
/// 2024-11-27).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommendations {
    /// The seeds used.
    #[serde(default, deserialize_with = "null_default")]
    pub seeds: Vec<RecommendationSeed>,
    /// The recommended tracks.
    #[serde(default, deserialize_with = "null_default")]
    pub tracks: Vec<Track>,
}
