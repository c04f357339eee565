//! The worker process: one `Spotipie` with a `RedisCluster`, one session for the test's key, and
//! requests every [`REQUEST_INTERVAL`] until the parent says [`Command::Pause`].
//!
//! It reports (on stdout, see [`Report`]) when it is ready, every token its session sets, every
//! cluster event, every failed renewal and every run of failed requests, then its final state.

use std::collections::HashSet;
use std::io::{BufRead as _, Write as _};
use std::time::{Duration, Instant};

use futures::{Stream, StreamExt as _};
use spotipie::cluster::{ClusterEvent, RedisCluster};
use spotipie::store::{RedisStore, StoreKey};
use spotipie::testing::FakeSpotify;
use spotipie::{
    ClientCredentialsFlow, Credentials, Endpoints, EventStream, RefreshTokenFlow, SessionEvent,
    SessionHandle, SessionId, SessionOptions, Spotipie,
};
use tokio::sync::{mpsc, watch};

use super::protocol::{
    cluster_options, policy, Command, Final, Report, WorkerConfig, WorkerFlow, REQUEST_INTERVAL,
    TRACK, USER_SCOPE,
};

/// How long [`Command::Finish`] waits for the cluster to become quiet.
const SETTLE_DEADLINE: Duration = Duration::from_secs(15);
/// Quiet on this many looks in a row, 50 ms apart, counts as settled (a renewal that was just
/// starting would show within that time).
const SETTLED_LOOKS: u32 = 3;

/// Writes one report line and flushes it.
pub fn report(report: &Report) {
    let mut out = std::io::stdout().lock();
    out.write_all(report.line().as_bytes())
        .and_then(|()| out.flush())
        .expect("the worker's stdout");
}

/// Reports a fatal error and ends the process.
fn fatal(error: String) -> ! {
    report(&Report::Fatal { error });
    std::process::exit(2);
}

/// Runs the worker until [`Command::Finish`] has been answered.
pub async fn run(config: WorkerConfig) {
    let mut commands = read_commands();
    let cluster = RedisCluster::connect_with(&config.redis_url, cluster_options(&config.namespace))
        .unwrap_or_else(|e| fatal(format!("cluster: {e}")));
    actix::spawn(report_cluster_events(cluster.events()));
    let endpoints = Endpoints::single(&config.fake_url).expect("the fake's loopback URL");
    let spotipie = Spotipie::builder()
        .endpoints(endpoints)
        .policy(policy())
        .cluster(cluster.clone())
        .start();
    let id = SessionId::new(config.key.as_str());
    let events = spotipie
        .events_of(Some(&id))
        .await
        .expect("the bus answers");
    actix::spawn(report_session_events(events));
    let session = start_session(&spotipie, &cluster, &config, id).await;

    let (stop, stopped) = watch::channel(false);
    let requests = actix::spawn(send_requests(session.clone(), stopped));
    report(&Report::Ready {
        pid: std::process::id(),
    });

    wait_for(&mut commands, Command::Pause).await;
    let _ = stop.send(true);
    let stats = requests.await.expect("the request loop ends");
    session
        .set_auto_refresh(false)
        .await
        .expect("the session answers");
    report(&Report::Paused);

    wait_for(&mut commands, Command::Finish).await;
    let key = RedisCluster::key_of(session.id()).expect("a valid key");
    let (settled, stored) = settle(&session, cluster.store(), &key).await;
    report(&Report::Final(Final {
        settled,
        held: session
            .token_snapshot()
            .map(|t| t.access_token.secret().to_owned()),
        stored,
        requests: stats.requests,
        failures: stats.failures,
        longest_streak_millis: millis(stats.longest_streak),
        first_error: stats.first_error,
    }));
}

/// Starts the session of the configured flow and gets it its first token.
async fn start_session(
    spotipie: &Spotipie,
    cluster: &RedisCluster,
    config: &WorkerConfig,
    id: SessionId,
) -> SessionHandle {
    match config.flow {
        WorkerFlow::ClientCredentials => {
            let credentials = Credentials::new(FakeSpotify::CLIENT_ID, FakeSpotify::CLIENT_SECRET);
            let session = spotipie.start_session_with(
                ClientCredentialsFlow::new(credentials),
                SessionOptions {
                    id: Some(id),
                    ..SessionOptions::default()
                },
            );
            // Fetches the first token under the lease, or adopts the one another worker stored.
            if let Err(error) = session.renew().await {
                fatal(format!("first token: {error}"));
            }
            session
        }
        WorkerFlow::PkceUser => {
            let key = StoreKey::new(config.key.as_str()).expect("a valid key");
            let token = match cluster.store().load_versioned(&key).await {
                Ok(Some((_, token))) => token,
                Ok(None) => fatal("the parent stored no user token".to_owned()),
                Err(error) => fatal(format!("loading the user token: {error}")),
            };
            let flow = RefreshTokenFlow::new(
                Credentials::public(FakeSpotify::PUBLIC_CLIENT_ID),
                USER_SCOPE,
            );
            spotipie.start_session_with(
                flow,
                SessionOptions {
                    id: Some(id),
                    token: Some(token),
                    ..SessionOptions::default()
                },
            )
        }
    }
}

