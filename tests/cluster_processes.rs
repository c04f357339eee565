//! The Redis cluster across real OS processes: four worker processes share one session key
//! through a real `redis-server`, under steady requests, with 2-second tokens so that twenty
//! expiries take seconds. (`cluster.rs` covers the protocol inside one process.)
//!
//! # The harness
//!
//! Each test is the *parent*. It runs FakeSpotify in its own process (an HTTP server on
//! 127.0.0.1, on a thread of its own) and starts a `redis-server` ([`RedisServer`]). Then it runs
//! this test binary again four times, as *workers*: each child executes the hidden test
//! [`cluster_worker`], which does nothing unless the environment variable
//! `SPOTIPIE_CLUSTER_WORKER` holds its configuration (the fake's URL, the Redis URL, the
//! namespace, the key and the flow; see `cluster_processes/protocol.rs`).
//!
//! A worker (`cluster_processes/worker.rs`) builds a `Spotipie` with a `RedisCluster`, holds one
//! session for the test's key, sends a request every 20 ms, and reports on stdout, one JSON line
//! per report after a marker: `ready` with its pid, every token its session sets (from
//! `TokenUpdated`), every `ClusterEvent`, every failed renewal, every run of failed requests.
//!
//! The parent (`cluster_processes/parent.rs`) reads those lines on one thread per worker, and
//! ends a run at a quiet point with two commands on the workers' stdin: `pause` (stop requesting
//! and turn auto-refresh off: once every worker has answered, no renewal can start) and `finish`
//! (wait until no lease is held and the session holds the stored token, report the final state,
//! exit). A worker whose stdin closes exits at once, and the parent kills every worker still
//! running when a test ends, failed or not, so no process outlives its test.
//!
//! Every wait is a poll with a generous deadline, never a fixed sleep. What makes the
//! assertions exact is counting: token calls at the fake, tokens the workers reported, versions
//! in Redis. And "one renewal per expiry" is checked on the tokens themselves: a renewal happens
//! only once the held token is stale, 0.8 s after it was issued, so two processes renewing the
//! same expiry would leave two tokens milliseconds apart.
#![cfg(all(feature = "redis", unix))]

#[path = "cluster_processes/parent.rs"]
mod parent;
#[path = "cluster_processes/protocol.rs"]
mod protocol;
#[path = "cluster_processes/worker.rs"]
mod worker;

use std::time::{Duration, Instant};

use spotipie::store::{RedisStore, SaveOutcome, StoreKey};
use spotipie::testing::{FakeSpotify, FakeSpotifyBuilder, RedisServer};
use spotipie::{
    Credentials, Endpoints, OAuth2Token, PkceFlow, RefreshTokenFlow, SessionOptions, Spotipie,
};

use parent::{
    assert_every_token_call_succeeded, assert_one_renewal_per_expiry, eventually, stored,
    stored_version, Workers,
};
use protocol::{
    policy, redis_options, Report, WorkerConfig, WorkerFlow, LEASE_TTL, TOKEN_LIFETIME_SECS,
    USER_SCOPE,
};

/// Worker processes per test.
const WORKERS: usize = 4;
/// Expiries a long run covers: the first token and this many renewals.
const EXPIRIES: u64 = 20;
/// The deadline of a whole run (it takes about 20 s).
const RUN_DEADLINE: Duration = Duration::from_secs(90);
/// Where the PKCE user is sent back (any port of this loopback URI is registered at the fake).
const REDIRECT_URI: &str = "http://127.0.0.1:8765/callback";

/// The hidden test each worker process runs (see the module docs).
#[actix::test]
#[ignore = "worker process of the cluster_processes tests: does nothing on its own"]
async fn cluster_worker() {
    let Some(config) = WorkerConfig::from_env() else {
        return;
    };
    worker::run(config).await;
}

/// What every test has: Redis, the fake, the parent's own look at the store, and the workers'
/// configuration.
struct Rig {
    redis: RedisServer,
    fake: FakeSpotify,
    store: RedisStore,
    key: StoreKey,
    config: WorkerConfig,
}

impl Rig {
    /// Starts Redis and a fake issuing 2-s tokens (`fake` adds settings).
    fn start(namespace: &str, flow: WorkerFlow, fake: FakeSpotifyBuilder) -> Self {
        let redis = RedisServer::start().expect("redis-server on PATH");
        let fake = fake.expires_in(TOKEN_LIFETIME_SECS).start();
        let store =
            RedisStore::open_with(&redis.url(), redis_options(namespace)).expect("the store");
        let key = match flow {
            WorkerFlow::ClientCredentials => "app",
            WorkerFlow::PkceUser => "user",
        };
        let config = WorkerConfig {
            fake_url: fake.url().to_owned(),
            redis_url: redis.url(),
            namespace: namespace.to_owned(),
            key: key.to_owned(),
            flow,
        };
        Self {
            redis,
            fake,
            store,
            key: StoreKey::new(key).expect("a valid key"),
            config,
        }
    }

