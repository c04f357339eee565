//! The authorization-code flow (a confidential client with a secret): authorize a user through
//! the loopback app, call the Web API as them, and renew with the refresh token.
//!
//! Run: `cargo run --example authorization_code` (offline) or add `-- --browser`.

mod common;

use spotipie::authorize::authorize_in_browser;
use spotipie::AuthorizationCodeFlow;

#[actix::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let setup = common::setup("spotipie authorization-code example", false)?;
    let flow = AuthorizationCodeFlow::new(
        setup.credentials.clone(),
        "user-read-email user-read-private",
    )?;
    let session = setup.spotipie.start_session(flow);

    let token = authorize_in_browser(&session, setup.options.clone()).await?;
    common::show_page(&setup).await;
    println!("Authorized: {token}");

    let me: serde_json::Value = session.get("/v1/me").await?.error_for_status()?.json()?;
    println!("Hello, {}!", me["display_name"].as_str().unwrap_or("?"));

    // Renew now (normally the session does this by itself when the token expires).
    let renewed = session.renew().await?;
    println!("Renewed: {renewed}");
    println!(
        "The refresh token was {}.",
        if renewed.refresh_token == token.refresh_token {
            "kept"
        } else {
            "rotated"
        }
    );
    Ok(())
}
