//! Crash safety of token files (DESIGN R2): a process killed with SIGKILL in the middle of saving
//! leaves every token file holding either the token it held before or the one being written,
//! never a torn, mixed or empty one.
//!
//! The test runs its own test binary again as a child process, which executes the hidden
//! `crash_child_save_loop` test: it saves tokens to a few keys of a folder, round robin, forever.
//! The parent waits until the child is saving, lets it run for a short time that differs from
//! round to round, kills it with SIGKILL and checks the folder. Thirty rounds run on the same
//! folder; each child resumes from the counters the previous one left, so a file that went back
//! to an older token would show.
//!
//! What this proves is atomicity against a process crash (the temporary file, the rename), as a
//! killed process leaves the kernel's page cache intact. Durability across a power cut (the
//! `fsync`s) cannot be tested from inside one machine.
#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader, Write as _};
use std::os::unix::process::ExitStatusExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::TempDir;
use spotipie::clock::system_clock;
use spotipie::store::token_file::{read_token_file, write_token_file};
use spotipie::store::{FileStore, StoreKey, TokenStore as _};
use spotipie::{OAuth2Token, SystemClock};

/// The folder the child saves into; the child does nothing unless it is set.
const CHILD_DIR_ENV: &str = "SPOTIPIE_CRASH_CHILD_DIR";
/// The name of the hidden test the child runs.
const CHILD_TEST: &str = "crash_child_save_loop";
/// What the child prints once every key has a file and the save loop begins.
const STARTED: &str = "crash-child: saving";
/// Keys saved round robin.
const KEYS: [&str; 4] = ["user-0", "user-1", "user-2", "user-3"];
/// Kill rounds.
const ROUNDS: u64 = 30;

fn store(folder: &Path) -> FileStore {
    FileStore::new(folder, system_clock())
}

fn key(name: &str) -> StoreKey {
    StoreKey::new(name).expect("a valid key")
}

/// The token of save number `n` of `key`: the counter is in both secrets, so a file mixing two
/// saves would show, and the scope makes it a realistic size.
fn token_for(key: &str, n: u64) -> OAuth2Token {
    OAuth2Token::new(
        format!("access-{key}-{n:012}-{}", "A".repeat(160)),
        Duration::from_secs(3600),
        &SystemClock,
    )
    .with_refresh_token(format!("refresh-{key}-{n:012}-{}", "R".repeat(100)))
    .with_scope("user-read-email user-read-private playlist-read-private")
}

/// The save number in a token of `key`, checking that both secrets agree on it.
fn counter_of(key: &str, token: &OAuth2Token, path: &Path) -> u64 {
    let number = |secret: &str, prefix: &str| -> u64 {
        secret
            .strip_prefix(prefix)
            .and_then(|rest| rest.get(..12))
            .and_then(|digits| digits.parse().ok())
            .unwrap_or_else(|| panic!("{}: not a token this test wrote", path.display()))
    };
    let access = number(token.access_token.secret(), &format!("access-{key}-"));
    let refresh = token
        .refresh_token
        .as_ref()
        .map(|r| number(r.secret(), &format!("refresh-{key}-")))
        .unwrap_or_else(|| panic!("{}: the refresh token is missing", path.display()));
    assert_eq!(
        access,
        refresh,
        "{}: access and refresh token come from different saves",
        path.display()
    );
    // `expires_at` depends on when the token was made; everything else must match exactly.
    let mut saved = token_for(key, access);
    saved.expires_at = token.expires_at;
    assert_eq!(
        *token,
        saved,
        "{}: the token differs from the one saved",
        path.display()
    );
    access
}

/// The child: saves round robin until it is killed. Without the environment variable (a plain
/// `cargo test -- --ignored`) it returns at once.
#[test]
#[ignore = "child process of the crash-safety test"]
fn crash_child_save_loop() {
    let Some(folder) = std::env::var_os(CHILD_DIR_ENV).map(PathBuf::from) else {
        return;
    };
    let store = store(&folder);
    let clock = SystemClock;
    // Resume after the previous child: the next save of each key gets a higher counter.
    let mut next: Vec<u64> = KEYS
        .iter()
        .map(|name| {
            let path = store.path_of(&key(name));
            read_token_file(&path, &clock)
                .map(|token| counter_of(name, &token, &path) + 1)
                .unwrap_or(0)
        })
        .collect();
    let mut save = |i: usize| {
        let path = store.path_of(&key(KEYS[i]));
        write_token_file(&path, &token_for(KEYS[i], next[i])).expect("child: save");
        next[i] += 1;
    };
    for i in 0..KEYS.len() {
        save(i);
    }
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{STARTED}").expect("child: stdout");
        out.flush().expect("child: stdout");
    }
    for i in (0..KEYS.len()).cycle() {
        save(i);
    }
}

