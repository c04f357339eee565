//! Helpers shared by the benchmarks: run mode, paired interleaved rounds, summary statistics, a
//! plain-text table, the machine description and the JSON report under
//! `target/spotipie-bench/<name>.json`.
//!
//! DESIGN §6: this machine is noisy, so a ratio is only trusted from interleaved, paired rounds in
//! one process: every round runs each variant once (the order rotates from round to round, so no
//! variant always goes first), the per-round ratio is taken, and the report gives the median of
//! those ratios with their min and max.
#![allow(dead_code)] // each bench uses a different subset

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use criterion::Criterion;
use serde_json::{json, Value};

/// The track every request fetches (a real Spotify id; the fake serves a fixture for it).
pub const TRACK: &str = "/v1/tracks/11dFghVXANMlKmJXsNCbNl";

/// How the bench binary was invoked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `cargo bench`: full paired rounds, JSON written, criterion measures.
    Bench,
    /// `cargo test --benches` / `cargo bench -- --test`: one tiny round as a smoke test, no JSON.
    Quick,
    /// `cargo bench -- --list`: no paired rounds at all.
    List,
}

impl Mode {
    /// Reads the mode from the arguments the same way criterion does.
    pub fn from_args() -> Mode {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let has = |flag: &str| args.iter().any(|a| a == flag);
        if has("--list") {
            Mode::List
        } else if has("--bench") && !has("--test") {
            Mode::Bench
        } else {
            Mode::Quick
        }
    }

    /// `full` in bench mode, `quick` otherwise.
    pub fn pick<T>(self, full: T, quick: T) -> T {
        if self == Mode::Bench {
            full
        } else {
            quick
        }
    }
}

/// Rounds of a paired measurement: `SPOTIPIE_BENCH_ROUNDS` if set, else `default` (1 in quick
/// mode).
pub fn rounds(mode: Mode, default: usize) -> usize {
    if mode != Mode::Bench {
        return 1;
    }
    std::env::var("SPOTIPIE_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or(default)
}

/// The criterion configuration of every bench: few samples, short phases (the paired rounds are
/// the figures of record; criterion adds its usual per-benchmark estimates).
pub fn criterion_config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .without_plots()
}

/// Runs `rounds` interleaved rounds of `variants` variants: round `r` runs every variant once,
/// starting with variant `r % variants`. `run(v)` measures variant `v` once and returns its
/// figure (a throughput, a duration...). Returns `samples[v][r]`.
pub fn interleaved(
    rounds: usize,
    variants: usize,
    mut run: impl FnMut(usize) -> f64,
) -> Vec<Vec<f64>> {
    let mut samples = vec![Vec::with_capacity(rounds); variants];
    for round in 0..rounds {
        for k in 0..variants {
            let v = (round + k) % variants;
            samples[v].push(run(v));
        }
    }
    samples
}

/// Per-round ratios `a[r] / b[r]`.
pub fn ratios(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| x / y).collect()
}

/// Per-round differences `a[r] - b[r]`.
pub fn differences(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| x - y).collect()
}

/// Median, min and max of a set of samples.
#[derive(Clone, Copy, Debug)]
pub struct Summary {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub n: usize,
}

impl Summary {
    pub fn of(values: &[f64]) -> Summary {
        assert!(!values.is_empty(), "no samples");
        let mut sorted = values.to_vec();
        sorted.sort_by(|a, b| a.total_cmp(b));
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        Summary {
            median,
            min: sorted[0],
            max: sorted[n - 1],
            n,
        }
    }

    pub fn json(&self) -> Value {
        json!({ "median": self.median, "min": self.min, "max": self.max, "n": self.n })
    }
}

/// One measured figure: the line printed for it, a row of the table and its JSON.
pub struct Figure {
    pub line: String,
    pub row: Vec<String>,
    pub json: Value,
}

/// What a bench measured, printed as a table and written as JSON.
pub struct Report {
    name: &'static str,
    mode: Mode,
    columns: Vec<&'static str>,
    figures: Vec<Figure>,
    config: Value,
    notes: Vec<String>,
}

