//! The parent's side: starting worker processes, reading their reports, stopping them at a
//! quiet point, killing them (always, on drop), and the checks the tests share.

use std::collections::BTreeMap;
use std::future::Future;
use std::io::{BufRead as _, BufReader, Write as _};
use std::os::unix::process::ExitStatusExt as _;
use std::process::{Child, ChildStdin, Command as Process, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use spotipie::store::{RedisStore, StoreKey};
use spotipie::testing::{FakeSpotify, LogKind};
use spotipie::OAuth2Token;

use super::protocol::{fresh_for, Command, Final, Report, WorkerConfig, WORKER_ENV, WORKER_TEST};

/// How often the parent looks again while waiting for something.
const POLL: Duration = Duration::from_millis(10);

/// Polls `check` until it holds, panicking with `what` after `timeout`.
pub async fn eventually<F, Fut>(what: &str, timeout: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + timeout;
    while !check().await {
        assert!(
            Instant::now() < deadline,
            "timed out after {timeout:?} waiting for: {what}"
        );
        tokio::time::sleep(POLL).await;
    }
}

/// The version and token stored under `key`, if any (a failed read counts as none).
pub async fn stored(store: &RedisStore, key: &StoreKey) -> Option<(u64, OAuth2Token)> {
    store.load_versioned(key).await.ok().flatten()
}

/// The version stored under `key` (0 when there is none).
pub async fn stored_version(store: &RedisStore, key: &StoreKey) -> u64 {
    stored(store, key).await.map_or(0, |(version, _)| version)
}

/// One worker process.
pub struct Worker {
    /// Its position in [`Workers`], for messages.
    pub index: usize,
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<Report>,
    /// Every report received so far, in order.
    pub reports: Vec<Report>,
    /// Whether the test killed it.
    pub killed: bool,
}

impl Worker {
    fn spawn(index: usize, config: &WorkerConfig) -> Self {
        let exe = std::env::current_exe().expect("the test binary's path");
        let mut child = Process::new(exe)
            .args(["--ignored", "--exact", WORKER_TEST, "--nocapture"])
            .args(["--test-threads", "1"])
            .env(WORKER_ENV, config.to_env())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start a worker process");
        let stdout = child.stdout.take().expect("the worker's stdout");
        let (sender, lines) = mpsc::channel();
        // Reads to the end, so the worker never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(report) = Report::find_in(&line) {
                    if sender.send(report).is_err() {
                        break;
                    }
                }
            }
        });
        Self {
            index,
            stdin: child.stdin.take(),
            child,
            lines,
            reports: Vec::new(),
            killed: false,
        }
    }

    /// Takes in the reports that arrived; panics on a fatal one.
    fn receive(&mut self) {
        while let Ok(report) = self.lines.try_recv() {
            if let Report::Fatal { error } = &report {
                panic!("worker {} failed: {error}", self.index);
            }
            self.reports.push(report);
        }
    }

    fn send(&mut self, command: Command) {
        let stdin = self.stdin.as_mut().expect("the worker's stdin");
        writeln!(stdin, "{}", command.line())
            .and_then(|()| stdin.flush())
            .unwrap_or_else(|e| panic!("worker {}: could not send a command: {e}", self.index));
    }

    /// Its process id, once it reported ready.
    pub fn pid(&self) -> Option<u32> {
        self.reports.iter().find_map(|report| match report {
            Report::Ready { pid } => Some(*pid),
            _ => None,
        })
    }

    /// Whether it reported `report` (compared exactly).
    pub fn has_reported(&self, report: &Report) -> bool {
        self.reports.contains(report)
    }

    /// The reports after the first one equal to `report` (empty if there is none).
    pub fn reports_after(&self, report: &Report) -> &[Report] {
        match self.reports.iter().position(|r| r == report) {
            Some(at) => &self.reports[at + 1..],
            None => &[],
        }
    }

    /// The access token of the last token it reported.
    pub fn latest_token(&self) -> Option<&str> {
        self.reports.iter().rev().find_map(|report| match report {
            Report::Token { access, .. } => Some(access.as_str()),
            _ => None,
        })
    }

    /// Its last report, once it finished.
    pub fn final_report(&self) -> Option<&Final> {
        self.reports.iter().find_map(|report| match report {
            Report::Final(last) => Some(last),
            _ => None,
        })
    }

    /// The failed renewals it reported.
    pub fn refresh_failures(&self) -> Vec<&str> {
        self.reports
            .iter()
            .filter_map(|report| match report {
                Report::RefreshFailed { error } => Some(error.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The longest failure streak it reported, in milliseconds.
    pub fn longest_streak_millis(&self) -> u64 {
        let reported = self.reports.iter().filter_map(|report| match report {
            Report::FailureStreak { millis, .. } => Some(*millis),
            _ => None,
        });
        let open = self.final_report().map(|f| f.longest_streak_millis);
        reported.chain(open).max().unwrap_or(0)
    }

    fn kill_and_reap(&mut self) -> std::io::Result<ExitStatus> {
        self.child.kill()?;
        self.child.wait()
    }
}

/// A token some worker reported.
#[derive(Clone, Debug)]
pub struct SeenToken {
    /// Its access token.
    pub access: String,
    /// When it expires (Unix seconds).
    pub expires_at: f64,
    /// Whether it carried a refresh token.
    pub has_refresh_token: bool,
    /// Which workers set it, with the origin each saw (`Local`, `SharedStore`, `OtherProcess`).
    pub holders: Vec<(usize, String)>,
}

/// The worker processes of a test. Dropping it kills those still running, so a failing test
/// leaves none behind.
pub struct Workers {
    /// The workers, by index.
    pub workers: Vec<Worker>,
}

impl Workers {
    /// Starts `count` workers with `config`.
    pub fn spawn(count: usize, config: &WorkerConfig) -> Self {
        Self {
            workers: (0..count).map(|i| Worker::spawn(i, config)).collect(),
        }
    }

    /// The workers the test did not kill.
    pub fn alive(&self) -> impl Iterator<Item = &Worker> {
        self.workers.iter().filter(|w| !w.killed)
    }

    /// Takes in the reports that arrived from every worker.
    pub fn receive_all(&mut self) {
        for worker in &mut self.workers {
            worker.receive();
        }
    }

    /// Waits until `done` holds for the reports received, panicking with `what` after `timeout`.
    pub async fn wait_until(
        &mut self,
        what: &str,
        timeout: Duration,
        mut done: impl FnMut(&Self) -> bool,
    ) {
        let deadline = Instant::now() + timeout;
        loop {
            self.receive_all();
            if done(self) {
                return;
            }
            if Instant::now() >= deadline {
                let exited: Vec<_> = self
                    .workers
                    .iter_mut()
                    .map(|w| (w.index, w.child.try_wait().ok().flatten()))
                    .filter(|(_, status)| status.is_some())
                    .collect();
                panic!(
                    "timed out after {timeout:?} waiting for: {what} (exited workers: {exited:?})"
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until every live worker is ready.
    pub async fn wait_ready(&mut self) {
        self.wait_until("every worker ready", Duration::from_secs(60), |all| {
            all.alive().all(|w| w.pid().is_some())
        })
        .await;
    }

    /// The worker with process id `pid`.
    pub fn index_of_pid(&self, pid: u32) -> Option<usize> {
        self.workers.iter().position(|w| w.pid() == Some(pid))
    }

    /// Kills worker `index` with SIGKILL and checks that the signal is what ended it.
    pub fn sigkill(&mut self, index: usize) {
        let worker = &mut self.workers[index];
        let status = worker.kill_and_reap().expect("SIGKILL the worker");
        assert_eq!(
            status.signal(),
            Some(9),
            "worker {index} ended otherwise: {status:?}"
        );
        worker.killed = true;
    }

    /// Ends the run at a quiet point, in two steps: every live worker stops its requests and
    /// its own renewals ([`Command::Pause`]); once all have, none can start a renewal, and each
    /// waits until the cluster is quiet and reports its final state ([`Command::Finish`]).
    /// Then checks that they exit cleanly.
    pub async fn finish(&mut self) {
        for worker in self.workers.iter_mut().filter(|w| !w.killed) {
            worker.send(Command::Pause);
        }
        self.wait_until("every worker paused", Duration::from_secs(30), |all| {
            all.alive().all(|w| w.has_reported(&Report::Paused))
        })
        .await;
        for worker in self.workers.iter_mut().filter(|w| !w.killed) {
            worker.send(Command::Finish);
        }
        self.wait_until(
            "every worker's final report",
            Duration::from_secs(30),
            |all| all.alive().all(|w| w.final_report().is_some()),
        )
        .await;
        for worker in self.workers.iter_mut().filter(|w| !w.killed) {
            let deadline = Instant::now() + Duration::from_secs(20);
            let status = loop {
                if let Some(status) = worker.child.try_wait().expect("the worker's status") {
                    break status;
                }
                assert!(
                    Instant::now() < deadline,
                    "worker {} did not exit",
                    worker.index
                );
                tokio::time::sleep(POLL).await;
            };
            assert!(
                status.success(),
                "worker {} exited with {status:?}",
                worker.index
            );
        }
    }

    /// Every distinct token the workers reported, ordered by expiry.
    pub fn tokens(&self) -> Vec<SeenToken> {
        let mut by_access: BTreeMap<String, SeenToken> = BTreeMap::new();
        for worker in &self.workers {
            for report in &worker.reports {
                let Report::Token {
                    origin,
                    access,
                    expires_at,
                    has_refresh_token,
                } = report
                else {
                    continue;
                };
                by_access
                    .entry(access.clone())
                    .or_insert_with(|| SeenToken {
                        access: access.clone(),
                        expires_at: *expires_at,
                        has_refresh_token: *has_refresh_token,
                        holders: Vec::new(),
                    })
                    .holders
                    .push((worker.index, origin.clone()));
            }
        }
        let mut tokens: Vec<SeenToken> = by_access.into_values().collect();
        tokens.sort_by(|a, b| a.expires_at.total_cmp(&b.expires_at));
        tokens
    }

    /// Checks every live worker's final report: it settled on the stored token `stored_access`.
    pub fn assert_all_hold(&self, stored_access: &str) {
        for worker in self.alive() {
            let last = worker.final_report().expect("a final report");
            assert!(
                last.settled,
                "worker {} never saw a quiet cluster holding the stored token: {last:?}",
                worker.index
            );
            assert_eq!(
                last.held.as_deref(),
                Some(stored_access),
                "worker {} ended on another token than the stored one",
                worker.index
            );
        }
    }

    /// Checks that every live worker sent at least `at_least` requests and none failed.
    pub fn assert_no_failed_request(&self, at_least: u64) {
        for worker in self.alive() {
            let last = worker.final_report().expect("a final report");
            assert_eq!(
                last.failures, 0,
                "worker {}: {} of {} requests failed, the first with: {:?}",
                worker.index, last.failures, last.requests, last.first_error
            );
            assert!(
                last.requests >= at_least,
                "worker {} sent only {} requests",
                worker.index,
                last.requests
            );
        }
    }

    /// Total requests of the live workers.
    pub fn requests(&self) -> u64 {
        self.alive()
            .filter_map(Worker::final_report)
            .map(|f| f.requests)
            .sum()
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        for worker in self.workers.iter_mut().filter(|w| !w.killed) {
            // Already gone after a clean finish; killing an exited child is harmless.
            let _ = worker.kill_and_reap();
        }
    }
}

/// Checks that consecutive tokens (ordered by expiry) were issued at least a token's fresh time
/// apart: a renewal happens only once the held token is stale, so two tokens issued for one
/// expiry, by two processes that both renewed it, would be milliseconds apart.
pub fn assert_one_renewal_per_expiry(tokens: &[SeenToken]) {
    // Timers and clocks: a few milliseconds of leeway.
    let shortest = fresh_for().as_secs_f64() - 0.05;
    for pair in tokens.windows(2) {
        let gap = pair[1].expires_at - pair[0].expires_at;
        assert!(
            gap >= shortest,
            "two renewals {gap:.3} s apart (a token is fresh for {:?}): {:?} then {:?}",
            fresh_for(),
            pair[0],
            pair[1]
        );
    }
}

/// Checks that the fake answered every token call with 200: no `invalid_grant`, nothing pending.
pub fn assert_every_token_call_succeeded(fake: &FakeSpotify) {
    let failed: Vec<_> = fake
        .log()
        .into_iter()
        .filter(|entry| matches!(&entry.kind, LogKind::TokenCall { status, .. } if *status != 200))
        .collect();
    assert!(
        failed.is_empty(),
        "token calls that did not succeed: {failed:?}"
    );
}
