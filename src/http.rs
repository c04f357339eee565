//! The HTTP plumbing every layer shares: one hardened `reqwest` client and a body reader that
//! refuses to buffer more than a limit.
//!
//! The client follows no redirects (a redirect from the token endpoint is an error, and a
//! redirect from the Web API must not carry the Bearer token elsewhere), and has connect and
//! total timeouts from [`Policy`]. It is built once and shared: `reqwest::Client` is a
//! connection pool behind an `Arc`, so every session and the refresher reuse its connections.

use std::fmt;

use bytes::{Bytes, BytesMut};

use crate::config::Policy;

/// Builds the shared HTTP client: rustls, no redirects, the policy's timeouts.
pub fn build_client(policy: &Policy) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(policy.connect_timeout)
        .timeout(policy.request_timeout)
        .user_agent(concat!("spotipie-rs/", env!("CARGO_PKG_VERSION")))
        .build()
        // Building fails only if the TLS backend cannot initialise, which is a broken install,
        // not an input error; fall back to reqwest's defaults rather than panic.
        .unwrap_or_else(|_| reqwest::Client::new())
}

/// A response body kept for diagnosis when it could not be understood.
///
/// `Debug` and `Display` show only its length and content type: an unparseable body from the
/// token endpoint may still contain a token fragment. Read it with [`as_bytes`](Self::as_bytes)
/// or [`text_lossy`](Self::text_lossy).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct RawBody {
    bytes: Bytes,
    content_type: Option<String>,
}

impl RawBody {
    /// Wraps a body and its content type.
    pub fn new(bytes: Bytes, content_type: Option<String>) -> Self {
        Self {
            bytes,
            content_type,
        }
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The body as text, with invalid UTF-8 replaced.
    pub fn text_lossy(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    /// The `Content-Type` it came with.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

impl fmt::Debug for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawBody")
            .field("len", &self.bytes.len())
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl fmt::Display for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} bytes of {}",
            self.bytes.len(),
            self.content_type
                .as_deref()
                .unwrap_or("unknown content type")
        )
    }
}

/// Why a body could not be read.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// Longer than the limit (declared or actually sent).
    TooLarge,
    /// The connection failed or timed out mid-body.
    Transport(reqwest::Error),
}

/// Reads a response body, stopping as soon as it would exceed `limit` bytes.
pub(crate) async fn read_capped(
    response: &mut reqwest::Response,
    limit: usize,
) -> Result<Bytes, BodyError> {
    if response
        .content_length()
        .is_some_and(|len| len > limit as u64)
    {
        return Err(BodyError::TooLarge);
    }
    let mut body = BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Transport)? {
        if body.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// A header's value, if present and readable text.
pub(crate) fn header_text(
    headers: &reqwest::header::HeaderMap,
    name: reqwest::header::HeaderName,
) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The response's `Content-Type`, if it is readable text.
pub(crate) fn content_type(headers: &reqwest::header::HeaderMap) -> Option<String> {
    header_text(headers, reqwest::header::CONTENT_TYPE).map(str::to_owned)
}

/// A `Retry-After` header in seconds (Spotify sends whole seconds).
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<std::time::Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(std::time::Duration::from_secs)
}
