//! The fake's shared state: registered clients, issued tokens and codes, fault queue, counters
//! and log.
//!
//! One [`Shared`] lives in an `Arc` held both by the [`FakeSpotify`](super::FakeSpotify) handle
//! (the test's side) and by the HTTP handlers (the server thread). Everything mutable sits behind
//! one `std::sync::Mutex` that is never held across an `.await`, so the handle's methods are
//! plain synchronous calls usable from any thread or runtime.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rand::distr::{Alphanumeric, SampleString};
use tokio::sync::watch;
use url::Url;

use super::fault::{ApiFault, TokenFault};
use super::log::{FakeStats, LogEntry, LogKind};
use super::AuthorizeDecision;
use crate::clock::SharedClock;
use crate::token::Scope;

/// Length of every random token and code the fake mints (base62 characters).
const TOKEN_LEN: usize = 64;

/// How a registered client authenticates.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum ClientKind {
    /// Has a secret; may also redeem PKCE codes without it.
    Confidential {
        /// The client secret.
        secret: String,
    },
    /// No secret: PKCE code flow, refresh and implicit grant only.
    Public,
}

/// Settings fixed when the fake starts.
pub(crate) struct Config {
    /// Registered clients: id → kind (and secret).
    pub(crate) clients: HashMap<String, ClientKind>,
    /// Registered redirect URIs per client id (ids need not be registered clients).
    pub(crate) redirect_uris: HashMap<String, Vec<Url>>,
    /// `expires_in` of every access token from the token endpoint or the implicit grant.
    pub(crate) expires_in: u64,
    /// Whether confidential-client refreshes rotate the refresh token.
    pub(crate) rotate_refresh_tokens: bool,
    /// How long a refresh token is accepted after it was first issued.
    pub(crate) refresh_token_lifetime: Duration,
    /// Development Mode: trimmed fixtures, and 403 for operations removed for new apps.
    pub(crate) development_mode: bool,
}

/// An access token the fake issued.
pub(crate) struct AccessGrant {
    /// Unix seconds (by the fake's clock) from which the token is rejected.
    pub(crate) expires_at: f64,
    /// True for user tokens (code, implicit, refresh); false for client credentials.
    pub(crate) user: bool,
    /// The scope granted with the token (empty for client credentials).
    pub(crate) scope: Scope,
    /// Set by [`FakeSpotify::expire_access_tokens`](super::FakeSpotify::expire_access_tokens):
    /// rejected as expired whatever the clock says.
    pub(crate) expired: bool,
}

/// A refresh token the fake issued.
pub(crate) struct RefreshGrant {
    /// The client it belongs to; `None` means any registered confidential client.
    pub(crate) client_id: Option<String>,
    /// Space-separated scope granted.
    pub(crate) scope: String,
    /// Issued to a PKCE (public client) grant: usable without a secret, always single-use.
    pub(crate) pkce: bool,
    /// Unix seconds (by the fake's clock) when the first token of this chain was issued;
    /// rotated successors keep it, so refreshing never extends the lifetime.
    pub(crate) issued_at: f64,
}

/// An authorization code issued by `/authorize`.
pub(crate) struct CodeGrant {
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    pub(crate) scope: String,
    /// The S256 `code_challenge`, when the authorization request used PKCE.
    pub(crate) code_challenge: Option<String>,
}

/// Everything that changes while the fake runs.
pub(crate) struct State {
    pub(crate) access_tokens: HashMap<String, AccessGrant>,
    pub(crate) refresh_tokens: HashMap<String, RefreshGrant>,
    /// Refresh tokens revoked by the test (answered with "Refresh token revoked").
    pub(crate) revoked: HashSet<String>,
    pub(crate) codes: HashMap<String, CodeGrant>,
    pub(crate) faults: VecDeque<TokenFault>,
    /// Queued Web API faults, taken one per API call.
    pub(crate) api_faults: VecDeque<ApiFault>,
    /// Whether the player GETs answer with a playback (200) or "nothing playing" (204).
    pub(crate) playback_active: bool,
    /// Requests that matched each catalogue operation, by operation id.
    pub(crate) operation_calls: BTreeMap<&'static str, u64>,
    /// Playlist changes so far, for fresh `snapshot_id`s.
    pub(crate) snapshots: u64,
    pub(crate) token_delay: Duration,
    pub(crate) decision: AuthorizeDecision,
    pub(crate) stats: FakeStats,
    pub(crate) log: Vec<LogEntry>,
    next_seq: u64,
}

impl State {
    /// Appends to the log and returns the entry's sequence number.
    pub(crate) fn push_log(&mut self, kind: LogKind) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.log.push(LogEntry { seq, kind });
        seq
    }

    /// Fills in the status of a pending token call (no-op if the log was reset meanwhile).
    pub(crate) fn finish_token_call(&mut self, seq: u64, answered: u16) {
        if let Ok(index) = self.log.binary_search_by_key(&seq, |entry| entry.seq) {
            if let LogKind::TokenCall { status, .. } = &mut self.log[index].kind {
                *status = answered;
            }
        }
    }

    /// Mints an access token valid for `expires_in` seconds from `now`, granting `scope`
    /// (space-separated).
    pub(crate) fn mint_access(
        &mut self,
        now: f64,
        expires_in: u64,
        user: bool,
        scope: &str,
    ) -> String {
        let token = random_token();
        let grant = AccessGrant {
            expires_at: now + expires_in as f64,
            user,
            scope: Scope::parse(scope),
            expired: false,
        };
        self.access_tokens.insert(token.clone(), grant);
        token
    }

    /// Mints a refresh token for `grant`.
    pub(crate) fn mint_refresh(&mut self, grant: RefreshGrant) -> String {
        let token = random_token();
        self.refresh_tokens.insert(token.clone(), grant);
        token
    }

    /// Stores an authorization code for `grant`.
    pub(crate) fn mint_code(&mut self, grant: CodeGrant) -> String {
        let code = random_token();
        self.codes.insert(code.clone(), grant);
        code
    }
}

/// The state shared between the handle and the server, plus the hold gate.
pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) clock: SharedClock,
    state: Mutex<State>,
    /// Number of live [`TokenHold`](super::TokenHold) guards; token calls wait while it is > 0.
    pub(crate) holds: watch::Sender<usize>,
    /// Number of token calls currently waiting at the hold gate.
    pub(crate) waiting: watch::Sender<usize>,
}

impl Shared {
    pub(crate) fn new(config: Config, clock: SharedClock) -> Self {
        let state = State {
            access_tokens: HashMap::new(),
            refresh_tokens: HashMap::new(),
            revoked: HashSet::new(),
            codes: HashMap::new(),
            faults: VecDeque::new(),
            api_faults: VecDeque::new(),
            playback_active: true,
            operation_calls: BTreeMap::new(),
            snapshots: 0,
            token_delay: Duration::ZERO,
            decision: AuthorizeDecision::Approve,
            stats: FakeStats::default(),
            log: Vec::new(),
            next_seq: 0,
        };
        Self {
            config,
            clock,
            state: Mutex::new(state),
            holds: watch::Sender::new(0),
            waiting: watch::Sender::new(0),
        }
    }

    /// Locks the state; a panic elsewhere while locked does not poison the fake for other tests.
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The fake's current time, in Unix seconds.
    pub(crate) fn now(&self) -> f64 {
        self.clock.now()
    }
}

/// A fresh random base62 string for tokens and codes.
fn random_token() -> String {
    Alphanumeric.sample_string(&mut rand::rng(), TOKEN_LEN)
}
