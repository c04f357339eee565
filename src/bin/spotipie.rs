//! `spotipie`: authorize a Spotify user from a terminal and manage the token file.
//!
//! ```text
//! spotipie authorize --flow pkce --scope "user-read-email" --token-file token.json
//! spotipie token show --token-file token.json
//! spotipie token refresh --token-file token.json
//! ```
//!
//! Credentials come from `SPOTIPIE_CLIENT_ID`, `SPOTIPIE_CLIENT_SECRET` and
//! `SPOTIPIE_REDIRECT_URI` (flags override them), endpoints from `SPOTIPIE_ACCOUNTS_URL` and
//! `SPOTIPIE_API_URL` (so the CLI runs against `FakeSpotify` as well as Spotify). Every failure is
//! one line on stderr starting with `error:` and exit code 1; usage errors exit with 2.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use spotipie::authorize::{authorize_in_browser, BrowserOptions, OpenBrowser};
use spotipie::store::token_file::{read_token_file, write_token_file};
use spotipie::{
    AuthorizationCodeFlow, Clock, Credentials, Endpoints, ImplicitGrantFlow, OAuth2Token, PkceFlow,
    Policy, RefreshTokenFlow, Scope, SessionOptions, Spotipie, SystemClock, DEFAULT_ENV_PREFIX,
};

/// The redirect URI used when neither `--redirect-uri` nor `SPOTIPIE_REDIRECT_URI` gives one.
const DEFAULT_REDIRECT_URI: &str = "http://127.0.0.1:8888/callback";
/// What `--help` says about the environment.
const ENVIRONMENT: &str = "Environment:
  SPOTIPIE_CLIENT_ID      the app's client id (or --client-id)
  SPOTIPIE_CLIENT_SECRET  the app's client secret (or --client-secret; none for PKCE)
  SPOTIPIE_REDIRECT_URI   the registered redirect URI (or --redirect-uri;
                          default http://127.0.0.1:8888/callback)
  SPOTIPIE_ACCOUNTS_URL   the Accounts service (default https://accounts.spotify.com)
  SPOTIPIE_API_URL        the Web API (default https://api.spotify.com)";
/// The token file used when `--token-file` is not given.
const DEFAULT_TOKEN_FILE: &str = "spotipie-token.json";

/// Authorize a Spotify user and manage the token file spotipie (Rust or Python) reads.
#[derive(Parser, Debug)]
#[command(name = "spotipie", version, after_help = ENVIRONMENT)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Send the user through Spotify's consent page and save the token.
    ///
    /// Serves the redirect on 127.0.0.1 (a loopback app that takes one callback), opens the
    /// browser (or prints the URL with --no-browser), and writes the token atomically with mode
    /// 0600.
    Authorize(AuthorizeArgs),
    /// Inspect or renew a saved token.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Run FakeSpotify (an offline fake of Spotify's Accounts service and Web API) on 127.0.0.1
    /// until interrupted, to try the other commands without a Spotify app.
    #[cfg(feature = "testing")]
    FakeSpotify(FakeArgs),
}

/// Options of `spotipie fake-spotify`.
#[cfg(feature = "testing")]
#[derive(Args, Debug)]
struct FakeArgs {
    /// Lifetime of the access tokens it issues, in seconds.
    #[arg(long, default_value_t = 3600)]
    expires_in: u64,
    /// Rotate refresh tokens on every refresh (PKCE refresh tokens always rotate).
    #[arg(long)]
    rotate_refresh_tokens: bool,
}

/// Runs FakeSpotify until the process is interrupted.
#[cfg(feature = "testing")]
async fn fake_spotify(args: FakeArgs) -> Result<(), String> {
    use spotipie::testing::FakeSpotify;
    let fake = FakeSpotify::builder()
        .expires_in(args.expires_in)
        .rotate_refresh_tokens(args.rotate_refresh_tokens)
        .try_start()
        .map_err(|e| format!("could not start FakeSpotify: {e}"))?;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "FakeSpotify listening on {url}\n\nIn another shell:\n  export SPOTIPIE_ACCOUNTS_URL={url} SPOTIPIE_API_URL={url}\n  \
         export SPOTIPIE_CLIENT_ID={id} SPOTIPIE_CLIENT_SECRET={secret}\n  \
         spotipie authorize --flow code --no-browser   # then open the printed URL\n\n\
         (public PKCE client: SPOTIPIE_CLIENT_ID={public}, no secret). Ctrl-C stops it.",
        url = fake.url(),
        id = FakeSpotify::CLIENT_ID,
        secret = FakeSpotify::CLIENT_SECRET,
        public = FakeSpotify::PUBLIC_CLIENT_ID,
    );
    let _ = out.flush();
    drop(out);
    std::future::pending::<()>().await;
    drop(fake);
    Ok(())
}

#[derive(Subcommand, Debug)]
enum TokenCommand {
    /// Print the token file's fields (secrets redacted unless --reveal).
    Show(ShowArgs),
    /// Renew the token with its refresh token and save the result (a rotated refresh token
    /// replaces the old one).
    Refresh(RefreshArgs),
}

/// Which OAuth2 flow to run.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum FlowKind {
    /// Authorization code with PKCE: no client secret is sent (right for CLIs and desktops).
    Pkce,
    /// Authorization code with the client secret (a confidential client).
    Code,
    /// The legacy implicit grant: no refresh token; Spotify removed it on 2025-11-27.
    Implicit,
}

