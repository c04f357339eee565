//! The spotipie demo: a client-credentials session actor across several token expiries.
//!
//! Offline by default: it starts `FakeSpotify` on loopback with 3-second tokens, a logging
//! subscriber actor and a subscriber that saves every `TokenUpdated` to a JSON file, makes a
//! request every 600 ms for about eight seconds, and prints a timeline: each request,
//! `TokenExpired` (raised before the request goes out), the token call the refresher makes, and
//! `TokenUpdated` after it. At the end it prints the same story as the fake saw it.
//!
//! With `SPOTIPIE_CLIENT_ID` and `SPOTIPIE_CLIENT_SECRET` set it talks to real Spotify instead
//! (endpoints from `SPOTIPIE_ACCOUNTS_URL` / `SPOTIPIE_API_URL` if set).
//!
//! Run: `cargo run --example demo`

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix::prelude::*;
use spotipie::testing::{FakeSpotify, LogKind};
use spotipie::{
    Credentials, Endpoints, Policy, RefreshFailed, Spotipie, TokenExpired, TokenUpdated,
    DEFAULT_ENV_PREFIX,
};

const TRACK: &str = "/v1/tracks/11dFghVXANMlKmJXsNCbNl";

/// Prints timeline lines with the time since the start, and notes them in the fake's log when
/// running offline so the final, server-side timeline interleaves them with what it received.
#[derive(Clone)]
struct Timeline {
    start: Instant,
    fake: Option<Arc<FakeSpotify>>,
}

impl Timeline {
    fn say(&self, line: impl Into<String>) {
        let line = line.into();
        println!("{:>7.3}s  {line}", self.start.elapsed().as_secs_f64());
        if let Some(fake) = &self.fake {
            fake.note(line);
        }
    }
}

/// Logs every event it receives.
struct LoggingSubscriber(Timeline);

impl Actor for LoggingSubscriber {
    type Context = Context<Self>;
}

impl Handler<TokenExpired> for LoggingSubscriber {
    type Result = ();
    fn handle(&mut self, event: TokenExpired, _: &mut Self::Context) {
        self.0.say(format!(
            "  <- TokenExpired on {} (withhold_token={}): the request waits",
            event.session.id(),
            event.withhold_token
        ));
    }
}

impl Handler<TokenUpdated> for LoggingSubscriber {
    type Result = ();
    fn handle(&mut self, event: TokenUpdated, _: &mut Self::Context) {
        let lifetime = event.new_token.seconds_left_at(event.session.clock().now());
        self.0.say(format!(
            "  <- TokenUpdated on {}: {} token, {:.1}s left{}",
            event.session.id(),
            if event.old_token.is_some() {
                "renewed"
            } else {
                "first"
            },
            lifetime,
            if event.old_token.as_deref() == Some(&event.new_token) {
                " (equal)"
            } else {
                ""
            }
        ));
    }
}

impl Handler<RefreshFailed> for LoggingSubscriber {
    type Result = ();
    fn handle(&mut self, event: RefreshFailed, _: &mut Self::Context) {
        self.0.say(format!(
            "  <- RefreshFailed on {} (re-authorization required: {}): {}",
            event.session.id(),
            event.reauthorization_required,
            event.error
        ));
    }
}

/// Saves each new token to a JSON file in spotipie's format, atomically (temp file, rename).
struct TokenSaver {
    path: PathBuf,
    timeline: Timeline,
}

impl Actor for TokenSaver {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        // A saver must not miss an update: give it room beyond actix's default of 16.
        ctx.set_mailbox_capacity(1024);
    }
}

impl Handler<TokenUpdated> for TokenSaver {
    type Result = ();
    fn handle(&mut self, event: TokenUpdated, _: &mut Self::Context) {
        let tmp = self.path.with_extension("json.tmp");
        let result = std::fs::write(&tmp, event.new_token.to_json_pretty())
            .and_then(|()| std::fs::rename(&tmp, &self.path));
        match result {
            Ok(()) => self
                .timeline
                .say(format!("     saved the token to {}", self.path.display())),
            Err(err) => self
                .timeline
                .say(format!("     could not save the token: {err}")),
        }
    }
}

