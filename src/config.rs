//! Configuration: who the app is ([`Credentials`]), where Spotify is ([`Endpoints`]) and how
//! sessions behave ([`Policy`]).
//!
//! Everything has a default that is right for real Spotify, and everything can be pointed at
//! `FakeSpotify` (or another deployment) by code or environment. Plain HTTP is refused unless the
//! host is loopback: an access token must never cross a network in clear.

use std::env;
use std::time::Duration;

use url::{Host, Url};

use crate::secret::ClientSecret;

/// The environment-variable prefix Python spotipie uses, kept for compatibility.
pub const DEFAULT_ENV_PREFIX: &str = "SPOTIPIE";

/// Spotify's Accounts service.
pub const SPOTIFY_ACCOUNTS_URL: &str = "https://accounts.spotify.com";
/// Spotify's Web API.
pub const SPOTIFY_API_URL: &str = "https://api.spotify.com";

/// Errors in configuration: missing variables and unsafe or malformed endpoints.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A required environment variable is not set (or is empty).
    #[error("environment variable {0} is not set")]
    MissingVariable(String),
    /// An endpoint is not a valid absolute URL.
    #[error("endpoint {url:?} is not a valid URL: {source}")]
    InvalidUrl {
        /// The text that failed to parse.
        url: String,
        /// Why.
        source: url::ParseError,
    },
    /// An endpoint uses plain HTTP on a host that is not loopback, or a scheme other than HTTP(S).
    #[error("endpoint {0} is refused: use https, or plain http only on a loopback host (127.0.0.1, [::1], localhost)")]
    InsecureEndpoint(String),
}

/// A Spotify app's identity: client id, optional client secret (absent for PKCE clients) and
/// redirect URI (for the user flows).
#[derive(Clone, Debug)]
pub struct Credentials {
    /// The app's client id (public).
    pub client_id: String,
    /// The client secret; `None` for public (PKCE) clients.
    pub client_secret: Option<ClientSecret>,
    /// The redirect URI registered for the app, if the flow needs one.
    pub redirect_uri: Option<String>,
}

impl Credentials {
    /// A confidential client.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: Some(ClientSecret::new(client_secret)),
            redirect_uri: None,
        }
    }

    /// A public client (PKCE): no secret.
    pub fn public(client_id: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: None,
            redirect_uri: None,
        }
    }

    /// These credentials with a redirect URI.
    pub fn with_redirect_uri(mut self, redirect_uri: impl Into<String>) -> Self {
        self.redirect_uri = Some(redirect_uri.into());
        self
    }

    /// Reads `{prefix}_CLIENT_ID` (required), `{prefix}_CLIENT_SECRET` and `{prefix}_REDIRECT_URI`
    /// (optional), as Python spotipie's `Credentials.from_environment`. The usual prefix is
    /// [`DEFAULT_ENV_PREFIX`].
    pub fn from_env(prefix: &str) -> Result<Self, ConfigError> {
        Self::from_lookup(prefix, |name| env::var(name).ok())
    }

    /// As [`from_env`](Self::from_env), reading variables through `lookup` (for tests and for
    /// configuration systems other than the process environment).
    pub fn from_lookup(
        prefix: &str,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let get = |suffix: &str| lookup(&format!("{prefix}_{suffix}")).filter(|v| !v.is_empty());
        let id_var = format!("{prefix}_CLIENT_ID");
        let client_id = get("CLIENT_ID").ok_or(ConfigError::MissingVariable(id_var))?;
        Ok(Self {
            client_id,
            client_secret: get("CLIENT_SECRET").map(ClientSecret::new),
            redirect_uri: get("REDIRECT_URI"),
        })
    }
}

/// Where the Accounts service and the Web API live.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoints {
    accounts: Url,
    api: Url,
}

impl Default for Endpoints {
    /// Spotify's own endpoints.
    fn default() -> Self {
        Self::spotify()
    }
}

impl Endpoints {
    /// Spotify's own endpoints.
    pub fn spotify() -> Self {
        Self {
            accounts: Url::parse(SPOTIFY_ACCOUNTS_URL).expect("constant URL parses"),
            api: Url::parse(SPOTIFY_API_URL).expect("constant URL parses"),
        }
    }

    /// Custom endpoints (a fake, a proxy). Plain HTTP is accepted only on a loopback host.
    pub fn new(accounts: &str, api: &str) -> Result<Self, ConfigError> {
        Ok(Self {
            accounts: checked_url(accounts)?,
            api: checked_url(api)?,
        })
    }

    /// Both services at one base URL, as `FakeSpotify` serves them.
    pub fn single(base: &str) -> Result<Self, ConfigError> {
        Self::new(base, base)
    }

    /// Spotify's endpoints, each overridden by `SPOTIPIE_ACCOUNTS_URL` / `SPOTIPIE_API_URL` when
    /// set.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| env::var(name).ok())
    }

    /// As [`from_env`](Self::from_env), reading variables through `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|v| !v.is_empty());
        let accounts = get("SPOTIPIE_ACCOUNTS_URL");
        let api = get("SPOTIPIE_API_URL");
        Self::new(
            accounts.as_deref().unwrap_or(SPOTIFY_ACCOUNTS_URL),
            api.as_deref().unwrap_or(SPOTIFY_API_URL),
        )
    }

    /// The Accounts service's base URL.
    pub fn accounts(&self) -> &Url {
        &self.accounts
    }

    /// The Web API's base URL.
    pub fn api(&self) -> &Url {
        &self.api
    }

    /// `POST` here for every grant.
    pub fn token_url(&self) -> Url {
        join(&self.accounts, "api/token")
    }

    /// Where the user is sent to authorize the app.
    pub fn authorize_url(&self) -> Url {
        join(&self.accounts, "authorize")
    }

    /// A Web API URL from a path such as `/v1/me` or `v1/me`.
    pub fn api_url(&self, path: &str) -> Result<Url, url::ParseError> {
        let mut base = self.api.clone();
        if !base.path().ends_with('/') {
            let with_slash = format!("{}/", base.path());
            base.set_path(&with_slash);
        }
        base.join(path.trim_start_matches('/'))
    }
}

