//! [`FakeSpotifyBuilder`]: the settings fixed when a [`FakeSpotify`] starts.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use url::Url;

use super::state::{ClientKind, Config, Shared};
use super::FakeSpotify;
use crate::clock::{system_clock, SharedClock};

/// Configures and starts a [`FakeSpotify`].
///
/// Defaults: the confidential client [`FakeSpotify::CLIENT_ID`] (secret
/// [`FakeSpotify::CLIENT_SECRET`]) and the public client [`FakeSpotify::PUBLIC_CLIENT_ID`], each
/// with the redirect URIs [`FakeSpotify::DEFAULT_REDIRECT_URIS`]; access tokens for 3600 s;
/// no rotation of confidential refresh tokens; refresh tokens valid for
/// [`FakeSpotify::DEFAULT_REFRESH_TOKEN_LIFETIME`]; an Extended Quota app (not
/// [Development Mode](Self::development_mode)); the system clock.
#[derive(Clone)]
pub struct FakeSpotifyBuilder {
    clients: HashMap<String, ClientKind>,
    redirect_uris: HashMap<String, Vec<String>>,
    expires_in: u64,
    rotate_refresh_tokens: bool,
    refresh_token_lifetime: Duration,
    development_mode: bool,
    clock: SharedClock,
}

impl Default for FakeSpotifyBuilder {
    fn default() -> Self {
        let builder = Self {
            clients: HashMap::new(),
            redirect_uris: HashMap::new(),
            expires_in: 3600,
            rotate_refresh_tokens: false,
            refresh_token_lifetime: FakeSpotify::DEFAULT_REFRESH_TOKEN_LIFETIME,
            development_mode: false,
            clock: system_clock(),
        };
        let builder = builder
            .client(FakeSpotify::CLIENT_ID, FakeSpotify::CLIENT_SECRET)
            .public_client(FakeSpotify::PUBLIC_CLIENT_ID);
        FakeSpotify::DEFAULT_REDIRECT_URIS
            .iter()
            .fold(builder, |builder, uri| {
                builder
                    .redirect_uri(FakeSpotify::CLIENT_ID, *uri)
                    .redirect_uri(FakeSpotify::PUBLIC_CLIENT_ID, *uri)
            })
    }
}

impl FakeSpotifyBuilder {
    /// Registers a confidential client with its secret (in addition to the default clients).
    ///
    /// Registering an id again replaces its secret; registering a public client's id makes it
    /// confidential. A new client starts with no redirect URIs: add them with
    /// [`redirect_uri`](Self::redirect_uri) to use `/authorize`. A confidential client may
    /// also redeem a PKCE code with `client_id` + `code_verifier` and no secret, as on
    /// Spotify.
    pub fn client(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        let kind = ClientKind::Confidential {
            secret: secret.into(),
        };
        self.clients.insert(id.into(), kind);
        self
    }

    /// Registers a public (PKCE-only) client: it has no secret, and sending one is
    /// `invalid_client`.
    ///
    /// It may use `/authorize` with `response_type=code` only together with a
    /// `code_challenge` (otherwise the fake redirects back with `error=invalid_request`), or
    /// `response_type=token`; and the token endpoint's `authorization_code` (with
    /// `client_id` and `code_verifier`) and `refresh_token` (with `client_id`) grants, whose
    /// refresh tokens are single-use. `client_credentials` gives `invalid_client`.
    ///
    /// Registering a confidential client's id makes it public. A new client starts with no
    /// redirect URIs (see [`redirect_uri`](Self::redirect_uri)).
    pub fn public_client(mut self, id: impl Into<String>) -> Self {
        self.clients.insert(id.into(), ClientKind::Public);
        self
    }

    /// Registers a redirect URI for `client_id`, in addition to those it already has.
    ///
    /// `/authorize` follows Spotify's rules since 2025-11-27:
    /// - a `localhost` host, or plain `http` on a host other than the loopback literals
    ///   `127.0.0.1` and `[::1]`, is refused with a 400 page `INVALID_CLIENT: Insecure
    ///   redirect URI`, even if registered;
    /// - `http://127.0.0.1:PORT/path` and `http://[::1]:PORT/path` match a registration with
    ///   the same host and path that has no port (any port matches) or the same port;
    /// - any other URI must match a registration exactly in scheme, host, port and path;
    /// - query strings are ignored when comparing.
    ///
    /// An unregistered URI gets a 400 page `INVALID_CLIENT: Invalid redirect URI`. The id need
    /// not be registered (yet) as a client. [`try_start`](Self::try_start) fails if `uri` is
    /// not an absolute URL.
    pub fn redirect_uri(mut self, client_id: impl Into<String>, uri: impl Into<String>) -> Self {
        self.redirect_uris
            .entry(client_id.into())
            .or_default()
            .push(uri.into());
        self
    }

