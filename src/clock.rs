//! Wall-clock time, injectable.
//!
//! Token expiry is a wall-clock fact (`expires_at` is Unix seconds, and token files written by
//! Python spotipie carry it), so every expiry decision asks a [`Clock`] rather than calling
//! `SystemTime::now()` directly. Production code uses [`SystemClock`]; tests use [`ManualClock`]
//! and move time by hand, which keeps them deterministic without tokio's paused clock (a paused
//! clock would also fast-forward the HTTP timeouts of requests that are really in flight on
//! loopback).

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A source of the current wall-clock time, in Unix seconds.
pub trait Clock: Send + Sync + fmt::Debug + 'static {
    /// Seconds since the Unix epoch, with sub-second precision.
    fn now(&self) -> f64;
}

/// A shared, type-erased clock: what sessions, the refresher and the fake hold.
pub type SharedClock = Arc<dyn Clock>;

/// The system's real-time clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> f64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or(0.0)
    }
}

/// The default clock as a [`SharedClock`].
pub fn system_clock() -> SharedClock {
    Arc::new(SystemClock)
}

/// A clock that only moves when told to; clones share the same time.
///
/// Time is kept in microseconds in an atomic, so a test can advance it from any thread while
/// actors read it.
#[derive(Clone, Default)]
pub struct ManualClock {
    micros: Arc<AtomicU64>,
}

impl ManualClock {
    /// A clock that reads `unix_seconds`.
    pub fn new(unix_seconds: f64) -> Self {
        let clock = Self::default();
        clock.set(unix_seconds);
        clock
    }

    /// A clock that starts at the system's current time.
    pub fn starting_now() -> Self {
        Self::new(SystemClock.now())
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        self.micros
            .fetch_add(by.as_micros() as u64, Ordering::SeqCst);
    }

    /// Sets the clock to `unix_seconds`.
    pub fn set(&self, unix_seconds: f64) {
        self.micros
            .store((unix_seconds.max(0.0) * 1e6) as u64, Ordering::SeqCst);
    }

    /// This clock as a [`SharedClock`] (sharing its time with `self`).
    pub fn shared(&self) -> SharedClock {
        Arc::new(self.clone())
    }
}

impl Clock for ManualClock {
    fn now(&self) -> f64 {
        self.micros.load(Ordering::SeqCst) as f64 / 1e6
    }
}

impl fmt::Debug for ManualClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ManualClock").field(&self.now()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told_and_clones_share_time() {
        let clock = ManualClock::new(1000.0);
        let other = clock.clone();
        assert_eq!(clock.now(), 1000.0);
        other.advance(Duration::from_millis(1500));
        assert_eq!(clock.now(), 1001.5);
        clock.set(5.0);
        assert_eq!(other.shared().now(), 5.0);
    }

    #[test]
    fn system_clock_is_after_2020() {
        assert!(SystemClock.now() > 1_577_836_800.0);
    }
}
