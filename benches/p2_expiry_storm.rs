//! P2 (DESIGN §6): expiry storm. A client-credentials session holds an expired token and 1,000
//! concurrent `session.get(TRACK)` arrive: exactly one token-endpoint call, all 1,000 succeed,
//! and the total takes about one token round trip more than 1,000 requests with a fresh token
//! (target: ≤ 5 ms more).
//!
//! Paired, interleaved rounds on one actix system (the fake on its own thread):
//! - storm: set an expired token (not timed), fire 1,000 concurrent requests, time until all
//!   complete; check the fake saw exactly one `client_credentials` call and all got 200;
//! - baseline: one bare token round trip (`POST /api/token`, Basic auth, through the same
//!   client), then 1,000 concurrent requests with the fresh token.
//!
//! Figure: episode overhead = storm − (token RTT + 1,000 fresh requests), median of the
//! per-round differences.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use futures::future::join_all;
use serde_json::json;
use spotipie::testing::FakeSpotify;
use spotipie::{Credentials, Endpoints, OAuth2Token, SessionHandle, Spotipie, SystemClock};

use common::{Figure, Mode, Report, Summary, TRACK};

/// Concurrent requests per storm.
const STORM: usize = 1_000;
/// Paired rounds.
const ROUNDS: usize = 30;
/// Target: storm − (token RTT + fresh requests) ≤ 5 ms.
const TARGET_OVERHEAD_MS: f64 = 5.0;

struct World {
    fake: Arc<FakeSpotify>,
    _spotipie: Spotipie,
    session: SessionHandle,
    http: reqwest::Client,
    token_url: String,
}

/// Starts a fake (system clock, one-hour tokens) and, on the current actix system, a Spotipie
/// and a client-credentials session with a fresh token. Call inside `block_on`.
async fn world() -> World {
    let fake = Arc::new(FakeSpotify::start());
    let spotipie = Spotipie::builder()
        .endpoints(Endpoints::single(fake.url()).expect("loopback URL"))
        .start();
    let session = spotipie.client_credentials_session(Credentials::new(
        FakeSpotify::CLIENT_ID,
        FakeSpotify::CLIENT_SECRET,
    ));
    session.renew().await.expect("P2: first token");
    World {
        token_url: format!("{}/api/token", fake.accounts_url()),
        http: spotipie.http_client().clone(),
        fake,
        _spotipie: spotipie,
        session,
    }
}

/// `n` concurrent `session.get(TRACK)`; panics unless every one is a 200.
async fn requests(session: &SessionHandle, n: usize, what: &str) -> Duration {
    let start = Instant::now();
    let results = join_all((0..n).map(|_| session.get(TRACK))).await;
    let elapsed = start.elapsed();
    let ok = results
        .iter()
        .filter(|r| matches!(r, Ok(r) if r.status == reqwest::StatusCode::OK))
        .count();
    if ok != n {
        let first_error = results.iter().find_map(|r| match r {
            Ok(r) if r.status != reqwest::StatusCode::OK => Some(format!("status {}", r.status)),
            Err(e) => Some(e.to_string()),
            _ => None,
        });
        panic!("P2 {what}: only {ok} of {n} requests succeeded; first failure: {first_error:?}");
    }
    elapsed
}

/// Puts an expired token in place (untimed).
async fn expire(world: &World) {
    world
        .session
        .set_token(OAuth2Token::new("expired", Duration::ZERO, &SystemClock))
        .await
        .expect("P2: set_token");
    world.fake.reset_stats();
}

/// One storm: expired token, `n` concurrent requests; checks one token call and all 200s.
async fn storm(world: &World, n: usize) -> Duration {
    expire(world).await;
    let elapsed = requests(&world.session, n, "storm").await;
    let stats = world.fake.stats();
    assert!(
        stats.token_calls_client_credentials == 1 && stats.token_calls_total() == 1,
        "P2 storm: expected exactly one client_credentials token call, the fake saw {stats:?}"
    );
    assert_eq!(
        stats.unauthorized, 0,
        "P2 storm: the expired token went out"
    );
    elapsed
}

/// One bare token round trip through the shared client.
async fn token_rtt(world: &World) -> Duration {
    let start = Instant::now();
    let response = world
        .http
        .post(&world.token_url)
        .basic_auth(FakeSpotify::CLIENT_ID, Some(FakeSpotify::CLIENT_SECRET))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("P2: token call");
    let status = response.status();
    let body = response.bytes().await.expect("P2: token body");
    let elapsed = start.elapsed();
    assert!(
        status == reqwest::StatusCode::OK && body.starts_with(b"{"),
        "P2: bare token call answered {status}"
    );
    elapsed
}