fn join(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    let joined = format!("{}/{}", base.path().trim_end_matches('/'), path);
    url.set_path(&joined);
    url
}

fn checked_url(text: &str) -> Result<Url, ConfigError> {
    let url = Url::parse(text).map_err(|source| ConfigError::InvalidUrl {
        url: text.to_owned(),
        source,
    })?;
    let loopback = match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        _ => Err(ConfigError::InsecureEndpoint(url.to_string())),
    }
}

/// How sessions, the refresher and the HTTP clients behave. The defaults suit real Spotify
/// (one-hour tokens).
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    /// A token counts as expired this long before `expires_at`, so it does not lapse in flight.
    /// Default 2 s (the seed's margin).
    pub expiry_margin: Duration,
    /// Inside this window before expiry a token is *stale*: requests still use it, and one
    /// background renewal starts (refreshable sessions with auto-refresh on). Zero turns
    /// refresh-ahead off. Default 60 s.
    pub refresh_ahead: Duration,
    /// The longest a request waits in an expiry episode for subscribers and the renewal before
    /// it fails with a token-expired error. Default 10 s.
    pub renewal_timeout: Duration,
    /// Retries of a transient renewal failure (5xx, timeout, connection error, 429), after the
    /// first attempt. Default 4.
    pub retry_budget: u32,
    /// First backoff delay; doubles per retry, with full jitter. Default 100 ms.
    pub retry_base_delay: Duration,
    /// Cap of one backoff delay, and of a `Retry-After` the refresher is willing to honour;
    /// a longer `Retry-After` fails the renewal at once. Default 5 s.
    pub retry_max_delay: Duration,
    /// Total timeout of one HTTP request (token endpoint or Web API). Default 30 s.
    pub request_timeout: Duration,
    /// TCP connect timeout. Default 5 s.
    pub connect_timeout: Duration,
    /// Largest response body read from the token endpoint. Default 1 MiB.
    pub max_token_body: usize,
    /// Largest response body read from the Web API. Default 16 MiB.
    pub max_api_body: usize,
    /// Mailbox capacity of a session actor (senders wait when it is full). Default 1024.
    pub mailbox_capacity: usize,
    /// How long the bus gives one subscriber to handle a `TokenExpired` before the episode
    /// stops waiting for it. Default 5 s (always also bounded by `renewal_timeout`).
    pub subscriber_timeout: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            expiry_margin: Duration::from_secs(2),
            refresh_ahead: Duration::from_secs(60),
            renewal_timeout: Duration::from_secs(10),
            retry_budget: 4,
            retry_base_delay: Duration::from_millis(100),
            retry_max_delay: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(5),
            max_token_body: 1024 * 1024,
            max_api_body: 16 * 1024 * 1024,
            mailbox_capacity: 1024,
            subscriber_timeout: Duration::from_secs(5),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn credentials_from_env_with_prefix() {
        let creds = Credentials::from_lookup(
            "APP",
            vars(&[("APP_CLIENT_ID", "id"), ("APP_CLIENT_SECRET", "shh")]),
        )
        .expect("id present");
        assert_eq!(creds.client_id, "id");
        assert_eq!(
            creds.client_secret.as_ref().map(|s| s.secret()),
            Some("shh")
        );
        assert!(!format!("{creds:?}").contains("shh"));
        let err = Credentials::from_lookup("APP", vars(&[])).expect_err("no id");
        assert!(err.to_string().contains("APP_CLIENT_ID"));
    }

    #[test]
    fn endpoints_default_to_spotify_and_refuse_plain_http_off_loopback() {
        let spotify = Endpoints::from_lookup(vars(&[])).expect("defaults");
        assert_eq!(
            spotify.token_url().as_str(),
            "https://accounts.spotify.com/api/token"
        );
        let fake = Endpoints::from_lookup(vars(&[
            ("SPOTIPIE_ACCOUNTS_URL", "http://127.0.0.1:9000"),
            ("SPOTIPIE_API_URL", "http://[::1]:9001/base/"),
        ]))
        .expect("loopback http is fine");
        assert_eq!(fake.token_url().as_str(), "http://127.0.0.1:9000/api/token");
        assert_eq!(
            fake.api_url("/v1/me").expect("joins").as_str(),
            "http://[::1]:9001/base/v1/me"
        );
        for bad in [
            "http://example.com",
            "ftp://127.0.0.1",
            "http://10.0.0.1:80",
        ] {
            assert!(matches!(
                Endpoints::single(bad),
                Err(ConfigError::InsecureEndpoint(_))
            ));
        }
        assert!(matches!(
            Endpoints::single("not a url"),
            Err(ConfigError::InvalidUrl { .. })
        ));
    }
}
