//! The coordinated renewal ([`RenewalCoordinator`] for [`RedisCluster`]): the lease protocol of
//! the [module docs](super), as one async function the refresher runs beside its mailbox.

use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use tokio::sync::broadcast;

use super::policy::{next_step, Step};
use super::RedisCluster;
use crate::actors::events::TokenOrigin;
use crate::actors::refresher::{renew_with_retries, RenewalCoordinator};
use crate::actors::session::{Renewed, SessionHandle};
use crate::lifecycle::merge_refresh;
use crate::oauth::{Grant, OAuthError};
use crate::store::{Announcement, Lease, SaveOutcome, StoreError, StoreKey};
use crate::token::OAuth2Token;

/// Added to the session's renewal timeout to get the shortest lease.
const LEASE_MARGIN: Duration = Duration::from_secs(1);

impl RenewalCoordinator for RedisCluster {
    fn renew(
        &self,
        session: SessionHandle,
        grant: Grant,
        renewing: Option<Arc<OAuth2Token>>,
    ) -> BoxFuture<'static, (Result<Renewed, OAuthError>, u64)> {
        let cluster = self.clone();
        Box::pin(async move {
            let mut attempts = 0;
            let key = RedisCluster::key_of(session.id());
            let result = match key {
                // During an outage, waiting for Redis would only delay the renewal: the
                // listener notices when Redis is back.
                Ok(_) if cluster.is_degraded() => local(&session, grant, &mut attempts).await,
                Ok(key) => {
                    cluster
                        .coordinated(&session, &key, renewing, grant, &mut attempts)
                        .await
                }
                Err(_) => local(&session, grant, &mut attempts).await,
            };
            (result, attempts)
        })
    }
}

/// A renewal without the cluster (Redis is down, or the session has no usable key).
async fn local(
    session: &SessionHandle,
    grant: Grant,
    attempts: &mut u64,
) -> Result<Renewed, OAuthError> {
    let token = renew_with_retries(session.clone(), grant, attempts).await?;
    Ok(Renewed {
        token,
        origin: TokenOrigin::Local,
    })
}

impl RedisCluster {
    /// The lease protocol. Any Redis failure marks the cluster degraded and falls back to a
    /// local renewal: requests must not fail because Redis did.
    ///
    /// Tokens are compared with `held`, the token the session asked to renew, not with the one
    /// it holds now: the relay may have handed it the stored token meanwhile, and that token
    /// must read as the renewal done, not as one more token to renew.
    async fn coordinated(
        &self,
        session: &SessionHandle,
        key: &StoreKey,
        held: Option<Arc<OAuth2Token>>,
        grant: Grant,
        attempts: &mut u64,
    ) -> Result<Renewed, OAuthError> {
        let policy = session.policy();
        let lease_ttl = self
            .options()
            .lease_ttl
            .max(policy.renewal_timeout + LEASE_MARGIN);
        // Subscribed before the first look at the store, so no announcement falls in between.
        let mut announcements = self.subscribe_announcements();
        let deadline = tokio::time::Instant::now() + lease_ttl * 3;
        loop {
            let (lease, stored) = match self.lease_and_load(key, lease_ttl).await {
                Ok(found) => found,
                Err(error) => {
                    self.health().down(&error);
                    return local(session, grant, attempts).await;
                }
            };
            let now = session.clock().now();
            let step = next_step(
                lease.is_some(),
                held.as_deref(),
                stored.as_deref(),
                now,
                policy,
            );
            match (step, lease) {
                (Step::Adopt, lease) => {
                    if let Some(lease) = lease {
                        self.release(&lease).await;
                    }
                    let token = stored.map(|t| (*t).clone()).ok_or(OAuthError::Timeout)?;
                    return Ok(Renewed {
                        token,
                        origin: TokenOrigin::OtherProcess,
                    });
                }
                (Step::Renew { from_stored }, Some(lease)) => {
                    let base = if from_stored { stored } else { held.clone() };
                    let result = self
                        .renew_holding(session, key, &lease, base, grant, attempts)
                        .await;
                    self.release(&lease).await;
                    return result;
                }
                (Step::Wait | Step::Renew { .. }, _) => {
                    if tokio::time::Instant::now() >= deadline {
                        return Err(OAuthError::Timeout);
                    }
                    self.wait_for_news(&mut announcements, key).await;
                }
            }
        }
    }

    /// Tries the lease, then reads the store (after the lease, so a holder sees what the
    /// previous holder saved before releasing).
    async fn lease_and_load(
        &self,
        key: &StoreKey,
        ttl: Duration,
    ) -> Result<(Option<Lease>, Option<Arc<OAuth2Token>>), StoreError> {
        let lease = self.store().try_lease(key, ttl).await?;
        let stored = self.store().load_versioned(key).await?;
        Ok((lease, stored.map(|(_, token)| Arc::new(token))))
    }

    /// Renews under `lease`, saves and announces (the save script does both). The token
    /// endpoint gets at most the lease's time: past it, another process may be renewing.
    async fn renew_holding(
        &self,
        session: &SessionHandle,
        key: &StoreKey,
        lease: &Lease,
        base: Option<Arc<OAuth2Token>>,
        grant: Grant,
        attempts: &mut u64,
    ) -> Result<Renewed, OAuthError> {
        let grant = match session.shared().flow.renewal_grant(base.as_deref()) {
            Some(Ok(grant)) => grant,
            Some(Err(error)) => return Err(error),
            None => grant,
        };
        let renewal = renew_with_retries(session.clone(), grant, attempts);
        let token = tokio::time::timeout(lease.ttl(), renewal)
            .await
            .map_err(|_| OAuthError::Timeout)??;
        let token = merge_refresh(base.as_deref(), token);
        match self.store().save_if_newer(key, &token).await {
            Ok(SaveOutcome::Stored { .. }) => Ok(Renewed {
                token,
                origin: TokenOrigin::SharedStore,
            }),
            // Only if the lease ran out and another process renewed since: keep its token.
            Ok(SaveOutcome::Stale { .. }) => match self.store().load_versioned(key).await {
                Ok(Some((_, stored))) => Ok(Renewed {
                    token: stored,
                    origin: TokenOrigin::OtherProcess,
                }),
                _ => Ok(Renewed {
                    token,
                    origin: TokenOrigin::Local,
                }),
            },
            Err(error) => {
                // The persister saves it once Redis is back; the token is not lost.
                self.health().down(&error);
                Ok(Renewed {
                    token,
                    origin: TokenOrigin::Local,
                })
            }
        }
    }

    async fn release(&self, lease: &Lease) {
        if let Err(error) = self.store().release(lease).await {
            // It runs out by itself; nothing else to do.
            self.health().down(&error);
        }
    }

    /// Waits for an announcement of `key`, or the poll interval, whichever comes first.
    async fn wait_for_news(
        &self,
        announcements: &mut broadcast::Receiver<Announcement>,
        key: &StoreKey,
    ) {
        let poll = tokio::time::sleep(self.options().poll_interval);
        tokio::pin!(poll);
        loop {
            tokio::select! {
                _ = &mut poll => return,
                received = announcements.recv() => match received {
                    Ok(announcement) if &announcement.key == key => return,
                    Ok(_) => {}
                    Err(broadcast::error::RecvError::Lagged(_)) => return,
                    Err(broadcast::error::RecvError::Closed) => {
                        (&mut poll).await;
                        return;
                    }
                },
            }
        }
    }
}
