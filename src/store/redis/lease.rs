//! The renewal lease: at most one process of a cluster renews a key's token at a time.
//!
//! A lease is a plain Redis string, `{namespace}:lease:{key}`, set with `SET NX PX`: the first
//! process to ask gets it, for a time to live. Its value names the owner (`{pid}-{nonce}`), and it
//! is released by a script that deletes it only if it still holds that value, so a process whose
//! lease ran out can never release the next owner's. A holder that dies simply lets it expire.

use std::time::Duration;

use redis::Script;

use super::{backend, RedisStore};
use crate::store::{StoreError, StoreKey};

/// Deletes `KEYS[1]` only if it holds `ARGV[1]`.
pub(super) const RELEASE_IF_OWNER: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

/// A renewal lease this process holds, until [`RedisStore::release`] or its time to live ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lease {
    key: StoreKey,
    owner: String,
    ttl: Duration,
}

impl Lease {
    /// The store key it covers.
    pub fn key(&self) -> &StoreKey {
        &self.key
    }

    /// The owner value stored in Redis: this process's id and a random nonce (not a secret).
    pub fn owner(&self) -> &str {
        &self.owner
    }

    /// How long it lasts unless released.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }
}

impl RedisStore {
    /// The Redis key of `key`'s renewal lease.
    pub fn lease_key(&self, key: &StoreKey) -> String {
        format!("{}:lease:{}", self.namespace, key.as_str())
    }

    /// Takes `key`'s renewal lease for `ttl`, or answers `None` if another owner holds it.
    pub async fn try_lease(
        &self,
        key: &StoreKey,
        ttl: Duration,
    ) -> Result<Option<Lease>, StoreError> {
        let owner = format!("{}-{:016x}", std::process::id(), rand::random::<u64>());
        let ttl_ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
        let set: Option<String> = redis::cmd("SET")
            .arg(self.lease_key(key))
            .arg(&owner)
            .arg("NX")
            .arg("PX")
            .arg(ttl_ms)
            .query_async(&mut self.connection.clone())
            .await
            .map_err(|err| backend("could not take the renewal lease", &err))?;
        Ok(set.map(|_| Lease {
            key: key.clone(),
            owner,
            ttl,
        }))
    }

    /// Releases `lease` if this owner still holds it; `false` if it had run out (and perhaps
    /// passed to another owner, whose lease stays).
    pub async fn release(&self, lease: &Lease) -> Result<bool, StoreError> {
        let released: i64 = Script::new(RELEASE_IF_OWNER)
            .key(self.lease_key(&lease.key))
            .arg(&lease.owner)
            .invoke_async(&mut self.connection.clone())
            .await
            .map_err(|err| backend("could not release the renewal lease", &err))?;
        Ok(released == 1)
    }

    /// Who holds `key`'s renewal lease (`{pid}-{nonce}`), if anyone: for operators and tests.
    pub async fn lease_owner(&self, key: &StoreKey) -> Result<Option<String>, StoreError> {
        redis::cmd("GET")
            .arg(self.lease_key(key))
            .query_async(&mut self.connection.clone())
            .await
            .map_err(|err| backend("could not read the renewal lease", &err))
    }
}
