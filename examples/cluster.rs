//! A cluster on one machine: FakeSpotify, one Redis and three worker processes that share one
//! client-credentials session (key `app`) and one PKCE user (key `user`) through Redis, with
//! one renewal per expiry cluster-wide.
//!
//! The parent process (this example without arguments):
//! 1. uses `redis-server` at `SPOTIPIE_REDIS_URL` if that is set, or starts one from `PATH` on
//!    a free port (a namespace of its own keeps this run apart from anything else in Redis);
//! 2. starts FakeSpotify with 3-second tokens and authorizes the user once with PKCE (a
//!    scripted consent: the fake redirects back at once), then stores the user's token in
//!    Redis;
//! 3. starts three workers (this example again, with the argument `worker`), tells them to go
//!    once all are connected, lets them run for ten seconds, then tells them to stop and
//!    collects one summary line from each;
//! 4. prints a table: expiries observed, token calls, renewals per expiry (1 when the cluster
//!    works; 3 would mean every worker renewed on its own), requests per worker. It exits
//!    non-zero unless there was exactly one renewal per expiry and every request succeeded, so
//!    CI catches a regression.
//!
//! Each worker runs a `Spotipie` with `.cluster(RedisCluster::connect_with(..))` and two
//! sessions whose fixed ids are the Redis keys: the app session fetches its first token with
//! `renew()` (one worker fetches, the others adopt it), the user session starts from the token
//! in Redis. It then requests a track and `/v1/me` every 50 ms. Tokens are renewed ahead of
//! their expiry; whichever worker takes the key's lease renews and the others adopt the result.
//! The user's PKCE refresh tokens are single-use, so two workers renewing the same expiry would
//! also show up as failed requests (`invalid_grant`).
//!
//! A worker counts an expiry each time one of its sessions replaces a token that was no longer
//! fresh (stale or expired), whether it renewed itself or adopted another worker's renewal.
//! Every worker holds the same tokens, so every worker sees the same expiries; the fake counts
//! the renewals.
//!
//! Run: `cargo run --example cluster --features redis` (needs `redis-server` on `PATH`, e.g.
//! `apt-get install redis-server`, or `SPOTIPIE_REDIS_URL`; without either it exits with
//! status 2). It takes about 11 seconds once built.

use std::cell::RefCell;
use std::collections::HashMap;
use std::error::Error;
use std::fmt::Display;
use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Child, ChildStdin, Command, ExitCode, Stdio};
use std::rc::Rc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use futures::StreamExt as _;
use spotipie::cluster::{ClusterEvent, ClusterOptions, RedisCluster};
use spotipie::lifecycle::{classify, Freshness};
use spotipie::store::{RedisOptions, RedisStore, StoreKey, TokenStore as _};
use spotipie::testing::{FakeSpotify, RedisServer};
use spotipie::{
    build_client, ClientCredentialsFlow, Credentials, Endpoints, OAuth2Token, PkceFlow, Policy,
    SessionEvent, SessionHandle, SessionId, SessionOptions, Spotipie, TokenOrigin,
};

type Result<T, E = Box<dyn Error>> = std::result::Result<T, E>;

/// How many worker processes share the sessions.
const WORKERS: usize = 3;
/// How long the workers send requests.
const RUN_FOR: Duration = Duration::from_secs(10);
/// How often a worker sends its pair of requests.
const REQUEST_INTERVAL: Duration = Duration::from_millis(50);
/// Lifetime of every access token the fake issues.
const TOKEN_LIFETIME_SECS: u64 = 3;

/// The session ids, which are also the Redis keys every worker shares.
const APP_KEY: &str = "app";
const USER_KEY: &str = "user";

const TRACK: &str = "/v1/tracks/11dFghVXANMlKmJXsNCbNl";
const ME: &str = "/v1/me";
const USER_SCOPE: &str = "user-read-email user-read-private";
const REDIRECT_URI: &str = "http://127.0.0.1:8888/callback";

