//! Cluster propagation (feature `redis`): with 2, 4 and 8 OS processes sharing one session
//! through Redis, how long a token renewed in one process takes to reach the others, and how
//! many token-endpoint calls one expiry costs the whole cluster (target: exactly 1).
//!
//! Set-up, per process count N: the bench process runs a `FakeSpotify` (system clock, tokens
//! that live 3 s) and a `redis-server` (from `PATH`, on a free loopback port, killed on drop),
//! then starts N workers: this same binary again (`current_exe()`), told by environment variables
//! to be a worker. Each worker runs a `Spotipie` with a `RedisCluster` (default
//! `ClusterOptions`, a namespace of its own for each N), a client-credentials session with the
//! fixed id `bench-app` (so every worker shares one key) and a policy with a 250 ms expiry
//! margin and a 1 s refresh-ahead window (a token turns stale 1.75 s after it is issued). Each
//! worker fetches or adopts its first token, then obeys commands on its stdin (`renew`, `load`,
//! `quiet`, `quit`) and prints on its stdout, for every `TokenUpdated`, a line
//! `updated <origin> <new token fingerprint> <old token fingerprint> <expires_at µs> <unix µs>`,
//! timestamped with the wall clock as the event comes off the session's event stream. A
//! fingerprint is the first 6 bytes of the SHA-256 of the access token: no token is ever
//! printed. The bench process also subscribes to the namespace's announcement channel itself
//! (`RedisStore::announcements`, on a thread of its own, before the workers start) and stamps
//! each announcement as it hears it: a bystander's view of the moment a saved token became
//! available to the cluster. An announcement carries the token's `expires_at`, which is how it
//! is matched with the workers' events. All processes run on one machine, so the wall-clock
//! timestamps of different processes are comparable.
//!
//! Two phases per N:
//! - forced renewals: the bench tells one worker (round robin) to `renew()`, and waits until
//!   every other worker has adopted that token before the next round;
//! - natural expiries: every worker sends `GET /v1/tracks/..` every 20 ms and the refresh-ahead
//!   timers renew the token as it turns stale, until K renewals have reached every worker (plus
//!   300 ms, well short of the next renewal, for a late duplicate to show up).
//!
//! Figures, per N:
//! - propagation latency: for every renewal, every other worker's `TokenUpdated` with origin
//!   `OtherProcess` minus the moment the bench process heard that token's announcement (both
//!   phases pooled; p50, p99, and the maximum in the JSON). That is the relay's share: receive
//!   the announcement, load the hash, hand the token to the session, raise the event. (The
//!   renewing worker's own `SharedStore` event is no reference: it comes after the save, the
//!   lease release and its own hand-over, so adopters are often first.) For context, forced
//!   renewals are also timed from the moment the worker calls `renew()` (it prints
//!   `renew-start <unix µs>`) to its own `TokenUpdated` and to the others': lease, load, token
//!   call, save and relay together;
//! - renewal calls per expiry, natural phase only: the fake's token-endpoint calls during the
//!   phase divided by the expiries, where an expiry is a distinct token that some worker
//!   replaced by renewing it itself (the old token of a `SharedStore` or `Local` event). Two
//!   processes renewing for the same expiry therefore show up as 2.00.
//!
//! Also checked and reported: every request answered 200, no 401 at the fake, no renewal outside
//! the cluster (`Local` origin), every renewal announced and reached every worker.
//!
//! `cargo bench --features redis --bench cluster_propagation`: N = 2, 4, 8, 150 forced renewals
//! (`SPOTIPIE_BENCH_ROUNDS` overrides) and 15 expiries each. Quick mode (`--test`, `cargo test
//! --benches`): N = 2, one forced renewal, one expiry, no JSON.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures::StreamExt as _;
use serde_json::json;
use sha2::{Digest as _, Sha256};
use spotipie::cluster::{ClusterOptions, RedisCluster};
use spotipie::store::{RedisOptions, RedisStore};
use spotipie::testing::{FakeSpotify, RedisServer};
use spotipie::{
    ClientCredentialsFlow, Credentials, Endpoints, OAuth2Token, Policy, SessionEvent, SessionId,
    SessionOptions, Spotipie, TokenOrigin,
};

use common::{Figure, Mode, Report, TRACK};

/// Set (to the worker's index) in a worker's environment.
const WORKER_ENV: &str = "SPOTIPIE_BENCH_CLUSTER_WORKER";
/// The fake's base URL, for the workers.
const FAKE_URL_ENV: &str = "SPOTIPIE_BENCH_CLUSTER_FAKE_URL";
/// The Redis URL, for the workers.
const REDIS_URL_ENV: &str = "SPOTIPIE_BENCH_CLUSTER_REDIS_URL";
/// The Redis namespace of one fleet, for the workers.
const NAMESPACE_ENV: &str = "SPOTIPIE_BENCH_CLUSTER_NAMESPACE";