    async fn version(&self) -> u64 {
        stored_version(&self.store, &self.key).await
    }

    /// The stored version and token, which must exist.
    async fn stored(&self) -> (u64, OAuth2Token) {
        stored(&self.store, &self.key)
            .await
            .expect("a token stored under the key")
    }

    /// Waits until the store holds version `version` or later.
    async fn wait_for_version(&self, what: &str, version: u64, timeout: Duration) {
        eventually(what, timeout, || async { self.version().await >= version }).await;
    }

    /// A spotipie in the parent, without the cluster.
    fn spotipie(&self) -> Spotipie {
        Spotipie::builder()
            .endpoints(Endpoints::single(self.fake.url()).expect("the fake's loopback URL"))
            .policy(policy())
            .start()
    }
}

#[actix::test]
async fn four_processes_twenty_expiries_one_token_call_each() {
    let started = Instant::now();
    let rig = Rig::start(
        "one-call-per-expiry",
        WorkerFlow::ClientCredentials,
        FakeSpotify::builder(),
    );
    let mut workers = Workers::spawn(WORKERS, &rig.config);
    workers.wait_ready().await;

    // The run: from the first token until the store holds the 21st (twenty renewals).
    rig.wait_for_version(
        "the first token and twenty renewals",
        1 + EXPIRIES,
        RUN_DEADLINE,
    )
    .await;
    workers.finish().await;

    let (version, stored) = rig.stored().await;
    let tokens = workers.tokens();
    let calls = rig.fake.stats();
    assert_eq!(
        calls.token_calls_total(),
        calls.token_calls_client_credentials
    );
    assert!(version > EXPIRIES, "the run covered {version} tokens");
    // Every token call gave a token some worker used and the store kept...
    assert_eq!(
        calls.token_calls_total(),
        tokens.len() as u64,
        "one token call per token the workers held: {tokens:#?}"
    );
    assert_eq!(version, tokens.len() as u64, "every token stored once");
    // ...and each came one lifetime after the previous one: one renewal per expiry.
    assert_one_renewal_per_expiry(&tokens);
    assert_every_token_call_succeeded(&rig.fake);
    let newest = tokens.last().expect("tokens");
    assert_eq!(
        newest.access,
        stored.access_token.secret(),
        "the store holds the newest"
    );
    workers.assert_no_failed_request(100);
    workers.assert_all_hold(stored.access_token.secret());
    eprintln!(
        "cluster processes: {WORKERS} workers, {} token calls for {} tokens (store version \
         {version}), {} requests, none failed, {:.1} s",
        calls.token_calls_total(),
        tokens.len(),
        workers.requests(),
        started.elapsed().as_secs_f64()
    );
}

#[actix::test]
async fn four_processes_renew_a_pkce_user_twenty_times_without_invalid_grant() {
    let started = Instant::now();
    let rig = Rig::start(
        "pkce-rotation",
        WorkerFlow::PkceUser,
        FakeSpotify::builder().rotate_refresh_tokens(true),
    );
    let first = authorize_user(&rig).await;
    assert!(first.refresh_token.is_some());
    let saved = rig.store.save_if_newer(&rig.key, &first).await;
    assert!(
        matches!(saved, Ok(SaveOutcome::Stored { version: 1 })),
        "{saved:?}"
    );
    let mut workers = Workers::spawn(WORKERS, &rig.config);
    workers.wait_ready().await;

    // The run: from the user's first token until twenty refreshes are stored.
    rig.wait_for_version("twenty refreshes", 1 + EXPIRIES, RUN_DEADLINE)
        .await;
    workers.finish().await;

    let (version, stored) = rig.stored().await;
    let tokens = workers.tokens();
    let calls = rig.fake.stats();
    assert_eq!(calls.token_calls_authorization_code, 1, "the parent's");
    assert_eq!(
        calls.token_calls_total(),
        calls.token_calls_authorization_code + calls.token_calls_refresh_token
    );
    assert!(calls.token_calls_refresh_token >= EXPIRIES);
    // The first token came from the authorization, every other from one refresh.
    assert_eq!(
        calls.token_calls_refresh_token + 1,
        tokens.len() as u64,
        "one refresh per token the workers held: {tokens:#?}"
    );
    assert_eq!(version, tokens.len() as u64, "every token stored once");
    assert_eq!(tokens[0].access, first.access_token.secret());
    assert_one_renewal_per_expiry(&tokens);
    assert!(tokens.iter().all(|t| t.has_refresh_token), "{tokens:#?}");
    // Single-use refresh tokens: any refresh with an old one would have been invalid_grant.
    assert_every_token_call_succeeded(&rig.fake);
    for worker in workers.alive() {
        assert_eq!(
            worker.refresh_failures(),
            Vec::<&str>::new(),
            "worker {}",
            worker.index
        );
    }
    workers.assert_no_failed_request(100);
    workers.assert_all_hold(stored.access_token.secret());

    // The stored refresh token is the one the fake issued last: only that one still works.
    let refreshes = rig.fake.stats().token_calls_refresh_token;
    let refreshed = refresh_from_parent(&rig, stored).await;
    assert!(refreshed.refresh_token.is_some());
    assert_eq!(rig.fake.stats().token_calls_refresh_token, refreshes + 1);
    assert_every_token_call_succeeded(&rig.fake);
    eprintln!(
        "cluster processes (PKCE): {} refreshes for {} tokens, no invalid_grant, {} requests, \
         {:.1} s",
        calls.token_calls_refresh_token,
        tokens.len(),
        workers.requests(),
        started.elapsed().as_secs_f64()
    );
}

