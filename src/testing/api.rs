//! The sliver of the Web API: `GET /v1/me`, `GET /v1/tracks/{id}`, and the 404 for anything else.
//!
//! Enough to prove that a session sends a valid, unexpired bearer token: every answer (and every
//! 401) is counted and logged, and errors use the Web API's `{"error": {"status", "message"}}`
//! shape.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::log::LogKind;
use super::state::Shared;

/// The `id` of the user behind every user token.
pub const FAKE_USER_ID: &str = "fake-user";

/// Handles `GET /v1/me`.
pub(crate) async fn me(req: HttpRequest, shared: web::Data<Shared>) -> HttpResponse {
    let result = authorize_bearer(&req, &shared).and_then(|user| {
        if user {
            Ok(json!({
                "id": FAKE_USER_ID,
                "display_name": "Fake User",
                "type": "user",
                "uri": format!("spotify:user:{FAKE_USER_ID}"),
                "href": format!("https://api.spotify.com/v1/users/{FAKE_USER_ID}"),
                "account_id": "0a1b2c3d4e5f6a7b8c9d0e1f",
            }))
        } else {
            Err(api_error(401, "Valid user authentication required"))
        }
    });
    respond(&req, &shared, result)
}

/// Handles `GET /v1/tracks/{id}`.
pub(crate) async fn track(req: HttpRequest, shared: web::Data<Shared>) -> HttpResponse {
    // Read the segment directly: a path extractor would answer bad input with its own 404.
    let id = req.match_info().get("id").unwrap_or_default();
    let result = authorize_bearer(&req, &shared).and_then(|_| {
        if is_base62_id(id) {
            Ok(track_fixture(id))
        } else {
            Err(api_error(400, "Invalid base62 id"))
        }
    });
    respond(&req, &shared, result)
}

/// Default service: any path the fake does not serve.
pub(crate) async fn not_found(req: HttpRequest, shared: web::Data<Shared>) -> HttpResponse {
    respond(&req, &shared, Err(api_error(404, "Service not found")))
}

/// Checks the bearer token; `Ok(true)` for a user token, `Ok(false)` for client credentials.
fn authorize_bearer(req: &HttpRequest, shared: &Shared) -> Result<bool, (StatusCode, Value)> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Err(api_error(401, "No token provided"));
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .ok_or_else(|| api_error(400, "Only valid bearer authentication supported"))?;
    let now = shared.now();
    let state = shared.lock();
    let grant = state
        .access_tokens
        .get(token)
        .ok_or_else(|| api_error(401, "Invalid access token"))?;
    if now >= grant.expires_at {
        return Err(api_error(401, "The access token expired"));
    }
    Ok(grant.user)
}

/// Counts, logs and renders an API answer.
fn respond(
    req: &HttpRequest,
    shared: &Shared,
    result: Result<Value, (StatusCode, Value)>,
) -> HttpResponse {
    let (status, body) = result.map_or_else(|error| error, |body| (StatusCode::OK, body));
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
    response.json(body)
}

/// `(status, {"error": {"status": status, "message": message}})`.
fn api_error(status: u16, message: &str) -> (StatusCode, Value) {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = json!({ "error": { "status": code.as_u16(), "message": message } });
    (code, body)
}

/// A Spotify ID: exactly 22 base62 characters.
fn is_base62_id(id: &str) -> bool {
    id.len() == 22 && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A small but realistic track object for `id`.
fn track_fixture(id: &str) -> Value {
    json!({
        "id": id,
        "name": "Fake Track",
        "type": "track",
        "uri": format!("spotify:track:{id}"),
        "href": format!("https://api.spotify.com/v1/tracks/{id}"),
        "duration_ms": 215_000,
        "explicit": false,
        "track_number": 1,
        "disc_number": 1,
        "artists": [{
            "id": "0OdUWJ0sBjDrqHygGUXeCF",
            "name": "Fake Artist",
            "type": "artist",
            "uri": "spotify:artist:0OdUWJ0sBjDrqHygGUXeCF",
        }],
        "album": {
            "id": "4aawyAB9vmqN3uQ7FjRGTy",
            "name": "Fake Album",
            "type": "album",
            "album_type": "album",
            "uri": "spotify:album:4aawyAB9vmqN3uQ7FjRGTy",
            "release_date": "2020-01-01",
            "total_tracks": 10,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::is_base62_id;

    #[test]
    fn base62_ids_are_22_alphanumerics() {
        assert!(is_base62_id("6rqhFgbbKwnb9MLmUQDhG6"));
        assert!(!is_base62_id("6rqhFgbbKwnb9MLmUQDhG"));
        assert!(!is_base62_id("6rqhFgbbKwnb9MLmUQDhG-"));
        assert!(!is_base62_id("6rqhFgbbKwnb9MLmUQDhGé"));
    }
}
