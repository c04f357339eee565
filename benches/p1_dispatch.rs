//! P1 (DESIGN §6): dispatch overhead of a request through a session against a bare `reqwest`
//! call with the same Bearer header, to the same loopback `FakeSpotify` (on its own thread),
//! through the same `reqwest::Client` (the Spotipie's, so both share one connection pool).
//!
//! Cases:
//! - same thread, concurrency 1 and 64: an actix `System` on the bench thread, the Spotipie
//!   started on it with `start()`, callers are tasks of that system;
//! - cross thread, concurrency 64: callers are tasks of a 2-worker tokio runtime, the actors run
//!   on their own thread (`start_in_thread()`).
//!
//! "Ours" is measured twice: `SessionHandle::get` (with a fresh token it dispatches on the
//! caller's task) and `session.addr().send(ApiRequest::get(..))` (every request a message to the
//! actor). Figure: ratio = throughput(bare) / throughput(ours), median of per-round ratios over
//! interleaved rounds; target ≤ 1.05 same thread, ≤ 1.10 cross thread.

mod common;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde_json::json;
use spotipie::testing::FakeSpotify;
use spotipie::{ApiRequest, Credentials, Endpoints, SessionHandle, Spotipie};
use tokio::task::JoinHandle;

use common::{Figure, Mode, Report, Summary, TRACK};

/// Requests per batch at concurrency 1.
const C1_BATCH: u64 = 1_000;
/// Requests per batch at concurrency 64.
const C64_BATCH: u64 = 4_000;
/// Requests in flight in the concurrent cases.
const CONCURRENCY: usize = 64;
/// Paired rounds per case.
const ROUNDS: usize = 20;
/// Same-thread target, and cross-thread target.
const TARGET_SAME: f64 = 1.05;
const TARGET_CROSS: f64 = 1.10;

/// How one request is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Via {
    /// `client.get(url).bearer_auth(token)`: no session at all.
    Bare,
    /// `SessionHandle::get`: the handle's fast path.
    Handle,
    /// `session.addr().send(ApiRequest::get(..))`: a message to the session actor.
    Message,
}

const VIAS: [Via; 3] = [Via::Bare, Via::Handle, Via::Message];

impl Via {
    fn name(self) -> &'static str {
        match self {
            Via::Bare => "bare",
            Via::Handle => "handle",
            Via::Message => "message",
        }
    }
}

/// Everything a request needs; cheap to clone into worker tasks.
#[derive(Clone)]
struct Target {
    http: reqwest::Client,
    url: Arc<str>,
    token: Arc<str>,
    session: SessionHandle,
}

impl Target {
    /// A fresh token for `session`, and the bare call's URL and Bearer value.
    async fn new(fake: &FakeSpotify, spotipie: &Spotipie, session: SessionHandle) -> Target {
        let token = session.renew().await.expect("P1: first token");
        assert!(
            session.token_snapshot().is_some(),
            "P1: the session published its token"
        );
        Target {
            http: spotipie.http_client().clone(),
            url: format!("{}{TRACK}", fake.api_url()).into(),
            token: token.access_token.secret().into(),
            session,
        }
    }

    /// One request; `true` if it came back 200 with its body read.
    async fn once(&self, via: Via) -> bool {
        match via {
            Via::Bare => {
                let sent = self
                    .http
                    .get(&*self.url)
                    .bearer_auth(&*self.token)
                    .send()
                    .await;
                match sent {
                    Ok(response) => {
                        let ok = response.status() == reqwest::StatusCode::OK;
                        response.bytes().await.is_ok() && ok
                    }
                    Err(_) => false,
                }
            }
            Via::Handle => {
                matches!(self.session.get(TRACK).await, Ok(r) if r.status == reqwest::StatusCode::OK)
            }
            Via::Message => matches!(
                self.session.addr().send(ApiRequest::get(TRACK)).await,
                Ok(Ok(r)) if r.status == reqwest::StatusCode::OK
            ),
        }
    }
}

type Task = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Spawns on the current actix arbiter (same thread).
fn spawn_local(task: Task) -> JoinHandle<()> {
    actix_rt::spawn(task)
}

/// Spawns on the current tokio multi-thread runtime.
fn spawn_pool(task: Task) -> JoinHandle<()> {
    tokio::spawn(task)
}

