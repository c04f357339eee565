//! P3 (DESIGN §6): event fan-out. 10,000 subscriber actors (each counts a shared counter and
//! signals when the count reaches the target) subscribe to `TokenUpdated` through
//! `Spotipie::subscribe`; each round publishes one event and times until all 10,000 have handled
//! it. Target: ≥ 3,000,000 deliveries/s. The same with 1,000 subscribers, for context.
//!
//! Two ways to publish, in interleaved rounds:
//! - `publish`: `Publish(TokenUpdated)` sent straight to the bus (the fan-out alone);
//! - `set_token`: `session.set_token(token)`, which stores the token and publishes through the
//!   bus (the end-to-end path a token set takes).
//!
//! Everything runs on one actix system on the bench thread. The bus also has one subscriber of
//! its own (the refresher), which is not counted.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix::prelude::*;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde_json::json;
use spotipie::actors::bus::{GetBusStats, Publish};
use spotipie::{
    Credentials, ExternalTokenFlow, OAuth2Token, SessionHandle, Spotipie, SystemClock, TokenOrigin,
    TokenUpdated,
};
use tokio::sync::Notify;

use common::{Figure, Mode, Report, Summary};

/// Subscribers of the figure of record, and of the context run.
const SUBSCRIBERS: [usize; 2] = [10_000, 1_000];
/// Paired rounds per size.
const ROUNDS: usize = 40;
/// Target, deliveries per second.
const TARGET: f64 = 3_000_000.0;

/// What the subscribers share: the count of this round and the signal when it is complete.
#[derive(Default)]
struct Tally {
    handled: AtomicUsize,
    target: AtomicUsize,
    done: Notify,
}

struct Subscriber(Arc<Tally>);

impl Actor for Subscriber {
    type Context = Context<Self>;
}

impl Subscriber {
    fn count(&self) {
        let handled = self.0.handled.fetch_add(1, Ordering::Relaxed) + 1;
        if handled == self.0.target.load(Ordering::Relaxed) {
            self.0.done.notify_one();
        }
    }
}

impl Handler<TokenUpdated> for Subscriber {
    type Result = ();

    fn handle(&mut self, _: TokenUpdated, _: &mut Self::Context) {
        self.count();
    }
}

