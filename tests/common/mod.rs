//! Shared set-up for the integration tests: a FakeSpotify and a Spotipie that agree on a manual
//! clock, a fast retry policy, and recorder actors.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix::prelude::*;
use spotipie::testing::FakeSpotify;
use spotipie::{
    Credentials, Endpoints, ManualClock, Policy, RefreshFailed, SessionEvent, Spotipie,
    TokenExpired, TokenUpdated,
};

/// A real Spotify track id (22 base62 characters).
pub const TRACK: &str = "/v1/tracks/11dFghVXANMlKmJXsNCbNl";

/// The fake and a spotipie on one manual clock.
pub struct World {
    pub clock: ManualClock,
    pub fake: Arc<FakeSpotify>,
    pub spotipie: Spotipie,
}

/// A policy whose retries are quick, so failing-then-succeeding tests run in milliseconds.
pub fn fast_policy() -> Policy {
    Policy {
        retry_base_delay: Duration::from_millis(1),
        retry_max_delay: Duration::from_millis(20),
        renewal_timeout: Duration::from_secs(5),
        subscriber_timeout: Duration::from_secs(2),
        ..Policy::default()
    }
}

pub fn world() -> World {
    world_with(fast_policy(), |b| b)
}

pub fn world_with(
    policy: Policy,
    fake: impl FnOnce(spotipie::testing::FakeSpotifyBuilder) -> spotipie::testing::FakeSpotifyBuilder,
) -> World {
    let clock = ManualClock::starting_now();
    let fake = Arc::new(fake(FakeSpotify::builder().clock(clock.shared())).start());
    let spotipie = Spotipie::builder()
        .endpoints(Endpoints::single(fake.url()).expect("loopback URL"))
        .policy(policy)
        .clock(clock.shared())
        .start();
    World {
        clock,
        fake,
        spotipie,
    }
}

pub fn credentials() -> Credentials {
    Credentials::new(FakeSpotify::CLIENT_ID, FakeSpotify::CLIENT_SECRET)
}

/// Moves the clock past the expiry of a one-hour token.
pub fn expire(world: &World) {
    world.clock.advance(Duration::from_secs(3600));
}

/// An actor that records every event it receives, in order.
#[derive(Clone, Default)]
pub struct Recorder {
    pub events: Arc<Mutex<Vec<SessionEvent>>>,
}

impl Recorder {
    pub fn names(&self) -> Vec<&'static str> {
        self.events
            .lock()
            .map(|events| events.iter().map(SessionEvent::name).collect())
            .unwrap_or_default()
    }

    pub fn updated(&self) -> Vec<TokenUpdated> {
        self.events
            .lock()
            .map(|events| {
                events
                    .iter()
                    .filter_map(|e| match e {
                        SessionEvent::TokenUpdated(u) => Some(u.clone()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn push(&self, event: impl Into<SessionEvent>) {
        if let Ok(mut events) = self.events.lock() {
            events.push(event.into());
        }
    }

    /// Starts the recorder and subscribes it to all three events of every session.
    pub async fn subscribe_all(spotipie: &Spotipie) -> Self {
        let recorder = Self::default();
        let addr = recorder.clone().start();
        spotipie
            .subscribe::<TokenExpired>(addr.clone().recipient())
            .await
            .expect("bus up");
        spotipie
            .subscribe::<TokenUpdated>(addr.clone().recipient())
            .await
            .expect("bus up");
        spotipie
            .subscribe::<RefreshFailed>(addr.recipient())
            .await
            .expect("bus up");
        recorder
    }
}

impl Actor for Recorder {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.set_mailbox_capacity(100_000);
    }
}

impl Handler<TokenExpired> for Recorder {
    type Result = ();
    fn handle(&mut self, event: TokenExpired, _: &mut Self::Context) {
        self.push(event);
    }
}

impl Handler<TokenUpdated> for Recorder {
    type Result = ();
    fn handle(&mut self, event: TokenUpdated, _: &mut Self::Context) {
        self.push(event);
    }
}

impl Handler<RefreshFailed> for Recorder {
    type Result = ();
    fn handle(&mut self, event: RefreshFailed, _: &mut Self::Context) {
        self.push(event);
    }
}

/// Lets the actors on this thread run until the bus has delivered what was published (the
/// bus answers messages in order, so a round trip through it flushes earlier publications).
pub async fn settle(spotipie: &Spotipie) {
    for _ in 0..3 {
        let _ = spotipie
            .bus()
            .send(spotipie::actors::bus::GetBusStats)
            .await;
        actix::clock::sleep(Duration::from_millis(1)).await;
    }
}

/// A folder of its own under the system's temp dir, removed on drop.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    pub fn new(name: &str) -> Self {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "spotipie-test-{}-{}-{name}",
            std::process::id(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir(&path).expect("create the test folder");
        Self(path)
    }

    pub fn join(&self, name: &str) -> std::path::PathBuf {
        self.0.join(name)
    }

    /// The names in the folder, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.0)
            .expect("list the test folder")
            .map(|entry| {
                entry
                    .expect("folder entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Every scope the Web API catalogue names, for a user who granted everything.
pub const ALL_SCOPES: &str =
    "ugc-image-upload user-read-playback-state user-modify-playback-state \
    user-read-currently-playing playlist-read-private playlist-read-collaborative \
    playlist-modify-private playlist-modify-public user-follow-modify user-follow-read \
    user-read-playback-position user-top-read user-read-recently-played user-library-modify \
    user-library-read user-read-email user-read-private";

/// A refreshable user session holding a one-hour token the fake issued with `scope`.
pub fn user_session(world: &World, scope: &str) -> spotipie::SessionHandle {
    use spotipie::{OAuth2Token, RefreshTokenFlow, SessionOptions};
    let token = OAuth2Token::new(
        world.fake.issue_access_token(3600, scope),
        Duration::from_secs(3600),
        &world.clock,
    )
    .with_refresh_token(world.fake.issue_refresh_token(scope))
    .with_scope(scope);
    world.spotipie.start_session_with(
        RefreshTokenFlow::new(credentials(), scope),
        SessionOptions {
            token: Some(token),
            ..SessionOptions::default()
        },
    )
}