impl Report {
    pub fn new(name: &'static str, mode: Mode, columns: &[&'static str]) -> Report {
        Report {
            name,
            mode,
            columns: columns.to_vec(),
            figures: Vec::new(),
            config: json!({}),
            notes: Vec::new(),
        }
    }

    /// The parameters of the run (batch sizes, rounds ...), recorded in the JSON.
    pub fn config(&mut self, config: Value) {
        self.config = config;
    }

    /// A free-form note, printed under the table and kept in the JSON.
    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }

    /// Records a figure and prints its summary line at once.
    pub fn figure(&mut self, figure: Figure) {
        assert_eq!(figure.row.len(), self.columns.len(), "row width");
        println!("{}", figure.line);
        self.figures.push(figure);
    }

    /// Prints the table and, in bench mode, writes the JSON. Returns the JSON path if written.
    pub fn finish(self) -> Option<PathBuf> {
        let machine = machine();
        println!();
        println!("== {} ({}) ==", self.name, machine_line(&machine));
        let rows: Vec<Vec<String>> = self.figures.iter().map(|f| f.row.clone()).collect();
        print!("{}", table(&self.columns, &rows));
        for line in &self.figures {
            println!("  {}", line.line);
        }
        for note in &self.notes {
            println!("  note: {note}");
        }
        if self.mode != Mode::Bench {
            println!("  (quick mode: figures are a smoke test, no JSON written)");
            println!();
            return None;
        }
        let report = json!({
            "bench": self.name,
            "unix_time": SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0),
            "machine": machine,
            "config": self.config,
            "figures": self.figures.iter().map(|f| f.json.clone()).collect::<Vec<_>>(),
            "summary": self.figures.iter().map(|f| f.line.clone()).collect::<Vec<_>>(),
            "notes": self.notes,
        });
        let dir = target_dir().join("spotipie-bench");
        let path = dir.join(format!("{}.json", self.name));
        let written = std::fs::create_dir_all(&dir).and_then(|()| {
            let text = serde_json::to_string_pretty(&report).expect("JSON");
            std::fs::write(&path, text + "\n")
        });
        match written {
            Ok(()) => {
                println!("  wrote {}", path.display());
                println!();
                Some(path)
            }
            Err(error) => {
                eprintln!("  could not write {}: {error}", path.display());
                None
            }
        }
    }
}

/// `CARGO_TARGET_DIR`, else `<crate>/target`.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// A left-aligned first column, the others right-aligned.
pub fn table(columns: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = columns.iter().map(|c| c.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: &[String]| {
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            let pad = w - cell.chars().count();
            if i == 0 {
                let _ = write!(out, "{cell}{}", " ".repeat(pad));
            } else {
                let _ = write!(out, "  {}{cell}", " ".repeat(pad));
            }
        }
        out.push('\n');
    };
    let header: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
    line(&mut out, &header);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(&mut out, &rule);
    for row in rows {
        line(&mut out, row);
    }
    out
}

/// The machine the figures come from: cores, CPU model, kernel, load, toolchain, commit.
pub fn machine() -> Value {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu_model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned());
    let nproc = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let read = |path: &str| {
        std::fs::read_to_string(path)
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    let git_commit = run("git", &["rev-parse", "--short", "HEAD"]);
    let git_dirty =
        run("git", &["status", "--porcelain", "--untracked-files=no"]).map(|s| !s.is_empty());
    json!({
        "nproc": nproc,
        "cpu_model": cpu_model,
        "kernel": read("/proc/sys/kernel/osrelease"),
        "loadavg": read("/proc/loadavg"),
        "rustc": run("rustc", &["--version"]),
        "profile": if cfg!(debug_assertions) { "debug" } else { "release" },
        "git_commit": git_commit,
        "git_dirty": git_dirty,
    })
}

fn machine_line(machine: &Value) -> String {
    format!(
        "{} x {}, {}, load {}",
        machine["nproc"],
        machine["cpu_model"].as_str().unwrap_or("?"),
        machine["rustc"].as_str().unwrap_or("rustc ?"),
        machine["loadavg"]
            .as_str()
            .unwrap_or("?")
            .split(' ')
            .take(3)
            .collect::<Vec<_>>()
            .join(" "),
    )
}

fn run(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// `12345` for a throughput (no decimals), as in the summary lines.
pub fn per_sec(x: f64) -> String {
    format!("{x:.0}")
}

/// Milliseconds with two decimals.
pub fn ms(seconds: f64) -> String {
    format!("{:.2}", seconds * 1e3)
}

/// A ratio with two decimals.
pub fn ratio(x: f64) -> String {
    format!("{x:.2}")
}

/// `yes` / `NO`.
pub fn met(ok: bool) -> String {
    if ok { "yes" } else { "NO" }.to_owned()
}