/// Starts the child on `folder` and waits until it is saving.
fn start_child(folder: &Path) -> Child {
    let exe = std::env::current_exe().expect("the test binary's path");
    let mut child = Command::new(exe)
        .args(["--ignored", "--exact", CHILD_TEST, "--nocapture"])
        .args(["--test-threads", "1"])
        .env(CHILD_DIR_ENV, folder)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the child process");
    let stdout = child.stdout.take().expect("the child's stdout");
    let (started_tx, started_rx) = mpsc::channel();
    // The harness prints its own lines, and with --nocapture the marker may share a line with
    // "test crash_child_save_loop ... ": look for it anywhere. Reading goes on to EOF so the
    // child never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut started_tx = Some(started_tx);
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if line.contains(STARTED) {
                if let Some(tx) = started_tx.take() {
                    let _ = tx.send(());
                }
            }
        }
    });
    if started_rx.recv_timeout(Duration::from_secs(20)).is_err() {
        let _ = child.kill();
        let status = child.wait();
        panic!("the child never started saving (status {status:?})");
    }
    child
}

/// Checks the folder after a kill: every `*.json` is a whole token of its key, never older than
/// what the previous check saw; anything else is a temporary file of an interrupted save, which
/// is never taken for a token. Returns the counters and the number of leftovers.
fn check_folder(
    folder: &Path,
    before: &BTreeMap<String, u64>,
    round: u64,
) -> (BTreeMap<String, u64>, usize) {
    let clock = SystemClock;
    let mut counters = BTreeMap::new();
    let mut leftovers = 0;
    for entry in std::fs::read_dir(folder).expect("list the folder") {
        let entry = entry.expect("folder entry");
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".json") {
            let key = KEYS
                .iter()
                .find(|k| **k == stem)
                .unwrap_or_else(|| panic!("round {round}: unexpected token file {name}"));
            // Never torn or empty: it parses, and it is exactly one save's token.
            let token = read_token_file(&path, &clock)
                .unwrap_or_else(|e| panic!("round {round}: a torn token file: {e}"));
            let n = counter_of(key, &token, &path);
            if let Some(&old) = before.get(*key) {
                assert!(
                    n >= old,
                    "round {round}: {name} went back from save {old} to save {n}"
                );
            }
            counters.insert(key.to_string(), n);
        } else {
            // token_file.rs names its temporary files ".<file name>.tmp-<pid>-<n>-<random>":
            // hidden, and not ending in ".json", so no store reads them as a key's file.
            assert!(
                KEYS.iter()
                    .any(|k| name.starts_with(&format!(".{k}.json.tmp-"))),
                "round {round}: unexpected file {name}"
            );
            leftovers += 1;
        }
    }
    assert_eq!(
        counters.len(),
        KEYS.len(),
        "round {round}: a token file is missing: {counters:?}"
    );
    (counters, leftovers)
}

#[test]
fn sigkill_during_saves_never_leaves_a_torn_token_file() {
    let started = Instant::now();
    let dir = TempDir::new("crash-safety");
    let folder = dir.0.clone();
    let mut counters: BTreeMap<String, u64> = BTreeMap::new();
    let mut leftovers = 0;
    for round in 0..ROUNDS {
        let mut child = start_child(&folder);
        // 0.2 to ~40 ms of saving (a save with its two fsyncs takes a few ms here), different every
        // round, no RNG needed.
        std::thread::sleep(Duration::from_micros(200 + (round * 7_919) % 40_000));
        child.kill().expect("SIGKILL the child");
        let status = child.wait().expect("reap the child");
        assert_eq!(
            status.signal(),
            Some(9),
            "round {round}: the child was not killed mid-loop: {status:?}"
        );
        let (now, left) = check_folder(&folder, &counters, round);
        // A child saves one file at a time, so a kill interrupts at most one save.
        assert!(
            left <= leftovers + 1,
            "round {round}: {left} temporary files after {leftovers}"
        );
        counters = now;
        leftovers = left;
    }

    // The children did save in their loops, past the first pass over the keys.
    let saves: u64 = counters.values().map(|n| n + 1).sum();
    assert!(
        saves > ROUNDS * KEYS.len() as u64,
        "the children barely saved ({saves} saves in {ROUNDS} rounds)"
    );

    // The store reads each key's own file and ignores the temporary leftovers.
    let store = store(&folder);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a tokio runtime");
    for name in KEYS {
        let token = runtime
            .block_on(store.load(&key(name)))
            .expect("load")
            .unwrap_or_else(|| panic!("{name}: no token"));
        let path = store.path_of(&key(name));
        assert_eq!(counter_of(name, &token, &path), counters[name]);
    }
    eprintln!(
        "crash safety: {ROUNDS} kills, {saves} saves, {leftovers} temporary files left by \
         interrupted saves, {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
