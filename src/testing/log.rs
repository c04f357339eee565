//! What the fake saw: counters ([`FakeStats`]) and the ordered event log ([`LogEntry`]).
//!
//! Tests assert on these instead of on timing: counters answer "how many token calls did the
//! session make", the log answers "in which order did things happen", including markers the test
//! itself writes with [`FakeSpotify::note`](super::FakeSpotify::note).

/// Counters of the requests the fake has answered (or, for token calls, received).
///
/// Token calls are counted when they arrive, before any hold, delay or injected fault.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FakeStats {
    /// `POST /api/token` calls with `grant_type=client_credentials`.
    pub token_calls_client_credentials: u64,
    /// `POST /api/token` calls with `grant_type=authorization_code`.
    pub token_calls_authorization_code: u64,
    /// `POST /api/token` calls with `grant_type=refresh_token`.
    pub token_calls_refresh_token: u64,
    /// `POST /api/token` calls with a missing or unsupported `grant_type`.
    pub token_calls_other: u64,
    /// Requests answered by the Web API side: `/v1/...` and any unknown path (404).
    pub api_calls: u64,
    /// Web API responses with status 401.
    pub unauthorized: u64,
    /// `GET /authorize` calls.
    pub authorize_calls: u64,
}

impl FakeStats {
    /// All `POST /api/token` calls, whatever their grant type.
    pub fn token_calls_total(&self) -> u64 {
        self.token_calls_client_credentials
            + self.token_calls_authorization_code
            + self.token_calls_refresh_token
            + self.token_calls_other
    }
}

/// One event in the fake's ordered log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// Position in arrival order; strictly increasing, never reused (not even by
    /// [`reset_stats`](super::FakeSpotify::reset_stats)).
    pub seq: u64,
    /// What happened.
    pub kind: LogKind,
}

/// The kind of a [`LogEntry`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogKind {
    /// A `POST /api/token` call, logged when it arrives.
    ///
    /// `status` is `0` while the call is still pending (held by a
    /// [`TokenHold`](super::TokenHold) or delayed) and is filled in when the fake answers.
    TokenCall {
        /// The `grant_type` form field as sent (empty when missing).
        grant: String,
        /// HTTP status of the answer; `0` while pending.
        status: u16,
    },
    /// A Web API request (`/v1/...` or an unknown path).
    Api {
        /// HTTP method, e.g. `GET`.
        method: String,
        /// Request path without the query string.
        path: String,
        /// Whether an `Authorization` header was present.
        had_token: bool,
        /// HTTP status of the answer.
        status: u16,
    },
    /// A `GET /authorize` call.
    Authorize {
        /// The `response_type` query parameter as sent (empty when missing).
        response_type: String,
        /// Whether the fake redirected back with a code or token.
        approved: bool,
    },
    /// A marker written by the test with [`FakeSpotify::note`](super::FakeSpotify::note).
    Note(String),
}

impl LogKind {
    /// True for [`LogKind::TokenCall`].
    pub fn is_token_call(&self) -> bool {
        matches!(self, LogKind::TokenCall { .. })
    }

    /// True for [`LogKind::Api`].
    pub fn is_api(&self) -> bool {
        matches!(self, LogKind::Api { .. })
    }

    /// True for [`LogKind::Authorize`].
    pub fn is_authorize(&self) -> bool {
        matches!(self, LogKind::Authorize { .. })
    }

    /// The note's text, for [`LogKind::Note`].
    pub fn note(&self) -> Option<&str> {
        match self {
            LogKind::Note(text) => Some(text),
            _ => None,
        }
    }

    /// The grant type, for [`LogKind::TokenCall`].
    pub fn token_grant(&self) -> Option<&str> {
        match self {
            LogKind::TokenCall { grant, .. } => Some(grant),
            _ => None,
        }
    }

    /// The HTTP status, for token and API calls (`0` for a token call still pending).
    pub fn status(&self) -> Option<u16> {
        match self {
            LogKind::TokenCall { status, .. } | LogKind::Api { status, .. } => Some(*status),
            _ => None,
        }
    }
}
