//! Fault injection: queued [`TokenFault`]s and the [`TokenHold`] gate for the token endpoint,
//! queued [`ApiFault`]s for the Web API.
//!
//! Faults are what a resilient client must survive (5xx, 429, HTML from a proxy, truncated JSON,
//! redirects...). The hold gate makes "a token call is in flight" a state a test can create and
//! end at will, so concurrency tests need no sleeps.

use std::sync::Arc;

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;

use super::api::Reply;
use super::state::Shared;
use super::token::oauth_error;

/// The body of [`TokenFault::HtmlPage`], like a reverse proxy's error page.
const BAD_GATEWAY_HTML: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n\
<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";

/// Where [`TokenFault::Redirect`] points: the discard port on loopback, where nothing listens.
pub const REDIRECT_TARGET: &str = "http://127.0.0.1:9/elsewhere";

/// A failure the token endpoint answers with instead of processing the grant.
///
/// Queue faults with [`FakeSpotify::fail_next_token_calls`](super::FakeSpotify::fail_next_token_calls).
/// A faulted call still counts and is logged, but changes no state: codes are not consumed and
/// refresh tokens are not rotated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenFault {
    /// That HTTP status (e.g. 500 or 503) with a short `text/plain` body.
    Status(u16),
    /// 429 with `Retry-After: retry_after_secs` and a JSON error body.
    RateLimited {
        /// Value of the `Retry-After` header, in seconds.
        retry_after_secs: u64,
    },
    /// 400 `invalid_grant`, as if the code or refresh token were no good.
    InvalidGrant,
    /// 400 `invalid_client`, as if the client credentials were wrong.
    InvalidClient,
    /// 200 with truncated JSON: `{"access_token": "abc", `.
    MalformedJson,
    /// 502 with a `text/html` "Bad Gateway" page.
    HtmlPage,
    /// 200 with an empty body.
    EmptyBody,
    /// 200 with a JSON-looking body of exactly `bytes` bytes.
    HugeBody {
        /// Body size in bytes.
        bytes: usize,
    },
    /// 302 to [`REDIRECT_TARGET`] (`http://127.0.0.1:9/elsewhere`).
    Redirect,
}

impl TokenFault {
    /// The response this fault produces for a call with grant type `grant`.
    pub(crate) fn response(&self, grant: &str) -> HttpResponse {
        match self {
            TokenFault::Status(code) => {
                let status =
                    StatusCode::from_u16(*code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                let reason = status.canonical_reason().unwrap_or("Error");
                HttpResponse::build(status)
                    .content_type("text/plain; charset=utf-8")
                    .body(format!("{} {reason}", status.as_u16()))
            }
            TokenFault::RateLimited { retry_after_secs } => HttpResponse::TooManyRequests()
                .insert_header((header::RETRY_AFTER, retry_after_secs.to_string()))
                .json(serde_json::json!({
                    "error": { "status": 429, "message": "API rate limit exceeded" }
                })),
            TokenFault::InvalidGrant => {
                let description = match grant {
                    "authorization_code" => "Invalid authorization code",
                    _ => "Invalid refresh token",
                };
                oauth_error("invalid_grant", description)
            }
            TokenFault::InvalidClient => oauth_error("invalid_client", "Invalid client"),
            TokenFault::MalformedJson => HttpResponse::Ok()
                .content_type("application/json")
                .body(r#"{"access_token": "abc", "#),
            TokenFault::HtmlPage => HttpResponse::BadGateway()
                .content_type("text/html")
                .body(BAD_GATEWAY_HTML),
            TokenFault::EmptyBody => HttpResponse::Ok().content_type("application/json").finish(),
            TokenFault::HugeBody { bytes } => HttpResponse::Ok()
                .content_type("application/json")
                .body(huge_body(*bytes)),
            TokenFault::Redirect => HttpResponse::Found()
                .insert_header((header::LOCATION, REDIRECT_TARGET))
                .finish(),
        }
    }
}

/// A failure the Web API answers with instead of serving the call, in Spotify's error shape
/// `{"error": {"status", "message"[, "reason"]}}`.
///
/// Queue faults with [`FakeSpotify::fail_next_api_calls`](super::FakeSpotify::fail_next_api_calls).
/// A faulted call is answered before any check (token, scope, parameters), whatever its path; it
/// is still counted ([`FakeStats::api_calls`](super::FakeStats::api_calls), and
/// [`FakeSpotify::operation_calls`](super::FakeSpotify::operation_calls) when it matched an
/// operation) and logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiFault {
    /// 429 `"API rate limit exceeded"` with `Retry-After: retry_after_secs`.
    RateLimited {
        /// Value of the `Retry-After` header, in seconds.
        retry_after_secs: u64,
    },
    /// That status (e.g. 500, 502 or 503) with the status's reason phrase as the message.
    ServerError(u16),
    /// Any status with any message, and `error.reason` when given (e.g. 429 with
    /// `"QUOTA_EXCEEDED"`, 403 with `"PREMIUM_REQUIRED"`, 404 with `"NO_ACTIVE_DEVICE"`).
    Status {
        /// The HTTP status (an invalid one becomes 500).
        status: u16,
        /// `error.message`.
        message: String,
        /// `error.reason`, left out when `None`.
        reason: Option<String>,
    },
}

impl ApiFault {
    /// The answer this fault produces.
    pub(crate) fn reply(&self) -> Reply {
        match self {
            ApiFault::RateLimited { retry_after_secs } => {
                Reply::error(429, "API rate limit exceeded")
                    .with_header(header::RETRY_AFTER, retry_after_secs.to_string())
            }
            ApiFault::ServerError(code) => {
                let status =
                    StatusCode::from_u16(*code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                let message = status.canonical_reason().unwrap_or("Server error");
                Reply::error(status.as_u16(), message)
            }
            ApiFault::Status {
                status,
                message,
                reason,
            } => Reply::error_with_reason(*status, message, reason.as_deref()),
        }
    }
}

/// `{"access_token":"aaaa…"}` padded to exactly `bytes` bytes (a prefix of it when tiny).
fn huge_body(bytes: usize) -> Vec<u8> {
    const PREFIX: &[u8] = br#"{"access_token":""#;
    const SUFFIX: &[u8] = br#""}"#;
    let mut body = Vec::with_capacity(bytes);
    body.extend_from_slice(PREFIX);
    body.resize(bytes.saturating_sub(SUFFIX.len()).max(PREFIX.len()), b'a');
    body.extend_from_slice(SUFFIX);
    body.truncate(bytes);
    body
}

/// While this guard lives, token calls wait (asynchronously) before being answered.
///
/// Returned by [`FakeSpotify::hold_token_endpoint`](super::FakeSpotify::hold_token_endpoint).
/// A held call has already arrived: it is counted and logged (with status `0`) at once. Dropping
/// the guard (or calling [`release`](Self::release)) lets all waiting calls proceed, in no
/// particular order. Several guards may coexist; calls wait until all are gone.
#[must_use = "token calls are only held while the guard lives"]
pub struct TokenHold {
    shared: Arc<Shared>,
}

impl TokenHold {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        shared.holds.send_modify(|holds| *holds += 1);
        Self { shared }
    }

