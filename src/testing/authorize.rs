//! `GET /authorize`: the consent page, reduced to an immediate redirect.
//!
//! There is no browser and no user: the fake answers at once with a 302 back to the
//! `redirect_uri`, approving or denying as set by
//! [`FakeSpotify::set_authorize_decision`](super::FakeSpotify::set_authorize_decision). An
//! unknown client or an unusable `redirect_uri` (insecure or unregistered, see
//! [`redirect`](super::redirect)) gets a 400 HTML page instead, because Spotify never redirects
//! to an unverified URI.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use url::Url;

use super::log::LogKind;
use super::redirect::{self, INVALID_REDIRECT};
use super::state::{ClientKind, CodeGrant, Shared};
use super::AuthorizeDecision;

/// Handles `GET /authorize`.
pub(crate) async fn authorize(req: HttpRequest, shared: web::Data<Shared>) -> HttpResponse {
    let query: HashMap<String, String> = url::form_urlencoded::parse(req.query_string().as_bytes())
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    let param = |name: &str| query.get(name).map(String::as_str).unwrap_or_default();
    let response_type = param("response_type").to_owned();

    let outcome = decide(&shared, &query);
    let mut state = shared.lock();
    state.stats.authorize_calls += 1;
    state.push_log(LogKind::Authorize {
        response_type,
        approved: matches!(outcome, Outcome::Approved(_)),
    });
    drop(state);

    match outcome {
        Outcome::ErrorPage(message) => HttpResponse::BadRequest()
            .content_type("text/html; charset=utf-8")
            .body(format!(
                "<!DOCTYPE html><html><head><title>Error</title></head>\
                 <body><h1>Oops! Something went wrong</h1><p>{message}</p></body></html>"
            )),
        Outcome::Approved(location) | Outcome::Refused(location) => HttpResponse::Found()
            .insert_header((header::LOCATION, location.as_str()))
            .finish(),
    }
}

/// What `/authorize` answers.
enum Outcome {
    /// 400 HTML page with this message; nothing is redirected.
    ErrorPage(&'static str),
    /// Redirect carrying a code or an access token.
    Approved(Url),
    /// Redirect carrying an `error`.
    Refused(Url),
}

fn decide(shared: &Shared, query: &HashMap<String, String>) -> Outcome {
    let param = |name: &str| query.get(name).map(String::as_str).unwrap_or_default();
    let client_id = param("client_id");
    let Some(kind) = shared.config.clients.get(client_id) else {
        return Outcome::ErrorPage("INVALID_CLIENT: Invalid client");
    };
    let Ok(redirect) = Url::parse(param("redirect_uri")) else {
        return Outcome::ErrorPage(INVALID_REDIRECT);
    };
    let registered = shared
        .config
        .redirect_uris
        .get(client_id)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if let Err(message) = redirect::check(registered, &redirect) {
        return Outcome::ErrorPage(message);
    }
    let state_param = query.get("state").map(String::as_str);
    let refuse = |error: &str| {
        let mut url = redirect.clone();
        url.query_pairs_mut().append_pair("error", error);
        if let Some(state) = state_param {
            url.query_pairs_mut().append_pair("state", state);
        }
        Outcome::Refused(url)
    };

    let response_type = param("response_type");
    if response_type != "code" && response_type != "token" {
        return refuse("unsupported_response_type");
    }
    let code_challenge = query.get("code_challenge").filter(|c| !c.is_empty());
    if code_challenge.is_some() && param("code_challenge_method") != "S256" {
        return refuse("invalid_request");
    }
    // A public client has no secret to redeem a plain code with: PKCE is mandatory.
    if *kind == ClientKind::Public && response_type == "code" && code_challenge.is_none() {
        return refuse("invalid_request");
    }
    let decision = shared.lock().decision;
    if decision == AuthorizeDecision::Deny {
        return refuse("access_denied");
    }

    let scope = param("scope").to_owned();
    let mut url = redirect;
    if response_type == "code" {
        let code = shared.lock().mint_code(CodeGrant {
            client_id: client_id.to_owned(),
            // Compared verbatim at the token endpoint, as Spotify does.
            redirect_uri: param("redirect_uri").to_owned(),
            scope,
            code_challenge: code_challenge.cloned(),
        });
        url.query_pairs_mut().append_pair("code", &code);
        if let Some(state) = state_param {
            url.query_pairs_mut().append_pair("state", state);
        }
    } else {
        let expires_in = shared.config.expires_in;
        let token = shared
            .lock()
            .mint_access(shared.now(), expires_in, true, &scope);
        let mut fragment = url::form_urlencoded::Serializer::new(String::new());
        fragment
            .append_pair("access_token", &token)
            .append_pair("token_type", "Bearer")
            .append_pair("expires_in", &expires_in.to_string());
        if let Some(state) = state_param {
            fragment.append_pair("state", state);
        }
        url.set_fragment(Some(&fragment.finish()));
    }
    Outcome::Approved(url)
}