    /// Forgets every redirect URI registered so far for `client_id`, including the defaults,
    /// e.g. to register only a URI with a fixed port.
    pub fn clear_redirect_uris(mut self, client_id: &str) -> Self {
        self.redirect_uris.remove(client_id);
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

    /// How long a refresh token is accepted, counted from when it was first issued (default
    /// [`FakeSpotify::DEFAULT_REFRESH_TOKEN_LIFETIME`], 180 days).
    ///
    /// The age is taken by the fake's [clock](Self::clock) from the code exchange (or from
    /// [`FakeSpotify::issue_refresh_token`]); refreshing does not extend it, and a rotated
    /// successor inherits the original issue time. From `issued + lifetime` on, a refresh gives
    /// 400 `{"error": "invalid_grant", "error_description": "Refresh token expired"}`.
    pub fn refresh_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.refresh_token_lifetime = lifetime;
        self
    }

    /// Whether the app is in Development Mode (default `false`: an Extended Quota app).
    ///
    /// In Development Mode the Web API behaves as Spotify's did for such apps from 2026-02:
    /// - every operation whose catalogue status is
    ///   [`RemovedForNewApps`](crate::api::catalogue::Status::RemovedForNewApps) answers 403
    ///   `{"error": {"status": 403, "message": "..."}}` (after the token and user checks);
    /// - responses lose the fields Spotify dropped: `popularity`, `followers`,
    ///   `available_markets`, `label`, `publisher`, `linked_from` and `album_group` wherever they
    ///   occur, and `email`, `country`, `product` and `explicit_content` from user objects.
    pub fn development_mode(mut self, on: bool) -> Self {
        self.development_mode = on;
        self
    }

    /// The clock the fake uses to decide whether an access or refresh token has expired
    /// (default: the system clock). Share a [`ManualClock`](crate::clock::ManualClock) with the code under
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
    ///
    /// # Errors
    /// [`io::ErrorKind::InvalidInput`] if a registered redirect URI is not an absolute URL;
    /// otherwise whatever binding the socket or spawning the server thread fails with.
    pub fn try_start(self) -> io::Result<FakeSpotify> {
        let mut redirect_uris = HashMap::with_capacity(self.redirect_uris.len());
        for (client_id, uris) in self.redirect_uris {
            let parsed = uris
                .iter()
                .map(|uri| {
                    Url::parse(uri).map_err(|error| {
                        io::Error::new(
                            io::ErrorKind::InvalidInput,
                            format!("redirect URI {uri:?} of client {client_id:?}: {error}"),
                        )
                    })
                })
                .collect::<io::Result<Vec<Url>>>()?;
            redirect_uris.insert(client_id, parsed);
        }
        let config = Config {
            clients: self.clients,
            redirect_uris,
            expires_in: self.expires_in,
            rotate_refresh_tokens: self.rotate_refresh_tokens,
            refresh_token_lifetime: self.refresh_token_lifetime,
            development_mode: self.development_mode,
        };
        let shared = Arc::new(Shared::new(config, self.clock));
        let server = super::server::start(Arc::clone(&shared))?;
        let url = format!("http://{}", server.addr());
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
        let mut public: Vec<&str> = self
            .clients
            .iter()
            .filter(|(_, kind)| **kind == ClientKind::Public)
            .map(|(id, _)| id.as_str())
            .collect();
        public.sort_unstable();
        let mut redirect_uris: Vec<(&String, &Vec<String>)> = self.redirect_uris.iter().collect();
        redirect_uris.sort_unstable();
        f.debug_struct("FakeSpotifyBuilder")
            .field("clients", &ids)
            .field("public_clients", &public)
            .field("redirect_uris", &redirect_uris)
            .field("expires_in", &self.expires_in)
            .field("rotate_refresh_tokens", &self.rotate_refresh_tokens)
            .field("refresh_token_lifetime", &self.refresh_token_lifetime)
            .field("development_mode", &self.development_mode)
            .field("clock", &self.clock)
            .finish()
    }
}
