//! What the parent and its worker processes agree on: the worker's configuration (one
//! environment variable holding JSON), the commands the parent writes to a worker's stdin, the
//! reports a worker writes to its stdout, and the policy every worker runs with.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use spotipie::cluster::ClusterOptions;
use spotipie::store::RedisOptions;
use spotipie::Policy;

/// The environment variable that turns the hidden test into a worker: JSON of [`WorkerConfig`].
pub const WORKER_ENV: &str = "SPOTIPIE_CLUSTER_WORKER";

/// The name of the hidden test the parent runs in each child process.
pub const WORKER_TEST: &str = "cluster_worker";

/// Starts every report line. The test harness prints lines of its own (and with `--nocapture`
/// a report may share a line with `test cluster_worker ... `), so the parent looks for this
/// anywhere in a line and reads the JSON after it.
pub const REPORT_MARKER: &str = "@@cluster-worker@@";

/// Lifetime of every token the fake issues, in seconds.
pub const TOKEN_LIFETIME_SECS: u64 = 2;

/// The workers' expiry margin: a token counts as expired this long before its expiry.
pub const EXPIRY_MARGIN: Duration = Duration::from_millis(200);

/// The workers' refresh-ahead window. The library caps it at half a token's lifetime (1 s for
/// 2-s tokens); it is set to exactly that cap, so a token is fresh for its first 0.8 s, stale
/// (served while one renewal runs) for the next 1 s, expired for its last 0.2 s.
pub const REFRESH_AHEAD: Duration = Duration::from_secs(1);

/// The workers' renewal timeout: the longest a request waits in an expiry episode.
pub const RENEWAL_TIMEOUT: Duration = Duration::from_secs(1);

/// The lease the workers ask for. The library uses at least `RENEWAL_TIMEOUT` + 1 s, which is
/// also 2 s here, so this is the lease in effect: the longest a dead holder delays a renewal.
pub const LEASE_TTL: Duration = Duration::from_secs(2);

/// How long a token stays fresh: a renewal of the cluster happens at the earliest this long
/// after the previous one. Two renewals of the same expiry would be milliseconds apart.
pub fn fresh_for() -> Duration {
    Duration::from_secs(TOKEN_LIFETIME_SECS) - EXPIRY_MARGIN - REFRESH_AHEAD
}

/// The request every worker sends over and over (a real track id).
pub const TRACK: &str = "/v1/tracks/11dFghVXANMlKmJXsNCbNl";

/// How often a worker starts a request.
pub const REQUEST_INTERVAL: Duration = Duration::from_millis(20);

/// The scope of the PKCE user.
pub const USER_SCOPE: &str = "user-read-email user-read-private";

/// The session policy of every worker: 2-s tokens renewed ahead, quick retries.
pub fn policy() -> Policy {
    Policy {
        expiry_margin: EXPIRY_MARGIN,
        refresh_ahead: REFRESH_AHEAD,
        renewal_timeout: RENEWAL_TIMEOUT,
        retry_base_delay: Duration::from_millis(10),
        retry_max_delay: Duration::from_millis(100),
        subscriber_timeout: Duration::from_millis(500),
        request_timeout: Duration::from_secs(5),
        ..Policy::default()
    }
}

/// The cluster options of every worker (and of the parent's own look at the store).
pub fn cluster_options(namespace: &str) -> ClusterOptions {
    ClusterOptions {
        redis: redis_options(namespace),
        lease_ttl: LEASE_TTL,
        poll_interval: Duration::from_millis(50),
        reconnect_delay: Duration::from_millis(100),
    }
}

/// The Redis options of the namespace. A command gets a whole second: on a loaded machine a
/// slow answer must not read as an outage (which would make renewals local).
pub fn redis_options(namespace: &str) -> RedisOptions {
    RedisOptions {
        namespace: namespace.to_owned(),
        response_timeout: Duration::from_secs(1),
        connect_timeout: Duration::from_secs(1),
    }
}

/// Which session a worker holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkerFlow {
    /// The app's own token: the worker starts without one and calls `renew()`, which fetches
    /// the first token or adopts the one another worker stored.
    ClientCredentials,
    /// A PKCE user (public client, single-use refresh tokens): the worker starts from the token
    /// the parent stored under the key.
    PkceUser,
}

