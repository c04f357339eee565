//! [`Spotify`], the typed Web API client, and the one code path every typed method goes through.
//!
//! A client is a [`SessionHandle`] plus a [`ClientPolicy`]: cloning it is two `Arc` bumps, and
//! its requests take the handle's path (straight out on the caller's task while the token is
//! fresh, through the session actor otherwise), so the typed layer adds no actor hop.
//!
//! Each method names its catalogue operation and fills in a [`Call`]; [`Call`] then does what
//! every operation needs: the scope check before sending, and the 401 / 429 / 5xx handling of
//! [`retry`](super::retry) around the send. The group files under `endpoints/` are therefore
//! one short method per operation.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures::stream::{BoxStream, StreamExt as _};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::catalogue::Operation;
use super::error::WebApiError;
use super::ids::{ItemType, SpotifyId, SpotifyUri};
use super::paging::{PageLimit, Paged};
use super::retry::{decide, Attempts, Outcome, Step};
use crate::actors::SessionHandle;
use crate::error::SessionError;
use crate::request::{ApiRequest, ApiResponse};

/// How the client handles scopes, refused tokens, rate limits and server errors.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientPolicy {
    /// Check the session's scope against the catalogue before sending, and fail with
    /// [`WebApiError::InsufficientScope`] instead of a 403. Default on; turn it off for a token
    /// whose scope is not known (an external token stored without one).
    pub check_scopes: bool,
    /// After a 401 on a session that can renew by itself: renew once and retry once. Default on.
    pub renew_on_unauthorized: bool,
    /// Retries of an idempotent call (GET, PUT, DELETE) after a 5xx, a timeout or a broken
    /// connection. `POST` is never retried. Default 2.
    pub max_retries: u32,
    /// First backoff delay; doubles per retry, with jitter. Default 200 ms.
    pub retry_base_delay: Duration,
    /// Cap of one backoff delay. Default 2 s.
    pub retry_max_delay: Duration,
    /// The most one call sleeps in total on 429s before it fails with
    /// [`WebApiError::RateLimited`]. Default zero: never wait, hand the `retry_after` to the
    /// caller. Waiting is bounded by design: a long `Retry-After` fails at once.
    pub max_rate_limit_wait: Duration,
}

impl Default for ClientPolicy {
    fn default() -> Self {
        Self {
            check_scopes: true,
            renew_on_unauthorized: true,
            max_retries: 2,
            retry_base_delay: Duration::from_millis(200),
            retry_max_delay: Duration::from_secs(2),
            max_rate_limit_wait: Duration::ZERO,
        }
    }
}

/// The typed Web API client over one session: one async method per operation of Spotify's
/// catalogue, grouped as the catalogue groups them (see [`endpoints`](super::endpoints)).
///
/// Cheap to clone and `Send + Sync`: share it between tasks, actors and request handlers.
///
/// ```no_run
/// # async fn run(session: spotipie::SessionHandle) -> Result<(), spotipie::api::WebApiError> {
/// use spotipie::api::{Spotify, SpotifyId, TrackId};
///
/// let spotify = Spotify::new(session);
/// let id = TrackId::parse("https://open.spotify.com/track/6rqhFgbbKwnb9MLmUQDhG6")?;
/// let track = spotify.get_track(&id, None).await?;
/// println!("{}", track.name);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Spotify {
    session: SessionHandle,
    policy: Arc<ClientPolicy>,
}

impl std::fmt::Debug for Spotify {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spotify")
            .field("session", self.session.id())
            .field("policy", &self.policy)
            .finish()
    }
}

impl Spotify {
    /// A client over `session` with the default [`ClientPolicy`].
    pub fn new(session: SessionHandle) -> Self {
        Self::with_policy(session, ClientPolicy::default())
    }

    /// A client over `session` with `policy`.
    pub fn with_policy(session: SessionHandle, policy: ClientPolicy) -> Self {
        Self {
            session,
            policy: Arc::new(policy),
        }
    }

    /// The session the client sends through.
    pub fn session(&self) -> &SessionHandle {
        &self.session
    }

    /// The client's policy.
    pub fn policy(&self) -> &ClientPolicy {
        &self.policy
    }