#[actix::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let real = Credentials::from_env(DEFAULT_ENV_PREFIX)
        .ok()
        .filter(|c| c.client_secret.is_some());
    let (fake, credentials, endpoints, policy, rounds) = match real {
        Some(credentials) => {
            println!(
                "Talking to real Spotify as client {}.",
                credentials.client_id
            );
            (
                None,
                credentials,
                Endpoints::from_env()?,
                Policy::default(),
                3,
            )
        }
        None => {
            let fake = Arc::new(FakeSpotify::builder().expires_in(3).start());
            println!(
                "Offline: FakeSpotify on {} issues 3-second tokens (set SPOTIPIE_CLIENT_ID and \
                 SPOTIPIE_CLIENT_SECRET to use real Spotify).",
                fake.url()
            );
            let policy = Policy {
                // Count a token as expired 1 s early, and no refresh-ahead, so the timeline
                // shows full expiry episodes.
                expiry_margin: Duration::from_secs(1),
                refresh_ahead: Duration::ZERO,
                ..Policy::default()
            };
            let credentials = Credentials::new(FakeSpotify::CLIENT_ID, FakeSpotify::CLIENT_SECRET);
            let endpoints = Endpoints::single(fake.url())?;
            (Some(fake), credentials, endpoints, policy, 14)
        }
    };
    let timeline = Timeline {
        start: Instant::now(),
        fake: fake.clone(),
    };

    let spotipie = Spotipie::builder()
        .endpoints(endpoints)
        .policy(policy)
        .start();
    let logger = LoggingSubscriber(timeline.clone()).start();
    spotipie
        .subscribe::<TokenExpired>(logger.clone().recipient())
        .await?;
    spotipie
        .subscribe::<TokenUpdated>(logger.clone().recipient())
        .await?;
    spotipie
        .subscribe::<RefreshFailed>(logger.recipient())
        .await?;
    let path = std::env::temp_dir().join("spotipie-demo-token.json");
    let saver = TokenSaver {
        path: path.clone(),
        timeline: timeline.clone(),
    }
    .start();
    spotipie
        .subscribe::<TokenUpdated>(saver.recipient())
        .await?;

    let session = spotipie.client_credentials_session(credentials);
    timeline.say(format!("fetching the first token for {}", session.id()));
    session.renew().await?;

    for n in 1..=rounds {
        timeline.say(format!("-> request #{n}: GET {TRACK}"));
        let response = session.get(TRACK).await?.error_for_status()?;
        let track: serde_json::Value = response.json()?;
        timeline.say(format!(
            "   request #{n} answered {}: \"{}\"",
            response.status,
            track["name"].as_str().unwrap_or("?")
        ));
        actix::clock::sleep(Duration::from_millis(600)).await;
    }

    if let Some(fake) = &fake {
        println!("\nThe same run as FakeSpotify saw it (its log, in arrival order):");
        for entry in fake.log() {
            let line = match &entry.kind {
                LogKind::TokenCall { grant, status } => format!("token call  {grant} -> {status}"),
                LogKind::Api {
                    method,
                    path,
                    had_token,
                    status,
                } => format!(
                    "API call    {method} {path} ({}) -> {status}",
                    if *had_token { "Bearer" } else { "no token" }
                ),
                LogKind::Note(note) => format!("client      {}", note.trim()),
                other => format!("{other:?}"),
            };
            println!("  {:>3}  {line}", entry.seq);
        }
        let stats = fake.stats();
        println!(
            "\n{} requests, {} token calls, {} rejected (401) requests. Last token saved to {}.",
            stats.api_calls,
            stats.token_calls_total(),
            stats.unauthorized,
            path.display()
        );
        if stats.unauthorized != 0 || stats.token_calls_total() < 3 {
            return Err("expected several renewals and no rejected request".into());
        }
    }
    Ok(())
}
