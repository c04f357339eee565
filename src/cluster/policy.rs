//! The pure decision of a coordinated renewal: given whether this process holds the key's lease,
//! the token its session holds and the one the shared store holds, adopt, renew or wait. No I/O,
//! so every case is a unit test.

use crate::config::Policy;
use crate::lifecycle::{classify, Freshness};
use crate::token::OAuth2Token;

/// What a process that wants a key's token renewed does next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// The store holds a fresh token newer than the session's: take it, call nobody.
    Adopt,
    /// This process holds the lease: call the token endpoint, renewing the store's token if it
    /// is newer than the session's (it carries the newest, perhaps rotated, refresh token).
    Renew {
        /// Renew the stored token rather than the held one.
        from_stored: bool,
    },
    /// Another process holds the lease and has not stored a fresh token yet.
    Wait,
}

/// Whether `stored` expires later than `held` (anything beats no token).
pub(crate) fn is_newer(stored: &OAuth2Token, held: Option<&OAuth2Token>) -> bool {
    held.is_none_or(|held| stored.expires_at > held.expires_at)
}

/// Decides the next step at `now`.
///
/// A stored token is adopted only if it is fresh: a stale one (in the refresh-ahead window) is
/// what a process renewing ahead is replacing, so adopting it would only bring the renewal back.
pub(crate) fn next_step(
    leased: bool,
    held: Option<&OAuth2Token>,
    stored: Option<&OAuth2Token>,
    now: f64,
    policy: &Policy,
) -> Step {
    let newer = stored.filter(|stored| is_newer(stored, held));
    if let Some(stored) = newer {
        if classify(Some(stored), now, policy) == Freshness::Fresh {
            return Step::Adopt;
        }
    }
    if leased {
        Step::Renew {
            from_stored: newer.is_some(),
        }
    } else {
        Step::Wait
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::clock::ManualClock;

    const NOW: f64 = 1_000_000.0;

    fn token(expires_at: f64) -> OAuth2Token {
        let clock = ManualClock::new(NOW);
        let mut token = OAuth2Token::new("access", Duration::from_secs(3600), &clock);
        token.expires_at = expires_at;
        token
    }

    /// The defaults: an expiry margin of 2 s and a refresh-ahead window of 60 s.
    fn policy() -> Policy {
        Policy::default()
    }

    #[test]
    fn adopts_a_fresh_newer_token_with_or_without_the_lease() {
        let held = token(NOW - 1.0);
        let stored = token(NOW + 3600.0);
        for leased in [false, true] {
            let step = next_step(leased, Some(&held), Some(&stored), NOW, &policy());
            assert_eq!(step, Step::Adopt, "leased: {leased}");
        }
        // A session with no token yet adopts too (a new process joining the cluster).
        let step = next_step(false, None, Some(&stored), NOW, &policy());
        assert_eq!(step, Step::Adopt);
    }

    #[test]
    fn the_holder_renews_what_it_holds_when_the_store_has_nothing_newer() {
        let held = token(NOW - 1.0);
        for stored in [None, Some(token(NOW - 1.0)), Some(token(NOW - 500.0))] {
            let step = next_step(true, Some(&held), stored.as_ref(), NOW, &policy());
            assert_eq!(step, Step::Renew { from_stored: false });
        }
    }

    #[test]
    fn the_holder_renews_the_stored_token_when_it_is_newer_but_not_fresh() {
        // Another process renewed earlier (so the store has the newest refresh token), and that
        // token is now itself stale or expired.
        let held = token(NOW - 100.0);
        for stored in [token(NOW + 30.0), token(NOW - 1.0)] {
            let step = next_step(true, Some(&held), Some(&stored), NOW, &policy());
            assert_eq!(step, Step::Renew { from_stored: true });
        }
    }

    #[test]
    fn others_wait_until_the_holder_stores_a_fresh_token() {
        let held = token(NOW - 1.0);
        for stored in [None, Some(token(NOW - 1.0)), Some(token(NOW + 30.0))] {
            let step = next_step(false, Some(&held), stored.as_ref(), NOW, &policy());
            assert_eq!(step, Step::Wait);
        }
    }

    #[test]
    fn a_forced_renewal_of_a_fresh_token_is_not_answered_with_the_same_token() {
        // A 401 made the session renew a token that is still fresh by the clock: the store holds
        // that same token, which is not newer, so the holder renews.
        let held = token(NOW + 3000.0);
        let step = next_step(true, Some(&held), Some(&held.clone()), NOW, &policy());
        assert_eq!(step, Step::Renew { from_stored: false });
    }
}
