//! A small multi-user web backend on actix-web: every user logs in once, their session lives in
//! a [`SessionPool`], and their tokens are kept in a [`FileStore`], so a restarted service still
//! knows them.
//!
//! - `GET /login?user=NAME` starts the user's authorization (PKCE, or the code flow with
//!   `--code-flow`) and redirects to Spotify.
//! - `GET /callback?…` finishes it through the user's session; a denied or forged callback gets
//!   an error page with the typed error's message.
//! - `GET /me?user=NAME` proxies `/v1/me` through the user's session, or redirects to `/login`
//!   when the user must (re-)authorize.
//!
//! It runs offline against `FakeSpotify`. Without arguments (or with `--demo`) it plays a user:
//! alice logs in, the service restarts (web server and actors stopped, new ones on the same
//! token folder), alice is still logged in, and bob, who never logged in, is sent to `/login`.
//!
//! ```sh
//! cargo run --example actix_web_service                    # the demo, exits 0 on success
//! cargo run --example actix_web_service -- --serve --port 8080   # then open
//! #   http://127.0.0.1:8080/login?user=alice in a browser; Ctrl-C stops
//! ```
//!
//! Options: `--data DIR` (token folder, default `$TMP/spotipie-actix-web-service`), `--port N`
//! (default 0: any free port), `--code-flow`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use actix::{Actor as _, Addr};
use actix_web::http::{header, StatusCode};
use actix_web::{
    dev::ServerHandle, web, App, HttpRequest, HttpResponse, HttpServer, ResponseError,
};
use spotipie::actors::bus::GetBusStats;
use spotipie::actors::persister::Flush;
use spotipie::authorize::escape_html;
use spotipie::pool::{GetSession, Login};
use spotipie::store::{FileStore, StoreKey, TokenStore as _};
use spotipie::testing::{FakeSpotify, FAKE_USER_ID};
use spotipie::{
    AuthorizationCodeFlow, AuthorizationError, Credentials, Endpoints, EventBus, Flow, Persister,
    PkceFlow, PoolConfig, SessionError, SessionPool, Spotipie,
};

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

const SCOPE: &str = "user-read-email user-read-private";
/// A login not finished within this time is forgotten (the session forgets it too).
const LOGIN_TIMEOUT: Duration = Duration::from_secs(15 * 60);
const MAX_PENDING_LOGINS: usize = 10_000;

/// How to run the service.
pub struct ServiceConfig {
    pub data_dir: PathBuf,
    pub port: u16,
    pub code_flow: bool,
}

/// A running service: the web server and the actors on a thread and actix system of their own,
/// so [`Service::stop`] really stops all of them, as a process exit would.
pub struct Service {
    pub url: String,
    bus: Addr<EventBus>,
    persister: Addr<Persister>,
    server: ServerHandle,
    system: actix::System,
    thread: std::thread::JoinHandle<std::io::Result<()>>,
}

/// Starts the service on `config.port` with its tokens in `config.data_dir`, talking to `fake`.
pub fn run_service(config: &ServiceConfig, fake: &FakeSpotify) -> Result<Service, BoxError> {
    std::fs::create_dir_all(&config.data_dir)?;
    let listener = std::net::TcpListener::bind(("127.0.0.1", config.port))?;
    let url = format!("http://127.0.0.1:{}", listener.local_addr()?.port());
    let redirect_uri = format!("{url}/callback");
    let flow: Arc<dyn Flow> = if config.code_flow {
        let credentials = Credentials::new(FakeSpotify::CLIENT_ID, FakeSpotify::CLIENT_SECRET);
        Arc::new(AuthorizationCodeFlow::new(
            credentials.with_redirect_uri(redirect_uri),
            SCOPE,
        )?)
    } else {
        let credentials = Credentials::public(FakeSpotify::PUBLIC_CLIENT_ID);
        Arc::new(PkceFlow::new(
            credentials.with_redirect_uri(redirect_uri),
            SCOPE,
        )?)
    };
    let endpoints = Endpoints::single(fake.url())?;
    let (data_dir, base_url) = (config.data_dir.clone(), url.clone());

    let (started_tx, started_rx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        let system = actix::System::new();
        let started = system.block_on(async move {
            let spotipie = Spotipie::builder().endpoints(endpoints).start();
            let store = Arc::new(FileStore::new(data_dir, spotipie.clock().clone()));
            let persister = spotipie.start_persister(store.clone());
            let pool = SessionPool::new(spotipie.clone(), store, flow, PoolConfig::default());
            let app = web::Data::new(AppState {
                pool: pool.start(),
                base_url,
                pending: Mutex::default(),
            });
            let server = HttpServer::new(move || {
                App::new()
                    .app_data(app.clone())
                    .route("/login", web::get().to(login))
                    .route("/callback", web::get().to(callback))
                    .route("/me", web::get().to(me))
            })
            .workers(2)
            .disable_signals()
            .shutdown_timeout(2)
            .listen(listener)?
            .run();
            let handle = server.handle();
            actix_rt::spawn(server);
            std::io::Result::Ok((spotipie.bus().clone(), persister, handle))
        });
        let ok = started.is_ok();
        let _ = started_tx.send(started.map(|parts| (parts, actix::System::current())));
        if ok {
            system.run()
        } else {
            Ok(())
        }
    });
    let ((bus, persister, server), system) = started_rx
        .recv()
        .map_err(|_| "the service thread ended before it started")??;
    Ok(Service {
        url,
        bus,
        persister,
        server,
        system,
        thread,
    })
}

