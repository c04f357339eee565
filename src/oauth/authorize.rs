//! The user-authorization half of the protocol: redirect URIs and their 2025 rules, `state` and
//! PKCE, the `/authorize` URL, and the callback (query for the code flows, fragment for the
//! legacy implicit grant). Pure functions and values: no I/O, no actors.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::RngCore as _;
use sha2::{Digest, Sha256};
use url::{Host, Url};

use super::error::OAuthError;
use crate::config::Endpoints;
use crate::secret::{AuthorizationCode, CsrfState, PkceVerifier};
use crate::token::{OAuth2Token, Scope, TokenFields, TokenFormatError};

/// The longest callback URL read; anything longer is refused unread (a callback is a few hundred
/// bytes).
pub const MAX_CALLBACK_LEN: usize = 16 * 1024;

/// Everything that can go wrong authorizing a user, before and after the redirect.
#[derive(Clone, Debug, thiserror::Error)]
pub enum AuthorizationError {
    /// The user refused (`error=access_denied`).
    #[error("the user denied the authorization{}", description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    AccessDenied {
        /// `error_description`, when given.
        description: Option<String>,
    },
    /// The authorization server answered with another `error` code.
    #[error("authorization failed with {code}{}", description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    Authorization {
        /// The `error` code.
        code: String,
        /// `error_description`, when given.
        description: Option<String>,
    },
    /// The callback's `state` is missing, or matches no authorization this session started: a
    /// possible cross-site request forgery. Nothing is exchanged.
    #[error(
        "the callback's state does not match an authorization this session started (possible CSRF)"
    )]
    StateMismatch,
    /// The callback has neither a code (or token) nor an error.
    #[error("the callback carries no {0}")]
    Missing(&'static str),
    /// The callback has both a code (or token) and an error.
    #[error("the callback carries both a result and an error")]
    Ambiguous,
    /// The callback is not a URL.
    #[error("the callback is not a valid URL: {0}")]
    InvalidCallback(String),
    /// The callback is longer than [`MAX_CALLBACK_LEN`].
    #[error("the callback URL is longer than {limit} bytes")]
    CallbackTooLong {
        /// The limit.
        limit: usize,
    },
    /// The implicit grant's fragment does not describe a token.
    #[error("the callback's token is malformed: {0}")]
    InvalidToken(String),
    /// The redirect URI breaks Spotify's rules.
    #[error("redirect URI {uri:?} is refused: {reason}")]
    InvalidRedirectUri {
        /// The URI given.
        uri: String,
        /// Why, and what to use instead.
        reason: &'static str,
    },
    /// The session's flow does not authorize users (client credentials), or is not this kind.
    #[error("this session's flow has no {0} step")]
    WrongFlow(&'static str),
    /// The credentials lack something this flow needs.
    #[error("the credentials lack a {0}")]
    MissingCredential(&'static str),
    /// The code exchange at the token endpoint failed.
    #[error("exchanging the authorization code failed: {0}")]
    Exchange(std::sync::Arc<OAuthError>),
}

impl AuthorizationError {
    /// The user refused.
    pub fn is_access_denied(&self) -> bool {
        matches!(self, Self::AccessDenied { .. })
    }

    /// The state check failed.
    pub fn is_state_mismatch(&self) -> bool {
        matches!(self, Self::StateMismatch)
    }
}

/// A redirect URI that Spotify accepts since 2025-11-27: HTTPS, or plain HTTP on the loopback IP
/// literals `127.0.0.1` and `[::1]` (with any port). `localhost` is refused.
#[derive(Clone, PartialEq, Eq)]
pub struct RedirectUri(Url);

impl RedirectUri {
    /// Checks `uri` against the rules; the error says why and what to use instead.
    pub fn parse(uri: &str) -> Result<Self, AuthorizationError> {
        let refuse = |reason| AuthorizationError::InvalidRedirectUri {
            uri: uri.to_owned(),
            reason,
        };
        let url = Url::parse(uri).map_err(|_| refuse("it is not an absolute URL"))?;
        if url.fragment().is_some() {
            return Err(refuse("a redirect URI may not have a #fragment"));
        }
        match (url.scheme(), url.host()) {
            (_, Some(Host::Domain(name))) if name.eq_ignore_ascii_case("localhost") => Err(refuse(
                "Spotify refuses `localhost` since 2025-11-27; use http://127.0.0.1:PORT/… or http://[::1]:PORT/…",
            )),
            ("https", Some(_)) => Ok(Self(url)),
            ("http", Some(Host::Ipv4(ip))) if ip.is_loopback() && ip.octets() == [127, 0, 0, 1] => {
                Ok(Self(url))
            }
            ("http", Some(Host::Ipv6(ip))) if ip.is_loopback() => Ok(Self(url)),
            ("http", _) => Err(refuse(
                "plain HTTP is allowed only on the loopback literals 127.0.0.1 and [::1]; use https",
            )),
            _ => Err(refuse("use https, or http://127.0.0.1:PORT / http://[::1]:PORT")),
        }
    }

    /// The URI as sent to Spotify.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The URI as a URL.
    pub fn url(&self) -> &Url {
        &self.0
    }
}

impl fmt::Debug for RedirectUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RedirectUri({})", self.0)
    }
}

