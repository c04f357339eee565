//! The token model: [`OAuth2Token`] and its normalised [`Scope`].
//!
//! Tokens are immutable values. A session holds its current token in an `Arc` and hands out
//! clones of the `Arc`, so events and snapshots share one copy of the secrets.
//!
//! The JSON format is Python spotipie's token file (`access_token, expires_in, scope` as a list,
//! `state, token_type, expires_at, refresh_token`), so files move between the two libraries.
//! Reading is lenient where other writers differ: spotipy's `.cache` files (scope as one
//! space-separated string, integer `expires_at`) and raw token-endpoint responses (no
//! `expires_at`: it is computed at receipt from `expires_in`).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::clock::Clock;
use crate::secret::{AccessToken, CsrfState, RefreshToken};

/// A set of OAuth2 scopes, normalised: split on whitespace, de-duplicated and sorted.
///
/// Normalising makes two scopes that differ only in order or repetition compare equal, which is
/// what scope checks and "did the scope change?" questions need. The scopes sit in one shared,
/// sorted slice: a clone is an atomic increment, and a token's scope costs one allocation.
#[derive(Clone, PartialEq, Eq, Default, Hash)]
pub struct Scope(Arc<[Box<str>]>);

impl Scope {
    /// The empty scope.
    pub fn empty() -> Self {
        Self::default()
    }

    /// Parses a space-separated scope string, as Spotify sends it.
    pub fn parse(space_separated: &str) -> Self {
        space_separated.split_whitespace().collect()
    }

    /// Whether the scope holds no scopes at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `scope` is one of this set's scopes.
    pub fn contains(&self, scope: &str) -> bool {
        self.0.binary_search_by(|s| (**s).cmp(scope)).is_ok()
    }

    /// The scopes of `required` that this set lacks, in sorted order.
    pub fn missing<'a>(&self, required: &'a Scope) -> Vec<&'a str> {
        required
            .iter()
            .filter(|scope| !self.contains(scope))
            .collect()
    }

    /// The scopes, sorted.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|s| &**s)
    }

    /// The number of scopes.
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl<S: AsRef<str>> FromIterator<S> for Scope {
    /// Collects scopes; each item may itself hold several space-separated scopes.
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut scopes: Vec<Box<str>> = iter
            .into_iter()
            .flat_map(|s| {
                s.as_ref()
                    .split_whitespace()
                    .map(Box::from)
                    .collect::<Vec<_>>()
            })
            .collect();
        scopes.sort_unstable();
        scopes.dedup();
        Self(scopes.into())
    }
}

impl From<&str> for Scope {
    fn from(space_separated: &str) -> Self {
        Self::parse(space_separated)
    }
}

impl fmt::Display for Scope {
    /// The space-separated form Spotify expects in requests.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for scope in self.iter() {
            if !first {
                f.write_str(" ")?;
            }
            f.write_str(scope)?;
            first = false;
        }
        Ok(())
    }
}

impl fmt::Debug for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl Serialize for Scope {
    /// A list, as Python spotipie writes it.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Scope {
    /// A list (spotipie), a space-separated string (spotipy, Spotify) or `null`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Wire {
            Text(String),
            List(Vec<String>),
        }
        Ok(match Option::<Wire>::deserialize(deserializer)? {
            None => Scope::empty(),
            Some(Wire::Text(text)) => Scope::parse(&text),
            Some(Wire::List(list)) => list.into_iter().collect(),
        })
    }
}

/// An OAuth2 token as Spotify issues it, with its expiry pinned to wall-clock time.
///
/// `Debug` redacts the access and refresh tokens and the state.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct OAuth2Token {
    /// The Bearer credential.
    pub access_token: AccessToken,
    /// Lifetime in seconds as issued (informational; expiry decisions use `expires_at`).
    pub expires_in: u64,
    /// The granted scopes.
    pub scope: Scope,
    /// The `state` of the authorization that produced the token, when the flow had one.
    pub state: Option<CsrfState>,
    /// Almost always `Bearer`.
    pub token_type: String,
    /// When the token expires, in Unix seconds.
    pub expires_at: f64,
    /// The refresh token, for flows that have one.
    pub refresh_token: Option<RefreshToken>,
}

