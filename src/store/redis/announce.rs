//! Announcements: every stored token is announced on one pub/sub channel per namespace,
//! `{namespace}:announce`, by the same script that stores it, so no save goes unannounced.
//!
//! An announcement is a doorbell, not the token: it names the key, the new version, when the
//! token expires and which store instance saved it (`version expires_at_micros origin key`,
//! space-separated, the key last since it may hold spaces). Receivers load the token from the
//! hash, which always holds the newest one, so a late or reordered announcement is harmless.

use std::pin::Pin;

use futures::{Stream, StreamExt as _};

use super::{backend, RedisStore};
use crate::store::{StoreError, StoreKey};

/// A token was stored under a key.
#[derive(Clone, Debug, PartialEq)]
pub struct Announcement {
    /// The key.
    pub key: StoreKey,
    /// The key's version after the save.
    pub version: u64,
    /// When the stored token expires (seconds since the epoch).
    pub expires_at: f64,
    /// The [`RedisStore::origin`] of the store that saved it.
    pub origin: String,
}

impl Announcement {
    /// Reads a message of the channel; `None` for anything else (another writer's messages).
    pub fn parse(message: &str) -> Option<Self> {
        let mut parts = message.splitn(4, ' ');
        let version = parts.next()?.parse().ok()?;
        let micros: i64 = parts.next()?.parse().ok()?;
        let origin = parts.next()?.to_owned();
        let key = StoreKey::new(parts.next()?).ok()?;
        Some(Self {
            key,
            version,
            expires_at: micros as f64 / 1e6,
            origin,
        })
    }
}

/// The announcements of a namespace, while the subscription's connection lasts: the stream ends
/// when Redis goes away (subscribe again to resume).
pub type Announcements = Pin<Box<dyn Stream<Item = Announcement> + Send>>;

impl RedisStore {
    /// The pub/sub channel this store announces saves on.
    pub fn channel(&self) -> String {
        format!("{}:announce", self.namespace)
    }

    /// Subscribes to the announcements on a connection of its own (a subscribed connection can
    /// do nothing else). Fails within the connect timeout if Redis is unreachable.
    pub async fn announcements(&self) -> Result<Announcements, StoreError> {
        let connect = self.client.get_async_pubsub();
        let mut pubsub = tokio::time::timeout(self.connect_timeout, connect)
            .await
            .map_err(|_| StoreError::Backend("could not subscribe: Redis timed out".to_owned()))?
            .map_err(|err| backend("could not subscribe to announcements", &err))?;
        let subscribe = pubsub.subscribe(self.channel());
        tokio::time::timeout(self.connect_timeout, subscribe)
            .await
            .map_err(|_| StoreError::Backend("could not subscribe: Redis timed out".to_owned()))?
            .map_err(|err| backend("could not subscribe to announcements", &err))?;
        let messages = pubsub.into_on_message().filter_map(|message| async move {
            let text: String = message.get_payload().ok()?;
            Announcement::parse(&text)
        });
        Ok(Box::pin(messages))
    }

    /// Whether Redis answers now.
    pub async fn ping(&self) -> Result<(), StoreError> {
        let _: String = redis::cmd("PING")
            .query_async(&mut self.connection.clone())
            .await
            .map_err(|err| backend("Redis did not answer PING", &err))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_the_save_script_publishes() {
        let announcement = Announcement::parse("7 1767225600123456 4f2a user with spaces").unwrap();
        assert_eq!(announcement.version, 7);
        assert_eq!(announcement.origin, "4f2a");
        assert_eq!(announcement.key.as_str(), "user with spaces");
        assert!((announcement.expires_at - 1_767_225_600.123_456).abs() < 1e-6);
    }

    #[test]
    fn ignores_foreign_messages() {
        for message in ["", "hello", "x 1 a k", "1 x a k", "1 2 a", "1 2 a \u{7}"] {
            assert_eq!(Announcement::parse(message), None, "{message:?}");
        }
    }
}