/// Where a worker finds the fake, Redis and its namespace.
const ENV_FAKE_URL: &str = "SPOTIPIE_CLUSTER_FAKE_URL";
const ENV_REDIS_URL: &str = "SPOTIPIE_CLUSTER_REDIS_URL";
const ENV_NAMESPACE: &str = "SPOTIPIE_CLUSTER_NAMESPACE";

/// The session policy: 3-second tokens count as expired 300 ms early and become stale (served
/// while one renewal runs) 1.7 s after they are issued.
fn policy() -> Policy {
    Policy {
        expiry_margin: Duration::from_millis(300),
        refresh_ahead: Duration::from_secs(1),
        renewal_timeout: Duration::from_secs(2),
        retry_base_delay: Duration::from_millis(10),
        retry_max_delay: Duration::from_millis(200),
        subscriber_timeout: Duration::from_secs(1),
        request_timeout: Duration::from_secs(5),
        ..Policy::default()
    }
}

fn redis_options(namespace: &str) -> RedisOptions {
    RedisOptions {
        namespace: namespace.to_owned(),
        response_timeout: Duration::from_secs(1),
        connect_timeout: Duration::from_secs(1),
    }
}

/// A 3-second lease (the library takes at least `renewal_timeout` + 1 s, also 3 s here).
fn cluster_options(namespace: &str) -> ClusterOptions {
    ClusterOptions {
        redis: redis_options(namespace),
        lease_ttl: Duration::from_secs(3),
        poll_interval: Duration::from_millis(100),
        reconnect_delay: Duration::from_millis(200),
    }
}

fn app_credentials() -> Credentials {
    Credentials::new(FakeSpotify::CLIENT_ID, FakeSpotify::CLIENT_SECRET)
}

fn user_flow() -> Result<PkceFlow> {
    let credentials =
        Credentials::public(FakeSpotify::PUBLIC_CLIENT_ID).with_redirect_uri(REDIRECT_URI);
    Ok(PkceFlow::new(credentials, USER_SCOPE)?)
}