/// The session id every worker uses: one shared key.
const SESSION: &str = "bench-app";
/// Lifetime of the fake's tokens.
const TOKEN_LIFETIME_S: u64 = 3;
/// The workers' expiry margin and refresh-ahead window: a token turns stale 1.75 s after issue.
const EXPIRY_MARGIN: Duration = Duration::from_millis(250);
const REFRESH_AHEAD: Duration = Duration::from_secs(1);
/// Pause between two requests of one worker in the natural phase.
const REQUEST_INTERVAL: Duration = Duration::from_millis(20);
/// Process counts.
const PROCESSES: [usize; 3] = [2, 4, 8];
/// Forced renewals per process count.
const FORCED: usize = 150;
/// Natural expiries per process count.
const EXPIRIES: usize = 15;
/// After the last expiry, how long to keep listening for a duplicate renewal.
const SETTLE: Duration = Duration::from_millis(300);
/// The longest one renewal may take to reach every worker before the bench gives up.
const ROUND_TIMEOUT: Duration = Duration::from_secs(10);

fn main() {
    // A worker first: it must not parse the bench arguments or print anything else.
    if let Some(index) = std::env::var_os(WORKER_ENV) {
        let code = match worker(&index.to_string_lossy()) {
            Ok(()) => 0,
            Err(error) => {
                eprintln!("cluster_propagation worker {index:?}: {error}");
                2
            }
        };
        std::process::exit(code);
    }
    let mode = Mode::from_args();
    if mode == Mode::List {
        println!("cluster_propagation: benchmark");
        return;
    }
    if let Err(error) = run(mode) {
        eprintln!("cluster_propagation: {error}");
        std::process::exit(1);
    }
}

/// The workers' policy: short margins to go with 3-second tokens.
fn policy() -> Policy {
    Policy {
        expiry_margin: EXPIRY_MARGIN,
        refresh_ahead: REFRESH_AHEAD,
        ..Policy::default()
    }
}

/// A token's `expires_at` in whole microseconds, rounded as `RedisStore` rounds it for its
/// announcements: the key that matches a worker's `TokenUpdated` with the announcement of the
/// same token.
fn expires_micros(expires_at: f64) -> i64 {
    (expires_at * 1e6).round() as i64
}

fn unix_micros() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

/// The first 6 bytes of the SHA-256 of the access token, in hex: enough to tell tokens apart,
/// nothing to use.
fn fingerprint(token: &OAuth2Token) -> String {
    Sha256::digest(token.access_token.secret().as_bytes())
        .iter()
        .take(6)
        .fold(String::with_capacity(12), |mut out, byte| {
            let _ = write!(out, "{byte:02x}");
            out
        })
}

fn origin_name(origin: TokenOrigin) -> &'static str {
    match origin {
        TokenOrigin::Local => "local",
        TokenOrigin::SharedStore => "shared-store",
        TokenOrigin::OtherProcess => "other-process",
    }
}

// ---------------------------------------------------------------------------------------------
// The worker process.

/// One line to the bench process; a worker whose parent is gone exits.
fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{line}").and_then(|()| out.flush()).is_err() {
        std::process::exit(3);
    }
}

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} is not set"))
}

fn worker(index: &str) -> Result<(), String> {
    index
        .parse::<usize>()
        .map_err(|_| format!("{WORKER_ENV} is not a worker index: {index:?}"))?;
    let fake_url = env(FAKE_URL_ENV)?;
    let redis_url = env(REDIS_URL_ENV)?;
    let namespace = env(NAMESPACE_ENV)?;
    actix_rt::System::new().block_on(worker_main(fake_url, redis_url, namespace))
}

/// Stdin, line by line, read on a thread of its own; the channel closes at end of input (the
/// bench process has gone), which ends the worker.
fn stdin_lines() -> tokio::sync::mpsc::UnboundedReceiver<String> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

