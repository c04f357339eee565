//! What the user-authorization examples share: offline against FakeSpotify with a headless
//! browser by default; the system browser with `--browser`; real Spotify when
//! `SPOTIPIE_CLIENT_ID` is set (with `SPOTIPIE_CLIENT_SECRET` for the code flow and
//! `SPOTIPIE_REDIRECT_URI`, default `http://127.0.0.1:8888/callback`, registered for the app).
#![allow(dead_code)]

use spotipie::authorize::{BrowserOptions, OpenBrowser};
use spotipie::testing::{FakeSpotify, HeadlessBrowser};
use spotipie::{Credentials, Endpoints, Spotipie, DEFAULT_ENV_PREFIX};

pub const DEFAULT_REDIRECT: &str = "http://127.0.0.1:8888/callback";

pub struct Setup {
    /// The fake, when offline (kept alive for the example's run).
    pub fake: Option<FakeSpotify>,
    pub spotipie: Spotipie,
    pub credentials: Credentials,
    pub options: BrowserOptions,
    /// The scripted browser, when neither `--browser` nor real Spotify was asked for.
    pub headless: Option<HeadlessBrowser>,
}

/// Sets up offline or real mode. `public` picks the fake's public (PKCE) client.
pub fn setup(app_name: &str, public: bool) -> Result<Setup, Box<dyn std::error::Error>> {
    let real_browser = std::env::args().any(|a| a == "--browser");
    let mut options = BrowserOptions {
        app_name: app_name.to_owned(),
        ..BrowserOptions::default()
    };
    if let Ok(mut credentials) = Credentials::from_env(DEFAULT_ENV_PREFIX) {
        println!(
            "Talking to real Spotify as client {}.",
            credentials.client_id
        );
        if credentials.redirect_uri.is_none() {
            credentials.redirect_uri = Some(DEFAULT_REDIRECT.to_owned());
        }
        let spotipie = Spotipie::builder()
            .endpoints(Endpoints::from_env()?)
            .start();
        return Ok(Setup {
            fake: None,
            spotipie,
            credentials,
            options,
            headless: None,
        });
    }
    let fake = FakeSpotify::start();
    println!("Offline: FakeSpotify on {}.", fake.url());
    let spotipie = Spotipie::builder()
        .endpoints(Endpoints::single(fake.url())?)
        .start();
    let credentials = if public {
        Credentials::public(FakeSpotify::PUBLIC_CLIENT_ID)
    } else {
        Credentials::new(FakeSpotify::CLIENT_ID, FakeSpotify::CLIENT_SECRET)
    }
    .with_redirect_uri(DEFAULT_REDIRECT);
    let headless = (!real_browser).then(HeadlessBrowser::new);
    if let Some(browser) = &headless {
        println!("A headless browser plays the user (run with --browser to use yours).");
        options.open_browser = browser.open_browser();
    } else {
        options.open_browser = OpenBrowser::System;
    }
    Ok(Setup {
        fake: Some(fake),
        spotipie,
        credentials,
        options,
        headless,
    })
}

/// Prints the heading of the page the headless browser ended on.
pub async fn show_page(setup: &Setup) {
    if let Some(browser) = &setup.headless {
        if let Ok(page) = browser.page().await {
            let heading = page
                .body
                .split("<h1 id=\"result\">")
                .nth(1)
                .and_then(|rest| rest.split("</h1>").next())
                .unwrap_or("?");
            println!("The browser shows: HTTP {} \"{heading}\"", page.status);
        }
    }
}