/// Which flow renews a token: the two that have refresh tokens.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum RefreshKind {
    /// `client_id` in the body, no secret (tokens from a PKCE authorization).
    Pkce,
    /// Basic authentication with the client secret.
    Code,
}

#[derive(Args, Debug)]
struct ClientArgs {
    /// The app's client id [default: $SPOTIPIE_CLIENT_ID].
    #[arg(long, value_name = "ID")]
    client_id: Option<String>,
    /// The app's client secret [default: $SPOTIPIE_CLIENT_SECRET]. Prefer the variable: a flag
    /// is visible to other users in the process list.
    #[arg(long, value_name = "SECRET")]
    client_secret: Option<String>,
}

#[derive(Args, Debug)]
struct TokenFileArg {
    /// The token file.
    #[arg(long, value_name = "PATH", default_value = DEFAULT_TOKEN_FILE)]
    token_file: PathBuf,
}

#[derive(Args, Debug)]
struct AuthorizeArgs {
    /// The flow [default: code when a client secret is available, else pkce].
    #[arg(long, value_enum)]
    flow: Option<FlowKind>,
    /// The scopes to ask for, space-separated (e.g. "user-read-email playlist-read-private")
    /// [default: none].
    #[arg(long)]
    scope: Option<String>,
    /// The loopback port to serve the redirect on; 0: the redirect URI's port, or any free port
    /// if it has none.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Print the authorization URL on stderr instead of opening a browser (headless machines).
    #[arg(long)]
    no_browser: bool,
    /// Give up after this many seconds without a callback.
    #[arg(long, value_name = "SECS", default_value_t = BrowserOptions::default().timeout.as_secs())]
    timeout: u64,
    /// The redirect URI registered for the app [default: $SPOTIPIE_REDIRECT_URI, else
    /// http://127.0.0.1:8888/callback]. Spotify accepts https, or http on 127.0.0.1 / [::1]
    /// only (not localhost).
    #[arg(long, value_name = "URI")]
    redirect_uri: Option<String>,
    /// The name the success page shows.
    #[arg(long, value_name = "NAME", default_value_t = BrowserOptions::default().app_name)]
    app_name: String,
    #[command(flatten)]
    client: ClientArgs,
    #[command(flatten)]
    file: TokenFileArg,
}

#[derive(Args, Debug)]
struct ShowArgs {
    /// Print the access and refresh tokens in clear.
    #[arg(long)]
    reveal: bool,
    #[command(flatten)]
    file: TokenFileArg,
}

#[derive(Args, Debug)]
struct RefreshArgs {
    /// How to authenticate the refresh [default: code when a client secret is available, else
    /// pkce].
    #[arg(long, value_enum)]
    flow: Option<RefreshKind>,
    #[command(flatten)]
    client: ClientArgs,
    #[command(flatten)]
    file: TokenFileArg,
}

/// A failure, already phrased for the user (one line, no secrets).
type CliResult<T> = Result<T, String>;

#[actix::main]
async fn main() -> ExitCode {
    // `parse` prints usage errors and exits with 2, and `--help` / `--version` with 0.
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Authorize(args) => authorize(args).await,
        Command::Token(TokenCommand::Show(args)) => show(args),
        Command::Token(TokenCommand::Refresh(args)) => refresh(args).await,
        #[cfg(feature = "testing")]
        Command::FakeSpotify(args) => fake_spotify(args).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // Writing to a closed stderr must not panic (as `eprintln!` would).
            let _ = writeln!(std::io::stderr().lock(), "error: {message}");
            ExitCode::from(1)
        }
    }
}