impl Service {
    /// Stops the web server, waits until every token is saved, then stops the actors.
    pub async fn stop(self) -> Result<(), BoxError> {
        self.server.stop(true).await;
        // A round trip through the bus first, so every `TokenUpdated` already published has
        // reached the persister; then `Flush` answers once all of them are saved.
        self.bus.send(GetBusStats).await?;
        self.persister.send(Flush).await?;
        self.system.stop();
        self.thread
            .join()
            .map_err(|_| "the service thread panicked")??;
        Ok(())
    }
}

struct AppState {
    pool: Addr<SessionPool>,
    base_url: String,
    /// The `state` of each login in progress → its user.
    pending: Mutex<HashMap<String, (StoreKey, Instant)>>,
}

impl AppState {
    /// Remembers whose login `state` belongs to; `false` if too many are in progress.
    fn remember_login(&self, state: &str, user: StoreKey) -> bool {
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        pending.retain(|_, (_, since)| since.elapsed() < LOGIN_TIMEOUT);
        let room = pending.len() < MAX_PENDING_LOGINS;
        if room {
            pending.insert(state.to_owned(), (user, Instant::now()));
        }
        room
    }

    /// The user whose login `state` belongs to (once).
    fn take_login(&self, state: &str) -> Option<StoreKey> {
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        pending.remove(state).map(|(user, _)| user)
    }
}

#[derive(serde::Deserialize)]
struct UserQuery {
    user: Option<String>,
}

impl UserQuery {
    fn key(&self) -> Result<StoreKey, ErrorPage> {
        let user = self.user.as_deref().unwrap_or_default();
        StoreKey::new(user).map_err(|e| ErrorPage::new(StatusCode::BAD_REQUEST, e))
    }
}

type Page = Result<HttpResponse, ErrorPage>;

async fn login(app: web::Data<AppState>, query: web::Query<UserQuery>) -> Page {
    let user = query.key()?;
    let session = app.pool.send(Login(user.clone())).await?;
    let (url, state) = session.authorization_url(false).await?;
    if !app.remember_login(state.secret(), user) {
        let busy = "Too many logins in progress; try again later.";
        return Err(ErrorPage::new(StatusCode::SERVICE_UNAVAILABLE, busy));
    }
    Ok(redirect(url.as_str()))
}

async fn callback(
    request: HttpRequest,
    app: web::Data<AppState>,
    query: web::Query<HashMap<String, String>>,
) -> Page {
    // A state this service did not hand out: the session's own check would say the same.
    let state = query.get("state").map(String::as_str).unwrap_or_default();
    let user = app
        .take_login(state)
        .ok_or(AuthorizationError::StateMismatch)?;
    let session = app.pool.send(Login(user.clone())).await?;
    let callback_url = format!("{}{}", app.base_url, request.uri());
    session.fetch_token(&callback_url).await?;
    Ok(redirect(&format!("/me?user={}", encode(&user))))
}

