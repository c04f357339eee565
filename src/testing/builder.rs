//! [`FakeSpotifyBuilder`]: the settings fixed when a [`FakeSpotify`] starts.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::sync::Arc;

use super::server::ServerThread;
use super::state::{Config, Shared};
use super::FakeSpotify;
use crate::clock::{system_clock, SharedClock};

/// Configures and starts a [`FakeSpotify`].
#[derive(Clone)]
pub struct FakeSpotifyBuilder {
    clients: HashMap<String, String>,
    expires_in: u64,
    rotate_refresh_tokens: bool,
    clock: SharedClock,
}

impl Default for FakeSpotifyBuilder {
    fn default() -> Self {
        let mut clients = HashMap::new();
        clients.insert(
            FakeSpotify::CLIENT_ID.to_owned(),
            FakeSpotify::CLIENT_SECRET.to_owned(),
        );
        Self {
            clients,
            expires_in: 3600,
            rotate_refresh_tokens: false,
            clock: system_clock(),
        }
    }
}

impl FakeSpotifyBuilder {
    /// Registers a confidential client (in addition to [`FakeSpotify::CLIENT_ID`], which is
    /// always registered). Registering an id again replaces its secret.
    pub fn client(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.clients.insert(id.into(), secret.into());
        self
    }

    /// `expires_in` (seconds) of every access token the fake issues; default 3600.
    pub fn expires_in(mut self, seconds: u64) -> Self {
        self.expires_in = seconds;
        self
    }

    /// Whether refreshes by a confidential client rotate the refresh token (default `false`).
    ///
    /// `false`: refresh responses omit `refresh_token` and the old one stays valid. `true`:
    /// each refresh returns a new `refresh_token` and the old one becomes invalid. Refresh
    /// tokens from a PKCE grant are single-use regardless, as on Spotify.
    pub fn rotate_refresh_tokens(mut self, rotate: bool) -> Self {
        self.rotate_refresh_tokens = rotate;
        self
    }

    /// The clock the fake uses to decide whether an access token has expired (default: the
    /// system clock). Share a [`ManualClock`](crate::clock::ManualClock) with the code under
    /// test to expire tokens without waiting.
    pub fn clock(mut self, clock: SharedClock) -> Self {
        self.clock = clock;
        self
    }

    /// Starts the server on `127.0.0.1:0`; returns once it accepts connections.
    ///
    /// A plain synchronous call, usable from sync code and from inside any async runtime.
    ///
    /// # Panics
    /// If the server cannot start; see [`try_start`](Self::try_start).
    pub fn start(self) -> FakeSpotify {
        match self.try_start() {
            Ok(fake) => fake,
            Err(error) => panic!("FakeSpotify failed to start: {error}"),
        }
    }

    /// Like [`start`](Self::start), returning the error instead of panicking.
    pub fn try_start(self) -> io::Result<FakeSpotify> {
        let config = Config {
            clients: self.clients,
            expires_in: self.expires_in,
            rotate_refresh_tokens: self.rotate_refresh_tokens,
        };
        let shared = Arc::new(Shared::new(config, self.clock));
        let server = ServerThread::start(Arc::clone(&shared))?;
        let url = format!("http://{}", server.addr);
        Ok(FakeSpotify {
            shared,
            server,
            url,
        })
    }
}

impl fmt::Debug for FakeSpotifyBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Client ids only: secrets stay out of logs.
        let mut ids: Vec<&str> = self.clients.keys().map(String::as_str).collect();
        ids.sort_unstable();
        f.debug_struct("FakeSpotifyBuilder")
            .field("clients", &ids)
            .field("expires_in", &self.expires_in)
            .field("rotate_refresh_tokens", &self.rotate_refresh_tokens)
            .field("clock", &self.clock)
            .finish()
    }
}
