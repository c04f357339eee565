//! P1 applied to the typed layer (DESIGN §6): the overhead of `spotipie::api::Spotify` (the
//! typed Web API client) against the equivalent bare work, to the same loopback `FakeSpotify` (on
//! its own thread), through the same `reqwest::Client` (the Spotipie's, so every variant shares
//! one connection pool).
//!
//! One request is "GET a track and parse it into `spotipie::api::models::Track`":
//! - bare: `client.get(url).bearer_auth(token)`, the body read whole, then
//!   `serde_json::from_slice::<Track>`: no session, no client;
//! - handle: `SessionHandle::get(path)` then `ApiResponse::json::<Track>()`: the session's fast
//!   path (P1's "handle"), without the typed layer;
//! - typed: `Spotify::get_track(&TrackId, None)`: the catalogue lookup, the path template, the
//!   scope check, the retry loop (one attempt) and the parse.
//!
//! Every variant checks the status and the parsed track's id, so all do the same work. The session
//! is a client-credentials session with a 1-hour token (renewed once before measuring), so no
//! renewal happens during the run and the handle always takes its fast path.
//!
//! Cases: same thread, concurrency 1 and 64 (an actix `System` on the bench thread, the Spotipie
//! started on it with `start()`, callers are tasks of that system). Figure: ratio =
//! throughput(bare) / throughput(typed), median of per-round ratios over interleaved rounds;
//! target ≤ 1.05. The ratios handle ÷ typed (the typed layer alone) and bare ÷ handle (the session
//! alone) split it. A last section times the typed layer's per-call pieces without the network
//! (catalogue lookup, scope snapshot, request construction and clone, the parse) to show where its
//! time goes.

mod common;

use std::future::Future;
use std::hint::black_box;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use reqwest::{Method, StatusCode};
use serde_json::json;
use spotipie::api::catalogue::Operation;
use spotipie::api::models::Track;
use spotipie::api::{Spotify, SpotifyId as _, TrackId};
use spotipie::testing::FakeSpotify;
use spotipie::{ApiRequest, Credentials, Endpoints, SessionHandle, Spotipie};
use tokio::task::JoinHandle;

use common::{Figure, Mode, Report, Summary, TRACK};

/// Requests per batch at concurrency 1.
const C1_BATCH: u64 = 2_000;
/// Requests per batch at concurrency 64.
const C64_BATCH: u64 = 8_000;
/// Requests in flight in the concurrent case.
const CONCURRENCY: usize = 64;
/// Paired rounds per case.
const ROUNDS: usize = 15;
/// The target of P1, applied to the typed layer.
const TARGET: f64 = 1.05;
/// Iterations of each piece timed without the network.
const PIECE_ITERS: u32 = 200_000;

/// How one request is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Via {
    /// `client.get(url).bearer_auth(token)` + `serde_json::from_slice`: no session, no client.
    Bare,
    /// `SessionHandle::get` + `ApiResponse::json`: the session, not the typed layer.
    Handle,
    /// `Spotify::get_track`: the typed client.
    Typed,
}

const VIAS: [Via; 3] = [Via::Bare, Via::Handle, Via::Typed];

impl Via {
    fn name(self) -> &'static str {
        match self {
            Via::Bare => "bare",
            Via::Handle => "handle",
            Via::Typed => "typed",
        }
    }
}

/// The track's bare id (the last segment of [`TRACK`]).
fn track_id() -> &'static str {
    TRACK.rsplit('/').next().expect("a path")
}

/// Everything a request needs; cheap to clone into worker tasks.
#[derive(Clone)]
struct Target {
    http: reqwest::Client,
    url: Arc<str>,
    token: Arc<str>,
    session: SessionHandle,
    spotify: Spotify,
    id: TrackId,
}

impl Target {
    /// A fresh token for `session`, the bare call's URL and Bearer value, and a typed client.
    async fn new(fake: &FakeSpotify, spotipie: &Spotipie, session: SessionHandle) -> Target {
        let token = session.renew().await.expect("P1 typed: first token");
        assert!(
            session.token_snapshot().is_some(),
            "P1 typed: the session published its token"
        );
        Target {
            http: spotipie.http_client().clone(),
            url: format!("{}{TRACK}", fake.api_url()).into(),
            token: token.access_token.secret().into(),
            spotify: Spotify::new(session.clone()),
            session,
            id: TrackId::parse(track_id()).expect("a valid track id"),
        }
    }

