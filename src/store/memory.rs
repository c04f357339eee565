//! [`MemoryStore`]: tokens in a map, for tests and for processes that need no persistence.

use std::collections::HashMap;
use std::sync::Mutex;

use futures::future::{self, BoxFuture, FutureExt as _};

use super::{StoreError, StoreKey, TokenStore};
use crate::token::OAuth2Token;

/// Tokens in memory. Cloning a token is cheap (its secrets are shared).
#[derive(Debug, Default)]
pub struct MemoryStore {
    tokens: Mutex<HashMap<StoreKey, OAuth2Token>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many keys it holds.
    pub fn len(&self) -> usize {
        self.tokens.lock().map(|t| t.len()).unwrap_or_default()
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn with<T>(
        &self,
        f: impl FnOnce(&mut HashMap<StoreKey, OAuth2Token>) -> T,
    ) -> Result<T, StoreError> {
        self.tokens
            .lock()
            .map(|mut tokens| f(&mut tokens))
            .map_err(|_| StoreError::Backend("the memory store's lock is poisoned".into()))
    }
}

impl TokenStore for MemoryStore {
    fn load<'a>(
        &'a self,
        key: &'a StoreKey,
    ) -> BoxFuture<'a, Result<Option<OAuth2Token>, StoreError>> {
        future::ready(self.with(|tokens| tokens.get(key).cloned())).boxed()
    }

    fn save<'a>(
        &'a self,
        key: &'a StoreKey,
        token: &'a OAuth2Token,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        future::ready(self.with(|tokens| {
            tokens.insert(key.clone(), token.clone());
        }))
        .boxed()
    }

    fn delete<'a>(&'a self, key: &'a StoreKey) -> BoxFuture<'a, Result<bool, StoreError>> {
        future::ready(self.with(|tokens| tokens.remove(key).is_some())).boxed()
    }
}