#[actix::test]
async fn sigkill_of_the_lease_holder_mid_renewal_delays_the_others_at_most_a_lease() {
    let started = Instant::now();
    let rig = Rig::start(
        "sigkill-holder",
        WorkerFlow::ClientCredentials,
        FakeSpotify::builder(),
    );
    let mut workers = Workers::spawn(WORKERS, &rig.config);
    workers.wait_ready().await;
    rig.wait_for_version("a first renewal", 2, RUN_DEADLINE)
        .await;

    // The next renewal stops at the token endpoint; its process holds the lease.
    let hold = rig.fake.hold_token_endpoint();
    tokio::time::timeout(Duration::from_secs(20), hold.until_waiting(1))
        .await
        .expect("a renewal reaches the token endpoint");
    let owner = rig
        .store
        .lease_owner(&rig.key)
        .await
        .expect("Redis answers")
        .expect("the renewing worker holds the lease");
    let pid: u32 = owner
        .split_once('-')
        .and_then(|(pid, _)| pid.parse().ok())
        .unwrap_or_else(|| panic!("a lease owner is `{{pid}}-{{nonce}}`, not {owner:?}"));
    let victim = workers
        .index_of_pid(pid)
        .unwrap_or_else(|| panic!("the lease holder {pid} is none of the workers"));
    let version_before = rig.version().await;
    workers.sigkill(victim);
    let killed_at = Instant::now();
    hold.release();

    // Nobody stores a token while the dead holder's lease lives...
    loop {
        let version = rig.version().await;
        let lease = rig
            .store
            .lease_owner(&rig.key)
            .await
            .expect("Redis answers");
        if lease.as_deref() != Some(owner.as_str()) {
            break;
        }
        assert_eq!(
            version, version_before,
            "a token was stored while the dead holder's lease lived"
        );
        assert!(
            killed_at.elapsed() < LEASE_TTL * 5,
            "the dead holder's lease never ran out"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // ...then another process completes the renewal.
    rig.wait_for_version(
        "another worker stores the renewal",
        version_before + 1,
        Duration::from_secs(20),
    )
    .await;
    let takeover = killed_at.elapsed();
    workers.finish().await;

    let (version, stored) = rig.stored().await;
    let tokens = workers.tokens();
    assert_eq!(
        rig.fake.stats().token_calls_total(),
        version + 1,
        "one token call per stored token, and the dead holder's"
    );
    assert_eq!(version, tokens.len() as u64, "every token stored once");
    assert_one_renewal_per_expiry(&tokens);
    let renewed = &tokens[usize::try_from(version_before).expect("small")];
    assert!(
        renewed.holders.iter().all(|(index, _)| *index != victim),
        "{renewed:?}"
    );
    workers.assert_all_hold(stored.access_token.secret());
    let mut streaks = Vec::new();
    for worker in workers.alive() {
        assert_eq!(
            worker.refresh_failures(),
            Vec::<&str>::new(),
            "worker {}",
            worker.index
        );
        let longest = Duration::from_millis(worker.longest_streak_millis());
        assert!(
            longest < LEASE_TTL,
            "worker {}: requests failed for {longest:?}, longer than the lease ({LEASE_TTL:?})",
            worker.index
        );
        streaks.push(longest);
    }
    eprintln!(
        "cluster processes (SIGKILL): worker {victim} killed holding the lease, renewal taken \
         over after {:.2} s, longest failure streaks of the others {streaks:?}, {:.1} s",
        takeover.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}

#[actix::test]
async fn redis_stopped_and_restarted_under_load_requests_keep_succeeding() {
    let started = Instant::now();
    let mut rig = Rig::start(
        "redis-restart",
        WorkerFlow::ClientCredentials,
        FakeSpotify::builder(),
    );
    let mut workers = Workers::spawn(WORKERS, &rig.config);
    workers.wait_ready().await;
    rig.wait_for_version("a first renewal", 2, RUN_DEADLINE)
        .await;

    rig.redis.stop();
    let outage = Report::Cluster {
        event: "outage".to_owned(),
    };
    workers
        .wait_until(
            "every worker reports the outage",
            Duration::from_secs(20),
            |all| all.alive().all(|w| w.has_reported(&outage)),
        )
        .await;
    // Degraded: each worker renews on its own while Redis is away.
    workers
        .wait_until(
            "every worker renews on its own",
            Duration::from_secs(20),
            |all| {
                all.alive().all(|w| {
                    w.reports_after(&outage)
                        .iter()
                        .any(|r| matches!(r, Report::Token { origin, .. } if origin == "Local"))
                })
            },
        )
        .await;

    rig.redis.restart().expect("redis-server restarts"); // empty: no persistence
    let recovered = Report::Cluster {
        event: "recovered".to_owned(),
    };
    workers
        .wait_until(
            "every worker reports the recovery",
            Duration::from_secs(20),
            |all| all.alive().all(|w| w.has_reported(&recovered)),
        )
        .await;
    // Reconciliation fills the empty store with the newest token, and every worker takes it.
    let deadline = Instant::now() + Duration::from_secs(20);
    let converged = loop {
        workers.receive_all();
        if let Some((_, token)) = stored(&rig.store, &rig.key).await {
            let access = token.access_token.secret().to_owned();
            if workers
                .alive()
                .all(|w| w.latest_token() == Some(access.as_str()))
            {
                break access;
            }
        }
        assert!(
            Instant::now() < deadline,
            "the workers never agreed on the stored token after the recovery"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    // Then renewals go through the store again.
    let reconciled = rig.version().await;
    rig.wait_for_version(
        "two renewals through the store after the recovery",
        reconciled + 2,
        RUN_DEADLINE,
    )
    .await;
    workers.finish().await;

    let (_, stored) = rig.stored().await;
    let tokens = workers.tokens();
    let newest = tokens.last().expect("tokens");
    assert_eq!(
        newest.access,
        stored.access_token.secret(),
        "the store holds the newest token any worker had"
    );
    workers.assert_all_hold(stored.access_token.secret());
    workers.assert_no_failed_request(20);
    assert_every_token_call_succeeded(&rig.fake);
    // Coordinated again: from the token they agreed on, one renewal per expiry.
    let since = tokens
        .iter()
        .position(|t| t.access == converged)
        .expect("the agreed token was reported");
    assert!(tokens.len() - since > 2, "{tokens:#?}");
    assert_one_renewal_per_expiry(&tokens[since..]);
    eprintln!(
        "cluster processes (Redis restart): {} token calls for {} tokens, {} requests, none \
         failed, {:.1} s",
        rig.fake.stats().token_calls_total(),
        tokens.len(),
        workers.requests(),
        started.elapsed().as_secs_f64()
    );
}

/// Authorizes the PKCE user at the fake (the parent plays the browser) and returns the first
/// token, with its refresh token.
async fn authorize_user(rig: &Rig) -> OAuth2Token {
    let spotipie = rig.spotipie();
    let credentials =
        Credentials::public(FakeSpotify::PUBLIC_CLIENT_ID).with_redirect_uri(REDIRECT_URI);
    let session =
        spotipie.start_session(PkceFlow::new(credentials, USER_SCOPE).expect("a valid flow"));
    // The workers alone may use the refresh token: this session must not renew ahead.
    session
        .set_auto_refresh(false)
        .await
        .expect("the session answers");
    let (url, _state) = session
        .authorization_url(false)
        .await
        .expect("an authorization URL");
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    let response = browser.get(url).send().await.expect("/authorize answers");
    let callback = response
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .expect("/authorize redirects back")
        .to_owned();
    let token = session
        .fetch_token(&callback)
        .await
        .expect("the code is exchanged");
    (*token).clone()
}

/// Refreshes `token` once from the parent, which fails unless its refresh token is the live one.
async fn refresh_from_parent(rig: &Rig, token: OAuth2Token) -> OAuth2Token {
    let spotipie = rig.spotipie();
    let flow = RefreshTokenFlow::new(
        Credentials::public(FakeSpotify::PUBLIC_CLIENT_ID),
        USER_SCOPE,
    );
    let session = spotipie.start_session_with(
        flow,
        SessionOptions {
            token: Some(token),
            ..SessionOptions::default()
        },
    );
    let renewed = session
        .renew()
        .await
        .expect("the stored refresh token is the newest, still valid one");
    (*renewed).clone()
}