/// Makes `total` requests with `concurrency` workers in flight and returns the elapsed time.
/// Panics if any request failed.
async fn batch(
    target: &Target,
    via: Via,
    total: u64,
    concurrency: usize,
    spawn: fn(Task) -> JoinHandle<()>,
) -> Duration {
    let next = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let workers = (concurrency as u64).min(total).max(1);
    let start = Instant::now();
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let (target, next, failed) = (target.clone(), next.clone(), failed.clone());
            spawn(Box::pin(async move {
                while next.fetch_add(1, Ordering::Relaxed) < total {
                    if !target.once(via).await {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }))
        })
        .collect();
    for handle in handles {
        handle.await.expect("P1: a worker panicked");
    }
    let elapsed = start.elapsed();
    let failed = failed.load(Ordering::Relaxed);
    assert!(
        failed == 0,
        "P1: {failed} of {total} {} requests failed",
        via.name()
    );
    elapsed
}

fn throughput(total: u64, elapsed: Duration) -> f64 {
    total as f64 / elapsed.as_secs_f64()
}

fn credentials() -> Credentials {
    Credentials::new(FakeSpotify::CLIENT_ID, FakeSpotify::CLIENT_SECRET)
}

fn fake() -> FakeSpotify {
    // Long-lived tokens and the system clock: nothing expires during the bench.
    FakeSpotify::builder().expires_in(24 * 3600).start()
}

fn builder(fake: &FakeSpotify) -> spotipie::SpotipieBuilder {
    Spotipie::builder().endpoints(Endpoints::single(fake.url()).expect("loopback URL"))
}

/// One case's paired rounds: `samples[via][round]` in requests per second.
fn measure_case(
    rounds: usize,
    total: u64,
    fake: &FakeSpotify,
    mut block_on: impl FnMut(Via, u64) -> Duration,
) -> Vec<Vec<f64>> {
    // Warm-up: open the connections and let every path run before measuring.
    for via in VIAS {
        for _ in 0..2 {
            block_on(via, total.min(500));
        }
    }
    fake.reset_stats();
    common::interleaved(rounds, VIAS.len(), |v| {
        let t = throughput(total, block_on(VIAS[v], total));
        // The fake logs every request; keep its log short.
        fake.reset_stats();
        t
    })
}

fn record(
    report: &mut Report,
    case: &str,
    concurrency: usize,
    total: u64,
    target: f64,
    samples: &[Vec<f64>],
) {
    let bare = Summary::of(&samples[0]);
    for (i, via) in [(1, Via::Handle), (2, Via::Message)] {
        let ours = Summary::of(&samples[i]);
        let ratio = Summary::of(&common::ratios(&samples[0], &samples[i]));
        let ok = ratio.median <= target;
        let name = format!("P1 {case} c={concurrency}");
        let line = format!(
            "{name}: bare {} req/s, session({}) {} req/s, ratio {:.2} (min {:.2}, max {:.2}, {} rounds) — target ≤ {target:.2}: {}",
            common::per_sec(bare.median),
            via.name(),
            common::per_sec(ours.median),
            ratio.median,
            ratio.min,
            ratio.max,
            ratio.n,
            if ok { "met" } else { "MISSED" },
        );
        report.figure(Figure {
            line,
            row: vec![
                format!("{name} {}", via.name()),
                common::per_sec(bare.median),
                common::per_sec(ours.median),
                common::ratio(ratio.median),
                common::ratio(ratio.min),
                common::ratio(ratio.max),
                ratio.n.to_string(),
                format!("≤ {target:.2}"),
                common::met(ok),
            ],
            json: json!({
                "figure": "P1",
                "case": case,
                "concurrency": concurrency,
                "batch": total,
                "ours": via.name(),
                "bare_req_per_s": bare.json(),
                "ours_req_per_s": ours.json(),
                "ratio_bare_over_ours": ratio.json(),
                "target_max_ratio": target,
                "met": ok,
                "bare_samples": samples[0],
                "ours_samples": samples[i],
            }),
        });
    }
}