/// Prints `text` on stdout without panicking on a closed pipe (`spotipie token show | head`).
fn print(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// The app's credentials: flags first, then the `SPOTIPIE_*` variables.
fn credentials(client: &ClientArgs, redirect_uri: Option<&str>) -> CliResult<Credentials> {
    let prefix = DEFAULT_ENV_PREFIX;
    let overrides = [
        (format!("{prefix}_CLIENT_ID"), client.client_id.clone()),
        (
            format!("{prefix}_CLIENT_SECRET"),
            client.client_secret.clone(),
        ),
        (
            format!("{prefix}_REDIRECT_URI"),
            redirect_uri.map(str::to_owned),
        ),
    ];
    let lookup = |name: &str| {
        overrides
            .iter()
            .find(|(var, value)| var == name && value.is_some())
            .and_then(|(_, value)| value.clone())
            .or_else(|| std::env::var(name).ok())
    };
    Credentials::from_lookup(prefix, lookup).map_err(|_| {
        format!("no client id: set {prefix}_CLIENT_ID or pass --client-id (the app's id from Spotify's developer dashboard)")
    })
}

/// Spotify's endpoints, or those `SPOTIPIE_ACCOUNTS_URL` / `SPOTIPIE_API_URL` name.
fn endpoints() -> CliResult<Endpoints> {
    Endpoints::from_env()
        .map_err(|e| format!("{e} (check SPOTIPIE_ACCOUNTS_URL and SPOTIPIE_API_URL)"))
}

/// The message for a flow that needs a secret when none is given.
fn secret_needed(flag: &str) -> String {
    format!(
        "{flag} needs a client secret: set {DEFAULT_ENV_PREFIX}_CLIENT_SECRET or pass --client-secret (or use --flow pkce)"
    )
}

/// `spotipie authorize`.
async fn authorize(args: AuthorizeArgs) -> CliResult<()> {
    let mut creds = credentials(&args.client, args.redirect_uri.as_deref())?;
    if creds.redirect_uri.is_none() {
        creds.redirect_uri = Some(DEFAULT_REDIRECT_URI.to_owned());
    }
    let flow = args.flow.unwrap_or(if creds.client_secret.is_some() {
        FlowKind::Code
    } else {
        FlowKind::Pkce
    });
    if flow == FlowKind::Code && creds.client_secret.is_none() {
        return Err(secret_needed("--flow code"));
    }
    let scope = Scope::parse(args.scope.as_deref().unwrap_or_default());
    let spotipie = Spotipie::builder().endpoints(endpoints()?).start();
    let session = match flow {
        FlowKind::Pkce => PkceFlow::new(creds, scope).map(|f| spotipie.start_session(f)),
        FlowKind::Code => {
            AuthorizationCodeFlow::new(creds, scope).map(|f| spotipie.start_session(f))
        }
        FlowKind::Implicit => {
            ImplicitGrantFlow::new(creds, scope).map(|f| spotipie.start_session(f))
        }
    }
    .map_err(|e| e.to_string())?;

    let options = BrowserOptions {
        port: args.port,
        timeout: Duration::from_secs(args.timeout),
        open_browser: if args.no_browser {
            OpenBrowser::Print
        } else {
            OpenBrowser::System
        },
        app_name: args.app_name,
        show_dialog: false,
    };
    let token = authorize_in_browser(&session, options)
        .await
        .map_err(|e| format!("authorization failed: {e}"))?;
    let path = &args.file.token_file;
    write_token_file(path, &token).map_err(|e| {
        format!("the user authorized the app, but the token could not be saved: {e}")
    })?;
    print(&format!(
        "Token saved to {} (scopes: {})\n",
        path.display(),
        scopes(&token.scope)
    ));
    Ok(())
}

/// `spotipie token show`.
fn show(args: ShowArgs) -> CliResult<()> {
    let path = &args.file.token_file;
    let token = read_token_file(path, &SystemClock).map_err(|e| e.to_string())?;
    print(&describe(path, &token, SystemClock.now(), args.reveal));
    Ok(())
}

/// The token's fields for humans; secrets only when `reveal`.
fn describe(path: &Path, token: &OAuth2Token, now: f64, reveal: bool) -> String {
    let left = token.seconds_left_at(now).floor();
    let left = if left < 0.0 {
        format!("{left:.0} (expired)")
    } else {
        format!("{left:.0}")
    };
    let secret = |value: &str| {
        if reveal {
            value.to_owned()
        } else {
            "[redacted]".to_owned()
        }
    };
    let mut out = String::new();
    let _ = writeln!(out, "token file:    {}", path.display());
    let _ = writeln!(out, "token_type:    {}", token.token_type);
    let _ = writeln!(out, "scope:         {}", scopes(&token.scope));
    let _ = writeln!(
        out,
        "expires_at:    {} ({:.0})",
        utc(token.expires_at),
        token.expires_at
    );
    let _ = writeln!(out, "seconds left:  {left}");
    let _ = writeln!(
        out,
        "refreshable:   {}",
        if token.refresh_token.is_some() {
            "yes (has a refresh token)"
        } else {
            "no (no refresh token)"
        }
    );
    let _ = writeln!(
        out,
        "access_token:  {}",
        secret(token.access_token.secret())
    );
    if let Some(refresh) = &token.refresh_token {
        let _ = writeln!(out, "refresh_token: {}", secret(refresh.secret()));
    }
    out
}

/// A scope for display: space-separated, or `none`.
fn scopes(scope: &Scope) -> String {
    if scope.is_empty() {
        "none".to_owned()
    } else {
        scope.to_string()
    }
}

/// `spotipie token refresh`.
async fn refresh(args: RefreshArgs) -> CliResult<()> {
    let path = &args.file.token_file;
    let token = read_token_file(path, &SystemClock).map_err(|e| e.to_string())?;
    if token.refresh_token.is_none() {
        return Err(format!(
            "the token in {} has no refresh token (an implicit-grant token?): run `spotipie authorize` again",
            path.display()
        ));
    }
    let creds = credentials(&args.client, None)?;
    let kind = args.flow.unwrap_or(if creds.client_secret.is_some() {
        RefreshKind::Code
    } else {
        RefreshKind::Pkce
    });
    let creds = match kind {
        RefreshKind::Code if creds.client_secret.is_none() => {
            return Err(secret_needed("--flow code"))
        }
        RefreshKind::Code => creds,
        RefreshKind::Pkce => Credentials {
            client_secret: None,
            ..creds
        },
    };
    // A PKCE refresh token is single-use: once the refresh succeeds, the old one is dead, so a
    // save that fails afterwards would lose the user's authorization. Rewriting the current
    // token first proves the file can be replaced before the refresh token is spent.
    write_token_file(path, &token).map_err(|e| format!("{e} (nothing was refreshed)"))?;

    // No refresh-ahead: the one renewal is the explicit one below.
    let policy = Policy {
        refresh_ahead: Duration::ZERO,
        ..Policy::default()
    };
    let spotipie = Spotipie::builder()
        .endpoints(endpoints()?)
        .policy(policy)
        .start();
    let flow = RefreshTokenFlow::new(creds, token.scope.clone());
    let old_refresh = token.refresh_token.clone();
    let session = spotipie.start_session_with(
        flow,
        SessionOptions {
            token: Some(token),
            ..SessionOptions::default()
        },
    );
    let renewed = session.renew().await.map_err(|e| {
        if e.requires_reauthorization() {
            format!("token refresh failed: {e}; the refresh token is no longer valid: run `spotipie authorize` again")
        } else {
            format!("token refresh failed: {e}")
        }
    })?;
    write_token_file(path, &renewed).map_err(|e| {
        format!("the token was refreshed but could not be saved (run `spotipie authorize` again if the old refresh token was single-use): {e}")
    })?;
    let rotated = renewed.refresh_token != old_refresh;
    print(&format!(
        "Token refreshed and saved to {} (expires {}; refresh token {})\n",
        path.display(),
        utc(renewed.expires_at),
        if rotated { "rotated" } else { "kept" }
    ));
    Ok(())
}

/// `expires_at` as `YYYY-MM-DD HH:MM:SS UTC` (years 0–9999; other values are shown raw).
fn utc(unix_seconds: f64) -> String {
    const YEAR_10000: f64 = 253_402_300_800.0;
    if !unix_seconds.is_finite() || !(-62_167_219_200.0..YEAR_10000).contains(&unix_seconds) {
        return format!("{unix_seconds} (out of range)");
    }
    let secs = unix_seconds.floor() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm),
/// so the CLI needs no date crate for one line of output.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory as _;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn utc_formats_known_instants() {
        assert_eq!(utc(0.0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(1_700_000_000.9), "2023-11-14 22:13:20 UTC");
        assert_eq!(utc(951_782_400.0), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc(-1.0), "1969-12-31 23:59:59 UTC");
        assert!(utc(f64::MAX).contains("out of range"));
        assert!(utc(f64::NAN).contains("out of range"));
    }

    #[test]
    fn describe_redacts_unless_revealed() {
        let token = OAuth2Token::new("AT-1", Duration::from_secs(60), &SystemClock)
            .with_refresh_token("RT-1");
        let now = token.expires_at - 60.0;
        let hidden = describe(Path::new("t.json"), &token, now, false);
        assert!(
            !hidden.contains("AT-1") && !hidden.contains("RT-1"),
            "{hidden}"
        );
        assert!(hidden.contains("seconds left:  60"), "{hidden}");
        let shown = describe(Path::new("t.json"), &token, now + 120.0, true);
        assert!(shown.contains("AT-1") && shown.contains("RT-1"), "{shown}");
        assert!(shown.contains("-60 (expired)"), "{shown}");
    }
}