/// A minimal event (one `Arc`), for the context figure of what actix fan-out costs when the
/// payload clones with a single reference-count increment.
#[derive(Clone, Message)]
#[rtype(result = "()")]
struct Ping(#[allow(dead_code)] Arc<OAuth2Token>);

impl Handler<Ping> for Subscriber {
    type Result = ();

    fn handle(&mut self, _: Ping, _: &mut Self::Context) {
        self.count();
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Via {
    /// `Publish(TokenUpdated)` to the bus.
    Publish,
    /// `session.set_token(..)`, which publishes through the bus.
    SetToken,
    /// Context: the bench's own loop of `try_send(event.clone())` over the same recipients, no
    /// bus (what the bus's loop costs at the least with this event type).
    RawEvent,
    /// Context: the same loop with a one-`Arc` payload (`Ping`), to the same actors.
    RawArc,
}

const VIAS: [Via; 4] = [Via::Publish, Via::SetToken, Via::RawEvent, Via::RawArc];

impl Via {
    fn name(self) -> &'static str {
        match self {
            Via::Publish => "publish",
            Via::SetToken => "set_token",
            Via::RawEvent => "raw try_send TokenUpdated, no bus",
            Via::RawArc => "raw try_send Arc payload, no bus",
        }
    }

    /// Whether this is a figure of the library (as opposed to a context measurement).
    fn is_library(self) -> bool {
        matches!(self, Via::Publish | Via::SetToken)
    }
}

/// A Spotipie with `n` counting subscribers and a session to raise events for.
struct World {
    spotipie: Spotipie,
    session: SessionHandle,
    tally: Arc<Tally>,
    subscribers: usize,
    token: Arc<OAuth2Token>,
    raw_events: Vec<Recipient<TokenUpdated>>,
    raw_pings: Vec<Recipient<Ping>>,
}

/// Call inside `block_on` of an actix system.
async fn world(subscribers: usize) -> World {
    // No network is involved: the session never renews (external flow), it only publishes.
    let spotipie = Spotipie::builder().start();
    let session = spotipie.start_session(ExternalTokenFlow::new(
        Credentials::new("bench-client", "bench-secret"),
        "",
    ));
    let tally = Arc::new(Tally::default());
    let mut raw_events = Vec::with_capacity(subscribers);
    let mut raw_pings = Vec::with_capacity(subscribers);
    for _ in 0..subscribers {
        let addr = Subscriber(tally.clone()).start();
        raw_events.push(addr.clone().recipient());
        raw_pings.push(addr.clone().recipient());
        spotipie
            .subscribe::<TokenUpdated>(addr.recipient())
            .await
            .expect("P3: subscribe");
    }
    let token = Arc::new(OAuth2Token::new(
        "fanout",
        Duration::from_secs(3600),
        &SystemClock,
    ));
    World {
        spotipie,
        session,
        tally,
        subscribers,
        token,
        raw_events,
        raw_pings,
    }
}

/// One event to every subscriber; the time until the last one has handled it.
async fn round(world: &World, via: Via) -> Duration {
    let tally = &world.tally;
    tally.handled.store(0, Ordering::Relaxed);
    tally.target.store(world.subscribers, Ordering::Relaxed);
    let start = Instant::now();
    match via {
        Via::Publish => world.spotipie.bus().do_send(Publish(TokenUpdated {
            session: world.session.clone(),
            old_token: Some(world.token.clone()),
            new_token: world.token.clone(),
            origin: TokenOrigin::Local,
        })),
        Via::SetToken => world
            .session
            .set_token((*world.token).clone())
            .await
            .expect("P3: set_token"),
        Via::RawEvent => {
            let event = TokenUpdated {
                session: world.session.clone(),
                old_token: Some(world.token.clone()),
                new_token: world.token.clone(),
                origin: TokenOrigin::Local,
            };
            for recipient in &world.raw_events {
                recipient.try_send(event.clone()).expect("P3: raw try_send");
            }
        }
        Via::RawArc => {
            let ping = Ping(world.token.clone());
            for recipient in &world.raw_pings {
                recipient.try_send(ping.clone()).expect("P3: raw try_send");
            }
        }
    }
    if tokio::time::timeout(Duration::from_secs(10), tally.done.notified())
        .await
        .is_err()
    {
        let stats = world.spotipie.bus().send(GetBusStats).await;
        panic!(
            "P3 {}: only {} of {} subscribers handled the event within 10 s; bus {stats:?}",
            via.name(),
            tally.handled.load(Ordering::Relaxed),
            world.subscribers
        );
    }
    start.elapsed()
}

fn paired(_: &mut Criterion) {
    let mode = Mode::from_args();
    if mode == Mode::List {
        return;
    }
    let rounds = common::rounds(mode, ROUNDS);
    let started = Instant::now();
    let mut report = Report::new(
        "p3_fanout",
        mode,
        &[
            "figure",
            "deliveries/s",
            "min",
            "max",
            "round ms",
            "rounds",
            "target",
            "met",
        ],
    );
    report.config(json!({
        "rounds": rounds,
        "subscribers": SUBSCRIBERS,
        "round_order": "interleaved, rotating start: publish/set_token, set_token/publish, ...",
        "publish": "Publish(TokenUpdated) sent to spotipie.bus() with do_send",
        "set_token": "session.set_token(token): stored, then published through the bus",
        "timing": "from the publish until the last subscriber's handler ran (tokio Notify)",
        "extra_subscriber": "the refresher subscribes to TokenUpdated too (not counted)",
        "context_variants": "raw try_send loops over the same subscriber actors without the bus: TokenUpdated payload, and a one-Arc payload",
    }));
    let runner = actix_rt::System::new();
    for (i, n) in SUBSCRIBERS.into_iter().enumerate() {
        let n = mode.pick(n, n / 100);
        let world = runner.block_on(world(n));
        // Warm-up.
        runner.block_on(async {
            for via in VIAS {
                for _ in 0..5 {
                    round(&world, via).await;
                }
            }
        });
        let samples = common::interleaved(rounds, VIAS.len(), |v| {
            runner.block_on(round(&world, VIAS[v])).as_secs_f64()
        });
        for (v, via) in VIAS.into_iter().enumerate() {
            let rates: Vec<f64> = samples[v].iter().map(|s| n as f64 / s).collect();
            let rate = Summary::of(&rates);
            let time = Summary::of(&samples[v]);
            // The figures of record are the library's at 10,000 subscribers; the rest is context.
            let of_record = i == 0 && via.is_library() && mode == Mode::Bench;
            let ok = rate.median >= TARGET;
            let name = format!("P3 fan-out {n} subscribers ({})", via.name());
            let verdict = if of_record {
                format!(
                    " — target ≥ {:.0}/s: {}",
                    TARGET,
                    if ok { "met" } else { "MISSED" }
                )
            } else {
                " (context)".to_owned()
            };
            report.figure(Figure {
                line: format!(
                    "{name}: {} deliveries/s (min {}, max {}), {:.3} ms per event (median round), {} rounds{verdict}",
                    common::per_sec(rate.median),
                    common::per_sec(rate.min),
                    common::per_sec(rate.max),
                    time.median * 1e3,
                    rate.n,
                ),
                row: vec![
                    name,
                    common::per_sec(rate.median),
                    common::per_sec(rate.min),
                    common::per_sec(rate.max),
                    format!("{:.3}", time.median * 1e3),
                    rate.n.to_string(),
                    if of_record {
                        format!("≥ {:.0}", TARGET)
                    } else {
                        "context".to_owned()
                    },
                    if of_record { common::met(ok) } else { String::new() },
                ],
                json: json!({
                    "figure": "P3",
                    "subscribers": n,
                    "via": via.name(),
                    "deliveries_per_s": rate.json(),
                    "round_s": time.json(),
                    "target_min_deliveries_per_s": if of_record { Some(TARGET) } else { None },
                    "met": if of_record { Some(ok) } else { None },
                    "samples_s": samples[v],
                }),
            });
        }
        let stats = runner
            .block_on(world.spotipie.bus().send(GetBusStats))
            .expect("bus");
        assert_eq!(stats.dropped, 0, "P3: the bus dropped events: {stats:?}");
        drop(world);
    }
    report.note(
        "raw lines: the bench's own try_send loop over the same actors without the bus; \
         TokenUpdated clones a SessionHandle (an actix Addr clone allocates) per recipient, \
         the Arc payload clones with one reference-count increment",
    );
    report.note(format!(
        "paired rounds took {:.1} s",
        started.elapsed().as_secs_f64()
    ));
    report.finish();
}

fn criterion_fanout(c: &mut Criterion) {
    let runner = actix_rt::System::new();
    let mut group = c.benchmark_group("p3_fanout");
    for n in SUBSCRIBERS {
        let world = runner.block_on(world(n));
        group.throughput(Throughput::Elements(n as u64));
        for via in VIAS.into_iter().filter(|v| v.is_library()) {
            group.bench_function(format!("{n}/{}", via.name()), |b| {
                b.iter_custom(|iters| {
                    runner.block_on(async {
                        let mut total = Duration::ZERO;
                        for _ in 0..iters {
                            total += round(&world, via).await;
                        }
                        total
                    })
                })
            });
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion_config();
    targets = paired, criterion_fanout
}
criterion_main!(benches);
