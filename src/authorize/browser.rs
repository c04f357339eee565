//! The loopback authorization app: a one-shot web server on the redirect URI's loopback address.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{web, HttpRequest, HttpResponse};
use tokio::sync::oneshot;
use url::{Host, Url};

use super::{pages, AuthorizeError};
use crate::actors::session::AuthorizationUrl;
use crate::actors::SessionHandle;
use crate::error::SessionError;
use crate::loopback::LoopbackServer;
use crate::oauth::{AuthorizationError, RedirectUri, ResponseType};
use crate::token::OAuth2Token;

/// Where the implicit grant's forwarding script sends the fragment.
const FRAGMENT_PATH: &str = "/.spotipie/fragment";

/// Hands the authorization URL to code of the application's own (a GUI, a test's HTTP client).
pub type UrlHandler = Arc<dyn Fn(Url) + Send + Sync>;

/// How to show the user the authorization URL.
#[derive(Clone)]
pub enum OpenBrowser {
    /// The system's browser (`xdg-open`, `open`, `start`); prints the URL if that fails.
    System,
    /// Only print the URL on stderr (headless machines). The line starts with `Open this URL`.
    Print,
    /// Run this program with these arguments, then the URL (e.g. a headless browser in tests).
    Command(Vec<String>),
    /// Call this function with the URL (it is called once, on the caller's task).
    With(UrlHandler),
}

impl std::fmt::Debug for OpenBrowser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::System => f.write_str("System"),
            Self::Print => f.write_str("Print"),
            Self::Command(argv) => f.debug_tuple("Command").field(argv).finish(),
            Self::With(_) => f.write_str("With(..)"),
        }
    }
}

/// Options of [`authorize_in_browser`].
#[derive(Clone, Debug)]
pub struct BrowserOptions {
    /// The port to listen on. 0: the redirect URI's port, or any free port if the redirect URI
    /// names none (Spotify accepts any port for a loopback URI registered without one).
    pub port: u16,
    /// How long to wait for the user. Default 5 minutes.
    pub timeout: Duration,
    /// How to show the URL. Default: the system browser.
    pub open_browser: OpenBrowser,
    /// The app's name on the result pages. Default `spotipie`.
    pub app_name: String,
    /// Ask Spotify to show the consent dialog even if the user approved before.
    pub show_dialog: bool,
}

impl Default for BrowserOptions {
    fn default() -> Self {
        Self {
            port: 0,
            timeout: Duration::from_secs(300),
            open_browser: OpenBrowser::System,
            app_name: "spotipie".to_owned(),
            show_dialog: false,
        }
    }
}

type Outcome = Result<Arc<OAuth2Token>, SessionError>;

/// What the server's handlers share.
struct App {
    session: SessionHandle,
    app_name: String,
    implicit: bool,
    /// `http://127.0.0.1:PORT` and the callback path: the callback URL the session reads.
    base: String,
    path: String,
    done: Mutex<Option<oneshot::Sender<Outcome>>>,
}