async fn worker_main(fake_url: String, redis_url: String, namespace: String) -> Result<(), String> {
    let options = ClusterOptions {
        redis: RedisOptions {
            namespace,
            ..RedisOptions::default()
        },
        ..ClusterOptions::default()
    };
    let cluster = RedisCluster::connect_with(&redis_url, options)
        .map_err(|error| format!("RedisCluster::connect_with: {error}"))?;
    let endpoints = Endpoints::single(&fake_url)
        .map_err(|error| format!("bad fake URL {fake_url:?}: {error}"))?;
    let spotipie = Spotipie::builder()
        .endpoints(endpoints)
        .policy(policy())
        .cluster(cluster)
        .start();

    let mut events = spotipie
        .events()
        .await
        .map_err(|error| format!("events: {error}"))?;
    actix_rt::spawn(async move {
        while let Some(event) = events.next().await {
            match event {
                SessionEvent::TokenUpdated(updated) => {
                    let at = unix_micros();
                    let old = updated
                        .old_token
                        .as_deref()
                        .map_or_else(|| "-".to_owned(), fingerprint);
                    say(&format!(
                        "updated {} {} {old} {} {at}",
                        origin_name(updated.origin),
                        fingerprint(&updated.new_token),
                        expires_micros(updated.new_token.expires_at),
                    ));
                }
                SessionEvent::RefreshFailed(failed) => {
                    say(&format!("error refresh failed: {}", failed.error));
                }
                _ => {}
            }
        }
    });

    let session = spotipie.start_session_with(
        ClientCredentialsFlow::new(Credentials::new(
            FakeSpotify::CLIENT_ID,
            FakeSpotify::CLIENT_SECRET,
        )),
        SessionOptions {
            id: Some(SessionId::new(SESSION)),
            ..SessionOptions::default()
        },
    );
    session
        .renew()
        .await
        .map_err(|error| format!("first token: {error}"))?;
    say("ready");

    let running = Arc::new(AtomicBool::new(false));
    let ok = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let mut load = None;
    let mut commands = stdin_lines();
    while let Some(command) = commands.recv().await {
        match command.trim() {
            "renew" => {
                say(&format!("renew-start {}", unix_micros()));
                let session = session.clone();
                actix_rt::spawn(async move {
                    if let Err(error) = session.renew().await {
                        say(&format!("error renew: {error}"));
                    }
                });
            }
            "load" if load.is_none() => {
                running.store(true, Ordering::SeqCst);
                let (session, running, ok, failed) =
                    (session.clone(), running.clone(), ok.clone(), failed.clone());
                load = Some(actix_rt::spawn(async move {
                    while running.load(Ordering::SeqCst) {
                        match session.get(TRACK).await {
                            Ok(response) if response.status == reqwest::StatusCode::OK => {
                                ok.fetch_add(1, Ordering::Relaxed);
                            }
                            answer => {
                                if failed.fetch_add(1, Ordering::Relaxed) == 0 {
                                    let what = match answer {
                                        Ok(response) => format!("status {}", response.status),
                                        Err(error) => error.to_string(),
                                    };
                                    say(&format!("error request: {what}"));
                                }
                            }
                        }
                        actix_rt::time::sleep(REQUEST_INTERVAL).await;
                    }
                }));
            }
            "quiet" => {
                running.store(false, Ordering::SeqCst);
                if let Some(load) = load.take() {
                    let _ = load.await;
                }
                say(&format!(
                    "stats {} {}",
                    ok.load(Ordering::Relaxed),
                    failed.load(Ordering::Relaxed)
                ));
            }
            "quit" => break,
            other => say(&format!("error unknown command {other:?}")),
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The bench process: workers and what they report.

/// A worker process; dropping it kills the process.
struct Worker {
    index: usize,
    child: Child,
    stdin: Option<ChildStdin>,
}

impl Worker {
    fn send(&mut self, command: &str) -> Result<(), String> {
        let stdin = self
            .stdin
            .as_mut()
            .ok_or_else(|| format!("worker {}: stdin closed", self.index))?;
        writeln!(stdin, "{command}")
            .and_then(|()| stdin.flush())
            .map_err(|error| format!("worker {}: {command}: {error}", self.index))
    }

    /// Asks it to quit and gives it up to `patience` before the drop kills it.
    fn quit(&mut self, patience: Duration) {
        let _ = self.send("quit");
        self.stdin = None;
        let deadline = Instant::now() + patience;
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.stdin = None;
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Phase {
    Startup,
    Forced,
    Natural,
    Done,
}

/// A token renewed in a worker ("shared-store", or "local" outside the cluster protocol).
struct Renewal {
    worker: usize,
    at_us: i64,
    old: Option<String>,
    /// When the worker was told to renew (forced renewals only).
    started_us: Option<i64>,
}

/// One token: who renewed it, when each other worker adopted it.
struct Generation {
    phase: Phase,
    /// The token's `expires_at` in µs: how its announcement is found.
    expires_us: i64,
    renewal: Option<Renewal>,
    adopted: HashMap<usize, i64>,
}

/// Everything the workers have said so far.
struct State {
    n: usize,
    phase: Phase,
    generations: HashMap<String, Generation>,
    /// Fingerprints in order of first mention.
    order: Vec<String>,
    ready: usize,
    exited: usize,
    /// `(ok, failed)` requests per worker, after `quiet`.
    stats: HashMap<usize, (u64, u64)>,
    local_renewals: usize,
    /// Per worker, when it last started a forced `renew()` not yet matched with its token.
    renew_started: HashMap<usize, i64>,
    /// When the bench process heard each announcement (µs), by the token's `expires_at` (µs).
    announced: HashMap<i64, i64>,
    /// What stops the measurement: a worker gone, a line that makes no sense.
    errors: Vec<String>,
    /// What the workers reported going wrong (failed renewals, requests): reported, not fatal.
    worker_errors: Vec<String>,
}

impl State {
    fn new(n: usize) -> State {
        State {
            n,
            phase: Phase::Startup,
            generations: HashMap::new(),
            order: Vec::new(),
            ready: 0,
            exited: 0,
            stats: HashMap::new(),
            local_renewals: 0,
            renew_started: HashMap::new(),
            announced: HashMap::new(),
            errors: Vec::new(),
            worker_errors: Vec::new(),
        }
    }

    fn handle(&mut self, worker: usize, line: Option<&str>) {
        let Some(line) = line else {
            self.exited += 1;
            if self.phase != Phase::Done {
                self.errors.push(format!("worker {worker} exited early"));
            }
            return;
        };
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["ready"] => self.ready += 1,
            ["renew-start", at] => match at.parse::<i64>() {
                Ok(at_us) => {
                    self.renew_started.insert(worker, at_us);
                }
                Err(_) => self
                    .errors
                    .push(format!("worker {worker}: bad line {line:?}")),
            },
            ["updated", origin, new, old, expires, at] => match (expires.parse(), at.parse()) {
                (Ok(expires_us), Ok(at_us)) => {
                    self.updated(worker, origin, new, old, expires_us, at_us)
                }
                _ => self
                    .errors
                    .push(format!("worker {worker}: bad line {line:?}")),
            },
            ["stats", ok, failed] => match (ok.parse(), failed.parse()) {
                (Ok(ok), Ok(failed)) => {
                    self.stats.insert(worker, (ok, failed));
                }
                _ => self
                    .errors
                    .push(format!("worker {worker}: bad line {line:?}")),
            },
            ["error", ..] => self.worker_errors.push(format!("worker {worker}: {line}")),
            _ => self
                .errors
                .push(format!("worker {worker}: unexpected line {line:?}")),
        }
    }

    fn updated(
        &mut self,
        worker: usize,
        origin: &str,
        new: &str,
        old: &str,
        expires_us: i64,
        at_us: i64,
    ) {
        let phase = self.phase;
        let generation = self.generations.entry(new.to_owned()).or_insert_with(|| {
            self.order.push(new.to_owned());
            Generation {
                phase,
                expires_us,
                renewal: None,
                adopted: HashMap::new(),
            }
        });
        match origin {
            "other-process" => {
                generation.adopted.entry(worker).or_insert(at_us);
            }
            "shared-store" | "local" => {
                if origin == "local" {
                    self.local_renewals += 1;
                }
                if let Some(previous) = &generation.renewal {
                    self.errors.push(format!(
                        "token {new} renewed twice, by workers {} and {worker}",
                        previous.worker
                    ));
                } else {
                    generation.renewal = Some(Renewal {
                        worker,
                        at_us,
                        old: (old != "-").then(|| old.to_owned()),
                        started_us: self.renew_started.remove(&worker),
                    });
                }
            }
            _ => self
                .errors
                .push(format!("worker {worker}: unknown origin {origin:?}")),
        }
    }

    /// Renewals of `phase` that every other worker has adopted.
    fn complete(&self, phase: Phase) -> usize {
        self.generations
            .values()
            .filter(|g| g.phase == phase && g.renewal.is_some() && g.adopted.len() + 1 >= self.n)
            .count()
    }

    /// The generations of `phase` with a renewal, in order.
    fn renewals(&self, phase: Phase) -> impl Iterator<Item = (&Generation, &Renewal)> {
        self.order
            .iter()
            .filter_map(|fp| self.generations.get(fp))
            .filter(move |g| g.phase == phase)
            .filter_map(|g| g.renewal.as_ref().map(|r| (g, r)))
    }

    /// Per-adopter propagation samples (µs) of `phase`, from the announcement to each other
    /// worker's `TokenUpdated`, and the time until the last adopter (µs) of each complete
    /// renewal.
    fn propagation(&self, phase: Phase) -> (Vec<i64>, Vec<i64>) {
        let mut each = Vec::new();
        let mut last = Vec::new();
        for (generation, renewal) in self.renewals(phase) {
            let Some(announced) = self.announced.get(&generation.expires_us) else {
                continue;
            };
            let delays: Vec<i64> = generation
                .adopted
                .iter()
                .filter(|(worker, _)| **worker != renewal.worker)
                .map(|(_, at)| at - announced)
                .collect();
            if delays.len() + 1 >= self.n {
                last.extend(delays.iter().max());
            }
            each.extend(delays);
        }
        (each, last)
    }

    /// Forced renewals from `renew()` (µs): to the renewer's own `TokenUpdated`, and to each
    /// other worker's.
    fn end_to_end(&self) -> (Vec<i64>, Vec<i64>) {
        let mut own = Vec::new();
        let mut others = Vec::new();
        for (generation, renewal) in self.renewals(Phase::Forced) {
            let Some(started) = renewal.started_us else {
                continue;
            };
            own.push(renewal.at_us - started);
            others.extend(
                generation
                    .adopted
                    .iter()
                    .filter(|(worker, _)| **worker != renewal.worker)
                    .map(|(_, at)| at - started),
            );
        }
        (own, others)
    }

    /// Adoptions that never came: renewals of `phase` times the other workers, minus samples.
    fn missing(&self, phase: Phase) -> usize {
        self.renewals(phase)
            .map(|(g, r)| {
                let adopted = g.adopted.keys().filter(|w| **w != r.worker).count();
                (self.n - 1).saturating_sub(adopted)
            })
            .sum()
    }

    /// Renewals of `phase` whose announcement the bench process never heard.
    fn unannounced(&self, phase: Phase) -> usize {
        self.renewals(phase)
            .filter(|(g, _)| !self.announced.contains_key(&g.expires_us))
            .count()
    }

    /// Distinct tokens that a worker replaced by renewing in `phase`.
    fn expiries(&self, phase: Phase) -> usize {
        self.renewals(phase)
            .filter_map(|(_, r)| r.old.clone())
            .collect::<BTreeSet<_>>()
            .len()
    }
}

/// What the bench process hears, on one channel: the workers' lines and the announcements.
enum Heard {
    /// A worker's stdout line, or `None` when its stdout closed.
    Worker(usize, Option<String>),
    /// The observer is subscribed to the fleet's announcements.
    ObserverUp,
    /// An announcement: the stored token's `expires_at` (µs), and when it was heard (µs).
    Announced { expires_us: i64, at_us: i64 },
    /// The observer could not subscribe, or its subscription ended.
    ObserverFailed(String),
}

/// The bench process's own subscription to the fleet's announcements, on a thread of its own:
/// a bystander that hears each save as any process does, and so stamps the moment the token
/// became available to the cluster. Ends when `stop` is dropped.
fn observe(
    redis_url: String,
    namespace: String,
    tx: mpsc::Sender<Heard>,
    mut stop: tokio::sync::oneshot::Receiver<()>,
) {
    let fail = |tx: &mpsc::Sender<Heard>, what: String| {
        let _ = tx.send(Heard::ObserverFailed(what));
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return fail(&tx, format!("observer runtime: {error}")),
    };
    runtime.block_on(async move {
        let options = RedisOptions {
            namespace,
            ..RedisOptions::default()
        };
        let store = match RedisStore::open_with(&redis_url, options) {
            Ok(store) => store,
            Err(error) => return fail(&tx, format!("observer store: {error}")),
        };
        let mut announcements = match store.announcements().await {
            Ok(announcements) => announcements,
            Err(error) => return fail(&tx, format!("observer subscription: {error}")),
        };
        if tx.send(Heard::ObserverUp).is_err() {
            return;
        }
        loop {
            tokio::select! {
                next = announcements.next() => {
                    let Some(announcement) = next else {
                        return fail(&tx, "the announcement stream ended".to_owned());
                    };
                    let at_us = unix_micros();
                    let expires_us = expires_micros(announcement.expires_at);
                    if tx.send(Heard::Announced { expires_us, at_us }).is_err() {
                        return;
                    }
                }
                _ = &mut stop => return,
            }
        }
    });
}

/// N workers, the observer, and the channel they are heard on.
struct Fleet {
    workers: Vec<Worker>,
    heard: mpsc::Receiver<Heard>,
    state: State,
    /// Dropped with the fleet, which ends the observer.
    _stop_observer: tokio::sync::oneshot::Sender<()>,
}

impl Fleet {
    fn spawn(n: usize, fake: &FakeSpotify, redis: &RedisServer) -> Result<Fleet, String> {
        let exe = std::env::current_exe().map_err(|error| format!("current_exe: {error}"))?;
        let namespace = format!("spotipie-bench-propagation-{}-{n}", std::process::id());
        let (tx, heard) = mpsc::channel();

        // The observer first, so it hears the workers' first token too.
        let (stop_observer, stop) = tokio::sync::oneshot::channel();
        let (url, observed, observer_tx) = (redis.url(), namespace.clone(), tx.clone());
        std::thread::spawn(move || observe(url, observed, observer_tx, stop));
        match heard.recv_timeout(Duration::from_secs(10)) {
            Ok(Heard::ObserverUp) => {}
            Ok(Heard::ObserverFailed(error)) => return Err(error),
            Ok(_) | Err(_) => return Err("the observer did not subscribe".to_owned()),
        }

        let mut workers = Vec::with_capacity(n);
        for index in 0..n {
            let mut child = Command::new(&exe)
                .env(WORKER_ENV, index.to_string())
                .env(FAKE_URL_ENV, fake.url())
                .env(REDIS_URL_ENV, redis.url())
                .env(NAMESPACE_ENV, &namespace)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .map_err(|error| format!("spawning worker {index}: {error}"))?;
            let stdin = child.stdin.take();
            let stdout = child.stdout.take();
            // Owned at once, so an error below still kills it.
            workers.push(Worker {
                index,
                child,
                stdin,
            });
            let stdout = stdout.ok_or_else(|| format!("worker {index}: no stdout"))?;
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    if tx.send(Heard::Worker(index, Some(line))).is_err() {
                        return;
                    }
                }
                let _ = tx.send(Heard::Worker(index, None));
            });
        }
        Ok(Fleet {
            workers,
            heard,
            state: State::new(n),
            _stop_observer: stop_observer,
        })
    }

    /// Handles what it hears until `until` holds; fails after `timeout`, or as soon as a
    /// worker reports an error or exits, or the observer fails.
    fn wait(
        &mut self,
        what: &str,
        timeout: Duration,
        until: impl Fn(&State) -> bool,
    ) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(error) = self.state.errors.first() {
                return Err(format!("while waiting for {what}: {error}"));
            }
            if until(&self.state) {
                return Ok(());
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(format!("timed out after {timeout:?} waiting for {what}"));
            }
            match self.heard.recv_timeout(left) {
                Ok(Heard::Worker(worker, line)) => self.state.handle(worker, line.as_deref()),
                Ok(Heard::Announced { expires_us, at_us }) => {
                    self.state.announced.entry(expires_us).or_insert(at_us);
                }
                Ok(Heard::ObserverFailed(error)) => self.state.errors.push(error),
                Ok(Heard::ObserverUp) => {}
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(format!("every worker is gone, waiting for {what}"));
                }
            }
        }
    }

    /// Handles worker lines for `duration`.
    fn listen(&mut self, duration: Duration) -> Result<(), String> {
        let deadline = Instant::now() + duration;
        self.wait(
            "nothing (listening)",
            duration + Duration::from_secs(1),
            |_| Instant::now() >= deadline,
        )
    }

    fn send_all(&mut self, command: &str) -> Result<(), String> {
        self.workers.iter_mut().try_for_each(|w| w.send(command))
    }
}

