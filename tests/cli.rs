//! The `spotipie` binary end to end against an in-process FakeSpotify: `authorize` (code and
//! PKCE, an HTTP client playing the browser), `token show`, `token refresh`, and its failures.
//!
//! Every wait is bounded by [`DEADLINE`]: a stuck child is killed and the test fails.
#![cfg(all(feature = "authorize-app", feature = "testing"))]

mod common;

use common::TempDir;

use std::fs;
use std::io::{BufRead as _, BufReader, Read as _};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use spotipie::store::token_file::{read_token_file, write_token_file};
use spotipie::testing::FakeSpotify;
use spotipie::{OAuth2Token, SystemClock};

/// The longest any one wait on the child may take.
const DEADLINE: Duration = Duration::from_secs(30);
const APP_NAME: &str = "CLI Test App";

/// The binary, pointed at `fake` with its confidential client, and no other `SPOTIPIE_*`
/// variable of the environment the tests run in.
fn spotipie(fake: &FakeSpotify, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_spotipie"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("SPOTIPIE_") {
            command.env_remove(name);
        }
    }
    command
        .args(args)
        .env("SPOTIPIE_ACCOUNTS_URL", fake.url())
        .env("SPOTIPIE_API_URL", fake.url())
        .env("SPOTIPIE_CLIENT_ID", FakeSpotify::CLIENT_ID)
        .env("SPOTIPIE_CLIENT_SECRET", FakeSpotify::CLIENT_SECRET)
        .stdin(Stdio::null());
    command
}

/// A running child whose stderr is read line by line as it comes; killed on drop.
struct Running {
    child: Child,
    stderr: Receiver<String>,
    stdout: Receiver<String>,
    seen: Vec<String>,
}

