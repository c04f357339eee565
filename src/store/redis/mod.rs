//! [`RedisStore`]: tokens in Redis, shared by every process of a service (feature `redis`).
//!
//! Each key is one hash, `{namespace}:token:{key}`, with three fields: `token` (spotipie's
//! JSON, the same document a [`FileStore`](super::FileStore) writes), `expires_at` and
//! `version`. Every save runs one Lua script, which is atomic in Redis:
//! - it stores the token only if its `expires_at` is later than the stored one's, and then
//!   bumps `version`;
//! - otherwise it leaves the newer token in place and reports [`SaveOutcome::Stale`].
//!
//! So when two processes save at once, or a process wakes up holding an old token, the older
//! token can never replace the newer one. Ordering by `expires_at` needs no coordination: a
//! renewal always produces a later expiry, and the processes of one service read clocks that
//! NTP keeps within milliseconds of each other, while tokens live for an hour.
//!
//! Every stored token is also announced on a pub/sub channel ([`announce`]), and a per-key
//! lease ([`lease`]) lets one process of a cluster renew at a time; the
//! [`cluster`](crate::cluster) module builds cluster-wide single-flight renewal from the two.
//!
//! The connection is a `redis` crate `ConnectionManager`: it connects on first use, reconnects
//! after an outage, and every command has a response timeout, so an unreachable Redis is a
//! [`StoreError::Backend`] within that timeout, never a hang or a panic.

pub mod announce;
pub mod lease;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use futures::future::{BoxFuture, FutureExt as _};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{AsyncCommands as _, Script};

use super::{StoreError, StoreKey, TokenStore};
use crate::clock::{system_clock, SharedClock};
use crate::token::OAuth2Token;

/// The namespace keys go under unless [`RedisOptions::namespace`] names another.
pub const DEFAULT_NAMESPACE: &str = "spotipie";

pub use announce::{Announcement, Announcements};
pub use lease::Lease;

/// Stores `ARGV[2]` (token JSON) with `ARGV[1]` (its `expires_at` in microseconds) in hash
/// `KEYS[1]` if it is newer than what is there, and then announces it on channel `KEYS[2]` as
/// `version expires_at origin key` (`ARGV[3]` origin, `ARGV[4]` key). Answers
/// `{1, new version}` or `{0, current version}`.
const SAVE_IF_NEWER: &str = r"
local stored = redis.call('HMGET', KEYS[1], 'expires_at', 'version')
local version = tonumber(stored[2]) or 0
if stored[1] and tonumber(stored[1]) >= tonumber(ARGV[1]) then
  return {0, version}
end
version = version + 1
redis.call('HSET', KEYS[1], 'token', ARGV[2], 'expires_at', ARGV[1], 'version', version)
redis.call('PUBLISH', KEYS[2], version .. ' ' .. ARGV[1] .. ' ' .. ARGV[3] .. ' ' .. ARGV[4])
return {1, version}
";

/// What a save did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveOutcome {
    /// The token is stored, as this version of the key.
    Stored {
        /// The key's version after the save (1 for the first token).
        version: u64,
    },
    /// A token that expires no earlier was already stored; it stays.
    Stale {
        /// The stored version.
        current_version: u64,
    },
}

/// How [`RedisStore`] talks to Redis.
#[derive(Clone, Debug)]
pub struct RedisOptions {
    /// Prefix of every key (`{namespace}:token:{key}`). Default [`DEFAULT_NAMESPACE`].
    pub namespace: String,
    /// The longest one command may take before it fails. Default 2 s.
    pub response_timeout: Duration,
    /// The longest one connection attempt may take. Default 2 s.
    pub connect_timeout: Duration,
}

impl Default for RedisOptions {
    fn default() -> Self {
        Self {
            namespace: DEFAULT_NAMESPACE.to_owned(),
            response_timeout: Duration::from_secs(2),
            connect_timeout: Duration::from_secs(2),
        }
    }
}

/// A [`TokenStore`] in Redis whose saves never replace a newer token with an older one.
///
/// Cheap to clone: clones share one connection. Like any tokio connection, it lives on the
/// runtime that first uses it; create and use it inside the actix system (or the runtime) that
/// runs the persister.
#[derive(Clone)]
pub struct RedisStore {
    client: redis::Client,
    connection: ConnectionManager,
    namespace: Arc<str>,
    origin: Arc<str>,
    connect_timeout: Duration,
    script: Arc<Script>,
    clock: SharedClock,
}

impl fmt::Debug for RedisStore {
    /// The namespace only: a Redis URL may carry a password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("namespace", &self.namespace)
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// A store at `url` (`redis://[:password@]host:port/db`; TLS is not built in) with default
    /// options. It connects on first use, so this succeeds while Redis is down; a malformed URL
    /// fails.
    pub fn open(url: &str) -> Result<Self, StoreError> {
        Self::open_with(url, RedisOptions::default())
    }