    /// One request; `true` if it came back 200 and parsed into the expected track.
    async fn once(&self, via: Via) -> bool {
        let track = match via {
            Via::Bare => {
                let sent = self
                    .http
                    .get(&*self.url)
                    .bearer_auth(&*self.token)
                    .send()
                    .await;
                let Ok(response) = sent else { return false };
                if response.status() != StatusCode::OK {
                    return false;
                }
                let Ok(body) = response.bytes().await else {
                    return false;
                };
                serde_json::from_slice::<Track>(&body).ok()
            }
            Via::Handle => match self.session.get(TRACK).await {
                Ok(response) if response.status == StatusCode::OK => response.json::<Track>().ok(),
                _ => None,
            },
            Via::Typed => self.spotify.get_track(&self.id, None).await.ok(),
        };
        track.is_some_and(|track| track.id.as_deref() == Some(track_id()))
    }
}

type Task = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Makes `total` requests with `concurrency` workers in flight, as tasks of the current actix
/// arbiter (same thread), and returns the elapsed time. Panics if any request failed.
async fn batch(target: &Target, via: Via, total: u64, concurrency: usize) -> Duration {
    let next = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let workers = (concurrency as u64).min(total).max(1);
    let start = Instant::now();
    let handles: Vec<JoinHandle<()>> = (0..workers)
        .map(|_| {
            let (target, next, failed) = (target.clone(), next.clone(), failed.clone());
            let task: Task = Box::pin(async move {
                while next.fetch_add(1, Ordering::Relaxed) < total {
                    if !target.once(via).await {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
            actix_rt::spawn(task)
        })
        .collect();
    for handle in handles {
        handle.await.expect("P1 typed: a worker panicked");
    }
    let elapsed = start.elapsed();
    let failed = failed.load(Ordering::Relaxed);
    assert!(
        failed == 0,
        "P1 typed: {failed} of {total} {} requests failed",
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
    // One-hour tokens and the system clock: nothing goes stale during the run (refresh-ahead
    // starts 60 s before expiry).
    FakeSpotify::builder().expires_in(3600).start()
}

/// An actix system on this thread, a Spotipie on it, and a client-credentials session with its
/// first token.
fn setup(fake: &FakeSpotify) -> (actix_rt::SystemRunner, Spotipie, Target) {
    let runner = actix_rt::System::new();
    let (spotipie, target) = runner.block_on(async {
        let spotipie = Spotipie::builder()
            .endpoints(Endpoints::single(fake.url()).expect("loopback URL"))
            .start();
        let session = spotipie.client_credentials_session(credentials());
        let target = Target::new(fake, &spotipie, session).await;
        (spotipie, target)
    });
    (runner, spotipie, target)
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

/// Records the three ratios of one case: bare ÷ typed (the figure), handle ÷ typed and
/// bare ÷ handle. Returns the typed variant's median throughput.
fn record(report: &mut Report, concurrency: usize, total: u64, samples: &[Vec<f64>]) -> f64 {
    let name = format!("P1 typed c={concurrency}");
    for (a, b, what, target) in [
        (0, 2, "bare÷typed", Some(TARGET)),
        (1, 2, "handle÷typed", None),
        (0, 1, "bare÷handle", None),
    ] {
        let base = Summary::of(&samples[a]);
        let ours = Summary::of(&samples[b]);
        let ratio = Summary::of(&common::ratios(&samples[a], &samples[b]));
        // The time one request costs on top, per round: 1/ours - 1/base, in µs.
        let extra: Vec<f64> = samples[a]
            .iter()
            .zip(&samples[b])
            .map(|(x, y)| (1.0 / y - 1.0 / x) * 1e6)
            .collect();
        let extra = Summary::of(&extra);
        let ok = target.map(|t| ratio.median <= t);
        let (va, vb) = (VIAS[a].name(), VIAS[b].name());
        let line = format!(
            "{name} {what}: {va} {} req/s, {vb} {} req/s, ratio {:.2} (min {:.2}, max {:.2}, {} rounds), {:+.2} µs/req{}",
            common::per_sec(base.median),
            common::per_sec(ours.median),
            ratio.median,
            ratio.min,
            ratio.max,
            ratio.n,
            extra.median,
            match (target, ok) {
                (Some(t), Some(ok)) =>
                    format!(" — target ≤ {t:.2}: {}", if ok { "met" } else { "MISSED" }),
                _ => String::new(),
            },
        );
        report.figure(Figure {
            line,
            row: vec![
                format!("{name} {what}"),
                common::per_sec(base.median),
                common::per_sec(ours.median),
                common::ratio(ratio.median),
                common::ratio(ratio.min),
                common::ratio(ratio.max),
                format!("{:.2}", extra.median),
                ratio.n.to_string(),
                target.map_or_else(|| "-".to_owned(), |t| format!("≤ {t:.2}")),
                ok.map_or_else(|| "-".to_owned(), common::met),
            ],
            json: json!({
                "figure": "P1 typed",
                "case": "same-thread",
                "concurrency": concurrency,
                "batch": total,
                "ratio_of": what,
                "base": va,
                "measured": vb,
                "base_req_per_s": base.json(),
                "measured_req_per_s": ours.json(),
                "ratio_base_over_measured": ratio.json(),
                "extra_us_per_request": extra.json(),
                "target_max_ratio": target,
                "met": ok,
                "base_samples": samples[a],
                "measured_samples": samples[b],
            }),
        });
    }
    Summary::of(&samples[2]).median
}

/// Nanoseconds per call of `f`, over `iters` calls.
fn time_ns<T>(iters: u32, mut f: impl FnMut() -> T) -> f64 {
    for _ in 0..iters.min(1_000) {
        black_box(f());
    }
    let start = Instant::now();
    for _ in 0..iters {
        black_box(f());
    }
    start.elapsed().as_nanos() as f64 / f64::from(iters)
}

/// Times the typed layer's per-call pieces without the network, and notes them in the report
/// with their share of a typed request (`typed`: concurrency and median typed req/s).
fn pieces(
    report: &mut Report,
    runner: &actix_rt::SystemRunner,
    target: &Target,
    iters: u32,
    typed: &[(usize, f64)],
) {
    let body = runner.block_on(async {
        let response = target.session.get(TRACK).await.expect("the fixture");
        response.body
    });
    let index = spotipie::api::catalogue::OPERATIONS
        .iter()
        .position(|op| op.id == "get_track")
        .expect("get_track in the catalogue");
    let request = ApiRequest::new(Method::GET, TRACK);
    // (what, ns, whether only the typed variant does it).
    let timed = [
        (
            format!(
                "Operation::find(\"get_track\") (entry {} of {})",
                index + 1,
                spotipie::api::catalogue::OPERATIONS.len()
            ),
            time_ns(iters, || Operation::find(black_box("get_track"))),
            true,
        ),
        (
            "SessionHandle::scope_snapshot()".to_owned(),
            time_ns(iters, || target.session.scope_snapshot()),
            true,
        ),
        (
            "SessionHandle::token_snapshot()".to_owned(),
            time_ns(iters, || target.session.token_snapshot()),
            true,
        ),
        (
            "ApiRequest::new(GET, path)".to_owned(),
            time_ns(iters, || ApiRequest::new(Method::GET, black_box(TRACK))),
            false,
        ),
        (
            "ApiRequest::clone (one per attempt)".to_owned(),
            time_ns(iters, || black_box(&request).clone()),
            true,
        ),
        (
            "path template: percent-encode the id + replace_range".to_owned(),
            time_ns(iters, || {
                let mut path = "/v1/tracks/{id}".to_owned();
                let encoded: String =
                    url::form_urlencoded::byte_serialize(black_box(track_id()).as_bytes())
                        .collect();
                path.replace_range(11..15, &encoded.replace('+', "%20"));
                path
            }),
            true,
        ),
        (
            "rand::random::<f64>() (retry jitter)".to_owned(),
            time_ns(iters, rand::random::<f64>),
            true,
        ),
        (
            format!(
                "serde_json::from_slice::<Track> ({} B body; all variants)",
                body.len()
            ),
            time_ns(iters / 10, || {
                serde_json::from_slice::<Track>(black_box(&body)).expect("a track")
            }),
            false,
        ),
    ];
    for (what, ns, extra) in &timed {
        let who = if *extra { "typed only" } else { "shared" };
        report.note(format!("piece ({who}): {what}: {ns:.0} ns"));
    }
    let extra: f64 = timed.iter().filter(|t| t.2).map(|t| t.1).sum();
    for (concurrency, req_per_s) in typed {
        let per_request = 1e9 / req_per_s;
        report.note(format!(
            "typed-only pieces: {extra:.0} ns = {:.2}% of a typed request at c={concurrency} \
             ({:.1} µs at the median {} req/s)",
            100.0 * extra / per_request,
            per_request / 1e3,
            common::per_sec(*req_per_s),
        ));
    }
    report.note(
        "pieces are timed on the bench thread without the network; each runs once per request \
         (the clone once per attempt)",
    );
}

/// The paired rounds: prints the figures and writes `target/spotipie-bench/p1_typed_client.json`.
fn paired(_: &mut Criterion) {
    let mode = Mode::from_args();
    if mode == Mode::List {
        return;
    }
    let rounds = common::rounds(mode, ROUNDS);
    let (c1_batch, c64_batch) = (mode.pick(C1_BATCH, 20), mode.pick(C64_BATCH, 128));
    let mut report = Report::new(
        "p1_typed_client",
        mode,
        &[
            "figure",
            "base req/s",
            "measured req/s",
            "ratio",
            "min",
            "max",
            "+µs/req",
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
        "round_order": "interleaved, rotating start: bare/handle/typed, handle/typed/bare, ...",
        "ratio": "throughput(base) / throughput(measured), per round; median, min, max",
        "request": "GET /v1/tracks/{id}, parsed into spotipie::api::models::Track",
        "http_client": "the Spotipie's http_client() for all three",
        "session": "client credentials, 1-hour token, renewed once before measuring",
        "server": "FakeSpotify (actix-web, one worker) on its own thread, loopback",
        "callers": "tasks of an actix System on the bench thread",
    }));
    let started = Instant::now();

    let fake = fake();
    let (runner, _spotipie, target) = setup(&fake);
    let mut typed = Vec::new();
    for (concurrency, total) in [(1, c1_batch), (CONCURRENCY, c64_batch)] {
        let samples = measure_case(rounds, total, &fake, |via, n| {
            runner.block_on(batch(&target, via, n, concurrency))
        });
        typed.push((
            concurrency,
            record(&mut report, concurrency, total, &samples),
        ));
    }
    report.note(format!(
        "paired rounds took {:.1} s",
        started.elapsed().as_secs_f64()
    ));
    report.note(
        "bare = reqwest GET + bearer_auth + bytes + serde_json::from_slice::<Track>; \
         handle = SessionHandle::get + ApiResponse::json::<Track>; \
         typed = Spotify::get_track(&TrackId, None)",
    );
    let iters = mode.pick(PIECE_ITERS, 1_000);
    pieces(&mut report, &runner, &target, iters, &typed);
    report.finish();
}

/// Criterion's estimates of the same cases (time per request; throughput in requests/s).
fn criterion_same_thread(c: &mut Criterion) {
    let fake = fake();
    let (runner, _spotipie, target) = setup(&fake);
    let mut group = c.benchmark_group("p1_typed_same_thread");
    group.throughput(Throughput::Elements(1));
    for concurrency in [1, CONCURRENCY] {
        for via in [Via::Bare, Via::Typed] {
            group.bench_function(format!("c{concurrency}/{}", via.name()), |b| {
                b.iter_custom(|iters| {
                    let elapsed = runner.block_on(batch(&target, via, iters, concurrency));
                    fake.reset_stats();
                    elapsed
                })
            });
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion_config();
    targets = paired, criterion_same_thread
}
criterion_main!(benches);