impl fmt::Display for RedirectUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

fn random_urlsafe(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    // rand's thread RNG is a CSPRNG (ChaCha, seeded from the OS).
    rand::rng().fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

impl CsrfState {
    /// A fresh state: 256 bits from a CSPRNG, URL-safe.
    pub fn random() -> Self {
        Self::new(random_urlsafe(32))
    }

    /// Compares with a received value in time independent of where they differ.
    pub fn matches(&self, received: &str) -> bool {
        constant_time_eq(self.secret().as_bytes(), received.as_bytes())
    }
}

impl PkceVerifier {
    /// A fresh verifier: 64 random bytes, 86 URL-safe characters (RFC 7636 allows 43–128).
    pub fn random() -> Self {
        Self::new(random_urlsafe(64))
    }

    /// The S256 challenge: `BASE64URL(SHA256(verifier))`.
    pub fn challenge_s256(&self) -> String {
        URL_SAFE_NO_PAD.encode(Sha256::digest(self.secret().as_bytes()))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `response_type` of the authorization request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResponseType {
    /// The code flows (with a secret, or PKCE).
    Code,
    /// The legacy implicit grant: the token comes back in the URL fragment.
    Token,
}

/// The parameters of one `/authorize` URL.
#[derive(Clone, Debug)]
pub struct AuthorizationRequest<'a> {
    /// The app's client id.
    pub client_id: &'a str,
    /// Where Spotify sends the user back.
    pub redirect_uri: &'a RedirectUri,
    /// The scopes asked for.
    pub scope: &'a Scope,
    /// Code or token.
    pub response_type: ResponseType,
    /// The CSRF state.
    pub state: &'a CsrfState,
    /// The PKCE verifier whose S256 challenge goes into the URL.
    pub pkce: Option<&'a PkceVerifier>,
    /// Ask Spotify to show the consent dialog even if the user approved before.
    pub show_dialog: bool,
    /// More query parameters.
    pub extra: &'a [(String, String)],
}

/// Builds the `/authorize` URL.
pub fn authorization_url(endpoints: &Endpoints, request: &AuthorizationRequest<'_>) -> Url {
    let mut url = endpoints.authorize_url();
    {
        let mut query = url.query_pairs_mut();
        query
            .append_pair("client_id", request.client_id)
            .append_pair(
                "response_type",
                match request.response_type {
                    ResponseType::Code => "code",
                    ResponseType::Token => "token",
                },
            )
            .append_pair("redirect_uri", request.redirect_uri.as_str())
            .append_pair("state", request.state.secret());
        if !request.scope.is_empty() {
            query.append_pair("scope", &request.scope.to_string());
        }
        if request.show_dialog {
            query.append_pair("show_dialog", "true");
        }
        if let Some(verifier) = request.pkce {
            query
                .append_pair("code_challenge_method", "S256")
                .append_pair("code_challenge", &verifier.challenge_s256());
        }
        for (key, value) in request.extra {
            query.append_pair(key, value);
        }
    }
    url
}

/// The parameters a callback carries, before any check.
#[derive(Clone, PartialEq, Eq)]
pub struct CallbackParams {
    pairs: Vec<(String, String)>,
}

impl fmt::Debug for CallbackParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Names only: the values are codes, tokens and states.
        f.debug_list()
            .entries(self.pairs.iter().map(|(k, _)| k))
            .finish()
    }
}