/// The paired rounds: prints the figures and writes `target/spotipie-bench/p1_dispatch.json`.
fn paired(_: &mut Criterion) {
    let mode = Mode::from_args();
    if mode == Mode::List {
        return;
    }
    let rounds = common::rounds(mode, ROUNDS);
    let (c1_batch, c64_batch) = (mode.pick(C1_BATCH, 20), mode.pick(C64_BATCH, 128));
    let mut report = Report::new(
        "p1_dispatch",
        mode,
        &[
            "figure",
            "bare req/s",
            "ours req/s",
            "ratio",
            "min",
            "max",
            "rounds",
            "target",
            "met",
        ],
    );
    report.config(json!({
        "rounds": rounds,
        "c1_batch": c1_batch,
        "c64_batch": c64_batch,
        "concurrency": CONCURRENCY,
        "round_order": "interleaved, rotating start: bare/handle/message, handle/message/bare, ...",
        "ratio": "throughput(bare) / throughput(ours), per round; median, min, max",
        "http_client": "the Spotipie's http_client() for all three",
        "server": "FakeSpotify (actix-web, one worker) on its own thread, loopback",
        "cross_thread_callers": "tokio multi-thread runtime, 2 workers; actors via start_in_thread()",
    }));
    let started = Instant::now();

    // Same thread: an actix system on this thread; callers are its tasks.
    {
        let fake = fake();
        let runner = actix_rt::System::new();
        let (_spotipie, target) = runner.block_on(async {
            let spotipie = builder(&fake).start();
            let session = spotipie.client_credentials_session(credentials());
            let target = Target::new(&fake, &spotipie, session).await;
            (spotipie, target)
        });
        let samples = measure_case(rounds, c1_batch, &fake, |via, n| {
            runner.block_on(batch(&target, via, n, 1, spawn_local))
        });
        record(
            &mut report,
            "same-thread",
            1,
            c1_batch,
            TARGET_SAME,
            &samples,
        );
        let samples = measure_case(rounds, c64_batch, &fake, |via, n| {
            runner.block_on(batch(&target, via, n, CONCURRENCY, spawn_local))
        });
        record(
            &mut report,
            "same-thread",
            CONCURRENCY,
            c64_batch,
            TARGET_SAME,
            &samples,
        );
    }

    // Cross thread: callers on a 2-worker tokio runtime, the actors on their own thread.
    {
        let fake = fake();
        let rt = tokio_runtime();
        let spotipie = builder(&fake).start_in_thread();
        let target = rt.block_on(async {
            let session = spotipie.client_credentials_session(credentials());
            Target::new(&fake, &spotipie, session).await
        });
        let samples = measure_case(rounds, c64_batch, &fake, |via, n| {
            rt.block_on(batch(&target, via, n, CONCURRENCY, spawn_pool))
        });
        record(
            &mut report,
            "cross-thread",
            CONCURRENCY,
            c64_batch,
            TARGET_CROSS,
            &samples,
        );
    }

    report.note(format!(
        "paired rounds took {:.1} s",
        started.elapsed().as_secs_f64()
    ));
    report.note(
        "handle = SessionHandle::get (fresh token: dispatched on the caller's task); \
         message = session.addr().send(ApiRequest::get(..)) (every request through the actor)",
    );
    report.finish();
}

fn tokio_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// Criterion's estimates of the same cases (time per request; throughput in requests/s).
fn criterion_same_thread(c: &mut Criterion) {
    let fake = fake();
    let runner = actix_rt::System::new();
    let (_spotipie, target) = runner.block_on(async {
        let spotipie = builder(&fake).start();
        let session = spotipie.client_credentials_session(credentials());
        let target = Target::new(&fake, &spotipie, session).await;
        (spotipie, target)
    });
    let mut group = c.benchmark_group("p1_same_thread");
    group.throughput(Throughput::Elements(1));
    for concurrency in [1, CONCURRENCY] {
        for via in VIAS {
            group.bench_function(format!("c{concurrency}/{}", via.name()), |b| {
                b.iter_custom(|iters| {
                    let elapsed =
                        runner.block_on(batch(&target, via, iters, concurrency, spawn_local));
                    fake.reset_stats();
                    elapsed
                })
            });
        }
    }
    group.finish();
}

fn criterion_cross_thread(c: &mut Criterion) {
    let fake = fake();
    let rt = tokio_runtime();
    let spotipie = builder(&fake).start_in_thread();
    let target = rt.block_on(async {
        let session = spotipie.client_credentials_session(credentials());
        Target::new(&fake, &spotipie, session).await
    });
    let mut group = c.benchmark_group("p1_cross_thread");
    group.throughput(Throughput::Elements(1));
    for via in VIAS {
        group.bench_function(format!("c{CONCURRENCY}/{}", via.name()), |b| {
            b.iter_custom(|iters| {
                let elapsed = rt.block_on(batch(&target, via, iters, CONCURRENCY, spawn_pool));
                fake.reset_stats();
                elapsed
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion_config();
    targets = paired, criterion_same_thread, criterion_cross_thread
}
criterion_main!(benches);
