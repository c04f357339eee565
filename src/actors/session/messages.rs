//! The messages a session answers, besides [`ApiRequest`](crate::ApiRequest).

use std::sync::Arc;

use actix::Message;

use url::Url;

use crate::actors::events::TokenOrigin;
use crate::error::SessionError;
use crate::oauth::{OAuthError, RedirectUri};
use crate::secret::{AccessToken, AuthorizationCode, CsrfState};
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

/// The Web API rejected `rejected` (a 401): renew, unless the session already holds another
/// token, which is then answered as is. Many requests rejected together thus cause one renewal,
/// even when the first renewal finished before the last rejection arrived.
#[derive(Debug, Message)]
#[rtype(result = "Result<Arc<OAuth2Token>, SessionError>")]
pub struct RenewRejected {
    /// The access token the Web API refused.
    pub rejected: AccessToken,
}

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

/// A renewed token and where it came from.
#[derive(Debug)]
pub(crate) struct Renewed {
    /// The token endpoint's answer (merged by the session), or a token adopted from the
    /// shared store.
    pub(crate) token: OAuth2Token,
    /// [`TokenOrigin::Local`] for a plain renewal; the cluster coordinator says whether it saved
    /// the token or adopted another process's.
    pub(crate) origin: TokenOrigin,
}

/// From the refresher: the outcome of a renewal this session asked for.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub(crate) struct RenewalDone(pub(crate) Result<Renewed, Arc<OAuthError>>);

/// From a cluster relay: another process stored this token for the session's key. The session
/// takes it only if it expires later than the one it holds, so a late or repeated announcement
/// changes nothing.
#[cfg(feature = "redis")]
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub(crate) struct AdoptToken(pub(crate) Arc<OAuth2Token>);

/// From the refresher's schedule: the token is about to go stale; renew ahead if still useful.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub(crate) struct RefreshAheadDue;

/// Start a user authorization: answers the `/authorize` URL to send the user to and its `state`.
/// The session remembers the state (and the PKCE verifier) until the callback comes back.
#[derive(Debug, Default, Message)]
#[rtype(result = "Result<(Url, CsrfState), SessionError>")]
pub struct AuthorizationUrl {
    /// Ask Spotify to show the consent dialog even if the user approved before.
    pub show_dialog: bool,
    /// More query parameters for `/authorize`.
    pub extra: Vec<(String, String)>,
    /// Use this redirect URI instead of the flow's (e.g. a loopback URI with the port a local
    /// server actually bound). The code exchange then uses it too, as Spotify requires.
    pub redirect_uri: Option<RedirectUri>,
}

/// Finish a user authorization from the URL the user was sent back to: checks `state`, then
/// exchanges the code (code flows) or reads the token from the fragment (implicit grant), and
/// sets the token.
#[derive(Debug, Message)]
#[rtype(result = "Result<Arc<OAuth2Token>, SessionError>")]
pub struct FetchToken {
    /// The full callback URL (or its path and query, read against the redirect URI).
    pub callback_url: String,
}

/// Finish a code-flow authorization from a code and state received some other way.
#[derive(Debug, Message)]
#[rtype(result = "Result<Arc<OAuth2Token>, SessionError>")]
pub struct FetchTokenGivenCode {
    /// The authorization code.
    pub code: AuthorizationCode,
    /// The state that came with it.
    pub state: CsrfState,
}

/// Stop the session actor now (a pool evicting an idle session). Requests waiting in an episode
/// fail with `SessionStopped`; handles still held answer `SessionStopped` from then on.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct StopSession;
