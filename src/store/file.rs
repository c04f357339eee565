//! [`FileStore`]: one token file per key in a folder.

use std::path::{Path, PathBuf};

use futures::future::{BoxFuture, FutureExt as _};

use super::token_file::{read_token_file, write_token_file, TokenFileError};
use super::{StoreError, StoreKey, TokenStore};
use crate::clock::SharedClock;
use crate::token::OAuth2Token;

/// Tokens as files `<folder>/<encoded key>.json` in spotipie's format: atomic replacement, mode
/// 0600, spotipy `.cache` contents read too. File system calls run on tokio's blocking pool, so
/// the actors that call the store keep running.
#[derive(Clone, Debug)]
pub struct FileStore {
    folder: PathBuf,
    clock: SharedClock,
}

impl FileStore {
    /// A store in `folder`, which must exist. `clock` pins `expires_at` for files that only
    /// have `expires_in`.
    pub fn new(folder: impl Into<PathBuf>, clock: SharedClock) -> Self {
        Self {
            folder: folder.into(),
            clock,
        }
    }

    /// The folder.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// The file a key is stored in: every byte outside `[A-Za-z0-9_-]` is written `%XX`, so a
    /// key like `../../etc/passwd` stays a plain name inside the folder.
    pub fn path_of(&self, key: &StoreKey) -> PathBuf {
        let mut name = String::with_capacity(key.as_str().len() * 3 + 5);
        for byte in key.as_str().bytes() {
            if byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-' {
                name.push(byte as char);
            } else {
                name.push_str(&format!("%{byte:02X}"));
            }
        }
        name.push_str(".json");
        self.folder.join(name)
    }
}

/// Runs blocking file work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|join| StoreError::Backend(format!("file store task failed: {join}")))?
}

impl TokenStore for FileStore {
    fn load<'a>(
        &'a self,
        key: &'a StoreKey,
    ) -> BoxFuture<'a, Result<Option<OAuth2Token>, StoreError>> {
        let path = self.path_of(key);
        let clock = self.clock.clone();
        blocking(move || match read_token_file(&path, clock.as_ref()) {
            Ok(token) => Ok(Some(token)),
            Err(TokenFileError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                Ok(None)
            }
            Err(error) => Err(error.into()),
        })
        .boxed()
    }

    fn save<'a>(
        &'a self,
        key: &'a StoreKey,
        token: &'a OAuth2Token,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        let path = self.path_of(key);
        let token = token.clone();
        blocking(move || write_token_file(&path, &token).map_err(StoreError::from)).boxed()
    }

    fn delete<'a>(&'a self, key: &'a StoreKey) -> BoxFuture<'a, Result<bool, StoreError>> {
        let path = self.path_of(key);
        blocking(move || match std::fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(source) => Err(TokenFileError::Io { path, source }.into()),
        })
        .boxed()
    }
}
