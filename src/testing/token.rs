//! `POST /api/token`: the HTTP side of the token endpoint.
//!
//! Owns request parsing, logging/counting at arrival, the hold gate, the delay and injected
//! faults; the grant rules themselves live in [`grants`](super::grants). Keeping the order
//! "log → hold → delay → fault or grant → fill in status" in one function makes it easy to see
//! what a test can observe at each point.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use super::fault::pass_hold_gate;
use super::grants::{self, OAuthError};
use super::log::LogKind;
use super::state::Shared;

/// Handles `POST /api/token`.
pub(crate) async fn token(
    req: HttpRequest,
    body: web::Bytes,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let form = parse_form(&body);
    let grant = form.get("grant_type").cloned().unwrap_or_default();

    let (seq, fault, delay) = {
        let mut state = shared.lock();
        let stats = &mut state.stats;
        match grant.as_str() {
            "client_credentials" => stats.token_calls_client_credentials += 1,
            "authorization_code" => stats.token_calls_authorization_code += 1,
            "refresh_token" => stats.token_calls_refresh_token += 1,
            _ => stats.token_calls_other += 1,
        }
        let seq = state.push_log(LogKind::TokenCall {
            grant: grant.clone(),
            status: 0,
        });
        (seq, state.faults.pop_front(), state.token_delay)
    };

    pass_hold_gate(&shared).await;
    if !delay.is_zero() {
        actix_web::rt::time::sleep(delay).await;
    }

    let response = match fault {
        Some(fault) => fault.response(&grant),
        None => {
            let authorization = req
                .headers()
                .get(header::AUTHORIZATION)
                .map(|value| value.to_str().unwrap_or_default());
            match grants::handle(&shared, authorization, &form) {
                Ok(body) => HttpResponse::Ok()
                    .insert_header((header::CACHE_CONTROL, "no-store"))
                    .json(body),
                Err(OAuthError { error, description }) => oauth_error(error, description),
            }
        }
    };
    shared
        .lock()
        .finish_token_call(seq, response.status().as_u16());
    response
}

/// A 400 in the accounts service's RFC 6749 shape: `{"error": ..., "error_description": ...}`.
pub(crate) fn oauth_error(error: &str, description: &str) -> HttpResponse {
    HttpResponse::BadRequest().json(serde_json::json!({
        "error": error,
        "error_description": description,
    }))
}

/// Form fields of the body; the first occurrence of a name wins. Never fails.
fn parse_form(body: &[u8]) -> HashMap<String, String> {
    let mut form = HashMap::new();
    for (name, value) in url::form_urlencoded::parse(body) {
        form.entry(name.into_owned())
            .or_insert_with(|| value.into_owned());
    }
    form
}