/// What one process count measured.
struct Outcome {
    forced: usize,
    expiries: usize,
    natural_renewals: usize,
    token_calls: u64,
    forced_us: Vec<i64>,
    natural_us: Vec<i64>,
    last_us: Vec<i64>,
    renew_own_us: Vec<i64>,
    renew_others_us: Vec<i64>,
    missing: usize,
    unannounced: usize,
    requests_ok: u64,
    requests_failed: u64,
    unauthorized: u64,
    local_renewals: usize,
    worker_errors: Vec<String>,
    natural_s: f64,
    total_s: f64,
}

fn measure(
    n: usize,
    forced: usize,
    expiries: usize,
    fake: &FakeSpotify,
    redis: &RedisServer,
) -> Result<Outcome, String> {
    let started = Instant::now();
    let mut fleet = Fleet::spawn(n, fake, redis)?;
    fleet.wait("every worker's first token", Duration::from_secs(60), |s| {
        s.ready == n
    })?;

    fleet.state.phase = Phase::Forced;
    for round in 0..forced {
        let before = fleet.state.complete(Phase::Forced);
        fleet.workers[round % n].send("renew")?;
        fleet.wait(
            &format!("forced renewal {round} to reach every worker"),
            ROUND_TIMEOUT,
            |s| s.complete(Phase::Forced) > before,
        )?;
    }

    // Right after a renewal: the next one is 1.75 s away, so no call is in flight.
    fleet.state.phase = Phase::Natural;
    let before = fake.stats();
    let natural = Instant::now();
    fleet.send_all("load")?;
    let timeout = ROUND_TIMEOUT + Duration::from_secs(TOKEN_LIFETIME_S) * expiries as u32;
    fleet.wait(
        &format!("{expiries} expiries to reach every worker"),
        timeout,
        |s| s.complete(Phase::Natural) >= expiries,
    )?;
    fleet.listen(SETTLE)?;
    let after = fake.stats();
    let natural_s = natural.elapsed().as_secs_f64();
    fleet.state.phase = Phase::Done;
    fleet.send_all("quiet")?;
    fleet.wait("request counts", ROUND_TIMEOUT, |s| s.stats.len() == n)?;
    for worker in &mut fleet.workers {
        worker.quit(Duration::from_secs(3));
    }

    let state = &fleet.state;
    let (forced_us, forced_last) = state.propagation(Phase::Forced);
    let (natural_us, natural_last) = state.propagation(Phase::Natural);
    let (renew_own_us, renew_others_us) = state.end_to_end();
    Ok(Outcome {
        forced: state.renewals(Phase::Forced).count(),
        expiries: state.expiries(Phase::Natural),
        natural_renewals: state.renewals(Phase::Natural).count(),
        token_calls: after.token_calls_total() - before.token_calls_total(),
        forced_us,
        natural_us,
        last_us: forced_last.into_iter().chain(natural_last).collect(),
        renew_own_us,
        renew_others_us,
        missing: state.missing(Phase::Forced) + state.missing(Phase::Natural),
        unannounced: state.unannounced(Phase::Forced) + state.unannounced(Phase::Natural),
        requests_ok: state.stats.values().map(|s| s.0).sum(),
        requests_failed: state.stats.values().map(|s| s.1).sum(),
        unauthorized: after.unauthorized - before.unauthorized,
        local_renewals: state.local_renewals,
        worker_errors: state.worker_errors.clone(),
        natural_s,
        total_s: started.elapsed().as_secs_f64(),
    })
}