async fn me(app: web::Data<AppState>, query: web::Query<UserQuery>) -> Page {
    let user = query.key()?;
    let to_login = || Ok(redirect(&format!("/login?user={}", encode(&user))));
    let session = match app.pool.send(GetSession(user.clone())).await? {
        Ok(session) => session,
        Err(error) if error.needs_authorization() => return to_login(),
        Err(error) => return Err(ErrorPage::new(StatusCode::INTERNAL_SERVER_ERROR, error)),
    };
    // The handle's fast path runs on this worker's runtime, which lives as long as the server;
    // code on a short-lived runtime would send `ApiRequest` to `session.addr()` instead.
    match session.get("/v1/me").await {
        // The token was revoked, or issued by another Spotify (the fake of an earlier run).
        Ok(response) if response.status == 401 => to_login(),
        Ok(response) => {
            let status = StatusCode::from_u16(response.status.as_u16());
            Ok(
                HttpResponse::build(status.unwrap_or(StatusCode::BAD_GATEWAY))
                    .content_type("application/json")
                    .body(response.body),
            )
        }
        // A login that was started but never finished leaves a session without a token.
        Err(SessionError::NotAuthorized) => to_login(),
        Err(error) if error.requires_reauthorization() => to_login(),
        Err(error) => Err(error.into()),
    }
}

fn encode(user: &StoreKey) -> String {
    url::form_urlencoded::byte_serialize(user.as_str().as_bytes()).collect()
}

fn redirect(location: &str) -> HttpResponse {
    HttpResponse::Found()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// An error as an HTML page: the status, and the typed error's message, escaped.
#[derive(Debug, thiserror::Error)]
#[error("{1}")]
struct ErrorPage(StatusCode, String);

impl ErrorPage {
    fn new(status: StatusCode, message: impl std::fmt::Display) -> Self {
        Self(status, message.to_string())
    }
}

impl From<SessionError> for ErrorPage {
    fn from(error: SessionError) -> Self {
        let status = match &error {
            SessionError::Authorization(e) if e.is_access_denied() => StatusCode::FORBIDDEN,
            SessionError::Authorization(_) => StatusCode::BAD_REQUEST,
            _ => StatusCode::BAD_GATEWAY,
        };
        Self::new(status, error)
    }
}

impl From<AuthorizationError> for ErrorPage {
    fn from(error: AuthorizationError) -> Self {
        SessionError::from(error).into()
    }
}

impl From<actix::MailboxError> for ErrorPage {
    fn from(_: actix::MailboxError) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "The session pool has stopped.",
        )
    }
}

impl ResponseError for ErrorPage {
    fn status_code(&self) -> StatusCode {
        self.0
    }

    fn error_response(&self) -> HttpResponse {
        let title = self.0.canonical_reason().unwrap_or("Error");
        let message = escape_html(&self.1);
        let html = format!("<!doctype html><title>{title}</title><h1>{title}</h1>");
        HttpResponse::build(self.0)
            .content_type("text/html; charset=utf-8")
            .body(format!("{html}<p id=\"message\">{message}</p>"))
    }
}

/// Where a visit ended, and the path of every page it went through.
pub struct Visit {
    pub hops: Vec<String>,
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

impl Visit {
    /// `/login → /authorize → /callback → /me → HTTP 200`, or `/me → HTTP 302 to /login…`.
    pub fn trail(&self) -> String {
        let to = self.location.as_ref().map(|l| format!(" to {l}"));
        let (hops, status) = (self.hops.join(" → "), self.status);
        format!("{hops} → HTTP {status}{}", to.unwrap_or_default())
    }
}

/// GETs `base` + `path` as a browser would, following redirects if `follow`.
pub async fn visit(base: &str, path: &str, follow: bool) -> Result<Visit, BoxError> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none()) // followed here, to show each hop
        .pool_max_idle_per_host(0)
        .build()?;
    let mut url = reqwest::Url::parse(&format!("{base}{path}"))?;
    let mut hops = Vec::new();
    for _ in 0..10 {
        hops.push(url.path().to_owned());
        let response = client.get(url.clone()).send().await?;
        let status = response.status();
        let location = response.headers().get(header::LOCATION.as_str());
        let location = location.and_then(|l| l.to_str().ok()).map(str::to_owned);
        match location {
            Some(next) if follow && status.is_redirection() => url = url.join(&next)?,
            _ => {
                let (status, body) = (status.as_u16(), response.text().await?);
                return Ok(Visit {
                    hops,
                    status,
                    location,
                    body,
                });
            }
        }
    }
    Err(format!("too many redirects from {url}").into())
}

