//! A real browser: headless Chromium drives the loopback authorization app through
//! FakeSpotify's consent to the result page, for the code flow and for the implicit grant (whose
//! fragment only a browser's script can forward).
//!
//! These need Debian's `chromium` package, so a plain `cargo test` lists them as ignored, with
//! the reason. `.ci/run` installs Chromium and runs them with
//! `cargo test --test browser -- --ignored`.

mod common;

use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use spotipie::authorize::{authorize_in_browser, BrowserOptions, OpenBrowser};
use spotipie::{AuthorizationCodeFlow, Flow, ImplicitGrantFlow};
use tokio::sync::oneshot;

const CHROMIUM: &str = "/usr/bin/chromium";

/// Opens the URL in headless Chromium and hands back the DOM it ended on.
fn chromium() -> (OpenBrowser, oneshot::Receiver<String>) {
    assert!(
        std::path::Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: apt-get install chromium"
    );
    let (tx, rx) = oneshot::channel();
    let tx = Arc::new(Mutex::new(Some(tx)));
    let open = move |url: url::Url| {
        let tx = tx.clone();
        std::thread::spawn(move || {
            let profile = std::env::temp_dir().join(format!(
                "spotipie-chromium-{}-{}",
                std::process::id(),
                rand_suffix()
            ));
            let output = Command::new(CHROMIUM)
                .args([
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--virtual-time-budget=10000",
                    "--dump-dom",
                ])
                .arg(format!("--user-data-dir={}", profile.display()))
                .arg(url.as_str())
                .stdin(Stdio::null())
                .stderr(Stdio::null())
                .output();
            let _ = std::fs::remove_dir_all(&profile);
            let dom = output
                .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
                .unwrap_or_else(|e| format!("chromium failed: {e}"));
            if let Some(tx) = tx.lock().ok().and_then(|mut t| t.take()) {
                let _ = tx.send(dom);
            }
        });
    };
    (OpenBrowser::With(Arc::new(open)), rx)
}

fn rand_suffix() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or_default()
}

async fn authorize_with_chromium(flow: impl Flow) -> String {
    let w = world();
    let session = w.spotipie.start_session(flow);
    let (open, dom) = chromium();
    let token = authorize_in_browser(
        &session,
        BrowserOptions {
            open_browser: open,
            app_name: "Browser Test".into(),
            timeout: Duration::from_secs(60),
            ..BrowserOptions::default()
        },
    )
    .await
    .expect("authorized through Chromium");
    assert!(!token.access_token.secret().is_empty());
    assert_eq!(session.get("/v1/me").await.expect("sent").status, 200);
    dom.await.expect("Chromium dumped the DOM")
}

#[actix::test]
#[ignore = "needs Chromium (apt-get install chromium); .ci/run runs it with --ignored"]
async fn chromium_completes_the_code_flow() {
    let flow = AuthorizationCodeFlow::new(
        credentials().with_redirect_uri("http://127.0.0.1/callback"),
        "user-read-email",
    )
    .expect("flow");
    let dom = authorize_with_chromium(flow).await;
    assert!(dom.contains("Authorization successful"), "{dom}");
    assert!(
        dom.contains("Browser Test") && dom.contains("Fake User"),
        "{dom}"
    );
}

#[actix::test]
#[ignore = "needs Chromium (apt-get install chromium); .ci/run runs it with --ignored"]
async fn chromium_forwards_the_implicit_grants_fragment() {
    let flow = ImplicitGrantFlow::new(
        credentials().with_redirect_uri("http://127.0.0.1/callback"),
        "user-read-email",
    )
    .expect("flow");
    let dom = authorize_with_chromium(flow).await;
    assert!(dom.contains("Authorization successful"), "{dom}");
}
