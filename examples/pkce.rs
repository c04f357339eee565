//! The PKCE flow, for apps that cannot keep a client secret (desktop, CLI, mobile): no secret
//! is sent, and the single-use refresh token is replaced at every renewal.
//!
//! Run: `cargo run --example pkce` (offline) or add `-- --browser`.

mod common;

use spotipie::authorize::authorize_in_browser;
use spotipie::PkceFlow;

#[actix::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let setup = common::setup("spotipie PKCE example", true)?;
    let session = setup
        .spotipie
        .start_session(PkceFlow::new(setup.credentials.clone(), "user-read-email")?);

    let mut token = authorize_in_browser(&session, setup.options.clone()).await?;
    common::show_page(&setup).await;
    println!("Authorized with PKCE: {token}");

    for round in 1..=3 {
        let renewed = session.renew().await?;
        println!(
            "Renewal {round}: new access token, refresh token {}",
            if renewed.refresh_token != token.refresh_token {
                "rotated (the old one is now spent)"
            } else {
                "kept"
            }
        );
        token = renewed;
    }
    let me: serde_json::Value = session.get("/v1/me").await?.error_for_status()?.json()?;
    println!(
        "Still working as {}.",
        me["display_name"].as_str().unwrap_or("?")
    );
    Ok(())
}
