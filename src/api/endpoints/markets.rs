//! Markets: the countries Spotify is available in.

use serde::Deserialize;

use crate::api::client::Spotify;
use crate::api::WebApiError;

#[derive(Deserialize)]
struct Markets {
    markets: Vec<String>,
}

impl Spotify {
    /// The markets Spotify is available in, as ISO 3166-1 alpha-2 codes (`DE`, `US`, ...).
    #[doc(alias = "get_available_markets")]
    #[deprecated(
        note = "removed for new and Development Mode apps (403) in 2026-02; no replacement"
    )]
    pub async fn get_markets(&self) -> Result<Vec<String>, WebApiError> {
        let markets: Markets = self.call("get_available_markets").fetch().await?;
        Ok(markets.markets)
    }
}
