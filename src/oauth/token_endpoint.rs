//! `POST /api/token`: one request per [`Grant`], one typed answer.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::Deserialize;
use url::Url;

use super::error::{OAuthError, OAuthErrorCode};
use crate::clock::Clock;
use crate::config::{Credentials, Endpoints, Policy};
use crate::http::{self, BodyError, RawBody};
use crate::secret::{redact_quoted, AuthorizationCode, PkceVerifier, RefreshToken};
use crate::token::{OAuth2Token, TokenFields};

/// What to exchange for a token.
#[derive(Clone, Debug)]
pub enum Grant {
    /// The app's own token (no user): `grant_type=client_credentials`.
    ClientCredentials,
    /// Renew with a refresh token: `grant_type=refresh_token`.
    RefreshToken(RefreshToken),
    /// Exchange an authorization code, with the PKCE verifier for public clients:
    /// `grant_type=authorization_code`.
    AuthorizationCode {
        /// The code from the callback.
        code: AuthorizationCode,
        /// The same redirect URI the authorization used.
        redirect_uri: String,
        /// The PKCE verifier, for PKCE flows.
        verifier: Option<PkceVerifier>,
    },
}

impl Grant {
    /// The `grant_type` value.
    pub fn grant_type(&self) -> &'static str {
        match self {
            Self::ClientCredentials => "client_credentials",
            Self::RefreshToken(_) => "refresh_token",
            Self::AuthorizationCode { .. } => "authorization_code",
        }
    }

    fn form(&self) -> Vec<(&'static str, String)> {
        let mut form = vec![("grant_type", self.grant_type().to_owned())];
        match self {
            Self::ClientCredentials => {}
            Self::RefreshToken(token) => form.push(("refresh_token", token.secret().to_owned())),
            Self::AuthorizationCode {
                code,
                redirect_uri,
                verifier,
            } => {
                form.push(("code", code.secret().to_owned()));
                form.push(("redirect_uri", redirect_uri.clone()));
                if let Some(verifier) = verifier {
                    form.push(("code_verifier", verifier.secret().to_owned()));
                }
            }
        }
        form
    }
}

/// A client of the token endpoint. Cheap to clone (the HTTP client is shared).
#[derive(Clone, Debug)]
pub struct TokenClient {
    http: reqwest::Client,
    token_url: Url,
    max_body: usize,
}

/// The RFC 6749 error object.
#[derive(Deserialize)]
struct ErrorBody {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

impl TokenClient {
    /// A token client over a shared HTTP client (see [`http::build_client`]).
    pub fn new(http: reqwest::Client, endpoints: &Endpoints, policy: &Policy) -> Self {
        Self {
            http,
            token_url: endpoints.token_url(),
            max_body: policy.max_token_body,
        }
    }

    /// The URL it posts to.
    pub fn token_url(&self) -> &Url {
        &self.token_url
    }

    /// Asks for a token. Confidential clients authenticate with Basic; public clients (no
    /// secret) send `client_id` in the body, as PKCE requires. `expires_at` is pinned with
    /// `clock` at receipt.
    pub async fn request_token(
        &self,
        credentials: &Credentials,
        grant: &Grant,
        clock: &dyn Clock,
    ) -> Result<OAuth2Token, OAuthError> {
        let mut form = grant.form();
        let mut request = self.http.post(self.token_url.clone());
        match &credentials.client_secret {
            Some(secret) => {
                let basic =
                    STANDARD.encode(format!("{}:{}", credentials.client_id, secret.secret()));
                request = request.header(reqwest::header::AUTHORIZATION, format!("Basic {basic}"));
            }
            None => form.push(("client_id", credentials.client_id.clone())),
        }
        let mut response = request
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&form)
            .send()
            .await
            .map_err(transport_error)?;
        let status = response.status();
        if status.is_redirection() {
            let location =
                http::header_text(response.headers(), reqwest::header::LOCATION).map(str::to_owned);
            return Err(OAuthError::Redirect {
                status: status.as_u16(),
                location,
            });
        }
        if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            return Err(OAuthError::RateLimited {
                retry_after: http::retry_after(response.headers()),
            });
        }
        let content_type = http::content_type(response.headers());
        let bytes = http::read_capped(&mut response, self.max_body)
            .await
            .map_err(|err| match err {
                BodyError::TooLarge => OAuthError::BodyTooLarge {
                    limit: self.max_body,
                },
                BodyError::Transport(err) => transport_error(err),
            })?;
        let received_at = clock.now();
        let parse_error = |reason: String, bytes| OAuthError::Parse {
            status: status.as_u16(),
            body: RawBody::new(bytes, content_type.clone()),
            reason,
        };
        if status.is_success() {
            let fields: TokenFields = serde_json::from_slice(&bytes)
                .map_err(|err| parse_error(redact_quoted(&err.to_string()), bytes.clone()))?;
            return fields
                .into_token(received_at)
                .map_err(|err| parse_error(err.to_string(), bytes));
        }
        match serde_json::from_slice::<ErrorBody>(&bytes) {
            Ok(body) => Err(OAuthError::Server {
                status: status.as_u16(),
                code: OAuthErrorCode::parse(&body.error),
                description: body.error_description,
            }),
            Err(err) => Err(parse_error(redact_quoted(&err.to_string()), bytes)),
        }
    }
}

fn transport_error(err: reqwest::Error) -> OAuthError {
    if err.is_timeout() {
        OAuthError::Timeout
    } else {
        OAuthError::Transport(err)
    }
}
