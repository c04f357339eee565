//! Where tokens live between runs: the [`TokenStore`] trait and its implementations.
//!
//! - [`MemoryStore`]: a map, for tests and for processes that only need tokens while they run.
//! - [`FileStore`]: one JSON file per key in a folder, in spotipie's format, written atomically
//!   with mode 0600 ([`token_file`]), read leniently (spotipie and spotipy files).
//! - `RedisStore` (feature `redis`): one hash per key in Redis, shared by several processes;
//!   a save never replaces a token with one that expires earlier.
//!
//! Stores are driven by the [`Persister`](crate::actors::Persister) actor, which saves every
//! `TokenUpdated`, newest first, and reports failed saves as events.

pub mod file;
pub mod memory;
#[cfg(feature = "redis")]
pub mod redis;
pub mod token_file;

use std::fmt;
use std::sync::Arc;

use futures::future::BoxFuture;

#[cfg(feature = "redis")]
pub use self::redis::{Announcement, Lease, RedisOptions, RedisStore, SaveOutcome};
pub use file::FileStore;
pub use memory::MemoryStore;

use crate::token::OAuth2Token;

/// The longest key a store accepts, in bytes (so an encoded file name stays under 255 bytes).
pub const MAX_KEY_LEN: usize = 80;

/// A store key: a user id, a session id. Any text of 1 to [`MAX_KEY_LEN`] bytes without control
/// characters; stores encode it as they need (a [`FileStore`] turns every byte outside
/// `[A-Za-z0-9_-]` into `%XX`, so no key can name a path outside its folder).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StoreKey(Arc<str>);

impl StoreKey {
    /// Checks and wraps a key.
    pub fn new(key: impl Into<String>) -> Result<Self, StoreError> {
        let key = key.into();
        let invalid = |reason| StoreError::InvalidKey {
            key: key.chars().take(MAX_KEY_LEN).collect(),
            reason,
        };
        if key.is_empty() {
            return Err(invalid("it is empty"));
        }
        if key.len() > MAX_KEY_LEN {
            return Err(invalid("it is longer than 80 bytes"));
        }
        if key.chars().any(char::is_control) {
            return Err(invalid("it contains control characters"));
        }
        Ok(Self(Arc::from(key)))
    }

    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StoreKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StoreKey({:?})", &*self.0)
    }
}

/// What a store can fail with. `Clone` (sources behind `Arc`), so one failure can go to many
/// subscribers.
#[derive(Clone, Debug, thiserror::Error)]
pub enum StoreError {
    /// The key is not acceptable.
    #[error("store key {key:?} is refused: {reason}")]
    InvalidKey {
        /// The key (cut to the limit).
        key: String,
        /// Why.
        reason: &'static str,
    },
    /// A token file could not be read or written; the error names the file.
    #[error(transparent)]
    File(Arc<token_file::TokenFileError>),
    /// Any other backend failure.
    #[error("token store failed: {0}")]
    Backend(String),
}

impl From<token_file::TokenFileError> for StoreError {
    fn from(error: token_file::TokenFileError) -> Self {
        Self::File(Arc::new(error))
    }
}

/// Where tokens are kept between runs, by key. Implementations must be safe under concurrent
/// calls for different keys; the [`Persister`](crate::actors::Persister) never saves one key
/// twice at once.
pub trait TokenStore: Send + Sync + 'static {
    /// The token stored under `key`, or `None`.
    fn load<'a>(
        &'a self,
        key: &'a StoreKey,
    ) -> BoxFuture<'a, Result<Option<OAuth2Token>, StoreError>>;

    /// Stores `token` under `key`, replacing what was there.
    fn save<'a>(
        &'a self,
        key: &'a StoreKey,
        token: &'a OAuth2Token,
    ) -> BoxFuture<'a, Result<(), StoreError>>;

    /// Removes `key`; `true` if it existed.
    fn delete<'a>(&'a self, key: &'a StoreKey) -> BoxFuture<'a, Result<bool, StoreError>>;
}