/// The baseline: token RTT, then `n` concurrent requests with the (fresh) token. Also returns
/// a second, back-to-back token RTT, for context only (the first call after a burst is the one
/// comparable with the storm's token call, which also comes first after the previous round).
async fn baseline(world: &World, n: usize) -> (Duration, Duration, Duration) {
    let rtt = token_rtt(world).await;
    let rtt_again = token_rtt(world).await;
    let fresh = requests(&world.session, n, "fresh").await;
    world.fake.reset_stats();
    (rtt, fresh, rtt_again)
}

fn paired(_: &mut Criterion) {
    let mode = Mode::from_args();
    if mode == Mode::List {
        return;
    }
    let rounds = common::rounds(mode, ROUNDS);
    let n = mode.pick(STORM, 50);
    let runner = actix_rt::System::new();
    let world = runner.block_on(world());
    let started = Instant::now();

    // Warm-up: open the connections a 1,000-wide burst needs, and run one storm.
    runner.block_on(async {
        for _ in 0..2 {
            requests(&world.session, n, "warm-up").await;
        }
        storm(&world, n).await;
        token_rtt(&world).await;
    });

    let mut storms = Vec::with_capacity(rounds);
    let mut rtts = Vec::with_capacity(rounds);
    let mut freshes = Vec::with_capacity(rounds);
    let mut rtts_again = Vec::with_capacity(rounds);
    common::interleaved(rounds, 2, |v| {
        runner.block_on(async {
            if v == 0 {
                let t = storm(&world, n).await.as_secs_f64();
                storms.push(t);
                t
            } else {
                let (rtt, fresh, rtt_again) = baseline(&world, n).await;
                rtts.push(rtt.as_secs_f64());
                freshes.push(fresh.as_secs_f64());
                rtts_again.push(rtt_again.as_secs_f64());
                rtt.as_secs_f64() + fresh.as_secs_f64()
            }
        })
    });
    let expected: Vec<f64> = rtts.iter().zip(&freshes).map(|(r, f)| r + f).collect();
    let overhead = Summary::of(&common::differences(&storms, &expected));
    let storm_s = Summary::of(&storms);
    let rtt_s = Summary::of(&rtts);
    let rtt_again_s = Summary::of(&rtts_again);
    let fresh_s = Summary::of(&freshes);
    let ratio_s = Summary::of(&common::ratios(&storms, &expected));
    let ok = overhead.median * 1e3 <= TARGET_OVERHEAD_MS;

    let mut report = Report::new(
        "p2_expiry_storm",
        mode,
        &[
            "figure",
            "median ms",
            "min ms",
            "max ms",
            "rounds",
            "target",
            "met",
        ],
    );
    report.config(json!({
        "rounds": rounds,
        "concurrent_requests": n,
        "round_order": "interleaved, rotating start: storm/baseline, baseline/storm, ...",
        "storm": "set_token(expired) untimed; then n concurrent session.get(TRACK), timed until all complete",
        "baseline": "one bare POST /api/token (Basic auth, client_credentials) through the Spotipie's client, then n concurrent session.get(TRACK) with a fresh token",
        "baseline_rtt": "the first token call of the round (after the previous round's burst, as the storm's token call); a second back-to-back call is recorded for context only",
        "checks": "every storm: exactly one client_credentials token call (fake.stats), no 401, all n status 200",
        "clock": "system",
        "server": "FakeSpotify (actix-web, one worker) on its own thread, loopback",
    }));
    let row = |name: &str, s: &Summary, target: &str, met: &str| {
        vec![
            name.to_owned(),
            common::ms(s.median),
            common::ms(s.min),
            common::ms(s.max),
            s.n.to_string(),
            target.to_owned(),
            met.to_owned(),
        ]
    };
    report.figure(Figure {
        line: format!(
            "P2 expiry storm ({n} requests): overhead = storm − (token RTT + {n} fresh) = {:.2} ms (min {:.2}, max {:.2}, {} rounds) — target ≤ {TARGET_OVERHEAD_MS:.0} ms: {}",
            overhead.median * 1e3,
            overhead.min * 1e3,
            overhead.max * 1e3,
            overhead.n,
            if ok { "met" } else { "MISSED" },
        ),
        row: row(
            "P2 episode overhead",
            &overhead,
            &format!("≤ {TARGET_OVERHEAD_MS:.0} ms"),
            &common::met(ok),
        ),
        json: json!({
            "figure": "P2",
            "what": "episode overhead = storm - (token_rtt + fresh)",
            "overhead_s": overhead.json(),
            "target_max_overhead_ms": TARGET_OVERHEAD_MS,
            "met": ok,
            "samples_s": common::differences(&storms, &expected),
        }),
    });
    report.figure(Figure {
        line: format!(
            "P2 storm total ({n} requests, 1 token call): {:.2} ms (min {:.2}, max {:.2}); storm / (RTT + fresh) = {:.2} (min {:.2}, max {:.2}, {} rounds)",
            storm_s.median * 1e3,
            storm_s.min * 1e3,
            storm_s.max * 1e3,
            ratio_s.median,
            ratio_s.min,
            ratio_s.max,
            storm_s.n,
        ),
        row: row("P2 storm total", &storm_s, "", ""),
        json: json!({
            "figure": "P2",
            "what": "storm total",
            "storm_s": storm_s.json(),
            "storm_over_baseline": ratio_s.json(),
            "samples_s": storms,
        }),
    });
    report.figure(Figure {
        line: format!(
            "P2 token round trip (bare POST /api/token, first call after a burst): {:.2} ms (min {:.2}, max {:.2}, {} rounds)",
            rtt_s.median * 1e3,
            rtt_s.min * 1e3,
            rtt_s.max * 1e3,
            rtt_s.n,
        ),
        row: row("P2 token RTT", &rtt_s, "", ""),
        json: json!({
            "figure": "P2",
            "what": "token round trip",
            "token_rtt_s": rtt_s.json(),
            "samples_s": rtts,
            "back_to_back_token_rtt_s": rtt_again_s.json(),
        }),
    });
    report.figure(Figure {
        line: format!(
            "P2 token round trip, back-to-back (context): {:.3} ms (min {:.3}, max {:.3}, {} rounds)",
            rtt_again_s.median * 1e3,
            rtt_again_s.min * 1e3,
            rtt_again_s.max * 1e3,
            rtt_again_s.n,
        ),
        row: row("P2 token RTT back-to-back", &rtt_again_s, "", ""),
        json: json!({ "figure": "P2", "what": "token round trip, back-to-back", "token_rtt_s": rtt_again_s.json(), "samples_s": rtts_again }),
    });
    report.figure(Figure {
        line: format!(
            "P2 {n} fresh requests (session.get, fresh token): {:.2} ms (min {:.2}, max {:.2}, {} rounds)",
            fresh_s.median * 1e3,
            fresh_s.min * 1e3,
            fresh_s.max * 1e3,
            fresh_s.n,
        ),
        row: row(&format!("P2 {n} fresh requests"), &fresh_s, "", ""),
        json: json!({ "figure": "P2", "what": "fresh requests", "fresh_s": fresh_s.json(), "samples_s": freshes }),
    });
    report.note(format!(
        "every storm round: exactly 1 client_credentials call, 0 401s, {n}/{n} status 200 (checked)"
    ));
    report.note(format!(
        "paired rounds took {:.1} s",
        started.elapsed().as_secs_f64()
    ));
    report.finish();
}

fn criterion_storm(c: &mut Criterion) {
    let runner = actix_rt::System::new();
    let world = runner.block_on(world());
    let mut group = c.benchmark_group("p2_expiry_storm");
    group.measurement_time(Duration::from_secs(3));
    group.bench_function(format!("storm_{STORM}"), |b| {
        b.iter_custom(|iters| {
            runner.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    total += storm(&world, STORM).await;
                }
                total
            })
        })
    });
    group.bench_function(format!("fresh_{STORM}"), |b| {
        b.iter_custom(|iters| {
            runner.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    total += requests(&world.session, STORM, "fresh").await;
                    world.fake.reset_stats();
                }
                total
            })
        })
    });
    group.bench_function("token_rtt", |b| {
        b.iter_custom(|iters| {
            runner.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    total += token_rtt(&world).await;
                }
                world.fake.reset_stats();
                total
            })
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion_config();
    targets = paired, criterion_storm
}
criterion_main!(benches);