impl CallbackParams {
    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn error(&self) -> Option<AuthorizationError> {
        let code = self.get("error")?;
        let description = self.get("error_description").map(str::to_owned);
        Some(if code == "access_denied" {
            AuthorizationError::AccessDenied { description }
        } else {
            AuthorizationError::Authorization {
                code: code.to_owned(),
                description,
            }
        })
    }
}

/// Parses a callback URL; a path with a query (`/callback?code=…`) is read against
/// `redirect_uri`. `fragment` picks the implicit grant's `#…` part instead of the query.
pub fn parse_callback(
    callback: &str,
    redirect_uri: &RedirectUri,
    fragment: bool,
) -> Result<CallbackParams, AuthorizationError> {
    if callback.len() > MAX_CALLBACK_LEN {
        return Err(AuthorizationError::CallbackTooLong {
            limit: MAX_CALLBACK_LEN,
        });
    }
    let url = Url::parse(callback)
        .or_else(|_| redirect_uri.url().join(callback))
        .map_err(|err| AuthorizationError::InvalidCallback(err.to_string()))?;
    let part = if fragment {
        url.fragment()
    } else {
        url.query()
    };
    let mut pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(part.unwrap_or("").as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
    if fragment {
        // A refusal of the implicit grant comes back in the query.
        pairs.extend(
            url.query_pairs()
                .filter(|(k, _)| k == "error" || k == "error_description" || k == "state")
                .map(|(k, v)| (k.into_owned(), v.into_owned())),
        );
    }
    Ok(CallbackParams { pairs })
}

/// Which of `pending` states the callback's `state` matches, checked in constant time per state.
pub fn match_state<'a, T>(
    params: &CallbackParams,
    pending: impl IntoIterator<Item = (&'a CsrfState, T)>,
) -> Result<T, AuthorizationError> {
    let received = params
        .get("state")
        .ok_or(AuthorizationError::StateMismatch)?;
    let mut found = None;
    for (state, item) in pending {
        if state.matches(received) && found.is_none() {
            found = Some(item);
        }
    }
    found.ok_or(AuthorizationError::StateMismatch)
}

/// The code of a code-flow callback whose state was already matched.
pub fn code_from(params: &CallbackParams) -> Result<AuthorizationCode, AuthorizationError> {
    match (params.get("code"), params.error()) {
        (Some(_), Some(_)) => Err(AuthorizationError::Ambiguous),
        (None, Some(error)) => Err(error),
        (Some(code), None) if !code.is_empty() => Ok(AuthorizationCode::new(code)),
        _ => Err(AuthorizationError::Missing("code")),
    }
}

/// The token of an implicit-grant callback whose state was already matched; `expires_at` is
/// pinned at `received_at`.
pub fn token_from(
    params: &CallbackParams,
    received_at: f64,
) -> Result<OAuth2Token, AuthorizationError> {
    match (params.get("access_token"), params.error()) {
        (Some(_), Some(_)) => return Err(AuthorizationError::Ambiguous),
        (None, Some(error)) => return Err(error),
        (None, None) => return Err(AuthorizationError::Missing("access_token")),
        (Some(_), None) => {}
    }
    let object: serde_json::Map<String, serde_json::Value> = params
        .pairs
        .iter()
        .filter(|(k, _)| matches!(k.as_str(), "access_token" | "token_type" | "scope"))
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .chain(params.get("expires_in").map(|v| {
            let number = v.parse::<f64>().map_or(serde_json::Value::Null, |n| {
                serde_json::Number::from_f64(n).map_or(serde_json::Value::Null, Into::into)
            });
            ("expires_in".to_owned(), number)
        }))
        .collect();
    let invalid = |err: TokenFormatError| AuthorizationError::InvalidToken(err.to_string());
    let fields: TokenFields =
        serde_json::from_value(serde_json::Value::Object(object)).map_err(|e| invalid(e.into()))?;
    fields.into_token(received_at).map_err(invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loopback() -> RedirectUri {
        RedirectUri::parse("http://127.0.0.1:8888/callback").expect("loopback is allowed")
    }

    #[test]
    fn redirect_uri_rules_of_2025() {
        for ok in [
            "https://app.example/cb",
            "http://127.0.0.1:8888/callback",
            "http://127.0.0.1/callback",
            "http://[::1]:9000/cb",
        ] {
            assert!(RedirectUri::parse(ok).is_ok(), "{ok}");
        }
        for (bad, says) in [
            ("http://localhost:8888/callback", "127.0.0.1"),
            ("https://localhost/cb", "localhost"),
            ("http://example.com/cb", "loopback"),
            ("http://127.0.0.2:80/cb", "loopback"),
            ("myapp://callback", "https"),
            ("not a url", "absolute"),
            ("https://app.example/cb#frag", "fragment"),
        ] {
            let err = RedirectUri::parse(bad).expect_err(bad);
            assert!(err.to_string().contains(says), "{bad}: {err}");
        }
    }

    #[test]
    fn state_and_verifier_are_random_and_long_enough() {
        let a = CsrfState::random();
        let b = CsrfState::random();
        assert_ne!(a, b);
        assert!(a.secret().len() >= 22, "≥128 bits");
        assert!(a.matches(a.secret()) && !a.matches(b.secret()) && !a.matches(""));
        let verifier = PkceVerifier::random();
        assert!((43..=128).contains(&verifier.secret().len()));
        // RFC 7636 appendix B.
        let rfc = PkceVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(
            rfc.challenge_s256(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn authorization_url_carries_every_parameter() {
        let endpoints = Endpoints::spotify();
        let state = CsrfState::new("st");
        let verifier = PkceVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        let scope = Scope::parse("user-read-email playlist-read-private user-read-email");
        let extra = [("locale".to_owned(), "de".to_owned())];
        let url = authorization_url(
            &endpoints,
            &AuthorizationRequest {
                client_id: "cid",
                redirect_uri: &loopback(),
                scope: &scope,
                response_type: ResponseType::Code,
                state: &state,
                pkce: Some(&verifier),
                show_dialog: true,
                extra: &extra,
            },
        );
        let get = |k: &str| {
            url.query_pairs()
                .find(|(name, _)| name == k)
                .map(|(_, v)| v.into_owned())
        };
        assert!(url
            .as_str()
            .starts_with("https://accounts.spotify.com/authorize?"));
        assert_eq!(get("client_id").as_deref(), Some("cid"));
        assert_eq!(get("response_type").as_deref(), Some("code"));
        assert_eq!(
            get("redirect_uri").as_deref(),
            Some("http://127.0.0.1:8888/callback")
        );
        assert_eq!(get("state").as_deref(), Some("st"));
        assert_eq!(
            get("scope").as_deref(),
            Some("playlist-read-private user-read-email")
        );
        assert_eq!(get("show_dialog").as_deref(), Some("true"));
        assert_eq!(get("code_challenge_method").as_deref(), Some("S256"));
        assert_eq!(
            get("code_challenge").as_deref(),
            Some("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        );
        assert_eq!(get("locale").as_deref(), Some("de"));
    }

    fn params(callback: &str) -> Result<CallbackParams, AuthorizationError> {
        parse_callback(callback, &loopback(), false)
    }

    #[test]
    fn code_callbacks_give_typed_errors() {
        let state = CsrfState::new("good");
        let pending = || [(&state, 7)];
        let ok = params("http://127.0.0.1:8888/callback?code=C&state=good").expect("parses");
        assert_eq!(match_state(&ok, pending()).expect("matches"), 7);
        assert_eq!(code_from(&ok).expect("code").secret(), "C");
        let relative = params("/callback?code=C&state=good").expect("relative to the redirect");
        assert_eq!(code_from(&relative).expect("code").secret(), "C");

        let wrong = params("http://127.0.0.1:8888/callback?code=C&state=evil").expect("parses");
        assert!(match_state(&wrong, pending())
            .expect_err("wrong")
            .is_state_mismatch());
        let missing = params("http://127.0.0.1:8888/callback?code=C").expect("parses");
        assert!(match_state(&missing, pending())
            .expect_err("no state")
            .is_state_mismatch());

        let denied =
            params("http://127.0.0.1:8888/callback?error=access_denied&state=good").expect("p");
        assert!(code_from(&denied).expect_err("denied").is_access_denied());
        let other = params("/callback?error=server_error&error_description=oops&state=good")
            .expect("parses");
        assert!(matches!(
            code_from(&other),
            Err(AuthorizationError::Authorization { code, .. }) if code == "server_error"
        ));
        let both = params("/callback?code=C&error=access_denied&state=good").expect("parses");
        assert!(matches!(
            code_from(&both),
            Err(AuthorizationError::Ambiguous)
        ));
        let neither = params("/callback?state=good").expect("parses");
        assert!(matches!(
            code_from(&neither),
            Err(AuthorizationError::Missing("code"))
        ));
        let empty = params("/callback?code=&state=good").expect("parses");
        assert!(matches!(
            code_from(&empty),
            Err(AuthorizationError::Missing("code"))
        ));

        let huge = format!(
            "http://127.0.0.1:8888/callback?code={}",
            "x".repeat(1 << 20)
        );
        assert!(matches!(
            params(&huge),
            Err(AuthorizationError::CallbackTooLong { .. })
        ));
        assert!(matches!(
            parse_callback("http://[::1", &loopback(), false),
            Err(AuthorizationError::InvalidCallback(_))
        ));
        let debug = format!("{ok:?}");
        assert!(!debug.contains("good") && !debug.contains("=C"), "{debug}");
    }

    #[test]
    fn implicit_callbacks_read_the_fragment() {
        let redirect = loopback();
        let fragment = |cb: &str| parse_callback(cb, &redirect, true).expect("parses");
        let ok = fragment(
            "http://127.0.0.1:8888/callback#access_token=AT&token_type=Bearer&expires_in=3600&state=s",
        );
        let token = token_from(&ok, 100.0).expect("token");
        assert_eq!(token.access_token.secret(), "AT");
        assert_eq!(token.expires_at, 3700.0);
        assert!(token.refresh_token.is_none());
        let denied = fragment("http://127.0.0.1:8888/callback?error=access_denied&state=s");
        assert!(token_from(&denied, 0.0)
            .expect_err("denied")
            .is_access_denied());
        assert_eq!(denied.get("state"), Some("s"));
        let bad = fragment("http://127.0.0.1:8888/callback#access_token=AT&expires_in=soon");
        assert!(matches!(
            token_from(&bad, 0.0),
            Err(AuthorizationError::InvalidToken(_))
        ));
        let none = fragment("http://127.0.0.1:8888/callback#state=s");
        assert!(matches!(
            token_from(&none, 0.0),
            Err(AuthorizationError::Missing("access_token"))
        ));
    }
}