fn check(ok: bool, what: &str) -> Result<(), BoxError> {
    if ok {
        Ok(())
    } else {
        Err(format!("check failed: {what}").into())
    }
}

/// Alice logs in, the service restarts on the same token folder, alice is still logged in, bob
/// is sent to `/login`.
pub async fn demo(config: &ServiceConfig) -> Result<(), BoxError> {
    let fake = FakeSpotify::start();
    let flow = if config.code_flow {
        "the code flow"
    } else {
        "PKCE"
    };
    println!(
        "Offline: FakeSpotify on {}; users log in with {flow}.",
        fake.url()
    );
    std::fs::create_dir_all(&config.data_dir)?;
    let store = FileStore::new(&config.data_dir, spotipie::clock::system_clock());
    store.delete(&StoreKey::new("bob")?).await?; // bob never logged in, whatever earlier runs did

    let service = run_service(config, &fake)?;
    println!(
        "[1] Service on {}, tokens in {}",
        service.url,
        config.data_dir.display()
    );
    let alice = visit(&service.url, "/login?user=alice", true).await?;
    println!("    alice: {}\n    {}", alice.trail(), alice.body);
    let me: serde_json::Value = serde_json::from_str(&alice.body)?;
    let logged_in = alice.hops.last().is_some_and(|last| last == "/me") && alice.status == 200;
    check(
        logged_in && me["id"] == FAKE_USER_ID,
        "alice logs in and sees /v1/me",
    )?;
    service.stop().await?;
    let saved = store.path_of(&StoreKey::new("alice")?);
    check(saved.exists(), "alice's token is saved")?;
    println!("[1] Stopped. Alice's token is in {}", saved.display());

    let authorizations = fake.stats().authorize_calls;
    let service = run_service(config, &fake)?;
    println!(
        "[2] Restarted on {}: new actors, same token folder",
        service.url
    );
    let alice = visit(&service.url, "/me?user=alice", true).await?;
    println!("    alice: {}", alice.trail());
    check(
        alice.hops == ["/me"] && alice.status == 200,
        "alice is still logged in",
    )?;
    check(
        fake.stats().authorize_calls == authorizations,
        "alice did not authorize again",
    )?;
    let bob = visit(&service.url, "/me?user=bob", false).await?;
    println!("    bob:   {}", bob.trail());
    let to_login = bob.location.as_deref() == Some("/login?user=bob");
    check(bob.status == 302 && to_login, "bob is sent to /login")?;
    let nobody = visit(&service.url, "/me?user=", false).await?;
    println!("    (no user): {}", nobody.trail());
    check(nobody.status == 400, "a request without a user is refused")?;
    service.stop().await?;
    println!("[2] Stopped. Alice stayed logged in across the restart; bob has to log in.");
    Ok(())
}

async fn serve(config: &ServiceConfig) -> Result<(), BoxError> {
    let fake = FakeSpotify::start();
    let service = run_service(config, &fake)?;
    println!(
        "Offline: FakeSpotify on {}. Tokens in {}.",
        fake.url(),
        config.data_dir.display()
    );
    println!(
        "Open {}/login?user=alice (any user name). Ctrl-C stops.",
        service.url
    );
    actix_rt::signal::ctrl_c().await?;
    service.stop().await
}

const USAGE: &str =
    "usage: actix_web_service [--demo | --serve] [--data DIR] [--port N] [--code-flow]";

fn parse_args() -> Result<(ServiceConfig, bool), String> {
    let mut config = ServiceConfig {
        data_dir: std::env::temp_dir().join("spotipie-actix-web-service"),
        port: 0,
        code_flow: false,
    };
    let mut serving = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--demo" => serving = false,
            "--serve" => serving = true,
            "--code-flow" => config.code_flow = true,
            "--data" => config.data_dir = args.next().ok_or("--data needs a folder")?.into(),
            "--port" => {
                let port = args.next().and_then(|port| port.parse().ok());
                config.port = port.ok_or("--port needs a port number")?;
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok((config, serving))
}

#[actix::main]
async fn main() -> ExitCode {
    let (config, serving) = match parse_args() {
        Ok(parsed) => parsed,
        Err(error) => {
            eprintln!("error: {error}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = if serving {
        serve(&config).await
    } else {
        demo(&config).await
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
