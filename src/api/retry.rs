//! What the client does after each attempt of a call, as a pure function: return, renew the
//! token and try once more, or wait and try again. Kept apart from the I/O so every branch is
//! unit-tested without a server or a clock.
//!
//! The rules (issue 5, DESIGN §4 R-rules in spirit):
//! - a 401 on a refreshable session: one renewal, one retry;
//! - a 429: wait the `Retry-After` and retry only while the total wait stays within the client's
//!   cap (zero by default: no automatic wait, the caller gets a typed rate-limit error);
//! - a 5xx, a timeout or a broken connection: capped exponential backoff with jitter, for
//!   idempotent methods only (`POST` to the queue or to a playlist could be applied twice);
//! - anything else: return.

use std::time::Duration;

use super::client::ClientPolicy;

/// What an attempt came back with, reduced to what the decision needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// A status Spotify answered with, and the `Retry-After` of a 429.
    Status {
        /// The HTTP status.
        status: u16,
        /// `Retry-After`, when sent.
        retry_after: Option<Duration>,
    },
    /// The request may not have reached Spotify, or its answer was lost: timeout, connection.
    Transport,
    /// Any other failure (no token, renewal failed, body too large): not retried.
    Other,
}

/// The next step of a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// Hand the outcome to the caller.
    Return,
    /// Renew the refused token, then try again.
    RenewAndRetry,
    /// A 429: wait Spotify's `Retry-After` on the session's clock (it is wall-clock time, like
    /// token expiry, so a test's manual clock decides when it is over), then try again.
    WaitRetryAfter(Duration),
    /// A 5xx or transport error: back off this long on tokio's timer, then try again.
    Backoff(Duration),
}

/// What the call has used up so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Attempts {
    /// Retries after 5xx or transport errors.
    pub(crate) retries: u32,
    /// Total time slept on 429s.
    pub(crate) rate_limit_waited: Duration,
    /// Whether the one renewal after a 401 happened.
    pub(crate) renewed: bool,
}

/// How long to wait on a 429 that has no `Retry-After` (Spotify always sends one).
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(1);

/// Decides after one attempt and records what the decision uses up. `refreshable` says whether
/// the session can renew by itself; `jitter` in `[0, 1]` comes from the caller's RNG.
pub(crate) fn decide(
    outcome: Outcome,
    idempotent: bool,
    refreshable: bool,
    policy: &ClientPolicy,
    attempts: &mut Attempts,
    jitter: f64,
) -> Step {
    match outcome {
        Outcome::Status { status, .. } if status < 400 => Step::Return,
        Outcome::Status { status: 401, .. } => {
            if policy.renew_on_unauthorized && refreshable && !attempts.renewed {
                attempts.renewed = true;
                Step::RenewAndRetry
            } else {
                Step::Return
            }
        }
        Outcome::Status {
            status: 429,
            retry_after,
        } => {
            let wait = retry_after.unwrap_or(DEFAULT_RETRY_AFTER);
            let total = attempts.rate_limit_waited.saturating_add(wait);
            if total <= policy.max_rate_limit_wait {
                attempts.rate_limit_waited = total;
                Step::WaitRetryAfter(wait)
            } else {
                Step::Return
            }
        }
        Outcome::Status { status, .. } if status >= 500 => {
            backoff(idempotent, policy, attempts, jitter)
        }
        Outcome::Transport => backoff(idempotent, policy, attempts, jitter),
        Outcome::Status { .. } | Outcome::Other => Step::Return,
    }
}

/// Capped exponential backoff with equal jitter: `d/2 + jitter·d/2`, `d = min(max, base·2^n)`.
fn backoff(idempotent: bool, policy: &ClientPolicy, attempts: &mut Attempts, jitter: f64) -> Step {
    if !idempotent || attempts.retries >= policy.max_retries {
        return Step::Return;
    }
    let doubled = policy
        .retry_base_delay
        .saturating_mul(1u32.checked_shl(attempts.retries).unwrap_or(u32::MAX));
    let capped = doubled.min(policy.retry_max_delay);
    attempts.retries += 1;
    Step::Backoff(capped / 2 + capped.mul_f64(jitter.clamp(0.0, 1.0) / 2.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16) -> Outcome {
        Outcome::Status {
            status,
            retry_after: None,
        }
    }

    fn policy() -> ClientPolicy {
        ClientPolicy {
            max_retries: 2,
            retry_base_delay: Duration::from_millis(100),
            retry_max_delay: Duration::from_millis(150),
            max_rate_limit_wait: Duration::from_secs(5),
            ..ClientPolicy::default()
        }
    }

    #[test]
    fn success_and_client_errors_return() {
        let mut attempts = Attempts::default();
        for outcome in [
            status(200),
            status(204),
            status(400),
            status(403),
            status(404),
            Outcome::Other,
        ] {
            assert_eq!(
                decide(outcome, true, true, &policy(), &mut attempts, 0.5),
                Step::Return
            );
        }
        assert_eq!(attempts, Attempts::default());
    }

    #[test]
    fn one_renewal_after_a_401_and_only_when_refreshable() {
        let mut attempts = Attempts::default();
        assert_eq!(
            decide(status(401), false, true, &policy(), &mut attempts, 0.0),
            Step::RenewAndRetry
        );
        assert_eq!(
            decide(status(401), false, true, &policy(), &mut attempts, 0.0),
            Step::Return
        );
        let mut fresh = Attempts::default();
        assert_eq!(
            decide(status(401), true, false, &policy(), &mut fresh, 0.0),
            Step::Return
        );
        let off = ClientPolicy {
            renew_on_unauthorized: false,
            ..policy()
        };
        assert_eq!(
            decide(status(401), true, true, &off, &mut fresh, 0.0),
            Step::Return
        );
    }

    #[test]
    fn rate_limit_waits_only_within_the_cap() {
        let limited = |secs| Outcome::Status {
            status: 429,
            retry_after: Some(Duration::from_secs(secs)),
        };
        let mut attempts = Attempts::default();
        assert_eq!(
            decide(limited(3), false, true, &policy(), &mut attempts, 0.0),
            Step::WaitRetryAfter(Duration::from_secs(3))
        );
        // 3 + 3 > 5: give up, however the method.
        assert_eq!(
            decide(limited(3), true, true, &policy(), &mut attempts, 0.0),
            Step::Return
        );
        assert_eq!(attempts.rate_limit_waited, Duration::from_secs(3));
        let mut never = Attempts::default();
        let no_wait = ClientPolicy::default();
        assert_eq!(
            decide(limited(1), true, true, &no_wait, &mut never, 0.0),
            Step::Return
        );
    }

    #[test]
    fn server_errors_back_off_for_idempotent_methods_only() {
        let mut attempts = Attempts::default();
        assert_eq!(
            decide(status(503), true, true, &policy(), &mut attempts, 0.0),
            Step::Backoff(Duration::from_millis(50))
        );
        // Doubled to 200 ms, capped at 150 ms; full jitter adds the other half.
        assert_eq!(
            decide(
                Outcome::Transport,
                true,
                true,
                &policy(),
                &mut attempts,
                1.0
            ),
            Step::Backoff(Duration::from_millis(150))
        );
        assert_eq!(
            decide(status(500), true, true, &policy(), &mut attempts, 0.0),
            Step::Return
        );
        let mut post = Attempts::default();
        assert_eq!(
            decide(status(502), false, true, &policy(), &mut post, 0.0),
            Step::Return
        );
        assert_eq!(
            decide(Outcome::Transport, false, true, &policy(), &mut post, 0.0),
            Step::Return
        );
    }
}
