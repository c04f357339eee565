//! The fake Web API: one handler for every request outside the accounts service, routed by the
//! [catalogue](crate::api::catalogue) and checked in Spotify's order.
//!
//! 1. An injected [`ApiFault`](super::ApiFault), if one is queued, answers first (the request
//!    still counts for its operation).
//! 2. Routing: 404 `"Service not found"` for an unknown path, 405 for a known path with another
//!    method.
//! 3. The bearer token: 401 unless the fake issued it and it has not expired.
//! 4. `/v1/me...` with a client-credentials token: 401 `"Valid user authentication required"`.
//! 5. Development Mode: 403 for operations removed for new apps.
//! 6. Scope: 403 `"Insufficient client scope"` when the token's scope lacks what
//!    [`Operation::missing_scopes`] asks for (by the `uris` sent, for `/me/library`).
//! 7. Input: required query parameters, the body (JSON object with the required fields), ids in
//!    the path and in `ids=`, URIs; then each operation's own parameters (`limit`, `type`, ...).
//!    All 400.
//! 8. The answer, from [`fixtures`], trimmed to the Development Mode shape when the fake is in
//!    that mode.

mod fixtures;
mod operations;
mod paging;
mod personal;
mod player;
mod route;
mod validate;

use actix_web::web::{self, Bytes, BytesMut};
use actix_web::{HttpRequest, HttpResponse};
use futures::StreamExt;
use serde_json::Value;

use super::api::{self, Reply};
use super::state::Shared;
use crate::api::catalogue::{Operation, ScopeCheck, Status};
use fixtures::Fx;
use paging::PageAt;
use route::{Matched, Query};

/// The largest body read (the cover upload takes up to 256 KB of base64).
const MAX_BODY: usize = 1024 * 1024;

/// Handles every request the accounts routes do not: `/v1/...` and unknown paths.
pub(crate) async fn handle(
    req: HttpRequest,
    payload: web::Payload,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let body = read_body(payload).await;
    let reply = answer(&req, &shared, body);
    api::respond(&req, &shared, reply)
}

/// Reads the body, up to [`MAX_BODY`].
async fn read_body(mut payload: web::Payload) -> Result<Bytes, Reply> {
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| Reply::error(400, "Malformed request body"))?;
        if body.len() + chunk.len() > MAX_BODY {
            return Err(Reply::error(413, "Request body too large"));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

fn answer(req: &HttpRequest, shared: &Shared, body: Result<Bytes, Reply>) -> Reply {
    let routed = route::find(req.method().as_str(), req.path());
    let fault = {
        let mut state = shared.lock();
        if let Ok(matched) = &routed {
            *state.operation_calls.entry(matched.op.id).or_default() += 1;
        }
        state.api_faults.pop_front()
    };
    if let Some(fault) = fault {
        return fault.reply();
    }
    match routed.and_then(|matched| serve(req, shared, &matched, body)) {
        Ok(reply) | Err(reply) => reply,
    }
}

/// Whether only a user token may call `op`.
fn user_only(op: &Operation) -> bool {
    op.path == "/v1/me" || op.path.starts_with("/v1/me/")
}

fn serve(
    req: &HttpRequest,
    shared: &Shared,
    matched: &Matched,
    body: Result<Bytes, Reply>,
) -> Result<Reply, Reply> {
    let op = matched.op;
    let bearer = api::authorize_bearer(req, shared)?;
    if user_only(op) && !bearer.user {
        return Err(Reply::error(401, "Valid user authentication required"));
    }
    let development_mode = shared.config.development_mode;
    if development_mode && op.status == Status::RemovedForNewApps {
        return Err(Reply::error(
            403,
            "This endpoint is not available to apps in Development Mode",
        ));
    }
    let query = Query::parse(req.query_string());
    let by_uri_type = matches!(op.scope_check, ScopeCheck::ByUriType(_));
    let uri_types = if by_uri_type {
        validate::uri_types(&query)
    } else {
        Vec::new()
    };
    if !op.missing_scopes(&bearer.scope, &uri_types).is_empty() {
        return Err(Reply::error(403, "Insufficient client scope"));
    }
    if let Some(name) = op
        .required_query
        .iter()
        .find(|name| query.non_empty(name).is_none())
    {
        return Err(Reply::error(
            400,
            &format!("Missing required field: {name}"),
        ));
    }
    let json = validate::body(op, &query, &body?)?;
    validate::path_params(&matched.params)?;
    validate::query_ids(op, &query)?;
    if by_uri_type {
        validate::library_uris(&query)?;
    }
    let base = format!("http://{}", req.app_config().local_addr());
    let playing = shared.lock().playback_active;
    let ctx = Ctx {
        op,
        base: &base,
        path: req.path(),
        query: &query,
        params: &matched.params,
        body: json.as_ref(),
        playing,
        shared,
    };
    let mut reply = operations::answer(&ctx)?;
    if development_mode {
        if let Some(body) = &mut reply.body {
            fixtures::trim_for_development_mode(body);
        }
    }
    Ok(reply)
}

/// What an operation's answer is built from.
pub(crate) struct Ctx<'a> {
    /// The operation.
    pub(crate) op: &'static Operation,
    /// The fake's base URL, `http://127.0.0.1:PORT`.
    pub(crate) base: &'a str,
    /// The raw request path.
    pub(crate) path: &'a str,
    /// The query string.
    pub(crate) query: &'a Query,
    /// The path template's parameters.
    pub(crate) params: &'a [(&'static str, String)],
    /// The JSON body, if one was sent.
    pub(crate) body: Option<&'a Value>,
    /// Whether something is playing.
    pub(crate) playing: bool,
    /// The fake's state, for the few operations that change it.
    pub(crate) shared: &'a Shared,
}

impl Ctx<'_> {
    /// The fixtures' view of the request.
    pub(crate) fn fx(&self) -> Fx<'_> {
        Fx { base: self.base }
    }

    /// Where this request's pages live.
    pub(crate) fn at(&self) -> PageAt<'_> {
        PageAt {
            base: self.base,
            path: self.path,
            query: self.query,
        }
    }

    /// The template parameter `name` (empty if the template has none).
    pub(crate) fn param(&self, name: &str) -> &str {
        self.params
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
            .unwrap_or_default()
    }

    /// Counts a playlist change; returns its number (from 1).
    pub(crate) fn next_change(&self) -> u64 {
        let mut state = self.shared.lock();
        state.snapshots += 1;
        state.snapshots
    }

    /// A fresh playlist `snapshot_id`.
    pub(crate) fn next_snapshot(&self) -> String {
        snapshot_id(self.next_change())
    }
}

/// The `snapshot_id` after playlist change number `change`, base64 like Spotify's.
pub(crate) fn snapshot_id(change: u64) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(format!("{change},fake-snapshot"))
}
