//! The typed Web API client over two sessions side by side: the app's own client-credentials
//! session for catalogue calls, and a user's PKCE session for the user's data. The client checks
//! scopes before sending, pages through lists as a stream, and answers Spotify's failures with
//! typed errors.
//!
//! Run: `cargo run --example web_api` (offline, against FakeSpotify). With `SPOTIPIE_CLIENT_ID`
//! and `SPOTIPIE_CLIENT_SECRET` set it talks to real Spotify, and `-- --browser` lets you log in.

mod common;

use futures::TryStreamExt as _;
use spotipie::api::endpoints::SearchType;
use spotipie::api::{PageLimit, Spotify, SpotifyId as _, TrackId, WebApiError};
use spotipie::authorize::authorize_in_browser;
use spotipie::testing::FakeSpotify;
use spotipie::{Credentials, PkceFlow, DEFAULT_ENV_PREFIX};

/// What the user is asked to grant: enough for the calls below, and deliberately not
/// `user-top-read`, to show the scope check.
const USER_SCOPE: &str = "user-read-private user-library-read user-read-playback-state";

#[actix::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let setup = common::setup("spotipie Web API example", true)?;
    let app_credentials = match &setup.fake {
        Some(_) => Credentials::new(FakeSpotify::CLIENT_ID, FakeSpotify::CLIENT_SECRET),
        None => Credentials::from_env(DEFAULT_ENV_PREFIX)?,
    };

    // The app's session: client credentials, catalogue data only.
    let app = Spotify::new(setup.spotipie.client_credentials_session(app_credentials));
    app.session().renew().await?; // the first token; later ones come by themselves
    let id = TrackId::parse("https://open.spotify.com/intl-de/track/11dFghVXANMlKmJXsNCbNl?si=x")?;
    let track = app.get_track(&id, Some("DE")).await?;
    let artists: Vec<&str> = track.artists.iter().map(|a| a.name.as_str()).collect();
    println!(
        "[app]  {} by {} ({})",
        track.name,
        artists.join(", "),
        id.uri()
    );
    let results = app
        .search(
            "daft punk",
            &[SearchType::Track],
            None,
            Some(3),
            None,
            false,
        )
        .await?;
    let found = results.tracks.map(|page| page.total).unwrap_or(0);
    println!("[app]  search \"daft punk\": {found} tracks");
    match app.get_saved_tracks(None, None, None).await {
        Err(WebApiError::InsufficientScope { missing, .. }) => {
            println!(
                "[app]  saved tracks need a user: missing {}",
                missing.join(", ")
            )
        }
        other => println!("[app]  saved tracks: {other:?}"),
    }

    // The user's session: PKCE, authorized in the (headless) browser.
    let session = setup
        .spotipie
        .start_session(PkceFlow::new(setup.credentials.clone(), USER_SCOPE)?);
    authorize_in_browser(&session, setup.options.clone()).await?;
    let user = Spotify::new(session);
    let me = user.get_current_user().await?;
    println!(
        "[user] logged in as {} (account_id {})",
        me.display_name.as_deref().unwrap_or(&me.id),
        me.account_id.as_deref().unwrap_or("not sent")
    );

    // A paged list as a stream: pages are fetched as the stream is read, up to the limit.
    let first = user.get_saved_tracks(None, Some(3), None).await?;
    let total = first.total;
    let saved: Vec<_> = user
        .stream(first, PageLimit::items(5))
        .try_collect()
        .await?;
    println!(
        "[user] {} of {total} saved tracks, 3 per page:",
        saved.len()
    );
    for item in &saved {
        println!("         {} (saved {})", item.track.name, item.added_at);
    }

    match user.get_playback_state(None).await? {
        Some(state) => println!(
            "[user] playing on {}: {}",
            state.device.name,
            if state.is_playing {
                "playing"
            } else {
                "paused"
            }
        ),
        None => println!("[user] nothing is playing"),
    }

    // The scope check runs before the request: nothing is sent for a call that would get 403.
    if let Err(error) = user.get_top_artists(None, Some(5), None).await {
        println!("[user] top artists refused before sending: {error}");
    }
    Ok(())
}
