//! Requests to the Web API as values: [`ApiRequest`] (the message a session answers) and
//! [`ApiResponse`], plus the one function that puts a request on the wire.
//!
//! A request names its target as a Web API path (`/v1/me`) or a full URL (a paging `next`
//! link). The Bearer token is only ever attached to URLs under the configured Web API base, so a
//! URL from elsewhere can never make a session leak its token.

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use url::Url;

use crate::config::Endpoints;
use crate::error::{ApiError, SessionError};
use crate::http::{self, BodyError, RawBody};
use crate::secret::AccessToken;

/// Where a request goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A path under the Web API base, such as `/v1/me`.
    Path(String),
    /// A full URL (it must be under the Web API base unless the token is withheld).
    Url(Url),
}

/// A request to the Web API, sent to a session actor as a message (S2).
#[derive(Clone, Debug)]
pub struct ApiRequest {
    /// The HTTP method.
    pub method: Method,
    /// Path or URL.
    pub target: Target,
    /// Query parameters, appended to the URL.
    pub query: Vec<(String, String)>,
    /// Extra headers. An `Authorization` header here is replaced by the session's token.
    pub headers: HeaderMap,
    /// The body and its content type.
    pub body: Option<(Bytes, String)>,
    /// Send without the token, and do not renew for this request (the seed's `withhold_token`).
    pub withhold_token: bool,
}

impl ApiRequest {
    /// A request with `method` to a Web API path (`/v1/...`) or, if it parses as an absolute
    /// URL, to that URL.
    pub fn new(method: Method, path_or_url: &str) -> Self {
        let target = match Url::parse(path_or_url) {
            Ok(url) => Target::Url(url),
            Err(_) => Target::Path(path_or_url.to_owned()),
        };
        Self {
            method,
            target,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            withhold_token: false,
        }
    }

    /// `GET path_or_url`.
    pub fn get(path_or_url: &str) -> Self {
        Self::new(Method::GET, path_or_url)
    }

    /// `POST path_or_url`.
    pub fn post(path_or_url: &str) -> Self {
        Self::new(Method::POST, path_or_url)
    }

    /// `PUT path_or_url`.
    pub fn put(path_or_url: &str) -> Self {
        Self::new(Method::PUT, path_or_url)
    }

    /// `DELETE path_or_url`.
    pub fn delete(path_or_url: &str) -> Self {
        Self::new(Method::DELETE, path_or_url)
    }

    /// Adds a query parameter.
    pub fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }

    /// Adds a header; an invalid name or value is an error rather than a silent drop.
    pub fn header(mut self, name: &str, value: &str) -> Result<Self, SessionError> {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| SessionError::InvalidRequest(format!("invalid header name {name:?}")))?;
        let value = HeaderValue::from_str(value).map_err(|_| {
            SessionError::InvalidRequest(format!("invalid value for header {name}"))
        })?;
        self.headers.insert(name, value);
        Ok(self)
    }

    /// Sets a JSON body.
    pub fn json<T: serde::Serialize + ?Sized>(mut self, body: &T) -> Result<Self, SessionError> {
        let bytes = serde_json::to_vec(body)
            .map_err(|err| SessionError::InvalidRequest(format!("body is not JSON: {err}")))?;
        self.body = Some((Bytes::from(bytes), "application/json".to_owned()));
        Ok(self)
    }

    /// Sets a raw body with its content type.
    pub fn body(mut self, bytes: impl Into<Bytes>, content_type: impl Into<String>) -> Self {
        self.body = Some((bytes.into(), content_type.into()));
        self
    }

    /// Sends this request without the token.
    pub fn withhold_token(mut self) -> Self {
        self.withhold_token = true;
        self
    }

    /// Resolves the target against the Web API base and checks that a token may go there.
    pub(crate) fn url(&self, endpoints: &Endpoints) -> Result<Url, SessionError> {
        let url = match &self.target {
            Target::Path(path) => endpoints
                .api_url(path)
                .map_err(|err| SessionError::InvalidRequest(format!("bad path {path:?}: {err}")))?,
            Target::Url(url) => url.clone(),
        };
        let api = endpoints.api();
        let same_origin = url.scheme() == api.scheme()
            && url.host_str() == api.host_str()
            && url.port_or_known_default() == api.port_or_known_default()
            && url.path().starts_with(api.path().trim_end_matches('/'));
        if !self.withhold_token && !same_origin {
            return Err(SessionError::InvalidRequest(format!(
                "{url} is not under the Web API base {api}; the token is only sent there"
            )));
        }
        Ok(url)
    }
}

impl actix::Message for ApiRequest {
    type Result = Result<ApiResponse, SessionError>;
}

/// A Web API response: status, headers and the whole body (read up to the policy's cap).
#[derive(Clone, Debug)]
pub struct ApiResponse {
    /// HTTP status.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

impl ApiResponse {
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        self.status.is_success()
    }

    /// The body as text (lossy UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Parses the body as JSON; a failure keeps the raw body.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, SessionError> {
        serde_json::from_slice(&self.body).map_err(|err| SessionError::Decode {
            status: self.status.as_u16(),
            body: RawBody::new(self.body.clone(), self.content_type()),
            reason: crate::secret::redact_quoted(&err.to_string()),
        })
    }

    /// This response if it is 2xx; otherwise Spotify's error object as a typed error (with the
    /// `Retry-After` of a 429).
    pub fn error_for_status(self) -> Result<Self, SessionError> {
        if self.status.is_success() {
            return Ok(self);
        }
        #[derive(Deserialize)]
        struct Envelope {
            error: Inner,
        }
        #[derive(Deserialize)]
        struct Inner {
            #[serde(default)]
            message: Option<String>,
            #[serde(default)]
            reason: Option<String>,
        }
        let parsed = serde_json::from_slice::<Envelope>(&self.body).ok();
        Err(SessionError::Api(ApiError {
            status: self.status.as_u16(),
            message: parsed.as_ref().and_then(|e| e.error.message.clone()),
            reason: parsed.and_then(|e| e.error.reason),
            retry_after: http::retry_after(&self.headers),
        }))
    }

    fn content_type(&self) -> Option<String> {
        http::content_type(&self.headers)
    }
}

/// Puts a request on the wire with `token` as its Bearer credential (none when `None`).
pub(crate) async fn dispatch(
    http: &reqwest::Client,
    endpoints: &Endpoints,
    max_body: usize,
    request: ApiRequest,
    token: Option<&AccessToken>,
) -> Result<ApiResponse, SessionError> {
    let url = request.url(endpoints)?;
    let mut builder = http.request(request.method, url).headers(request.headers);
    if !request.query.is_empty() {
        builder = builder.query(&request.query);
    }
    if let Some((bytes, content_type)) = request.body {
        builder = builder.header(CONTENT_TYPE, content_type).body(bytes);
    }
    if let Some(token) = token.filter(|_| !request.withhold_token) {
        builder = builder.header(AUTHORIZATION, format!("Bearer {}", token.secret()));
    }
    let mut response = builder.send().await.map_err(SessionError::transport)?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = http::read_capped(&mut response, max_body)
        .await
        .map_err(|err| match err {
            BodyError::TooLarge => SessionError::BodyTooLarge { limit: max_body },
            BodyError::Transport(err) => SessionError::transport(err),
        })?;
    Ok(ApiResponse {
        status,
        headers,
        body,
    })
}