// ---------------------------------------------------------------------------------------------
// Statistics and the report.

/// Nearest-rank percentile of sorted samples.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// p50, p99, min, max (ms) of µs samples.
#[derive(Clone, Copy)]
struct Latency {
    p50: f64,
    p99: f64,
    min: f64,
    max: f64,
    n: usize,
}

impl Latency {
    fn of(samples_us: &[i64]) -> Option<Latency> {
        if samples_us.is_empty() {
            return None;
        }
        let mut ms: Vec<f64> = samples_us.iter().map(|us| *us as f64 / 1e3).collect();
        ms.sort_by(|a, b| a.total_cmp(b));
        Some(Latency {
            p50: percentile(&ms, 0.50),
            p99: percentile(&ms, 0.99),
            min: ms[0],
            max: ms[ms.len() - 1],
            n: ms.len(),
        })
    }

    fn json(this: Option<Latency>) -> serde_json::Value {
        match this {
            Some(l) => {
                json!({ "p50_ms": l.p50, "p99_ms": l.p99, "min_ms": l.min, "max_ms": l.max, "n": l.n })
            }
            None => json!(null),
        }
    }
}

fn fmt_ms(latency: Option<Latency>, pick: impl Fn(&Latency) -> f64) -> String {
    latency.map_or_else(|| "-".to_owned(), |l| format!("{:.2}", pick(&l)))
}

