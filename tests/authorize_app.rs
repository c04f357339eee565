//! The loopback authorization app and the terminal variant, with an HTTP client playing the
//! browser (the real-browser tests are in `tests/browser.rs`).

mod common;

use std::io::{BufReader, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use spotipie::authorize::{
    authorize_in_browser, authorize_in_terminal, AuthorizeError, BrowserOptions, OpenBrowser,
};
use spotipie::testing::{AuthorizeDecision, HeadlessBrowser};
use spotipie::{
    AuthorizationCodeFlow, AuthorizationError, Credentials, ImplicitGrantFlow, PkceFlow,
    SessionError, SessionHandle,
};

const SCOPE: &str = "user-read-email user-read-private";

fn with_redirect(redirect: &str) -> Credentials {
    credentials().with_redirect_uri(redirect)
}

/// The headless browser and what it ended on.
fn headless() -> (OpenBrowser, HeadlessBrowser) {
    let browser = HeadlessBrowser::new();
    (browser.open_browser(), browser)
}

async fn seen(browser: &HeadlessBrowser) -> (u16, String) {
    let page = browser.page().await.expect("the browser saw a page");
    (page.status, page.body)
}

fn options(open_browser: OpenBrowser) -> BrowserOptions {
    BrowserOptions {
        open_browser,
        app_name: "Test <App>".to_owned(),
        timeout: Duration::from_secs(10),
        ..BrowserOptions::default()
    }
}

#[actix::test]
async fn code_flow_through_the_loopback_app_shows_success_with_the_users_name() {
    let w = world();
    // No port in the redirect URI: the app picks a free one and sends that to Spotify.
    let flow = AuthorizationCodeFlow::new(with_redirect("http://127.0.0.1/callback"), SCOPE)
        .expect("flow");
    let session = w.spotipie.start_session(flow);
    let (open, browser) = headless();
    let token = authorize_in_browser(&session, options(open))
        .await
        .expect("authorized");
    assert!(token.refresh_token.is_some());
    let (status, page) = seen(&browser).await;
    assert_eq!(status, 200);
    assert!(page.contains("Authorization successful"), "{page}");
    assert!(page.contains("Fake User"), "names the user: {page}");
    assert!(
        page.contains("Test &lt;App&gt;"),
        "escapes the app name: {page}"
    );
    assert_eq!(session.get("/v1/me").await.expect("sent").status, 200);
}

#[actix::test]
async fn pkce_flow_through_the_loopback_app_on_ipv6() {
    let w = world();
    let flow = PkceFlow::new(
        Credentials::public(spotipie::testing::FakeSpotify::PUBLIC_CLIENT_ID)
            .with_redirect_uri("http://[::1]/callback"),
        SCOPE,
    )
    .expect("flow");
    let session = w.spotipie.start_session(flow);
    let (open, browser) = headless();
    match authorize_in_browser(&session, options(open)).await {
        Ok(token) => {
            assert!(token.refresh_token.is_some());
            assert_eq!(seen(&browser).await.0, 200);
        }
        // A machine without IPv6 loopback cannot bind [::1]; that is the only acceptable failure.
        Err(AuthorizeError::Bind { .. }) => eprintln!("no IPv6 loopback here; skipped"),
        Err(other) => panic!("{other:?}"),
    }
}

#[actix::test]
async fn a_denial_shows_the_denied_page_and_is_a_typed_error() {
    let w = world();
    w.fake.set_authorize_decision(AuthorizeDecision::Deny);
    let session = w.spotipie.start_session(
        AuthorizationCodeFlow::new(with_redirect("http://127.0.0.1/callback"), SCOPE)
            .expect("flow"),
    );
    let (open, browser) = headless();
    let error = authorize_in_browser(&session, options(open))
        .await
        .expect_err("denied");
    assert!(error.is_access_denied(), "{error:?}");
    let (status, page) = seen(&browser).await;
    assert_eq!(status, 403);
    assert!(page.contains("Authorization denied"), "{page}");
}

#[actix::test]
async fn implicit_grant_through_the_loopback_app_forwards_the_fragment() {
    let w = world();
    let session = w.spotipie.start_session(
        ImplicitGrantFlow::new(with_redirect("http://127.0.0.1/callback"), SCOPE).expect("flow"),
    );
    let (open, browser) = headless();
    let token = authorize_in_browser(&session, options(open))
        .await
        .expect("authorized");
    assert!(token.refresh_token.is_none());
    let (status, page) = seen(&browser).await;
    assert_eq!(status, 200);
    assert!(page.contains("Authorization successful"), "{page}");
}

#[actix::test]
async fn no_callback_in_time_is_a_timeout_and_the_server_is_gone() {
    let w = world();
    let session = w.spotipie.start_session(
        AuthorizationCodeFlow::new(with_redirect("http://127.0.0.1/callback"), SCOPE)
            .expect("flow"),
    );
    let port = Arc::new(Mutex::new(None));
    let seen_port = port.clone();
    let user_walks_away = move |url: url::Url| {
        let redirect = url
            .query_pairs()
            .find(|(k, _)| k == "redirect_uri")
            .and_then(|(_, v)| url::Url::parse(&v).ok())
            .and_then(|r| r.port());
        if let Ok(mut port) = seen_port.lock() {
            *port = redirect;
        }
    };
    let error = authorize_in_browser(
        &session,
        BrowserOptions {
            timeout: Duration::from_millis(200),
            ..options(OpenBrowser::With(Arc::new(user_walks_away)))
        },
    )
    .await
    .expect_err("nobody came");
    assert!(matches!(error, AuthorizeError::Timeout(_)), "{error:?}");
    let port = port
        .lock()
        .ok()
        .and_then(|p| *p)
        .expect("the URL named a port");
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "the server is gone when the call returns"
    );
}