/// Why a token document could not be read. The raw text is not kept: a token file holds secrets.
#[derive(Debug, thiserror::Error)]
pub enum TokenFormatError {
    /// Not JSON, or JSON of the wrong shape. The parser's message, with quoted values redacted.
    #[error("token JSON is malformed: {0}")]
    Json(String),
    /// `access_token` is empty.
    #[error("token JSON has an empty access_token")]
    EmptyAccessToken,
    /// Neither `expires_at` nor `expires_in` is present, so the expiry is unknown.
    #[error("token JSON has neither expires_at nor expires_in")]
    NoExpiry,
    /// A negative or non-finite lifetime or expiry.
    #[error("token JSON has an invalid expiry ({0})")]
    InvalidExpiry(f64),
}

/// The fields every source of tokens shares: spotipie files, spotipy caches, endpoint responses.
#[derive(Deserialize)]
pub(crate) struct TokenFields {
    access_token: AccessToken,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    expires_in: Option<f64>,
    #[serde(default)]
    expires_at: Option<f64>,
    #[serde(default)]
    scope: Scope,
    #[serde(default)]
    state: Option<CsrfState>,
    #[serde(default)]
    refresh_token: Option<RefreshToken>,
}

impl From<serde_json::Error> for TokenFormatError {
    fn from(error: serde_json::Error) -> Self {
        Self::Json(crate::secret::redact_quoted(&error.to_string()))
    }
}

impl TokenFields {
    /// Builds a token, pinning `expires_at` to `received_at + expires_in` when it is absent.
    pub(crate) fn into_token(self, received_at: f64) -> Result<OAuth2Token, TokenFormatError> {
        if self.access_token.secret().is_empty() {
            return Err(TokenFormatError::EmptyAccessToken);
        }
        for value in [self.expires_in, self.expires_at].into_iter().flatten() {
            if !value.is_finite() || value < 0.0 {
                return Err(TokenFormatError::InvalidExpiry(value));
            }
        }
        let (expires_in, expires_at) = match (self.expires_in, self.expires_at) {
            (_, Some(at)) => (
                self.expires_in
                    .unwrap_or_else(|| (at - received_at).max(0.0)),
                at,
            ),
            (Some(secs), None) => (secs, received_at + secs),
            (None, None) => return Err(TokenFormatError::NoExpiry),
        };
        Ok(OAuth2Token {
            access_token: self.access_token,
            expires_in: expires_in.round() as u64,
            scope: self.scope,
            state: self.state,
            token_type: self
                .token_type
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| "Bearer".to_owned()),
            expires_at,
            refresh_token: self.refresh_token.filter(|r| !r.secret().is_empty()),
        })
    }
}

impl OAuth2Token {
    /// A Bearer token that expires `expires_in` after `clock`'s now.
    pub fn new(access_token: impl Into<String>, expires_in: Duration, clock: &dyn Clock) -> Self {
        Self {
            access_token: AccessToken::new(access_token),
            expires_in: expires_in.as_secs(),
            scope: Scope::empty(),
            state: None,
            token_type: "Bearer".to_owned(),
            expires_at: clock.now() + expires_in.as_secs_f64(),
            refresh_token: None,
        }
    }

    /// This token with a refresh token.
    pub fn with_refresh_token(mut self, refresh_token: impl Into<String>) -> Self {
        self.refresh_token = Some(RefreshToken::new(refresh_token));
        self
    }

    /// This token with a scope.
    pub fn with_scope(mut self, scope: impl Into<Scope>) -> Self {
        self.scope = scope.into();
        self
    }

    /// Whether the token is expired, or will be within `margin`, at `clock`'s now.
    pub fn is_expired(&self, margin: Duration, clock: &dyn Clock) -> bool {
        self.is_expired_at(clock.now(), margin)
    }

    /// Whether the token is expired, or will be within `margin`, at `now` (Unix seconds).
    pub fn is_expired_at(&self, now: f64, margin: Duration) -> bool {
        now >= self.expires_at - margin.as_secs_f64()
    }

    /// Seconds left until `expires_at` at `now` (negative once expired).
    pub fn seconds_left_at(&self, now: f64) -> f64 {
        self.expires_at - now
    }

    /// Reads any supported token JSON: spotipie's file, spotipy's `.cache`, or a token-endpoint
    /// response. When `expires_at` is absent it is computed from `expires_in` at `clock`'s now.
    pub fn from_json(text: &str, clock: &dyn Clock) -> Result<Self, TokenFormatError> {
        let fields: TokenFields = serde_json::from_str(text)?;
        fields.into_token(clock.now())
    }