    /// How many token calls are waiting at the gate right now.
    pub fn waiting(&self) -> usize {
        *self.shared.waiting.borrow()
    }

    /// Resolves once at least `n` token calls are waiting at the gate.
    ///
    /// Works from any async runtime. It never resolves if fewer than `n` calls ever arrive, so
    /// wrap it in a timeout if the test might be wrong.
    pub async fn until_waiting(&self, n: usize) {
        let mut waiting = self.shared.waiting.subscribe();
        // The sender lives in `self.shared`, so this cannot fail while `self` is borrowed.
        let _ = waiting.wait_for(|count| *count >= n).await;
    }

    /// Releases the hold (same as dropping the guard).
    pub fn release(self) {}
}

impl Drop for TokenHold {
    fn drop(&mut self) {
        self.shared
            .holds
            .send_modify(|holds| *holds = holds.saturating_sub(1));
    }
}

impl std::fmt::Debug for TokenHold {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenHold")
            .field("waiting", &self.waiting())
            .finish()
    }
}

/// Waits while any [`TokenHold`] is alive; counts this call as waiting meanwhile.
pub(crate) async fn pass_hold_gate(shared: &Shared) {
    let mut holds = shared.holds.subscribe();
    if *holds.borrow_and_update() == 0 {
        return;
    }
    shared.waiting.send_modify(|waiting| *waiting += 1);
    // Decrement even if the request is cancelled (client hung up) while waiting.
    let _waiting = WaitingGuard(shared);
    let _ = holds.wait_for(|holds| *holds == 0).await;
}

/// Decrements the waiting count on drop.
struct WaitingGuard<'a>(&'a Shared);

impl Drop for WaitingGuard<'_> {
    fn drop(&mut self) {
        self.0
            .waiting
            .send_modify(|waiting| *waiting = waiting.saturating_sub(1));
    }
}

#[cfg(test)]
mod tests {
    use super::huge_body;

    #[test]
    fn huge_body_has_exact_size_and_looks_like_json() {
        for size in [0, 5, 19, 20, 1000] {
            assert_eq!(huge_body(size).len(), size);
        }
        let body = huge_body(30);
        assert!(serde_json::from_slice::<serde_json::Value>(&body).is_ok());
    }
}
