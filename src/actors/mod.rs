//! The actor layer: a thin actix shell over the lifecycle policy.
//!
//! - [`Session`]: owns one token; answers requests (S1–S3, S7, S8).
//! - [`EventBus`]: typed publish/subscribe of session events (S4).
//! - [`Refresher`]: renews tokens, single flight per session, with retries and refresh-ahead (S5).
//! - [`Persister`]: saves every `TokenUpdated` to a token store, newest first (R2).
//!
//! The rule that keeps them deadlock-free (S6): no actor awaits, inside its mailbox, an actor
//! that may await it. Sessions and the refresher talk with fire-and-forget messages; the bus
//! never awaits subscribers in its mailbox; every wait is a future spawned beside a mailbox.

pub mod bus;
pub mod events;
pub mod persister;
pub mod refresher;
pub mod session;

pub use bus::{BusStats, EventBus, EventStream, SubscriptionId};
pub use events::{
    RefreshFailed, SessionEvent, SessionId, TokenExpired, TokenOrigin, TokenSaveFailed,
    TokenUpdated, REFRESH_FAILED, TOKEN_EXPIRED, TOKEN_SAVE_FAILED, TOKEN_UPDATED,
};
pub use persister::{Persister, PersisterStats};
pub use refresher::{Refresher, RefresherStats};
pub use session::{
    AuthorizationCodeFlow, ClientCredentialsFlow, ExternalTokenFlow, Flow, ImplicitGrantFlow,
    PkceFlow, RefreshTokenFlow, Session, SessionHandle, UserAuthorization,
};
