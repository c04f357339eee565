//! Subscribing to session events: to every session, to one session, as a stream, and
//! unsubscribing. Offline against `FakeSpotify`.
//!
//! Run: `cargo run --example subscribers`

use std::time::Duration;

use actix::prelude::*;
use futures::StreamExt;
use spotipie::testing::FakeSpotify;
use spotipie::{Credentials, Endpoints, OAuth2Token, Spotipie, TokenUpdated};

/// Prints the `TokenUpdated` events it receives, under its own name.
struct Printer(&'static str);

impl Actor for Printer {
    type Context = Context<Self>;
}

impl Handler<TokenUpdated> for Printer {
    type Result = ();
    fn handle(&mut self, event: TokenUpdated, _: &mut Self::Context) {
        println!(
            "  {:<13} saw TokenUpdated on {} ({})",
            self.0,
            event.session.id(),
            event.new_token
        );
    }
}

/// Lets the bus deliver what was published before we print the next step.
async fn flush(spotipie: &Spotipie) {
    let _ = spotipie
        .bus()
        .send(spotipie::actors::bus::GetBusStats)
        .await;
    actix::clock::sleep(Duration::from_millis(20)).await;
}

#[actix::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fake = FakeSpotify::start();
    let spotipie = Spotipie::builder()
        .endpoints(Endpoints::single(fake.url())?)
        .start();
    let credentials = Credentials::new(FakeSpotify::CLIENT_ID, FakeSpotify::CLIENT_SECRET);
    let alice = spotipie.client_credentials_session(credentials.clone());
    let bob = spotipie.client_credentials_session(credentials);

    // One actor hears every session; another only Alice's session.
    let everyone = Printer("all-sessions").start();
    spotipie
        .subscribe::<TokenUpdated>(everyone.recipient())
        .await?;
    let alice_only = Printer("alice-only").start();
    let alice_sub = spotipie
        .subscribe_to::<TokenUpdated>(alice.id(), alice_only.recipient())
        .await?;
    // Code that is not an actor takes the same events as a stream.
    let mut stream = spotipie.events_of(Some(bob.id())).await?;

    println!("1. Both sessions fetch a token:");
    alice.renew().await?;
    bob.renew().await?;
    flush(&spotipie).await;
    if let Some(event) = stream.next().await {
        println!(
            "  {:<13} saw {} on {}",
            "bob-stream",
            event.name(),
            event.session().id()
        );
    }

    println!("2. alice-only unsubscribes; Alice's token is set by hand:");
    spotipie.unsubscribe(alice_sub).await?;
    let token = OAuth2Token::new(
        "hand-made",
        Duration::from_secs(3600),
        spotipie.clock().as_ref(),
    );
    alice.set_token(token).await?;
    flush(&spotipie).await;

    println!("3. Dropping the stream unsubscribes it too; Bob renews:");
    drop(stream);
    bob.renew().await?;
    flush(&spotipie).await;
    Ok(())
}
