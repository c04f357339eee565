//! The test's controls on a running [`FakeSpotify`]: fault injection, the authorize decision,
//! minting, expiring and revoking tokens, the player's state, and reading or resetting what the
//! fake observed.
//!
//! Every method locks the shared state briefly and returns; none blocks on the server.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use super::fault::{ApiFault, TokenFault, TokenHold};
use super::log::{FakeStats, LogEntry, LogKind};
use super::state::RefreshGrant;
use super::{AuthorizeDecision, FakeSpotify};

impl FakeSpotify {
    /// Makes the next `n` token calls fail with `fault` (queued after earlier faults).
    ///
    /// Faults are taken in arrival order; a faulted call is counted and logged but changes no
    /// state (no code consumed, no refresh token rotated).
    pub fn fail_next_token_calls(&self, n: usize, fault: TokenFault) {
        let mut state = self.shared.lock();
        state.faults.extend(std::iter::repeat_n(fault, n));
    }

    /// Makes every token call wait `delay` (asynchronously) before it is answered.
    /// `Duration::ZERO` turns the delay off.
    pub fn set_token_delay(&self, delay: Duration) {
        self.shared.lock().token_delay = delay;
    }

    /// Holds token calls until the returned guard is dropped.
    ///
    /// Held calls are counted and logged at arrival (with status `0`), then wait; use
    /// [`TokenHold::until_waiting`] to know when a call has reached the gate.
    pub fn hold_token_endpoint(&self) -> TokenHold {
        TokenHold::new(Arc::clone(&self.shared))
    }

    /// Sets whether `/authorize` approves (the default) or denies.
    pub fn set_authorize_decision(&self, decision: AuthorizeDecision) {
        self.shared.lock().decision = decision;
    }

    /// Mints a user access token the Web API accepts, valid for `expires_in_secs` by the
    /// fake's clock and granting `scope` (space-separated; the Web API answers 403 `"Insufficient
    /// client scope"` to calls it does not cover). Not a token call: counts and logs nothing.
    pub fn issue_access_token(&self, expires_in_secs: u64, scope: &str) -> String {
        self.shared
            .lock()
            .mint_access(self.shared.now(), expires_in_secs, true, scope)
    }

    /// Makes every access token issued so far expire now: the Web API answers 401 `"The access
    /// token expired"` to them, whatever the clock says. Tokens issued later are unaffected.
    ///
    /// The sessions holding those tokens are not told, so this is how a test makes Spotify
    /// reject a token its client still thinks is fresh.
    pub fn expire_access_tokens(&self) {
        let mut state = self.shared.lock();
        for grant in state.access_tokens.values_mut() {
            grant.expired = true;
        }
    }

    /// Makes the next `n` Web API calls fail with `fault` (queued after earlier faults), before
    /// any check; see [`ApiFault`].
    pub fn fail_next_api_calls(&self, n: usize, fault: ApiFault) {
        let mut state = self.shared.lock();
        state.api_faults.extend(std::iter::repeat_n(fault, n));
    }

    /// Sets whether something is playing (default `true`).
    ///
    /// When `false`, `GET /v1/me/player` and `GET /v1/me/player/currently-playing` answer 204
    /// with no body, the queue has no `currently_playing`, no device is active, and player
    /// commands other than a transfer (and a play naming a `device_id`) answer 404 with reason
    /// `NO_ACTIVE_DEVICE`, as Spotify does.
    pub fn set_playback_active(&self, active: bool) {
        self.shared.lock().playback_active = active;
    }

    /// How many Web API requests matched each catalogue operation, by
    /// [`Operation::id`](crate::api::catalogue::Operation::id).
    ///
    /// A request counts when its method and path match the operation, whatever the answer
    /// (401, 403, 400, an injected fault, or success); operations never called are absent.
    /// [`reset_stats`](Self::reset_stats) clears it.
    pub fn operation_calls(&self) -> BTreeMap<&'static str, u64> {
        self.shared.lock().operation_calls.clone()
    }

    /// Mints a refresh token that a `refresh_token` grant accepts from any registered
    /// confidential client (e.g. [`FakeSpotify::CLIENT_ID`]); refreshes grant `scope`.
    ///
    /// Its lifetime ([`FakeSpotifyBuilder::refresh_token_lifetime`]) counts from now, by the
    /// fake's clock.
    ///
    /// [`FakeSpotifyBuilder::refresh_token_lifetime`]: super::FakeSpotifyBuilder::refresh_token_lifetime
    pub fn issue_refresh_token(&self, scope: &str) -> String {
        let issued_at = self.shared.now();
        self.shared.lock().mint_refresh(RefreshGrant {
            client_id: None,
            scope: scope.to_owned(),
            pkce: false,
            issued_at,
        })
    }

    /// Revokes every refresh token issued so far: using one gives
    /// `invalid_grant` / `"Refresh token revoked"`. Tokens issued later are unaffected.
    pub fn revoke_refresh_tokens(&self) {
        let mut state = self.shared.lock();
        let revoked: Vec<String> = state
            .refresh_tokens
            .drain()
            .map(|(token, _)| token)
            .collect();
        state.revoked.extend(revoked);
    }

    /// Appends a marker to the log, to prove ordering between the test's actions and what the
    /// server saw.
    pub fn note(&self, text: impl Into<String>) {
        self.shared.lock().push_log(LogKind::Note(text.into()));
    }

    /// A snapshot of the counters.
    pub fn stats(&self) -> FakeStats {
        self.shared.lock().stats.clone()
    }

    /// A snapshot of the ordered log.
    pub fn log(&self) -> Vec<LogEntry> {
        self.shared.lock().log.clone()
    }

    /// Clears counters, [`operation_calls`](Self::operation_calls) and log. Sequence numbers
    /// keep increasing; a token call pending at the time is no longer in the log.
    pub fn reset_stats(&self) {
        let mut state = self.shared.lock();
        state.stats = FakeStats::default();
        state.operation_calls.clear();
        state.log.clear();
    }
}