#[actix::test]
async fn an_https_redirect_cannot_be_served_locally() {
    let w = world();
    let session = w.spotipie.start_session(
        AuthorizationCodeFlow::new(with_redirect("https://app.example/callback"), SCOPE)
            .expect("flow"),
    );
    let error = authorize_in_browser(&session, options(OpenBrowser::Print))
        .await
        .expect_err("not loopback");
    assert!(matches!(error, AuthorizeError::NotLoopback(_)), "{error}");
}

/// Output the test can read while the terminal flow waits for input.
#[derive(Clone, Default)]
struct Screen(Arc<Mutex<Vec<u8>>>);

impl Write for Screen {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut screen) = self.0.lock() {
            screen.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Screen {
    async fn url(&self) -> url::Url {
        loop {
            let text = self
                .0
                .lock()
                .map(|s| String::from_utf8_lossy(&s).into_owned())
                .unwrap_or_default();
            if let Some(url) = text.split_whitespace().find_map(|word| {
                url::Url::parse(word)
                    .ok()
                    .filter(|u| u.path() == "/authorize")
            }) {
                return url;
            }
            actix::clock::sleep(Duration::from_millis(5)).await;
        }
    }
}

async fn pasted(session: &SessionHandle, input: Vec<u8>) -> Result<(), AuthorizeError> {
    authorize_in_terminal(
        session,
        BufReader::new(std::io::Cursor::new(input)),
        Screen::default(),
    )
    .await
    .map(|_| ())
}

#[actix::test]
async fn the_terminal_variant_reads_the_pasted_callback() {
    let w = world();
    let session = w.spotipie.start_session(
        AuthorizationCodeFlow::new(with_redirect("http://127.0.0.1:8765/callback"), SCOPE)
            .expect("flow"),
    );
    let (reader, mut writer) = std::io::pipe().expect("pipe");
    let screen = Screen::default();
    let task = actix::spawn({
        let session = session.clone();
        let screen = screen.clone();
        async move { authorize_in_terminal(&session, BufReader::new(reader), screen).await }
    });
    let url = screen.url().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let location = client
        .get(url)
        .send()
        .await
        .expect("authorize")
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .expect("redirect");
    writeln!(writer, "  {location}  ").expect("paste");
    let token = task.await.expect("joined").expect("authorized");
    assert!(token.refresh_token.is_some());

    assert!(matches!(
        pasted(&session, b"\n".to_vec()).await,
        Err(AuthorizeError::Input(_))
    ));
    let mut huge = b"http://127.0.0.1:8765/callback?code=".to_vec();
    huge.extend(std::iter::repeat_n(b'a', 1024 * 1024));
    assert!(matches!(
        pasted(&session, huge).await,
        Err(AuthorizeError::Session(SessionError::Authorization(
            AuthorizationError::CallbackTooLong { .. }
        )))
    ));
}