    /// Writes spotipie's token-file JSON (the secrets in clear: this is the on-disk format).
    pub fn to_json(&self) -> String {
        // Serializing a struct of strings, numbers and lists into a String cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// As [`to_json`](Self::to_json), indented for humans.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

impl fmt::Display for OAuth2Token {
    /// A one-line summary without secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} token expiring at {:.0} (scope: [{}], refresh token: {})",
            self.token_type,
            self.expires_at,
            self.scope,
            if self.refresh_token.is_some() {
                "yes"
            } else {
                "no"
            }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    #[test]
    fn scope_is_sorted_and_deduplicated_from_string_or_list() {
        let a = Scope::parse("user-read-email  playlist-read-private user-read-email");
        let b: Scope = ["playlist-read-private", "user-read-email"]
            .into_iter()
            .collect();
        assert_eq!(a, b);
        assert_eq!(a.to_string(), "playlist-read-private user-read-email");
        assert_eq!(a.len(), 2);
        let need = Scope::parse("user-read-email user-top-read");
        assert_eq!(a.missing(&need), vec!["user-top-read"]);
    }

    #[test]
    fn reads_and_writes_python_spotipie_token_files() {
        let clock = ManualClock::new(1_000.0);
        let text = r#"{"access_token": "AT", "expires_in": 3600, "scope": ["b", "a"],
            "state": null, "token_type": "Bearer", "expires_at": 1600000000.5,
            "refresh_token": "RT"}"#;
        let token = OAuth2Token::from_json(text, &clock).expect("valid spotipie file");
        assert_eq!(token.expires_at, 1_600_000_000.5);
        assert_eq!(token.scope.to_string(), "a b");
        assert_eq!(token.refresh_token.as_ref().map(|r| r.secret()), Some("RT"));
        let written: serde_json::Value =
            serde_json::from_str(&token.to_json()).expect("writes JSON");
        assert_eq!(written["scope"], serde_json::json!(["a", "b"]));
        assert_eq!(written["expires_in"], 3600);
        assert_eq!(written["state"], serde_json::Value::Null);
        let again = OAuth2Token::from_json(&token.to_json(), &clock).expect("round trip");
        assert_eq!(again, token);
    }

    #[test]
    fn reads_spotipy_cache_files() {
        let clock = ManualClock::new(1_000.0);
        let text = r#"{"access_token": "AT", "token_type": "Bearer", "expires_in": 3600,
            "refresh_token": "RT", "scope": "user-read-email playlist-read-private",
            "expires_at": 1700000000}"#;
        let token = OAuth2Token::from_json(text, &clock).expect("valid spotipy cache");
        assert_eq!(token.expires_at, 1_700_000_000.0);
        assert!(token.scope.contains("user-read-email"));
    }

    #[test]
    fn expires_at_is_computed_at_receipt_when_absent() {
        let clock = ManualClock::new(1_000.0);
        let token = OAuth2Token::from_json(
            r#"{"access_token": "AT", "token_type": "Bearer", "expires_in": 3600}"#,
            &clock,
        )
        .expect("endpoint response");
        assert_eq!(token.expires_at, 4_600.0);
        assert!(!token.is_expired(Duration::from_secs(2), &clock));
        clock.advance(Duration::from_secs(3598));
        assert!(token.is_expired(Duration::from_secs(2), &clock));
        assert!(!token.is_expired(Duration::ZERO, &clock));
    }

    #[test]
    fn malformed_token_documents_are_typed_errors() {
        let clock = ManualClock::new(0.0);
        for (text, want) in [
            ("not json", "malformed"),
            (r#"{"expires_in": 5}"#, "malformed"),
            (r#"{"access_token": "", "expires_in": 5}"#, "empty"),
            (r#"{"access_token": "x"}"#, "neither"),
            (
                r#"{"access_token": "x", "expires_in": -5}"#,
                "invalid expiry",
            ),
            (
                r#"{"access_token": "x", "expires_in": "soon"}"#,
                "malformed",
            ),
        ] {
            let err = OAuth2Token::from_json(text, &clock).expect_err(text);
            assert!(err.to_string().contains(want), "{text}: {err}");
        }
    }

    #[test]
    fn debug_and_display_redact_secrets() {
        let clock = ManualClock::new(0.0);
        let token = OAuth2Token::new("ACCESS-SECRET", Duration::from_secs(60), &clock)
            .with_refresh_token("REFRESH-SECRET");
        for shown in [
            format!("{token:?}"),
            format!("{token}"),
            format!("{token:#?}"),
        ] {
            assert!(!shown.contains("ACCESS-SECRET") && !shown.contains("REFRESH-SECRET"));
        }
    }
}