/// Runs a user authorization through the system browser (or as `options` say) and a one-shot
/// loopback server, and returns the session's new token.
///
/// The server binds the redirect URI's loopback address only (`127.0.0.1` or `[::1]`), takes
/// one callback, shows a success page naming the app (and the user, from `/v1/me`), a denied
/// page or an error page, and is gone when this returns. After `options.timeout` without a
/// callback the result is [`AuthorizeError::Timeout`].
pub async fn authorize_in_browser(
    session: &SessionHandle,
    options: BrowserOptions,
) -> Result<Arc<OAuth2Token>, AuthorizeError> {
    let authorization = session
        .user_authorization()
        .ok_or(SessionError::Authorization(AuthorizationError::WrongFlow(
            "user authorization",
        )))?
        .clone();
    let (bind, mut redirect) = plan(&authorization.redirect_uri, options.port)?;
    let (server, slot) = start_server(bind, redirect.path())?;
    let (done, outcome) = oneshot::channel();
    let addr = server.addr();
    if redirect.port().is_none() {
        // Setting a port on an http URL cannot fail.
        let _ = redirect.set_port(Some(addr.port()));
    }
    let host = match addr.ip() {
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
    };
    let app = App {
        session: session.clone(),
        app_name: options.app_name.clone(),
        implicit: authorization.response_type == ResponseType::Token,
        base: format!("http://{host}:{}", addr.port()),
        path: redirect.path().to_owned(),
        done: Mutex::new(Some(done)),
    };
    // Installed before the URL is shown, so no callback can find the slot empty.
    if let Ok(mut slot) = slot.lock() {
        *slot = Some(Arc::new(app));
    }
    let (url, _state) = session
        .authorization_url_with(AuthorizationUrl {
            show_dialog: options.show_dialog,
            extra: Vec::new(),
            redirect_uri: Some(RedirectUri::parse(redirect.as_str()).map_err(SessionError::from)?),
        })
        .await?;
    open(&options.open_browser, &options.app_name, &url);
    let result = tokio::time::timeout(options.timeout, outcome).await;
    server.shutdown_gracefully();
    match result {
        Err(_) => Err(AuthorizeError::Timeout(options.timeout)),
        Ok(Err(_)) => Err(AuthorizeError::Session(SessionError::SessionStopped)),
        Ok(Ok(outcome)) => Ok(outcome?),
    }
}

/// Which address to bind and which redirect URI to send, from the flow's redirect URI.
fn plan(redirect: &RedirectUri, port: u16) -> Result<(SocketAddr, Url), AuthorizeError> {
    let url = redirect.url().clone();
    let not_loopback = || AuthorizeError::NotLoopback(redirect.to_string());
    if url.scheme() != "http" {
        return Err(not_loopback());
    }
    let ip: IpAddr = match url.host() {
        Some(Host::Ipv4(ip)) => ip.into(),
        Some(Host::Ipv6(ip)) => ip.into(),
        _ => return Err(not_loopback()),
    };
    if !ip.is_loopback() {
        return Err(not_loopback());
    }
    let port = match (url.port(), port) {
        (Some(named), 0) => named,
        (Some(named), requested) if named == requested => named,
        (Some(named), requested) => {
            return Err(AuthorizeError::PortConflict {
                redirect: named,
                requested,
            })
        }
        (None, requested) => requested,
    };
    Ok((SocketAddr::new(ip, port), url))
}

/// Binds the server, whose handlers read the app's state from the returned slot (filled in once
/// the bound port, and so the callback URL, is known).
fn start_server(bind: SocketAddr, path: &str) -> Result<(LoopbackServer, Slot), AuthorizeError> {
    let slot: Slot = Arc::new(Mutex::new(None));
    let for_server = slot.clone();
    let path = path.to_owned();
    let server = LoopbackServer::start("spotipie-authorize", bind, move |config| {
        config
            .app_data(web::Data::new(for_server.clone()))
            .route(&path, web::get().to(callback))
            .route(FRAGMENT_PATH, web::get().to(fragment));
    })
    .map_err(|source| AuthorizeError::Bind {
        addr: bind.to_string(),
        source,
    })?;
    Ok((server, slot))
}

type Slot = Arc<Mutex<Option<Arc<App>>>>;
type Shared = web::Data<Slot>;

fn app_of(shared: &Shared) -> Option<Arc<App>> {
    shared.lock().ok().and_then(|slot| slot.clone())
}

fn html(status: actix_web::http::StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Referrer-Policy", "no-referrer"))
        // One request per connection: a graceful stop then never waits on an idle keep-alive.
        .force_close()
        .body(body)
}

/// `GET {redirect path}`: the code flows' callback, or the implicit grant's forwarding page.
async fn callback(req: HttpRequest, shared: Shared) -> HttpResponse {
    let Some(app) = app_of(&shared) else {
        return HttpResponse::ServiceUnavailable().force_close().finish();
    };
    let query = req.query_string();
    let refused = url::form_urlencoded::parse(query.as_bytes()).any(|(k, _)| k == "error");
    if app.implicit && !refused {
        return html(
            actix_web::http::StatusCode::OK,
            pages::forward_fragment(&app.app_name, FRAGMENT_PATH),
        );
    }
    let callback = format!("{}{}?{}", app.base, app.path, query);
    finish(&app, &callback).await
}

