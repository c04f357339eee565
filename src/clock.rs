//! Wall-clock time, injectable.
//!
//! Token expiry is a wall-clock fact (`expires_at` is Unix seconds, and token files written by
//! Python spotipie carry it), so every expiry decision asks a [`Clock`] rather than calling
//! `SystemTime::now()` directly. Production code uses [`SystemClock`]; tests use [`ManualClock`]
//! and move time by hand, which keeps them deterministic without tokio's paused clock (a paused
//! clock would also fast-forward the HTTP timeouts of requests that are really in flight on
//! loopback).

use std::fmt;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::future::BoxFuture;
use tokio::sync::Notify;

/// A source of the current wall-clock time, in Unix seconds.
pub trait Clock: Send + Sync + fmt::Debug + 'static {
    /// Seconds since the Unix epoch, with sub-second precision.
    fn now(&self) -> f64;

    /// Waits `duration` of this clock's time. The default sleeps on tokio's timer; a
    /// [`ManualClock`] wakes when it is advanced past the deadline, so a test decides when a
    /// wait (such as the Web API client's wait on a 429) is over.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
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
    /// Wakes sleepers whenever the time changes.
    moved: Arc<Notify>,
    /// Tasks waiting in [`Clock::sleep`] on this clock.
    sleepers: Arc<AtomicUsize>,
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
        self.moved.notify_waiters();
    }

    /// Sets the clock to `unix_seconds`.
    pub fn set(&self, unix_seconds: f64) {
        self.micros
            .store((unix_seconds.max(0.0) * 1e6) as u64, Ordering::SeqCst);
        self.moved.notify_waiters();
    }

    /// How many tasks are waiting in [`Clock::sleep`] on this clock: a test waits for its code to
    /// be asleep before it advances the time, so the wait it means to end has really begun.
    pub fn sleepers(&self) -> usize {
        self.sleepers.load(Ordering::SeqCst)
    }

    /// Waits until the clock reads at least `deadline` (Unix microseconds).
    async fn sleep_until(clock: ManualClock, deadline: u64) {
        struct Asleep(Arc<AtomicUsize>);
        impl Drop for Asleep {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::SeqCst);
            }
        }
        clock.sleepers.fetch_add(1, Ordering::SeqCst);
        let _asleep = Asleep(clock.sleepers.clone());
        let (micros, moved) = (&clock.micros, &clock.moved);
        loop {
            // Registered before the check, so an advance between check and await still wakes.
            let advanced = moved.notified();
            if micros.load(Ordering::SeqCst) >= deadline {
                return;
            }
            advanced.await;
        }
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

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        let deadline = self
            .micros
            .load(Ordering::SeqCst)
            .saturating_add(duration.as_micros() as u64);
        Box::pin(Self::sleep_until(self.clone(), deadline))
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
    fn manual_clock_sleep_ends_when_advanced_past_the_deadline() {
        use futures::FutureExt as _;
        let clock = ManualClock::new(1000.0);
        let mut sleep = clock.sleep(Duration::from_secs(3));
        assert!((&mut sleep).now_or_never().is_none());
        assert_eq!(clock.sleepers(), 1);
        clock.advance(Duration::from_secs(2));
        assert!((&mut sleep).now_or_never().is_none());
        clock.advance(Duration::from_secs(1));
        assert!(sleep.now_or_never().is_some());
        assert_eq!(clock.sleepers(), 0);
    }

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
