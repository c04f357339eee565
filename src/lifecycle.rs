//! The lifecycle policy: pure decisions about tokens, with no I/O, no actors and no clock of its
//! own (time is always an argument).
//!
//! Everything hard about token lifecycles lives here, so it can be tested exhaustively without a
//! runtime, and so the actor layer stays a thin shell (actix is passively maintained; this core
//! must not depend on it):
//!
//! - [`classify`]: is a token fresh, stale (serve it and renew ahead) or expired (renew before
//!   dispatch)?
//! - [`Episode`]: the bookkeeping of one expiry episode: who waits, when subscribers are done,
//!   when the single renewal starts, and what each waiter is told when it ends.
//! - [`RetrySchedule`]: capped exponential backoff with jitter, honouring `Retry-After`.
//! - [`merge_refresh`]: folding a refresh response into the old token without losing the
//!   refresh token or the scope when the response omits them.

use std::time::Duration;

use crate::config::Policy;
use crate::oauth::OAuthError;
use crate::token::OAuth2Token;

/// What a request should do with the token it finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Freshness {
    /// There is no token at all.
    Missing,
    /// Use it.
    Fresh,
    /// Use it, and renew in the background (inside the refresh-ahead window).
    Stale,
    /// Do not use it: expired, or within the expiry margin.
    Expired,
}

/// Classifies `token` at `now` (Unix seconds) under `policy`.
pub fn classify(token: Option<&OAuth2Token>, now: f64, policy: &Policy) -> Freshness {
    let Some(token) = token else {
        return Freshness::Missing;
    };
    if token.is_expired_at(now, policy.expiry_margin) {
        Freshness::Expired
    } else if now >= stale_at(token, policy) {
        Freshness::Stale
    } else {
        Freshness::Fresh
    }
}

/// When `token` becomes stale (Unix seconds): `refresh_ahead` before the expiry margin, but never
/// more than half the token's lifetime. Without that cap a token shorter than the window would be
/// stale from birth, and every renewal would trigger the next one.
pub fn stale_at(token: &OAuth2Token, policy: &Policy) -> f64 {
    let window = policy
        .refresh_ahead
        .as_secs_f64()
        .min(token.expires_in as f64 / 2.0);
    token.expires_at - policy.expiry_margin.as_secs_f64() - window
}

/// Folds a refresh response into the token it renews (S3): a response without `refresh_token`
/// keeps the old one (Spotify may omit it), and one without `scope` keeps the old scope. A
/// rotated refresh token replaces the old one.
pub fn merge_refresh(old: Option<&OAuth2Token>, mut new: OAuth2Token) -> OAuth2Token {
    if let Some(old) = old {
        if new.refresh_token.is_none() {
            new.refresh_token = old.refresh_token.clone();
        }
        if new.scope.is_empty() {
            new.scope = old.scope.clone();
        }
    }
    new
}

/// What a waiter of an expiry episode is told when the episode ends.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict<E> {
    /// Go ahead: a fresh token is in place, or this request withholds the token anyway.
    Proceed,
    /// The token is still expired and nobody renewed it.
    Expired,
    /// The renewal failed with this error.
    Failed(E),
}

/// The waiters of an ended episode, each with its verdict.
pub type Verdicts<W, E> = Vec<(W, Verdict<E>)>;

/// What the caller must do after telling an episode that subscribers are done.
#[derive(Debug, PartialEq)]
pub enum AfterSubscribers<W, E> {
    /// Start the single renewal of this episode (or adopt one already in flight) and keep
    /// waiting.
    StartRenewal,
    /// The episode is over: answer these waiters.
    End(Verdicts<W, E>),
}