    /// Every item of a paged list, starting with `first` (a page a method returned) and
    /// following `next` links until the last page or `limit`. A failed page ends the stream
    /// with that error.
    ///
    /// ```no_run
    /// # async fn run(spotify: spotipie::api::Spotify) -> Result<(), spotipie::api::WebApiError> {
    /// use futures::TryStreamExt as _;
    /// use spotipie::api::PageLimit;
    ///
    /// let first = spotify.get_saved_tracks(None, Some(50), None).await?;
    /// let saved: Vec<_> = spotify.stream(first, PageLimit::items(500)).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn stream<P: Paged>(
        &self,
        first: P,
        limit: PageLimit,
    ) -> BoxStream<'static, Result<P::Item, WebApiError>> {
        let (items, next) = first.into_parts();
        let walk = Walk {
            client: self.clone(),
            buffer: items.into(),
            next,
            pages: 1,
            yielded: 0,
            limit,
        };
        futures::stream::unfold(walk, |walk| walk.step::<P>()).boxed()
    }

    /// Fetches one page by its `next` (or `previous`) URL.
    pub async fn page<P: Paged>(&self, url: &str) -> Result<P, WebApiError> {
        let request = ApiRequest::get(url);
        let response = self.execute(None, &[], request).await?;
        Ok(response.json()?)
    }

    /// Starts the call of catalogue operation `operation`.
    pub(crate) fn call(&self, operation: &'static str) -> Call<'_> {
        let op = Operation::find(operation);
        Call {
            client: self,
            error: op.is_none().then(|| {
                WebApiError::InvalidArgument(format!("{operation} is not in the catalogue"))
            }),
            path: op.map(|op| op.path.to_owned()).unwrap_or_default(),
            op,
            query: Vec::new(),
            body: None,
            uri_types: Vec::new(),
        }
    }

    /// Sends `request` for `op` (scope check, then the retry loop); a non-2xx answer becomes
    /// the matching error.
    async fn execute(
        &self,
        op: Option<&'static Operation>,
        uri_types: &[ItemType],
        request: ApiRequest,
    ) -> Result<ApiResponse, WebApiError> {
        if let (Some(op), true) = (op, self.policy.check_scopes) {
            if let Some(scope) = self.session.scope_snapshot() {
                let missing = op.missing_scopes(&scope, uri_types);
                if !missing.is_empty() {
                    return Err(WebApiError::InsufficientScope {
                        operation: op.id,
                        missing,
                    });
                }
            }
        }
        let idempotent = request.method != Method::POST;
        let refreshable = self.session.is_refreshable();
        let mut attempts = Attempts::default();
        loop {
            let seen = self.session.token_snapshot();
            let result = self.session.request(request.clone()).await;
            let outcome = match &result {
                Ok(response) => Outcome::Status {
                    status: response.status.as_u16(),
                    retry_after: crate::http::retry_after(&response.headers),
                },
                Err(SessionError::Transport(_) | SessionError::Timeout) => Outcome::Transport,
                Err(_) => Outcome::Other,
            };
            let step = decide(
                outcome,
                idempotent,
                refreshable,
                &self.policy,
                &mut attempts,
                rand::random(),
            );
            match step {
                Step::Return => return finish(result?, attempts.rate_limit_waited),
                Step::WaitRetryAfter(wait) => self.session.clock().sleep(wait).await,
                Step::Backoff(delay) => tokio::time::sleep(delay).await,
                Step::RenewAndRetry => {
                    tracing::debug!(session = %self.session.id(), "Web API refused the token; renewing once");
                    match seen {
                        Some(token) => self.session.renew_rejected(&token.access_token).await?,
                        None => self.session.renew().await?,
                    };
                }
            }
        }
    }
}

/// A 2xx response as is; an error status as [`WebApiError::RateLimited`] or
/// [`WebApiError::Http`] with Spotify's error object.
fn finish(response: ApiResponse, waited: Duration) -> Result<ApiResponse, WebApiError> {
    match response.error_for_status() {
        Ok(response) => Ok(response),
        Err(SessionError::Api(error)) if error.status == 429 => Err(WebApiError::RateLimited {
            retry_after: error.retry_after,
            waited,
            error,
        }),
        Err(error) => Err(error.into()),
    }
}

/// One call being put together by a typed method. Argument problems are kept until the call is
/// sent, so a method reads as one chain and still fails with a typed error, not a panic.
pub(crate) struct Call<'a> {
    client: &'a Spotify,
    op: Option<&'static Operation>,
    path: String,
    query: Vec<(String, String)>,
    body: Option<(Bytes, &'static str)>,
    uri_types: Vec<ItemType>,
    error: Option<WebApiError>,
}