/// How a child ended.
struct Finished {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

impl Running {
    fn start(mut command: Command) -> Self {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the spotipie binary");
        let (err_tx, stderr) = mpsc::channel();
        let err = child.stderr.take().expect("piped stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines() {
                let Ok(line) = line else { break };
                if err_tx.send(line).is_err() {
                    break;
                }
            }
        });
        let (out_tx, stdout) = mpsc::channel();
        let mut out = child.stdout.take().expect("piped stdout");
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = out.read_to_string(&mut text);
            let _ = out_tx.send(text);
        });
        Self {
            child,
            stderr,
            stdout,
            seen: Vec::new(),
        }
    }

    /// Waits for a stderr line starting with `prefix`.
    fn line_starting_with(&mut self, prefix: &str) -> String {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stderr.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.starts_with(prefix) {
                        return line;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    panic!(
                        "no {prefix:?} line within {DEADLINE:?}; stderr: {:?}",
                        self.seen
                    )
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("stderr closed before a {prefix:?} line: {:?}", self.seen)
                }
            }
        }
    }

    /// Waits for the child to exit, then collects what it printed.
    fn finish(mut self) -> Finished {
        let deadline = Instant::now() + DEADLINE;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("poll the child") {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "spotipie did not exit within {DEADLINE:?}; stderr so far: {:?}",
                self.seen
            );
            std::thread::sleep(Duration::from_millis(10));
        };
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stderr.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => panic!("stderr stayed open after exit"),
            }
        }
        let left = deadline.saturating_duration_since(Instant::now());
        let stdout = self
            .stdout
            .recv_timeout(left)
            .expect("stdout closes after exit");
        Finished {
            status,
            stdout,
            stderr: self.seen.join("\n"),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn run(command: Command) -> Finished {
    Running::start(command).finish()
}

#[cfg(unix)]
fn assert_mode_0600(path: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = fs::metadata(path).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{}", path.display());
}

#[cfg(not(unix))]
fn assert_mode_0600(_: &Path) {}

/// Runs `spotipie authorize` with `extra` arguments, plays the browser, and returns the token
/// it saved.
async fn authorize(command: Command, token_file: &Path) -> OAuth2Token {
    let mut child = Running::start(command);
    let line = child.line_starting_with("Open this URL");
    let url = line
        .split_whitespace()
        .last()
        .expect("the line ends with the URL");
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");

    // The browser: follow the fake's 302 to the CLI's loopback server.
    let browser = reqwest::Client::builder()
        .timeout(DEADLINE)
        .build()
        .expect("HTTP client");
    let page = browser
        .get(url)
        .send()
        .await
        .expect("the consent round trip");
    assert_eq!(page.status(), 200);
    let landed = page.url().clone();
    let body = page.text().await.expect("the result page");
    assert_eq!(landed.host_str(), Some("127.0.0.1"));
    assert!(
        body.to_lowercase().contains("success") && body.contains(APP_NAME),
        "{body}"
    );

    let done = child.finish();
    assert!(
        done.status.success(),
        "exit {:?}: {}",
        done.status,
        done.stderr
    );
    assert!(
        done.stdout.contains("Token saved to") && done.stdout.contains("user-read-email"),
        "{}",
        done.stdout
    );
    assert_mode_0600(token_file);
    read_token_file(token_file, &SystemClock).expect("the saved token parses")
}

fn authorize_args<'a>(flow: &'a str, token_file: &'a str) -> Vec<&'a str> {
    vec![
        "authorize",
        "--flow",
        flow,
        "--scope",
        "user-read-email playlist-read-private",
        "--no-browser",
        "--port",
        "0",
        "--redirect-uri",
        "http://127.0.0.1/callback",
        "--timeout",
        "30",
        "--app-name",
        APP_NAME,
        "--token-file",
        token_file,
    ]
}

#[tokio::test]
async fn authorize_with_the_code_flow_saves_a_refreshable_token() {
    let fake = FakeSpotify::start();
    let dir = TempDir::new("code");
    let path = dir.join("token.json");
    let file = path.to_string_lossy().into_owned();
    let token = authorize(spotipie(&fake, &authorize_args("code", &file)), &path).await;
    assert!(token.refresh_token.is_some());
    assert!(token.scope.contains("playlist-read-private"));
    assert_eq!(fake.stats().token_calls_authorization_code, 1);
}

#[tokio::test]
async fn authorize_with_pkce_saves_a_token_whose_rotated_refresh_token_is_kept() {
    let fake = FakeSpotify::start();
    let dir = TempDir::new("pkce");
    let path = dir.join("token.json");
    let file = path.to_string_lossy().into_owned();
    let mut command = spotipie(&fake, &authorize_args("pkce", &file));
    command
        .env_remove("SPOTIPIE_CLIENT_SECRET")
        .env("SPOTIPIE_CLIENT_ID", FakeSpotify::PUBLIC_CLIENT_ID);
    let first = authorize(command, &path).await;
    let mut previous = first.refresh_token.clone().expect("a refresh token");

    // PKCE refresh tokens are single-use: each refresh must save the rotated one, or the next
    // refresh fails with invalid_grant.
    for round in 1..=2 {
        let mut command = spotipie(&fake, &["token", "refresh", "--token-file", &file]);
        command
            .env_remove("SPOTIPIE_CLIENT_SECRET")
            .env("SPOTIPIE_CLIENT_ID", FakeSpotify::PUBLIC_CLIENT_ID);
        let done = run(command);
        assert!(done.status.success(), "round {round}: {}", done.stderr);
        assert!(done.stdout.contains("rotated"), "{}", done.stdout);
        let saved = read_token_file(&path, &SystemClock).expect("parses");
        let rotated = saved.refresh_token.clone().expect("a refresh token");
        assert_ne!(rotated, previous, "round {round}");
        previous = rotated;
        assert_mode_0600(&path);
    }
    assert_eq!(fake.stats().token_calls_refresh_token, 2);
}

/// A token file holding a token the fake issued, `expires_in_secs` from now (negative: expired).
fn issued_token_file(fake: &FakeSpotify, path: &Path, expires_in_secs: i64) -> OAuth2Token {
    let scope = "user-read-email";
    let mut token = OAuth2Token::new(
        fake.issue_access_token(3600, scope),
        Duration::from_secs(3600),
        &SystemClock,
    )
    .with_refresh_token(fake.issue_refresh_token(scope))
    .with_scope(scope);
    token.expires_at += (expires_in_secs - 3600) as f64;
    write_token_file(path, &token).expect("write the token file");
    token
}

#[test]
fn token_show_redacts_secrets_unless_revealed() {
    let fake = FakeSpotify::start();
    let dir = TempDir::new("show");
    let path = dir.join("token.json");
    let file = path.to_string_lossy().into_owned();
    let token = issued_token_file(&fake, &path, 1800);
    let access = token.access_token.secret().to_owned();
    let refresh = token
        .refresh_token
        .as_ref()
        .map(|r| r.secret().to_owned())
        .expect("refresh token");

    let shown = run(spotipie(&fake, &["token", "show", "--token-file", &file]));
    assert!(shown.status.success(), "{}", shown.stderr);
    let out = &shown.stdout;
    assert!(!out.contains(&access) && !out.contains(&refresh), "{out}");
    assert!(out.contains("[redacted]"), "{out}");
    assert!(out.contains("user-read-email"), "{out}");
    assert!(out.contains("UTC"), "{out}");
    assert!(out.contains("yes"), "refreshable: {out}");
    let left: i64 = out
        .lines()
        .find_map(|line| line.strip_prefix("seconds left:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("a seconds-left line");
    assert!((1700..=1800).contains(&left), "{out}");

    let revealed = run(spotipie(
        &fake,
        &["token", "show", "--reveal", "--token-file", &file],
    ));
    assert!(revealed.status.success(), "{}", revealed.stderr);
    assert!(
        revealed.stdout.contains(&access) && revealed.stdout.contains(&refresh),
        "{}",
        revealed.stdout
    );

    issued_token_file(&fake, &path, -30);
    let expired = run(spotipie(&fake, &["token", "show", "--token-file", &file]));
    assert!(expired.stdout.contains("(expired)"), "{}", expired.stdout);
}

#[test]
fn token_refresh_renews_and_saves_the_token() {
    let fake = FakeSpotify::start();
    let dir = TempDir::new("refresh");
    let path = dir.join("token.json");
    let file = path.to_string_lossy().into_owned();
    let old = issued_token_file(&fake, &path, -60);

    let done = run(spotipie(
        &fake,
        &["token", "refresh", "--token-file", &file],
    ));
    assert!(done.status.success(), "{}", done.stderr);
    assert!(done.stdout.contains("refreshed"), "{}", done.stdout);
    assert_eq!(fake.stats().token_calls_refresh_token, 1);
    let new = read_token_file(&path, &SystemClock).expect("parses");
    assert_ne!(new.access_token, old.access_token);
    assert!(new.expires_at > old.expires_at);
    // The fake does not rotate confidential refresh tokens: the old one is kept.
    assert_eq!(new.refresh_token, old.refresh_token);
    assert_mode_0600(&path);
}

#[test]
fn a_revoked_refresh_token_asks_for_a_new_authorization() {
    let fake = FakeSpotify::start();
    let dir = TempDir::new("revoked");
    let path = dir.join("token.json");
    let file = path.to_string_lossy().into_owned();
    let old = issued_token_file(&fake, &path, -60);
    fake.revoke_refresh_tokens();

    let done = run(spotipie(
        &fake,
        &["token", "refresh", "--token-file", &file],
    ));
    assert_eq!(done.status.code(), Some(1), "{}", done.stderr);
    assert!(done.stderr.starts_with("error:"), "{}", done.stderr);
    assert!(
        done.stderr.contains("spotipie authorize"),
        "{}",
        done.stderr
    );
    assert_eq!(done.stderr.lines().count(), 1, "{}", done.stderr);
    let kept = read_token_file(&path, &SystemClock).expect("still there");
    assert_eq!(kept.access_token, old.access_token);
    assert_eq!(kept.refresh_token, old.refresh_token);
    // serde_json parses floats to within one ULP unless its `float_roundtrip` feature is on.
    assert!((kept.expires_at - old.expires_at).abs() < 1e-3);
}

#[test]
fn a_missing_client_id_names_the_variable_and_the_flag() {
    let fake = FakeSpotify::start();
    let dir = TempDir::new("no-id");
    let file = dir.join("token.json").to_string_lossy().into_owned();
    let mut command = spotipie(&fake, &authorize_args("code", &file));
    command.env_remove("SPOTIPIE_CLIENT_ID");
    let done = run(command);
    assert_eq!(done.status.code(), Some(1), "{}", done.stderr);
    assert!(done.stderr.starts_with("error:"), "{}", done.stderr);
    assert!(
        done.stderr.contains("SPOTIPIE_CLIENT_ID") && done.stderr.contains("--client-id"),
        "{}",
        done.stderr
    );
    assert!(!done.stderr.contains("panicked"), "{}", done.stderr);
    assert_eq!(fake.stats().authorize_calls, 0);
}

#[test]
fn a_localhost_redirect_uri_is_refused_with_the_alternative() {
    let fake = FakeSpotify::start();
    let dir = TempDir::new("localhost");
    let file = dir.join("token.json").to_string_lossy().into_owned();
    let done = run(spotipie(
        &fake,
        &[
            "authorize",
            "--flow",
            "pkce",
            "--no-browser",
            "--redirect-uri",
            "http://localhost:8888/callback",
            "--token-file",
            &file,
        ],
    ));
    assert_eq!(done.status.code(), Some(1), "{}", done.stderr);
    assert!(done.stderr.starts_with("error:"), "{}", done.stderr);
    assert!(done.stderr.contains("127.0.0.1"), "{}", done.stderr);
}

#[test]
fn bad_token_files_and_bad_usage_fail_cleanly() {
    let fake = FakeSpotify::start();
    let dir = TempDir::new("bad");
    let missing = dir.join("missing.json").to_string_lossy().into_owned();
    for args in [
        vec!["token", "show", "--token-file", &missing],
        vec!["token", "refresh", "--token-file", &missing],
    ] {
        let done = run(spotipie(&fake, &args));
        assert_eq!(done.status.code(), Some(1), "{args:?}: {}", done.stderr);
        assert!(
            done.stderr.starts_with("error:") && done.stderr.contains("missing.json"),
            "{}",
            done.stderr
        );
    }

    let corrupt = dir.join("corrupt.json");
    fs::write(&corrupt, "{\"access_token\": \"SECRET").expect("write");
    let corrupt = corrupt.to_string_lossy().into_owned();
    let done = run(spotipie(
        &fake,
        &["token", "show", "--token-file", &corrupt],
    ));
    assert_eq!(done.status.code(), Some(1), "{}", done.stderr);
    assert!(!done.stderr.contains("SECRET"), "{}", done.stderr);

    let done = run(spotipie(&fake, &["authorize", "--flow", "bogus"]));
    assert_eq!(done.status.code(), Some(2), "{}", done.stderr);
}

#[tokio::test]
async fn fake_spotify_runs_as_its_own_process_and_prints_its_url() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_spotipie"))
        .args(["fake-spotify", "--expires-in", "60"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start spotipie fake-spotify");
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut first = String::new();
        let _ = BufReader::new(stdout).read_line(&mut first);
        let _ = tx.send(first);
    });
    let first = rx.recv_timeout(DEADLINE).expect("the first line");
    let url = first
        .split_whitespace()
        .last()
        .expect("a URL at the end of the first line")
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{first}");
    let response = reqwest::get(format!("{url}/v1/me"))
        .await
        .expect("it answers");
    assert_eq!(response.status(), 401, "no token: Spotify's 401");
    let _ = child.kill();
    let _ = child.wait();
}