    /// A store at `url` with `options`. Call it inside the runtime that will use the store (the
    /// actix system, a tokio runtime): outside one it is an error, since the connection needs
    /// a runtime to live on.
    pub fn open_with(url: &str, options: RedisOptions) -> Result<Self, StoreError> {
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(StoreError::Backend(
                "RedisStore must be opened inside a tokio runtime (the actix system)".to_owned(),
            ));
        }
        // The URL may hold a password: the error says what is wrong without echoing it.
        let client = redis::Client::open(url)
            .map_err(|err| StoreError::Backend(format!("invalid Redis URL: {:?}", err.kind())))?;
        let config = ConnectionManagerConfig::new()
            .set_response_timeout(Some(options.response_timeout))
            .set_connection_timeout(Some(options.connect_timeout))
            .set_number_of_retries(1);
        let connection = ConnectionManager::new_lazy_with_config(client.clone(), config)
            .map_err(|err| backend("could not set up the Redis connection", &err))?;
        Ok(Self {
            client,
            connection,
            namespace: Arc::from(options.namespace),
            origin: Arc::from(format!("{:016x}", rand::random::<u64>())),
            connect_timeout: options.connect_timeout,
            script: Arc::new(Script::new(SAVE_IF_NEWER)),
            clock: system_clock(),
        })
    }

    /// Uses `clock` to read stored documents that only carry `expires_in` (spotipy caches).
    pub fn with_clock(mut self, clock: SharedClock) -> Self {
        self.clock = clock;
        self
    }

    /// This store's name in announcements, random per [`open`](Self::open): a process tells
    /// its own saves from other processes' by it. Clones share it.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The Redis key of `key`.
    pub fn redis_key(&self, key: &StoreKey) -> String {
        format!("{}:token:{}", self.namespace, key.as_str())
    }

    /// Saves `token` unless a token that expires no earlier is stored, and says which happened.
    /// A stored token is announced on [`channel`](Self::channel).
    pub async fn save_if_newer(
        &self,
        key: &StoreKey,
        token: &OAuth2Token,
    ) -> Result<SaveOutcome, StoreError> {
        let expires_at_micros = (token.expires_at * 1e6).round() as i64;
        let (stored, version): (i64, u64) = self
            .script
            .key(self.redis_key(key))
            .key(self.channel())
            .arg(expires_at_micros)
            .arg(token.to_json())
            .arg(&*self.origin)
            .arg(key.as_str())
            .invoke_async(&mut self.connection.clone())
            .await
            .map_err(|err| backend("could not save the token in Redis", &err))?;
        Ok(if stored == 1 {
            SaveOutcome::Stored { version }
        } else {
            SaveOutcome::Stale {
                current_version: version,
            }
        })
    }

    /// The token stored under `key` and its version.
    pub async fn load_versioned(
        &self,
        key: &StoreKey,
    ) -> Result<Option<(u64, OAuth2Token)>, StoreError> {
        let (json, version): (Option<String>, Option<u64>) = self
            .connection
            .clone()
            .hmget(self.redis_key(key), &["token", "version"])
            .await
            .map_err(|err| backend("could not read the token from Redis", &err))?;
        let Some(json) = json else {
            return Ok(None);
        };
        let token = OAuth2Token::from_json(&json, &*self.clock).map_err(|err| {
            StoreError::Backend(format!("the token stored under {key} is not valid: {err}"))
        })?;
        Ok(Some((version.unwrap_or(0), token)))
    }
}

/// A backend error that names what failed and the kind of Redis error, never a value (the
/// command's arguments hold the token).
pub(crate) fn backend(what: &str, err: &redis::RedisError) -> StoreError {
    let detail = if err.is_timeout() {
        "timed out".to_owned()
    } else if err.is_connection_refusal() || err.is_connection_dropped() || err.is_io_error() {
        "Redis is unreachable".to_owned()
    } else {
        format!("{:?}", err.kind())
    };
    StoreError::Backend(format!("{what}: {detail}"))
}

impl TokenStore for RedisStore {
    fn load<'a>(
        &'a self,
        key: &'a StoreKey,
    ) -> BoxFuture<'a, Result<Option<OAuth2Token>, StoreError>> {
        async move { Ok(self.load_versioned(key).await?.map(|(_, token)| token)) }.boxed()
    }

    /// Saves unless a newer token is stored; a stale save is not an error (the newer token
    /// is what the key should hold), and [`RedisStore::save_if_newer`] tells the two apart.
    fn save<'a>(
        &'a self,
        key: &'a StoreKey,
        token: &'a OAuth2Token,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        async move { self.save_if_newer(key, token).await.map(drop) }.boxed()
    }

    fn delete<'a>(&'a self, key: &'a StoreKey) -> BoxFuture<'a, Result<bool, StoreError>> {
        async move {
            let removed: u64 = self
                .connection
                .clone()
                .del(self.redis_key(key))
                .await
                .map_err(|err| backend("could not delete the token from Redis", &err))?;
            Ok(removed > 0)
        }
        .boxed()
    }
}