/// Everything a worker needs, passed as JSON in [`WORKER_ENV`].
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WorkerConfig {
    /// The parent's FakeSpotify.
    pub fake_url: String,
    /// The test's redis-server.
    pub redis_url: String,
    /// The Redis namespace (one per test).
    pub namespace: String,
    /// The session id, which is also the store key.
    pub key: String,
    /// Which session.
    pub flow: WorkerFlow,
}

impl WorkerConfig {
    /// The configuration in the environment, if this process is a worker.
    pub fn from_env() -> Option<Self> {
        let json = std::env::var(WORKER_ENV).ok()?;
        Some(serde_json::from_str(&json).expect("the parent writes a valid worker configuration"))
    }

    /// The value of [`WORKER_ENV`].
    pub fn to_env(&self) -> String {
        serde_json::to_string(self).expect("a worker configuration serializes")
    }
}

/// A line the parent writes to a worker's stdin. Closing stdin makes a worker exit at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// Stop sending requests and turn auto-refresh off, so no renewal starts any more; answer
    /// [`Report::Paused`].
    Pause,
    /// Wait until the cluster is quiet (no lease held, the session holds the stored token),
    /// answer [`Report::Final`] and exit.
    Finish,
}

impl Command {
    /// The line for the command.
    pub fn line(self) -> &'static str {
        match self {
            Command::Pause => "pause",
            Command::Finish => "finish",
        }
    }

    /// The command of a line.
    pub fn parse(line: &str) -> Option<Self> {
        match line.trim() {
            "pause" => Some(Command::Pause),
            "finish" => Some(Command::Finish),
            _ => None,
        }
    }
}

/// A line a worker writes to its stdout, after [`REPORT_MARKER`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "report", rename_all = "snake_case")]
pub enum Report {
    /// The session holds its first token and the requests have started.
    Ready {
        /// The worker's process id (lease owners are `{pid}-{nonce}`).
        pid: u32,
    },
    /// The session set a token it had not held before (from its `TokenUpdated`).
    Token {
        /// `Local`, `SharedStore` or `OtherProcess` (the event's `TokenOrigin`).
        origin: String,
        /// The token's access token (fake tokens: nothing secret).
        access: String,
        /// When it expires (Unix seconds).
        expires_at: f64,
        /// Whether it carries a refresh token.
        has_refresh_token: bool,
    },
    /// A renewal failed for good (`RefreshFailed`).
    RefreshFailed {
        /// The error.
        error: String,
    },
    /// A `ClusterEvent`: `outage` or `recovered`.
    Cluster {
        /// The event's name.
        event: String,
    },
    /// A run of failed requests ended with a success.
    FailureStreak {
        /// From the start of the first failed request to the end of the next successful one.
        millis: u64,
        /// How many requests failed.
        failures: u64,
        /// The first failure's error.
        first_error: String,
    },
    /// The answer to [`Command::Pause`].
    Paused,
    /// The answer to [`Command::Finish`], the last report.
    Final(Final),
    /// The worker could not start; it exits.
    Fatal {
        /// What went wrong.
        error: String,
    },
}

/// A worker's last report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Final {
    /// Whether the cluster became quiet before the worker's deadline: no lease held and the
    /// session holding the stored token.
    pub settled: bool,
    /// The access token the session holds at the end.
    pub held: Option<String>,
    /// The access token stored in Redis at the end (as this worker last read it).
    pub stored: Option<String>,
    /// Requests sent.
    pub requests: u64,
    /// Requests that failed (an error, or a status other than 200).
    pub failures: u64,
    /// The longest failure streak (see [`Report::FailureStreak`]), in milliseconds; a streak
    /// still open at the end counts up to the pause.
    pub longest_streak_millis: u64,
    /// The first failure's error.
    pub first_error: Option<String>,
}

impl Report {
    /// The line for the report, marker included.
    pub fn line(&self) -> String {
        let json = serde_json::to_string(self).expect("a report serializes");
        format!("{REPORT_MARKER}{json}\n")
    }

    /// The report in a line of the worker's stdout, if there is one.
    pub fn find_in(line: &str) -> Option<Self> {
        let (_, json) = line.split_once(REPORT_MARKER)?;
        Some(serde_json::from_str(json.trim()).expect("a worker writes valid reports"))
    }
}
