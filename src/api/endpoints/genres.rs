//! Genres: the genre names recommendations accept as seeds.

use serde::Deserialize;

use crate::api::client::Spotify;
use crate::api::WebApiError;

#[derive(Deserialize)]
struct Genres {
    genres: Vec<String>,
}

impl Spotify {
    /// The genres usable as `seed_genres` in [`Spotify::get_recommendations`], e.g. `acoustic`.
    #[deprecated(note = "removed for new and Development Mode apps (403) in 2024-11")]
    pub async fn get_recommendation_genres(&self) -> Result<Vec<String>, WebApiError> {
        let genres: Genres = self.call("get_recommendation_genres").fetch().await?;
        Ok(genres.genres)
    }
}
