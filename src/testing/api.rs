//! What every Web API answer of the fake shares: the [`Reply`] type, Spotify's error shape, the
//! bearer-token check, and [`respond`], which counts, logs and renders every answer.
//!
//! The router and the operations live in [`webapi`](super::webapi); this module is the part that
//! does not depend on which operation was asked for.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::log::LogKind;
use super::state::Shared;
use crate::token::Scope;

/// The `id` of the user behind every user token.
pub const FAKE_USER_ID: &str = "fake-user";

/// One answer of the Web API side, before it is counted, logged and rendered.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reply {
    /// The HTTP status.
    pub(crate) status: StatusCode,
    /// The JSON body; `None` for an empty body.
    pub(crate) body: Option<Value>,
    /// Extra response headers.
    pub(crate) headers: Vec<(header::HeaderName, String)>,
}

impl Reply {
    /// `status` with a JSON body.
    pub(crate) fn json(status: u16, body: Value) -> Self {
        Self {
            status: status_code(status),
            body: Some(body),
            headers: Vec::new(),
        }
    }

    /// 200 with a JSON body.
    pub(crate) fn ok(body: Value) -> Self {
        Self::json(200, body)
    }

    /// `status` with an empty body (204 for most write operations).
    pub(crate) fn empty(status: u16) -> Self {
        Self {
            status: status_code(status),
            body: None,
            headers: Vec::new(),
        }
    }

    /// `{"error": {"status": status, "message": message}}`.
    pub(crate) fn error(status: u16, message: &str) -> Self {
        Self::error_with_reason(status, message, None)
    }

    /// Spotify's error shape, with `error.reason` when given (e.g. `NO_ACTIVE_DEVICE`).
    pub(crate) fn error_with_reason(status: u16, message: &str, reason: Option<&str>) -> Self {
        let code = status_code(status);
        let mut error = json!({ "status": code.as_u16(), "message": message });
        if let Some(reason) = reason {
            error["reason"] = Value::from(reason);
        }
        Self::json(code.as_u16(), json!({ "error": error }))
    }

    /// Adds a response header.
    pub(crate) fn with_header(mut self, name: header::HeaderName, value: String) -> Self {
        self.headers.push((name, value));
        self
    }
}

/// `status` as a status code; anything that is not one becomes 500.
fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// What the bearer token of a request grants.
#[derive(Debug, Clone)]
pub(crate) struct Bearer {
    /// True for user tokens; false for client credentials.
    pub(crate) user: bool,
    /// The scope granted with the token.
    pub(crate) scope: Scope,
}

/// Checks the bearer token: issued by the fake, not expired by its clock, and not expired by
/// [`FakeSpotify::expire_access_tokens`](super::FakeSpotify::expire_access_tokens).
pub(crate) fn authorize_bearer(req: &HttpRequest, shared: &Shared) -> Result<Bearer, Reply> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Err(Reply::error(401, "No token provided"));
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .ok_or_else(|| Reply::error(400, "Only valid bearer authentication supported"))?;
    let now = shared.now();
    let state = shared.lock();
    let grant = state
        .access_tokens
        .get(token)
        .ok_or_else(|| Reply::error(401, "Invalid access token"))?;
    if grant.expired || now >= grant.expires_at {
        return Err(Reply::error(401, "The access token expired"));
    }
    Ok(Bearer {
        user: grant.user,
        scope: grant.scope.clone(),
    })
}

/// Counts, logs and renders a Web API answer.
pub(crate) fn respond(req: &HttpRequest, shared: &Shared, reply: Reply) -> HttpResponse {
    let status = reply.status;
    let mut state = shared.lock();
    state.stats.api_calls += 1;
    if status == StatusCode::UNAUTHORIZED {
        state.stats.unauthorized += 1;
    }
    state.push_log(LogKind::Api {
        method: req.method().to_string(),
        path: req.path().to_owned(),
        had_token: req.headers().contains_key(header::AUTHORIZATION),
        status: status.as_u16(),
    });
    drop(state);
    let mut response = HttpResponse::build(status);
    if status == StatusCode::UNAUTHORIZED {
        response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"spotify\""));
    }
    for (name, value) in reply.headers {
        response.insert_header((name, value));
    }
    match reply.body {
        Some(body) => response.json(body),
        None => response.finish(),
    }
}