impl Call<'_> {
    /// Fills the path template's `{...}` placeholders in order, each value percent-encoded as
    /// one path segment.
    pub(crate) fn path(mut self, values: &[&str]) -> Self {
        for value in values {
            let (Some(start), Some(len)) = (self.path.find('{'), self.path.find('}')) else {
                return self.invalid("more path values than placeholders".to_owned());
            };
            if value.is_empty() {
                return self.invalid("an empty path value".to_owned());
            }
            let encoded: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
            self.path
                .replace_range(start..=len, &encoded.replace('+', "%20"));
        }
        self
    }

    /// Adds a query parameter.
    pub(crate) fn query(mut self, key: &str, value: impl ToString) -> Self {
        self.query.push((key.to_owned(), value.to_string()));
        self
    }

    /// Adds a query parameter when there is a value.
    pub(crate) fn query_opt(self, key: &str, value: Option<impl ToString>) -> Self {
        match value {
            Some(value) => self.query(key, value),
            None => self,
        }
    }

    /// Adds `market`, an ISO 3166-1 alpha-2 code such as `DE` (checked here: Spotify would
    /// answer a typo with a 400 far from where it was made).
    pub(crate) fn market(self, market: Option<&str>) -> Self {
        match market {
            Some(code) if !(code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())) => {
                self.invalid(format!("market {code:?} is not an ISO 3166-1 alpha-2 code"))
            }
            _ => self.query_opt("market", market),
        }
    }

    /// Adds `limit` (checked against the operation's `1..=max`) and `offset`.
    pub(crate) fn page(self, limit: Option<u32>, offset: Option<u32>, max: u32) -> Self {
        self.check(limit.is_none_or(|n| (1..=max).contains(&n)), || {
            format!("limit must be between 1 and {max}")
        })
        .query_opt("limit", limit)
        .query_opt("offset", offset)
    }

    /// Adds `key=id1,id2,...`, refusing an empty list or more than `max` ids (Spotify's limit
    /// for the operation).
    pub(crate) fn ids<I: SpotifyId>(self, key: &str, ids: &[I], max: usize) -> Self {
        if ids.is_empty() || ids.len() > max {
            let n = ids.len();
            return self.invalid(format!("{key}: between 1 and {max} ids, got {n}"));
        }
        let joined = ids.iter().map(SpotifyId::id).collect::<Vec<_>>().join(",");
        self.query(key, joined)
    }

    /// Adds `key=uri1,uri2,...` (at most `max`), and notes their kinds for the scope check.
    pub(crate) fn uris(mut self, key: &str, uris: &[SpotifyUri], max: usize) -> Self {
        if uris.is_empty() || uris.len() > max {
            let n = uris.len();
            return self.invalid(format!("{key}: between 1 and {max} URIs, got {n}"));
        }
        self.uri_types.extend(uris.iter().map(SpotifyUri::kind));
        let joined = uris
            .iter()
            .map(SpotifyUri::uri)
            .collect::<Vec<_>>()
            .join(",");
        self.query(key, joined)
    }

    /// Sets a JSON body.
    pub(crate) fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some((Bytes::from(bytes), "application/json")),
            Err(err) => return self.invalid(format!("body is not JSON: {err}")),
        }
        self
    }

    /// Sets a raw body with its content type.
    pub(crate) fn raw_body(mut self, bytes: Bytes, content_type: &'static str) -> Self {
        self.body = Some((bytes, content_type));
        self
    }

    /// Fails the call with [`WebApiError::InvalidArgument`] when it is sent (the first problem
    /// found wins).
    pub(crate) fn invalid(mut self, message: String) -> Self {
        self.error
            .get_or_insert(WebApiError::InvalidArgument(message));
        self
    }

    /// Fails the call when `ok` is false.
    pub(crate) fn check(self, ok: bool, message: impl FnOnce() -> String) -> Self {
        if ok {
            self
        } else {
            self.invalid(message())
        }
    }

    /// Sends the call and returns the raw 2xx response.
    pub(crate) async fn send(self) -> Result<ApiResponse, WebApiError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let Some(op) = self.op else {
            return Err(WebApiError::InvalidArgument("no operation".to_owned()));
        };
        let mut request = ApiRequest::new(op.method.clone(), &self.path);
        request.query = self.query;
        if let Some((bytes, content_type)) = self.body {
            request = request.body(bytes, content_type);
        }
        self.client
            .execute(Some(op), &self.uri_types, request)
            .await
    }

    /// Sends the call and parses the JSON answer.
    pub(crate) async fn fetch<T: DeserializeOwned>(self) -> Result<T, WebApiError> {
        Ok(self.send().await?.json()?)
    }

    /// Sends the call; `None` for a 204 (nothing playing), the parsed answer otherwise.
    pub(crate) async fn fetch_optional<T: DeserializeOwned>(
        self,
    ) -> Result<Option<T>, WebApiError> {
        let response = self.send().await?;
        if response.status.as_u16() == 204 || response.body.is_empty() {
            return Ok(None);
        }
        Ok(Some(response.json()?))
    }

    /// Sends the call and ignores the (empty) answer.
    pub(crate) async fn execute(self) -> Result<(), WebApiError> {
        self.send().await.map(drop)
    }
}

/// The state of a paging stream between items.
struct Walk<T> {
    client: Spotify,
    buffer: std::collections::VecDeque<T>,
    next: Option<String>,
    pages: usize,
    yielded: usize,
    limit: PageLimit,
}

impl<T: Send + 'static> Walk<T> {
    async fn step<P: Paged<Item = T>>(mut self) -> Option<(Result<T, WebApiError>, Self)> {
        loop {
            if self.limit.max_items.is_some_and(|max| self.yielded >= max) {
                return None;
            }
            if let Some(item) = self.buffer.pop_front() {
                self.yielded += 1;
                return Some((Ok(item), self));
            }
            if self.limit.max_pages.is_some_and(|max| self.pages >= max) {
                return None;
            }
            let url = self.next.take()?;
            match self.client.page::<P>(&url).await {
                Ok(page) => {
                    let (items, next) = page.into_parts();
                    self.pages += 1;
                    // An empty page ends the walk even if it links on: nothing more to yield,
                    // and a server that keeps linking must not keep us looping.
                    if items.is_empty() {
                        return None;
                    }
                    self.buffer = items.into();
                    self.next = next;
                }
                Err(error) => return Some((Err(error), self)),
            }
        }
    }
}