/// `GET /.spotipie/fragment?…`: the implicit grant's fragment, forwarded by the page's script.
async fn fragment(req: HttpRequest, shared: Shared) -> HttpResponse {
    let Some(app) = app_of(&shared).filter(|app| app.implicit) else {
        return HttpResponse::NotFound().force_close().finish();
    };
    let callback = format!("{}{}#{}", app.base, app.path, req.query_string());
    finish(&app, &callback).await
}

/// Hands the one callback to the session and answers with the page for its outcome.
async fn finish(app: &App, callback: &str) -> HttpResponse {
    use actix_web::http::StatusCode;
    let Some(done) = app.done.lock().ok().and_then(|mut done| done.take()) else {
        return html(StatusCode::GONE, pages::already_done(&app.app_name));
    };
    let outcome = app.session.fetch_token(callback).await;
    let (status, page) = match &outcome {
        Ok(_) => (
            StatusCode::OK,
            pages::success(&app.app_name, display_name(&app.session).await.as_deref()),
        ),
        Err(SessionError::Authorization(error)) if error.is_access_denied() => {
            (StatusCode::FORBIDDEN, pages::denied(&app.app_name))
        }
        Err(error) => (
            StatusCode::BAD_REQUEST,
            pages::error(&app.app_name, &error.to_string()),
        ),
    };
    let _ = done.send(outcome);
    html(status, page)
}

/// The user's display name, when `/v1/me` answers (it needs a user token and scope).
///
/// Sent as a message, so the request runs on the session's runtime: the shared HTTP client keeps
/// connections alive on the runtime that opened them, and this server's runtime ends with the
/// authorization.
async fn display_name(session: &SessionHandle) -> Option<String> {
    let me = session
        .addr()
        .send(crate::request::ApiRequest::get("/v1/me"))
        .await
        .ok()?
        .ok()?
        .error_for_status()
        .ok()?;
    let json: serde_json::Value = me.json().ok()?;
    json.get("display_name")?.as_str().map(str::to_owned)
}

/// Shows the URL as asked. Failing to start a browser is not fatal: the URL is printed instead.
fn open(how: &OpenBrowser, app_name: &str, url: &Url) {
    let print = || eprintln!("Open this URL in a browser to authorize {app_name}: {url}");
    let (program, args): (String, Vec<String>) = match how {
        OpenBrowser::Print => return print(),
        OpenBrowser::With(handler) => return handler(url.clone()),
        OpenBrowser::Command(argv) => match argv.split_first() {
            Some((program, args)) => (program.clone(), args.to_vec()),
            None => return print(),
        },
        OpenBrowser::System if cfg!(target_os = "macos") => ("open".into(), Vec::new()),
        OpenBrowser::System if cfg!(windows) => (
            "cmd".into(),
            vec!["/C".into(), "start".into(), String::new()],
        ),
        OpenBrowser::System => ("xdg-open".into(), Vec::new()),
    };
    match std::process::Command::new(&program)
        .args(&args)
        .arg(url.as_str())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        // Reap the browser process whenever it exits, without holding anything up.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(error) => {
            tracing::warn!(%program, %error, "could not start a browser");
            print();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_the_bind_address_from_the_redirect_uri() {
        let uri = |s: &str| RedirectUri::parse(s).expect("valid");
        let (addr, _) = plan(&uri("http://127.0.0.1:8888/callback"), 0).expect("plan");
        assert_eq!(addr.to_string(), "127.0.0.1:8888");
        let (addr, _) = plan(&uri("http://127.0.0.1/callback"), 0).expect("plan");
        assert_eq!(addr.port(), 0, "any free port");
        let (addr, _) = plan(&uri("http://[::1]/cb"), 9000).expect("plan");
        assert_eq!(addr.to_string(), "[::1]:9000");
        assert!(matches!(
            plan(&uri("http://127.0.0.1:8888/callback"), 9999),
            Err(AuthorizeError::PortConflict { .. })
        ));
        assert!(matches!(
            plan(&uri("https://app.example/cb"), 0),
            Err(AuthorizeError::NotLoopback(_))
        ));
    }
}
