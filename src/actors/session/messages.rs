//! The messages a session answers, besides [`ApiRequest`](crate::ApiRequest).

use std::sync::Arc;

use actix::Message;

use crate::error::SessionError;
use crate::oauth::OAuthError;
use crate::token::{OAuth2Token, Scope};

/// Set the token (S3). Every set publishes `TokenUpdated`, even for an equal token.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct SetToken(pub OAuth2Token);

/// Get the current token.
#[derive(Debug, Message)]
#[rtype(result = "Option<Arc<OAuth2Token>>")]
pub struct GetToken;

/// Renew now, or join the renewal in flight.
#[derive(Debug, Message)]
#[rtype(result = "Result<Arc<OAuth2Token>, SessionError>")]
pub struct RenewNow;

/// Turn auto-refresh on or off (S8).
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct SetAutoRefresh(pub bool);

/// Ask whether auto-refresh is on.
#[derive(Debug, Message)]
#[rtype(result = "bool")]
pub struct GetAutoRefresh;

/// Ask for the session's scope.
#[derive(Debug, Message)]
#[rtype(result = "Scope")]
pub struct GetScope;

/// From the refresher: the outcome of a renewal this session asked for.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub(crate) struct RenewalDone(pub(crate) Result<OAuth2Token, Arc<OAuthError>>);

/// From the refresher's schedule: the token is about to go stale; renew ahead if still useful.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub(crate) struct RefreshAheadDue;