fn run(mode: Mode) -> Result<(), String> {
    let started = Instant::now();
    let processes: &[usize] = mode.pick(&PROCESSES[..], &PROCESSES[..1]);
    let forced = common::rounds(mode, FORCED);
    let expiries = mode.pick(EXPIRIES, 1);
    let redis = RedisServer::start().map_err(|error| format!("redis-server: {error}"))?;
    let fake = FakeSpotify::builder()
        .expires_in(TOKEN_LIFETIME_S)
        .try_start()
        .map_err(|error| format!("FakeSpotify: {error}"))?;

    let mut report = Report::new(
        "cluster_propagation",
        mode,
        &[
            "processes",
            "token calls / expiries",
            "calls per expiry",
            "p50 ms",
            "p99 ms",
            "samples",
        ],
    );
    report.config(json!({
        "processes": processes,
        "forced_renewals_per_count": forced,
        "natural_expiries_per_count": expiries,
        "token_lifetime_s": TOKEN_LIFETIME_S,
        "policy": {
            "expiry_margin_ms": EXPIRY_MARGIN.as_millis() as u64,
            "refresh_ahead_ms": REFRESH_AHEAD.as_millis() as u64,
            "stale_after_issue_ms": (TOKEN_LIFETIME_S as u128 * 1000 - EXPIRY_MARGIN.as_millis() - REFRESH_AHEAD.as_millis()) as u64,
        },
        "cluster_options": "ClusterOptions::default() (lease 15 s, poll 200 ms), one namespace per process count",
        "session": "client credentials, fixed SessionId \"bench-app\" in every worker",
        "request_interval_ms": REQUEST_INTERVAL.as_millis() as u64,
        "settle_ms": SETTLE.as_millis() as u64,
        "latency": "adopter's TokenUpdated (origin OtherProcess) minus the moment the bench process heard the token's announcement on the namespace's pub/sub channel (a bystander subscriber), wall-clock µs; each worker stamps its event as it leaves its event stream; forced and natural renewals pooled",
        "calls_per_expiry": "fake token-endpoint calls during the natural phase / distinct tokens replaced by a renewal (old token of SharedStore or Local events)",
        "server": "FakeSpotify (actix-web, one worker) and redis-server in the bench process's care, loopback; workers are this binary re-run",
    }));

    let mut problems = Vec::new();
    for &n in processes {
        let outcome = measure(n, forced, expiries, &fake, &redis)?;
        let pooled: Vec<i64> = outcome
            .forced_us
            .iter()
            .chain(&outcome.natural_us)
            .copied()
            .collect();
        let all = Latency::of(&pooled);
        let forced_l = Latency::of(&outcome.forced_us);
        let natural_l = Latency::of(&outcome.natural_us);
        let last_l = Latency::of(&outcome.last_us);
        let own_l = Latency::of(&outcome.renew_own_us);
        let others_l = Latency::of(&outcome.renew_others_us);
        let per_expiry = if outcome.expiries == 0 {
            f64::NAN
        } else {
            outcome.token_calls as f64 / outcome.expiries as f64
        };
        let negative = pooled.iter().filter(|us| **us < 0).count();
        if outcome.token_calls != outcome.expiries as u64 {
            problems.push(format!(
                "{n} processes: {} token calls for {} expiries",
                outcome.token_calls, outcome.expiries
            ));
        }
        if outcome.requests_failed > 0 || outcome.unauthorized > 0 {
            problems.push(format!(
                "{n} processes: {} failed requests, {} 401s at the fake",
                outcome.requests_failed, outcome.unauthorized
            ));
        }
        if outcome.missing > 0 || outcome.unannounced > 0 || outcome.local_renewals > 0 {
            problems.push(format!(
                "{n} processes: {} adoptions missing, {} renewals unannounced, {} renewals \
                 outside the cluster",
                outcome.missing, outcome.unannounced, outcome.local_renewals
            ));
        }
        for error in &outcome.worker_errors {
            problems.push(format!("{n} processes: {error}"));
        }
        report.figure(Figure {
            line: format!(
                "{n} processes: {} token calls / {} expiries = {per_expiry:.2} per expiry ({:.1} s of requests, {} ok, {} failed, {} 401); propagation p50 {} ms, p99 {} ms (min {}, max {}, {} samples: {} forced renewals, {} natural; {negative} negative); to the last of {} others p50 {} ms, p99 {} ms; forced renew() to the renewer's own TokenUpdated p50 {} ms, p99 {} ms, to the others' p50 {} ms, p99 {} ms; {:.1} s",
                outcome.token_calls,
                outcome.expiries,
                outcome.natural_s,
                outcome.requests_ok,
                outcome.requests_failed,
                outcome.unauthorized,
                fmt_ms(all, |l| l.p50),
                fmt_ms(all, |l| l.p99),
                fmt_ms(all, |l| l.min),
                fmt_ms(all, |l| l.max),
                pooled.len(),
                outcome.forced,
                outcome.natural_renewals,
                n - 1,
                fmt_ms(last_l, |l| l.p50),
                fmt_ms(last_l, |l| l.p99),
                fmt_ms(own_l, |l| l.p50),
                fmt_ms(own_l, |l| l.p99),
                fmt_ms(others_l, |l| l.p50),
                fmt_ms(others_l, |l| l.p99),
                outcome.total_s,
            ),
            row: vec![
                n.to_string(),
                format!("{} / {}", outcome.token_calls, outcome.expiries),
                common::ratio(per_expiry),
                fmt_ms(all, |l| l.p50),
                fmt_ms(all, |l| l.p99),
                pooled.len().to_string(),
            ],
            json: json!({
                "processes": n,
                "token_calls": outcome.token_calls,
                "expiries": outcome.expiries,
                "calls_per_expiry": per_expiry,
                "natural_renewals": outcome.natural_renewals,
                "forced_renewals": outcome.forced,
                "propagation": Latency::json(all),
                "propagation_forced": Latency::json(forced_l),
                "propagation_natural": Latency::json(natural_l),
                "propagation_to_last_adopter": Latency::json(last_l),
                "forced_renew_to_renewer_event": Latency::json(own_l),
                "forced_renew_to_other_events": Latency::json(others_l),
                "negative_samples": negative,
                "missing_adoptions": outcome.missing,
                "unannounced_renewals": outcome.unannounced,
                "local_renewals": outcome.local_renewals,
                "worker_errors": outcome.worker_errors,
                "requests_ok": outcome.requests_ok,
                "requests_failed": outcome.requests_failed,
                "unauthorized": outcome.unauthorized,
                "natural_phase_s": outcome.natural_s,
                "total_s": outcome.total_s,
                "samples_forced_us": outcome.forced_us,
                "samples_natural_us": outcome.natural_us,
            }),
        });
    }
    report.note(
        "latency = adopter's TokenUpdated(OtherProcess) − the announcement as heard by a bystander subscriber in the bench process, wall clock, same machine",
    );
    if problems.is_empty() {
        report.note("checked: one token call per expiry, every request 200, no 401, every renewal announced and adopted by every other process, none outside the cluster");
    }
    for problem in &problems {
        report.note(format!("PROBLEM: {problem}"));
    }
    report.note(format!("run took {:.1} s", started.elapsed().as_secs_f64()));
    report.finish();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{} problem(s), see the notes", problems.len()))
    }
}