/// What the request loop counted.
#[derive(Default)]
struct RequestStats {
    requests: u64,
    failures: u64,
    longest_streak: Duration,
    first_error: Option<String>,
}

/// An open run of failed requests.
struct Streak {
    started: Instant,
    failures: u64,
    first_error: String,
}

/// Sends [`TRACK`] every [`REQUEST_INTERVAL`], one at a time, until `stopped` turns true.
async fn send_requests(session: SessionHandle, mut stopped: watch::Receiver<bool>) -> RequestStats {
    let mut stats = RequestStats::default();
    let mut streak: Option<Streak> = None;
    let mut ticks = tokio::time::interval(REQUEST_INTERVAL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            _ = stopped.wait_for(|stop| *stop) => break,
        }
        let started = Instant::now();
        stats.requests += 1;
        let error = match session.get(TRACK).await {
            Ok(response) if response.status == 200 => None,
            Ok(response) => Some(format!("HTTP {}", response.status)),
            Err(error) => Some(error.to_string()),
        };
        match (error, streak.take()) {
            (None, None) => {}
            (None, Some(ended)) => {
                let length = ended.started.elapsed();
                stats.longest_streak = stats.longest_streak.max(length);
                report(&Report::FailureStreak {
                    millis: millis(length),
                    failures: ended.failures,
                    first_error: ended.first_error,
                });
            }
            (Some(error), open) => {
                stats.failures += 1;
                stats.first_error.get_or_insert_with(|| error.clone());
                let mut open = open.unwrap_or(Streak {
                    started,
                    failures: 0,
                    first_error: error,
                });
                open.failures += 1;
                streak = Some(open);
            }
        }
    }
    if let Some(open) = streak {
        stats.longest_streak = stats.longest_streak.max(open.started.elapsed());
    }
    stats
}

/// Reports every token the session sets for the first time, and every failed renewal.
async fn report_session_events(mut events: EventStream) {
    let mut seen = HashSet::new();
    while let Some(event) = events.next().await {
        match event {
            SessionEvent::TokenUpdated(updated) => {
                let token = &updated.new_token;
                let access = token.access_token.secret().to_owned();
                if seen.insert(access.clone()) {
                    report(&Report::Token {
                        origin: format!("{:?}", updated.origin),
                        access,
                        expires_at: token.expires_at,
                        has_refresh_token: token.refresh_token.is_some(),
                    });
                }
            }
            SessionEvent::RefreshFailed(failed) => report(&Report::RefreshFailed {
                error: failed.error.to_string(),
            }),
            _ => {}
        }
    }
}

/// Reports outages and recoveries.
async fn report_cluster_events(mut events: impl Stream<Item = ClusterEvent> + Unpin) {
    while let Some(event) = events.next().await {
        let event = match event {
            ClusterEvent::Outage { .. } => "outage",
            ClusterEvent::Recovered { .. } => "recovered",
        };
        report(&Report::Cluster {
            event: event.to_owned(),
        });
    }
}

/// Waits until the cluster is quiet: no process holds the key's lease and the session holds
/// the stored token, on [`SETTLED_LOOKS`] looks in a row. Answers whether it got there, and the
/// stored access token as last read.
async fn settle(
    session: &SessionHandle,
    store: &RedisStore,
    key: &StoreKey,
) -> (bool, Option<String>) {
    let deadline = Instant::now() + SETTLE_DEADLINE;
    let mut quiet_looks = 0;
    let mut stored = None;
    while Instant::now() < deadline {
        let lease = store.lease_owner(key).await;
        stored = match store.load_versioned(key).await {
            Ok(found) => found.map(|(_, token)| token.access_token.secret().to_owned()),
            Err(_) => None,
        };
        let held = session
            .token_snapshot()
            .map(|t| t.access_token.secret().to_owned());
        let quiet = matches!(lease, Ok(None)) && stored.is_some() && held == stored;
        quiet_looks = if quiet { quiet_looks + 1 } else { 0 };
        if quiet_looks >= SETTLED_LOOKS {
            return (true, stored);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (false, stored)
}

/// The parent's commands, read on a thread of their own. End of input means the parent is gone
/// (or gave up on this worker): the worker exits at once, so it never outlives its test.
fn read_commands() -> mpsc::UnboundedReceiver<Command> {
    let (sender, receiver) = mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if let Some(command) = Command::parse(&line) {
                let _ = sender.send(command);
            }
        }
        std::process::exit(3);
    });
    receiver
}

/// Waits for `expected`, ignoring anything else.
async fn wait_for(commands: &mut mpsc::UnboundedReceiver<Command>, expected: Command) {
    while let Some(command) = commands.recv().await {
        if command == expected {
            return;
        }
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