fn store_key(key: &str) -> Result<StoreKey> {
    Ok(StoreKey::new(key)?)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() == Some("worker") {
        let name = args.next().unwrap_or_else(|| "?".to_owned());
        return worker::main(&name);
    }
    match parent::run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("cluster: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The orchestrator: Redis, the fake, the user's authorization, the workers and the table.
mod parent {
    use super::*;

    /// Runs the whole example; `Ok(false)` when the cluster renewed more (or less) than once per
    /// expiry or a request failed.
    pub fn run() -> Result<bool> {
        // Kept alive (and killed on drop) when this process started it.
        let (_own_redis, redis_url) = match std::env::var("SPOTIPIE_REDIS_URL") {
            Ok(url) => {
                println!("Redis: SPOTIPIE_REDIS_URL.");
                (None, url)
            }
            Err(_) => match RedisServer::start() {
                Ok(server) => {
                    println!("Redis: a redis-server started on port {}.", server.port());
                    let url = server.url();
                    (Some(server), url)
                }
                Err(error) => {
                    eprintln!(
                        "cluster: this example needs Redis: install redis-server (Debian: \
                         `apt-get install redis-server`) or set SPOTIPIE_REDIS_URL.\n({error})"
                    );
                    std::process::exit(2);
                }
            },
        };
        let namespace = format!("spotipie-cluster-example-{}", std::process::id());

        let fake = FakeSpotify::builder()
            .expires_in(TOKEN_LIFETIME_SECS)
            .try_start()?;
        println!("FakeSpotify on {}.", fake.url());

        actix_rt::System::new().block_on(authorize_user(fake.url(), &redis_url, &namespace))?;
        println!("The user authorized once with PKCE; the token is in Redis under {USER_KEY:?}.");

        let mut workers = Workers::spawn(fake.url(), &redis_url, &namespace)?;
        workers.collect("ready", Duration::from_secs(20))?;
        workers.tell("go")?;
        workers.collect("started", Duration::from_secs(10))?;
        println!(
            "{WORKERS} workers share both sessions for {} s (tokens live {TOKEN_LIFETIME_SECS} s, \
             renewed ahead from 1.7 s).",
            RUN_FOR.as_secs()
        );
        std::thread::sleep(RUN_FOR);
        // Stop everyone before anyone reports, so no renewal is missing from a count.
        workers.tell("stop")?;
        workers.collect("stopped", Duration::from_secs(10))?;
        workers.tell("report")?;
        let summaries = workers
            .collect("summary", Duration::from_secs(10))?
            .iter()
            .map(|line| Summary::parse(line))
            .collect::<Result<Vec<_>>>()?;
        workers.wait(Duration::from_secs(5))?;

        let stats = fake.stats();
        let app = Totals {
            expiries: summaries.iter().map(|s| s.app.expiries).max().unwrap_or(0),
            token_calls: stats.token_calls_client_credentials,
            // The first token (fetched by one worker at the start) renews no expiry.
            renewals: stats.token_calls_client_credentials.saturating_sub(1),
        };
        let user = Totals {
            expiries: summaries.iter().map(|s| s.user.expiries).max().unwrap_or(0),
            token_calls: stats.token_calls_refresh_token,
            renewals: stats.token_calls_refresh_token,
        };
        print_table(&app, &user, &summaries);
        Ok(verdict(&app, &user, &summaries))
    }

    /// Authorizes the PKCE user as a browser would (the fake approves at once) and stores the
    /// token in Redis for the workers. Auto-refresh is off: this process must not renew the
    /// user's single-use refresh token behind the workers' backs.
    async fn authorize_user(fake_url: &str, redis_url: &str, namespace: &str) -> Result<()> {
        let spotipie = Spotipie::builder()
            .endpoints(Endpoints::single(fake_url)?)
            .policy(policy())
            .start();
        let session = spotipie.start_session(user_flow()?);
        session.set_auto_refresh(false).await?;
        let (url, _state) = session.authorization_url(false).await?;
        let consent = build_client(spotipie.policy()).get(url).send().await?;
        let callback = consent
            .headers()
            .get("location")
            .and_then(|value| value.to_str().ok())
            .ok_or("the fake's /authorize did not redirect back")?;
        let token = session.fetch_token(callback).await?;
        let store = RedisStore::open_with(redis_url, redis_options(namespace))?;
        store.save_if_newer(&store_key(USER_KEY)?, &token).await?;
        Ok(())
    }

    /// What the cluster did for one key: a column of the table.
    struct Totals {
        expiries: u64,
        token_calls: u64,
        renewals: u64,
    }

    impl Totals {
        fn one_per_expiry(&self) -> bool {
            self.expiries > 0 && self.renewals == self.expiries
        }
    }

    fn print_table(app: &Totals, user: &Totals, summaries: &[Summary]) {
        let key_row = |label: &str, app: &dyn Display, user: &dyn Display| {
            println!("{label:<22}{app:<28}{user}");
        };
        println!();
        key_row("", &"app (client credentials)", &"user (PKCE)");
        key_row("expiries observed", &app.expiries, &user.expiries);
        let app_calls = format!("{} (1 first token)", app.token_calls);
        key_row("token calls", &app_calls, &user.token_calls);
        key_row("renewals", &app.renewals, &user.renewals);
        key_row(
            "renewals per expiry",
            &ratio(app.renewals, app.expiries),
            &ratio(user.renewals, user.expiries),
        );

        let worker_row = |worker: &dyn Display,
                          ok: &dyn Display,
                          failed: &dyn Display,
                          app: &dyn Display,
                          user: &dyn Display| {
            println!("{worker:<8}{ok:>12}{failed:>8}   {app:<31}{user}");
        };
        println!();
        worker_row(
            &"worker",
            &"requests ok",
            &"failed",
            &"app expiries",
            &"user expiries",
        );
        for (index, summary) in summaries.iter().enumerate() {
            worker_row(
                &(index + 1),
                &summary.requests_ok,
                &summary.requests_failed,
                &summary.app.describe(),
                &summary.user.describe(),
            );
        }
        println!();
        let renewals = app.renewals + user.renewals;
        let expiries = app.expiries + user.expiries;
        println!("Renewals per expiry: {}", ratio(renewals, expiries));
    }

    /// Whether the run passed; says why not.
    fn verdict(app: &Totals, user: &Totals, summaries: &[Summary]) -> bool {
        let mut passed = true;
        for (name, row) in [(APP_KEY, app), (USER_KEY, user)] {
            if !row.one_per_expiry() {
                eprintln!(
                    "cluster: FAILED: {name}: {} renewals for {} expiries",
                    row.renewals, row.expiries
                );
                passed = false;
            }
        }
        for (index, summary) in summaries.iter().enumerate() {
            let worker = index + 1;
            if summary.requests_failed > 0 || summary.refresh_failed > 0 {
                eprintln!(
                    "cluster: FAILED: worker {worker}: {} failed requests, {} failed renewals",
                    summary.requests_failed, summary.refresh_failed
                );
                passed = false;
            }
            if summary.requests_ok == 0 {
                eprintln!("cluster: FAILED: worker {worker} made no request");
                passed = false;
            }
            if summary.outages > 0 || !summary.settled {
                eprintln!(
                    "cluster: FAILED: worker {worker}: {} Redis outages, settled on the stored \
                     tokens: {}",
                    summary.outages, summary.settled
                );
                passed = false;
            }
        }
        passed
    }

    /// `renewals / expiries`: a whole number when it is one, else two decimals.
    fn ratio(renewals: u64, expiries: u64) -> String {
        match expiries {
            0 => "n/a (no expiry)".to_owned(),
            _ if renewals.is_multiple_of(expiries) => (renewals / expiries).to_string(),
            _ => format!("{:.2}", renewals as f64 / expiries as f64),
        }
    }

    /// What a worker heard on one of its sessions' keys.
    struct KeyCounts {
        expiries: u64,
        renewed: u64,
        adopted: u64,
    }

    impl KeyCounts {
        /// `5: 3 renewed here, 2 adopted`.
        fn describe(&self) -> String {
            format!(
                "{}: {} renewed here, {} adopted",
                self.expiries, self.renewed, self.adopted
            )
        }
    }

    /// A worker's last line: `summary key=value ...`.
    struct Summary {
        requests_ok: u64,
        requests_failed: u64,
        app: KeyCounts,
        user: KeyCounts,
        refresh_failed: u64,
        outages: u64,
        settled: bool,
    }

    impl Summary {
        fn parse(line: &str) -> Result<Self> {
            let fields: HashMap<&str, u64> = line
                .split_whitespace()
                .filter_map(|pair| pair.split_once('='))
                .filter_map(|(key, value)| Some((key, value.parse().ok()?)))
                .collect();
            let field = |name: &str| {
                fields
                    .get(name)
                    .copied()
                    .ok_or_else(|| format!("a worker's summary lacks {name}: {line:?}"))
            };
            let counts = |key: &str| -> Result<KeyCounts> {
                Ok(KeyCounts {
                    expiries: field(&format!("{key}_expiries"))?,
                    renewed: field(&format!("{key}_renewed"))?,
                    adopted: field(&format!("{key}_adopted"))?,
                })
            };
            Ok(Self {
                requests_ok: field("requests_ok")?,
                requests_failed: field("requests_failed")?,
                app: counts(APP_KEY)?,
                user: counts(USER_KEY)?,
                refresh_failed: field("refresh_failed")?,
                outages: field("outages")?,
                settled: field("settled")? == 1,
            })
        }
    }

    /// A line from a worker's stdout, or the end of it.
    enum Heard {
        Line(String),
        Closed,
    }

    /// The worker processes; dropping this kills any that still run.
    struct Workers {
        children: Vec<Child>,
        stdins: Vec<ChildStdin>,
        heard: mpsc::Receiver<(usize, Heard)>,
    }

    impl Workers {
        fn spawn(fake_url: &str, redis_url: &str, namespace: &str) -> Result<Self> {
            let exe = std::env::current_exe()?;
            let (tx, heard) = mpsc::channel();
            let mut workers = Workers {
                children: Vec::new(),
                stdins: Vec::new(),
                heard,
            };
            for index in 0..WORKERS {
                let mut child = Command::new(&exe)
                    .args(["worker", &(index + 1).to_string()])
                    .env(ENV_FAKE_URL, fake_url)
                    .env(ENV_REDIS_URL, redis_url)
                    .env(ENV_NAMESPACE, namespace)
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .spawn()?;
                let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
                    return Err("a worker's pipes are missing".into());
                };
                workers.children.push(child);
                workers.stdins.push(stdin);
                let tx = tx.clone();
                std::thread::spawn(move || {
                    for line in BufReader::new(stdout).lines() {
                        let Ok(line) = line else { break };
                        if tx.send((index, Heard::Line(line))).is_err() {
                            return;
                        }
                    }
                    let _ = tx.send((index, Heard::Closed));
                });
            }
            Ok(workers)
        }

        /// Writes `command` to every worker.
        fn tell(&mut self, command: &str) -> Result<()> {
            for stdin in &mut self.stdins {
                writeln!(stdin, "{command}")?;
                stdin.flush()?;
            }
            Ok(())
        }

        /// Waits for a `word ...` line from every worker; returns what follows the word, by
        /// worker. A worker's `fatal ...` line or its exit is an error.
        fn collect(&mut self, word: &str, timeout: Duration) -> Result<Vec<String>> {
            let deadline = Instant::now() + timeout;
            let mut answers: Vec<Option<String>> = vec![None; WORKERS];
            while answers.iter().any(Option::is_none) {
                let left = deadline.saturating_duration_since(Instant::now());
                let (index, heard) = self
                    .heard
                    .recv_timeout(left)
                    .map_err(|_| format!("timed out waiting for the workers' {word:?}"))?;
                let worker = index + 1;
                let line = match heard {
                    Heard::Line(line) => line,
                    // It answered, then exited (after its summary).
                    Heard::Closed if answers[index].is_some() => continue,
                    Heard::Closed => {
                        let status = self.exit_status(index);
                        return Err(format!("worker {worker} {status} before its {word:?}").into());
                    }
                };
                match line.split_once(' ').unwrap_or((line.as_str(), "")) {
                    (said, rest) if said == word => answers[index] = Some(rest.to_owned()),
                    ("fatal", error) => return Err(format!("worker {worker}: {error}").into()),
                    _ => {
                        return Err(
                            format!("worker {worker} said {line:?}, expected {word:?}").into()
                        )
                    }
                }
            }
            Ok(answers.into_iter().flatten().collect())
        }

        /// How worker `index` ended, for an error message (its stdout has closed).
        fn exit_status(&mut self, index: usize) -> String {
            let child = &mut self.children[index];
            for _ in 0..50 {
                if let Ok(Some(status)) = child.try_wait() {
                    return format!("exited ({status})");
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            "closed its output".to_owned()
        }

        /// Waits for every worker to exit with success.
        fn wait(&mut self, timeout: Duration) -> Result<()> {
            let deadline = Instant::now() + timeout;
            for (index, child) in self.children.iter_mut().enumerate() {
                loop {
                    match child.try_wait()? {
                        Some(status) if status.success() => break,
                        Some(status) => {
                            return Err(format!("worker {} exited with {status}", index + 1).into())
                        }
                        None if Instant::now() >= deadline => {
                            return Err(format!("worker {} did not exit", index + 1).into())
                        }
                        None => std::thread::sleep(Duration::from_millis(20)),
                    }
                }
            }
            Ok(())
        }
    }

    impl Drop for Workers {
        fn drop(&mut self) {
            for child in &mut self.children {
                if let Ok(None) = child.try_wait() {
                    let _ = child.kill();
                    let _ = child.wait();
                }
            }
        }
    }
}

/// A worker process: both sessions in a cluster, steady requests until told to stop.
mod worker {
    use super::*;

    pub fn main(name: &str) -> ExitCode {
        let mut commands = commands();
        match actix_rt::System::new().block_on(run(&mut commands)) {
            Ok(summary) => {
                println!("summary {summary}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                println!("fatal {error}");
                eprintln!("cluster: worker {name}: {error}");
                ExitCode::FAILURE
            }
        }
    }

    /// What this worker's sessions saw of one key.
    #[derive(Default)]
    struct KeyCounts {
        /// Tokens replaced when they were no longer fresh: expiries this worker lived through.
        expiries: u64,
        /// Tokens this process obtained from the token endpoint.
        renewed: u64,
        /// Tokens another worker renewed and this one adopted.
        adopted: u64,
    }

    #[derive(Default)]
    struct Counts {
        app: KeyCounts,
        user: KeyCounts,
        refresh_failed: u64,
        outages: u64,
    }

    impl Counts {
        fn of(&mut self, session: &SessionId) -> Option<&mut KeyCounts> {
            match session.as_str() {
                APP_KEY => Some(&mut self.app),
                USER_KEY => Some(&mut self.user),
                _ => None,
            }
        }
    }

    async fn run(commands: &mut Commands) -> Result<String> {
        let fake_url = env(ENV_FAKE_URL)?;
        let namespace = env(ENV_NAMESPACE)?;
        let cluster =
            RedisCluster::connect_with(&env(ENV_REDIS_URL)?, cluster_options(&namespace))?;
        cluster.store().ping().await?;
        let spotipie = Spotipie::builder()
            .endpoints(Endpoints::single(&fake_url)?)
            .policy(policy())
            .cluster(cluster.clone())
            .start();
        let counts = Rc::new(RefCell::new(Counts::default()));
        count_events(&spotipie, &cluster, counts.clone()).await?;
        println!("ready");
        commands.expect("go").await?;

        // One worker fetches the app's first token; the others adopt it.
        let app = spotipie.start_session_with(
            ClientCredentialsFlow::new(app_credentials()),
            with_id(APP_KEY, None),
        );
        app.renew().await?;
        let user_token = cluster
            .store()
            .load(&store_key(USER_KEY)?)
            .await?
            .ok_or("the user's token is not in Redis")?;
        let user = spotipie.start_session_with(user_flow()?, with_id(USER_KEY, Some(user_token)));
        println!("started");

        let (requests_ok, requests_failed) = send_requests(&app, &user, commands).await?;
        // No renewal starts in this process any more; the others stop too.
        app.set_auto_refresh(false).await?;
        user.set_auto_refresh(false).await?;
        println!("stopped");
        commands.expect("report").await?;
        let settled = settle(&cluster, &[&app, &user]).await?;

        let counts = counts.borrow();
        Ok(format!(
            "requests_ok={requests_ok} requests_failed={requests_failed} \
             app_expiries={} app_renewed={} app_adopted={} \
             user_expiries={} user_renewed={} user_adopted={} \
             refresh_failed={} outages={} settled={}",
            counts.app.expiries,
            counts.app.renewed,
            counts.app.adopted,
            counts.user.expiries,
            counts.user.renewed,
            counts.user.adopted,
            counts.refresh_failed,
            counts.outages,
            u8::from(settled),
        ))
    }

    fn env(name: &str) -> Result<String> {
        std::env::var(name)
            .map_err(|_| format!("{name} is not set (run the example without arguments)").into())
    }

    fn with_id(key: &str, token: Option<OAuth2Token>) -> SessionOptions {
        SessionOptions {
            id: Some(SessionId::new(key)),
            token,
            ..SessionOptions::default()
        }
    }

    /// Counts token replacements, failed renewals and Redis outages in the background.
    async fn count_events(
        spotipie: &Spotipie,
        cluster: &RedisCluster,
        counts: Rc<RefCell<Counts>>,
    ) -> Result<()> {
        let mut events = spotipie.events().await?;
        let on_events = counts.clone();
        actix_rt::spawn(async move {
            while let Some(event) = events.next().await {
                let mut counts = on_events.borrow_mut();
                match event {
                    SessionEvent::TokenUpdated(update) => {
                        let Some(old) = update.old_token else {
                            continue; // a session's first token
                        };
                        if update.new_token.expires_at <= old.expires_at {
                            continue; // the same token set again
                        }
                        let session = &update.session;
                        let now = session.clock().now();
                        let was_fresh =
                            classify(Some(&old), now, session.policy()) == Freshness::Fresh;
                        let Some(key) = counts.of(session.id()) else {
                            continue;
                        };
                        if !was_fresh {
                            key.expiries += 1;
                        }
                        match update.origin {
                            TokenOrigin::OtherProcess => key.adopted += 1,
                            TokenOrigin::Local | TokenOrigin::SharedStore => key.renewed += 1,
                        }
                    }
                    SessionEvent::RefreshFailed(failed) => {
                        counts.refresh_failed += 1;
                        if counts.refresh_failed <= 3 {
                            eprintln!("cluster: a renewal failed: {}", failed.error);
                        }
                    }
                    _ => {}
                }
            }
        });
        let mut cluster_events = cluster.events();
        actix_rt::spawn(async move {
            while let Some(event) = cluster_events.next().await {
                if let ClusterEvent::Outage { error } = event {
                    eprintln!("cluster: Redis outage: {error}");
                    counts.borrow_mut().outages += 1;
                }
            }
        });
        Ok(())
    }

    /// Requests a track (app) and `/v1/me` (user) every [`REQUEST_INTERVAL`] until told to
    /// stop; returns how many succeeded and failed.
    async fn send_requests(
        app: &SessionHandle,
        user: &SessionHandle,
        commands: &mut Commands,
    ) -> Result<(u64, u64)> {
        let (mut ok, mut failed) = (0, 0);
        let mut ticks = tokio::time::interval(REQUEST_INTERVAL);
        loop {
            tokio::select! {
                command = commands.next() => {
                    return match command.as_deref() {
                        Some("stop") => Ok((ok, failed)),
                        other => Err(format!("expected \"stop\", got {other:?}").into()),
                    };
                }
                _ = ticks.tick() => {
                    let (track, me) = futures::join!(app.get(TRACK), user.get(ME));
                    for (path, answer) in [(TRACK, track), (ME, me)] {
                        match answer.and_then(|response| response.error_for_status()) {
                            Ok(_) => ok += 1,
                            Err(error) => {
                                failed += 1;
                                if failed <= 3 {
                                    eprintln!("cluster: GET {path} failed: {error}");
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Waits (up to 3 s) until every session holds the token stored under its key: any renewal
    /// still in flight anywhere has then been adopted here too.
    async fn settle(cluster: &RedisCluster, sessions: &[&SessionHandle]) -> Result<bool> {
        for _ in 0..60 {
            let mut all_hold = true;
            for session in sessions {
                let stored = cluster
                    .store()
                    .load(&store_key(session.id().as_str())?)
                    .await?;
                let held = session.token_snapshot();
                all_hold &= stored.is_some() && stored.as_ref() == held.as_deref();
            }
            if all_hold {
                return Ok(true);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(false)
    }

    /// The parent's commands, one a line on stdin.
    pub struct Commands(tokio::sync::mpsc::UnboundedReceiver<String>);

    impl Commands {
        /// The next command; `None` once the parent has gone.
        async fn next(&mut self) -> Option<String> {
            self.0.recv().await
        }

        async fn expect(&mut self, word: &str) -> Result<()> {
            match self.next().await {
                Some(command) if command == word => Ok(()),
                Some(command) => Err(format!("expected {word:?}, got {command:?}").into()),
                None => Err("the parent has gone".into()),
            }
        }
    }

    /// Reads stdin on a thread of its own (it blocks) and hands the lines over.
    fn commands() -> Commands {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        std::thread::spawn(move || {
            for line in std::io::stdin().lines() {
                let Ok(line) = line else { break };
                if tx.send(line.trim().to_owned()).is_err() {
                    break;
                }
            }
        });
        Commands(rx)
    }
}