/// One expiry episode: from the first request that finds the token expired until a fresh token
/// is set, the renewal fails, or the timeout.
///
/// The order mirrors the seed: `TokenExpired` goes to subscribers first (one of them may install
/// a token); only when they are done, and the token is still expired, does a refreshable session
/// renew. So `TokenExpired` always precedes the renewal, and a subscriber that renews by itself
/// never races the refresher.
///
/// `W` is whatever the caller uses to answer a waiter (a oneshot sender in the actor); `E` is
/// the renewal error. The episode never does anything itself: its methods say what the caller
/// must do and hand back the waiters with their verdicts when it ends.
#[derive(Debug)]
pub struct Episode<W, E> {
    id: u64,
    waiters: Vec<(W, bool)>,
    subscribers_done: bool,
    renewing: bool,
    _error: std::marker::PhantomData<E>,
}

impl<W, E: Clone> Episode<W, E> {
    /// A new episode. The caller broadcasts `TokenExpired` once for it.
    pub fn new(id: u64) -> Self {
        Self {
            id,
            waiters: Vec::new(),
            subscribers_done: false,
            renewing: false,
            _error: std::marker::PhantomData,
        }
    }

    /// The episode's number (to match late timers and replies to the right episode).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// How many requests wait on it.
    pub fn waiting(&self) -> usize {
        self.waiters.len()
    }

    /// Whether the episode is waiting for its renewal.
    pub fn is_renewing(&self) -> bool {
        self.renewing
    }

    /// Adds a waiter. `needs_token` is false for `withhold_token` requests.
    pub fn join(&mut self, waiter: W, needs_token: bool) {
        self.waiters.push((waiter, needs_token));
    }

    /// Subscribers have handled `TokenExpired` (or their time ran out) and the token is still
    /// expired. `may_renew` says the session is refreshable with auto-refresh on. The episode
    /// renews if a waiter needs a token and it may; otherwise it ends.
    pub fn subscribers_done(&mut self, may_renew: bool) -> AfterSubscribers<W, E> {
        self.subscribers_done = true;
        let someone_needs_token = self.waiters.iter().any(|(_, needs)| *needs);
        if may_renew && someone_needs_token {
            self.renewing = true;
            AfterSubscribers::StartRenewal
        } else {
            AfterSubscribers::End(self.end(Verdict::Expired))
        }
    }

    /// The renewal failed for good: token waiters get the error.
    pub fn renewal_failed(mut self, error: E) -> Verdicts<W, E> {
        self.end(Verdict::Failed(error))
    }

    /// A fresh token was set: everyone proceeds.
    pub fn fresh_token_set(self) -> Verdicts<W, E> {
        self.waiters
            .into_iter()
            .map(|(waiter, _)| (waiter, Verdict::Proceed))
            .collect()
    }

    /// The bounded wait is over without a fresh token.
    pub fn timed_out(mut self) -> Verdicts<W, E> {
        self.end(Verdict::Expired)
    }

    fn end(&mut self, verdict: Verdict<E>) -> Verdicts<W, E> {
        std::mem::take(&mut self.waiters)
            .into_iter()
            .map(|(waiter, needs_token)| {
                let verdict = if needs_token {
                    verdict.clone()
                } else {
                    Verdict::Proceed
                };
                (waiter, verdict)
            })
            .collect()
    }
}

/// Whether to try again after a failed renewal attempt, and when.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RetryDecision {
    /// Wait this long, then try again.
    RetryAfter(Duration),
    /// Stop: the error is terminal, the budget is spent, or the server asked for a longer wait
    /// than the policy allows.
    GiveUp,
}

/// Capped exponential backoff with jitter for renewals.
#[derive(Clone, Debug, PartialEq)]
pub struct RetrySchedule {
    budget: u32,
    base: Duration,
    max: Duration,
}

impl RetrySchedule {
    /// The schedule a policy describes.
    pub fn from_policy(policy: &Policy) -> Self {
        Self {
            budget: policy.retry_budget,
            base: policy.retry_base_delay,
            max: policy.retry_max_delay,
        }
    }

