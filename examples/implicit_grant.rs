//! The legacy implicit grant (removed by Spotify on 2025-11-27; kept for servers that still
//! speak it): the token comes in the URL fragment, has no refresh token, and the session never
//! renews by itself. A subscriber actor renews it on `TokenExpired` by running the
//! authorization again, so the waiting request still succeeds.
//!
//! Run: `cargo run --example implicit_grant` (offline only: FakeSpotify issues 3-second tokens).

use std::time::Duration;

use actix::prelude::*;
use spotipie::authorize::{authorize_in_browser, BrowserOptions};
use spotipie::testing::{FakeSpotify, HeadlessBrowser};
use spotipie::{Credentials, Endpoints, ImplicitGrantFlow, Policy, Spotipie, TokenExpired};

/// Runs the authorization again whenever the token expires.
struct ReAuthorizer {
    options: BrowserOptions,
}

impl Actor for ReAuthorizer {
    type Context = Context<Self>;
}

impl Handler<TokenExpired> for ReAuthorizer {
    type Result = ResponseFuture<()>;

    fn handle(&mut self, event: TokenExpired, _: &mut Self::Context) -> Self::Result {
        let options = self.options.clone();
        Box::pin(async move {
            println!(
                "  <- TokenExpired on {}: authorizing again",
                event.session.id()
            );
            match authorize_in_browser(&event.session, options).await {
                Ok(token) => println!("  new token from the fragment: {token}"),
                Err(error) => println!("  could not authorize again: {error}"),
            }
        })
    }
}

#[actix::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fake = FakeSpotify::builder().expires_in(3).start();
    let spotipie = Spotipie::builder()
        .endpoints(Endpoints::single(fake.url())?)
        .policy(Policy {
            expiry_margin: Duration::from_secs(1),
            ..Policy::default()
        })
        .start();
    let credentials = Credentials::new(FakeSpotify::CLIENT_ID, FakeSpotify::CLIENT_SECRET)
        .with_redirect_uri("http://127.0.0.1/callback");
    let session = spotipie.start_session(ImplicitGrantFlow::new(credentials, "user-read-email")?);
    let browser = HeadlessBrowser::new();
    let options = BrowserOptions {
        app_name: "spotipie implicit-grant example".into(),
        open_browser: browser.open_browser(),
        ..BrowserOptions::default()
    };
    let reauthorizer = ReAuthorizer {
        options: options.clone(),
    }
    .start();
    spotipie
        .subscribe_to::<TokenExpired>(session.id(), reauthorizer.recipient())
        .await?;

    println!(
        "Offline: FakeSpotify on {} issues 3-second tokens.",
        fake.url()
    );
    let token = authorize_in_browser(&session, options).await?;
    println!("Authorized (implicit grant): {token}");
    for n in 1..=4 {
        let me: serde_json::Value = session.get("/v1/me").await?.error_for_status()?.json()?;
        println!(
            "request #{n}: hello, {}",
            me["display_name"].as_str().unwrap_or("?")
        );
        actix::clock::sleep(Duration::from_millis(1500)).await;
    }
    let stats = fake.stats();
    println!(
        "{} authorizations, {} token-endpoint calls (the implicit grant never uses it).",
        stats.authorize_calls,
        stats.token_calls_total()
    );
    Ok(())
}