    /// Decides after failed attempt number `attempt` (1 for the first). `jitter` in `[0, 1]`
    /// comes from the caller's RNG so the schedule stays deterministic under test: the delay is
    /// `d/2 + jitter·d/2` for `d = min(max, base·2^(attempt−1))` ("equal jitter", so retries of
    /// many sessions spread out but never collapse to zero). A 429's `Retry-After` is honoured
    /// exactly when it is within the cap.
    pub fn next(&self, attempt: u32, error: &OAuthError, jitter: f64) -> RetryDecision {
        if !error.is_transient() || attempt > self.budget {
            return RetryDecision::GiveUp;
        }
        if let Some(wait) = error.retry_after() {
            return if wait <= self.max {
                RetryDecision::RetryAfter(wait)
            } else {
                RetryDecision::GiveUp
            };
        }
        let exp = self.base.saturating_mul(
            1u32.checked_shl(attempt.saturating_sub(1))
                .unwrap_or(u32::MAX),
        );
        let capped = exp.min(self.max);
        let jitter = jitter.clamp(0.0, 1.0);
        RetryDecision::RetryAfter(capped / 2 + capped.mul_f64(jitter / 2.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::oauth::OAuthErrorCode;

    fn policy() -> Policy {
        Policy {
            expiry_margin: Duration::from_secs(2),
            refresh_ahead: Duration::from_secs(60),
            ..Policy::default()
        }
    }

    #[test]
    fn classify_walks_fresh_stale_expired() {
        let clock = ManualClock::new(0.0);
        let token = OAuth2Token::new("a", Duration::from_secs(3600), &clock);
        let at = |secs: f64| classify(Some(&token), secs, &policy());
        assert_eq!(classify(None, 0.0, &policy()), Freshness::Missing);
        assert_eq!(at(0.0), Freshness::Fresh);
        assert_eq!(at(3537.9), Freshness::Fresh);
        assert_eq!(at(3538.0), Freshness::Stale);
        assert_eq!(at(3597.9), Freshness::Stale);
        assert_eq!(at(3598.0), Freshness::Expired);
        assert_eq!(at(9999.0), Freshness::Expired);
        let no_ahead = Policy {
            refresh_ahead: Duration::ZERO,
            ..policy()
        };
        assert_eq!(classify(Some(&token), 3597.0, &no_ahead), Freshness::Fresh);
        // A token shorter than the window is stale only in the second half of its life.
        let short = OAuth2Token::new("s", Duration::from_secs(10), &clock);
        assert_eq!(classify(Some(&short), 2.9, &policy()), Freshness::Fresh);
        assert_eq!(classify(Some(&short), 3.0, &policy()), Freshness::Stale);
        assert_eq!(stale_at(&short, &policy()), 3.0);
    }

    #[test]
    fn merge_keeps_refresh_token_and_scope_when_omitted_and_takes_rotated_ones() {
        let clock = ManualClock::new(0.0);
        let old = OAuth2Token::new("old", Duration::from_secs(10), &clock)
            .with_refresh_token("R1")
            .with_scope("a b");
        let plain = OAuth2Token::new("new", Duration::from_secs(3600), &clock);
        let merged = merge_refresh(Some(&old), plain);
        assert_eq!(merged.access_token.secret(), "new");
        assert_eq!(
            merged.refresh_token.as_ref().map(|r| r.secret()),
            Some("R1")
        );
        assert_eq!(merged.scope.to_string(), "a b");
        let rotated = OAuth2Token::new("new", Duration::from_secs(3600), &clock)
            .with_refresh_token("R2")
            .with_scope("a");
        let merged = merge_refresh(Some(&old), rotated);
        assert_eq!(
            merged.refresh_token.as_ref().map(|r| r.secret()),
            Some("R2")
        );
        assert_eq!(merged.scope.to_string(), "a");
        let first = merge_refresh(None, OAuth2Token::new("x", Duration::ZERO, &clock));
        assert!(first.refresh_token.is_none());
    }

    type Ep = Episode<u32, &'static str>;

    #[test]
    fn one_renewal_per_episode_however_many_join_and_only_after_subscribers() {
        let mut ep = Ep::new(7);
        for i in 0..1000 {
            ep.join(i, true);
        }
        assert_eq!(ep.waiting(), 1000);
        assert!(!ep.is_renewing(), "no renewal before subscribers are done");
        assert_eq!(ep.subscribers_done(true), AfterSubscribers::StartRenewal);
        assert!(ep.is_renewing());
        ep.join(1000, true);
        let out = ep.fresh_token_set();
        assert_eq!(out.len(), 1001);
        assert!(out.iter().all(|(_, v)| *v == Verdict::Proceed));
    }

    #[test]
    fn only_withholding_waiters_never_renew() {
        let mut ep = Ep::new(1);
        ep.join(1, false);
        assert_eq!(
            ep.subscribers_done(true),
            AfterSubscribers::End(vec![(1, Verdict::Proceed)])
        );
        let mut ep = Ep::new(2);
        ep.join(1, false);
        ep.join(2, true);
        assert_eq!(ep.subscribers_done(true), AfterSubscribers::StartRenewal);
    }

    #[test]
    fn without_renewal_the_episode_ends_expired_when_subscribers_are_done() {
        let mut ep = Ep::new(1);
        ep.join(1, true);
        ep.join(2, false);
        assert_eq!(
            ep.subscribers_done(false),
            AfterSubscribers::End(vec![(1, Verdict::Expired), (2, Verdict::Proceed)])
        );
    }

    #[test]
    fn a_failed_renewal_fails_token_waiters_only() {
        let mut ep = Ep::new(1);
        ep.join(1, true);
        ep.join(2, false);
        assert_eq!(ep.subscribers_done(true), AfterSubscribers::StartRenewal);
        assert_eq!(
            ep.renewal_failed("invalid_grant"),
            vec![(1, Verdict::Failed("invalid_grant")), (2, Verdict::Proceed)]
        );
    }

    #[test]
    fn timeout_ends_an_episode_with_the_renewal_still_in_flight() {
        let mut ep = Ep::new(1);
        ep.join(1, true);
        assert_eq!(ep.subscribers_done(true), AfterSubscribers::StartRenewal);
        assert_eq!(ep.timed_out(), vec![(1, Verdict::Expired)]);
    }

    fn server(status: u16, code: OAuthErrorCode) -> OAuthError {
        OAuthError::Server {
            status,
            code,
            description: None,
        }
    }

    #[test]
    fn retry_schedule_backs_off_caps_and_gives_up() {
        let schedule = RetrySchedule {
            budget: 4,
            base: Duration::from_millis(100),
            max: Duration::from_millis(300),
        };
        let busy = server(503, OAuthErrorCode::Other("server_error".into()));
        let delays: Vec<_> = (1..=5).map(|n| schedule.next(n, &busy, 1.0)).collect();
        assert_eq!(
            delays,
            vec![
                RetryDecision::RetryAfter(Duration::from_millis(100)),
                RetryDecision::RetryAfter(Duration::from_millis(200)),
                RetryDecision::RetryAfter(Duration::from_millis(300)),
                RetryDecision::RetryAfter(Duration::from_millis(300)),
                RetryDecision::GiveUp,
            ]
        );
        assert_eq!(
            schedule.next(1, &busy, 0.0),
            RetryDecision::RetryAfter(Duration::from_millis(50))
        );
        assert_eq!(
            schedule.next(40, &busy, 0.5),
            RetryDecision::GiveUp,
            "no overflow far past the budget"
        );
        let terminal = server(400, OAuthErrorCode::InvalidGrant);
        assert_eq!(schedule.next(1, &terminal, 0.5), RetryDecision::GiveUp);
        let short = OAuthError::RateLimited {
            retry_after: Some(Duration::from_millis(250)),
        };
        assert_eq!(
            schedule.next(1, &short, 0.9),
            RetryDecision::RetryAfter(Duration::from_millis(250))
        );
        let long = OAuthError::RateLimited {
            retry_after: Some(Duration::from_secs(3600)),
        };
        assert_eq!(schedule.next(1, &long, 0.9), RetryDecision::GiveUp);
        let huge = RetrySchedule {
            budget: 100,
            ..schedule
        };
        assert_eq!(
            huge.next(64, &busy, 1.0),
            RetryDecision::RetryAfter(Duration::from_millis(300))
        );
    }
}
