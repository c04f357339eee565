//! The OAuth2 grant rules of the fake accounts service, free of HTTP.
//!
//! Given the `Authorization` header and the form fields of a token request, decide who the
//! client is, check the grant against the fake's state and mint tokens, or produce the error
//! Spotify would (always status 400; only the `error`/`error_description` pair varies).

use std::collections::HashMap;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::state::{ClientKind, RefreshGrant, Shared};

/// A token-endpoint error: `error` code and `error_description`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OAuthError {
    pub(crate) error: &'static str,
    pub(crate) description: &'static str,
}

const fn err(error: &'static str, description: &'static str) -> OAuthError {
    OAuthError { error, description }
}

const INVALID_CLIENT: OAuthError = err("invalid_client", "Invalid client");
const INVALID_CODE: OAuthError = err("invalid_grant", "Invalid authorization code");
const INVALID_REFRESH: OAuthError = err("invalid_grant", "Invalid refresh token");
const EXPIRED_REFRESH: OAuthError = err("invalid_grant", "Refresh token expired");

/// Who is asking, after client authentication.
enum Client {
    /// Registered confidential client with the right secret.
    Confidential(String),
    /// Only a `client_id` form field, no secret (a registered public client, or a confidential
    /// one leaving its secret out): allowed for PKCE grants only.
    Public(String),
}

impl Client {
    fn id(&self) -> &str {
        match self {
            Client::Confidential(id) | Client::Public(id) => id,
        }
    }
}

/// Processes one token request and returns the success body.
pub(crate) fn handle(
    shared: &Shared,
    authorization: Option<&str>,
    form: &HashMap<String, String>,
) -> Result<Value, OAuthError> {
    let grant = match form.get("grant_type").map(String::as_str) {
        None | Some("") => {
            return Err(err(
                "unsupported_grant_type",
                "grant_type parameter is missing",
            ))
        }
        Some(grant) => grant,
    };
    if !matches!(
        grant,
        "client_credentials" | "authorization_code" | "refresh_token"
    ) {
        return Err(err(
            "unsupported_grant_type",
            "grant_type must be client_credentials, authorization_code or refresh_token",
        ));
    }
    let client = authenticate(shared, authorization, form)?;
    match grant {
        "client_credentials" => client_credentials(shared, &client),
        "authorization_code" => authorization_code(shared, &client, form),
        _ => refresh_token(shared, &client, form),
    }
}

/// Client authentication: Basic header, else `client_id` + `client_secret` form fields, else a
/// bare registered `client_id` (a public client). A secret sent for a public client is
/// `invalid_client`: it has none.
fn authenticate(
    shared: &Shared,
    authorization: Option<&str>,
    form: &HashMap<String, String>,
) -> Result<Client, OAuthError> {
    let (id, secret) = match authorization {
        Some(header) => {
            let (id, secret) = parse_basic(header).ok_or(INVALID_CLIENT)?;
            (id, Some(secret))
        }
        None => {
            let id = form.get("client_id").cloned().ok_or(INVALID_CLIENT)?;
            (id, form.get("client_secret").cloned())
        }
    };
    let registered = shared.config.clients.get(&id).ok_or(INVALID_CLIENT)?;
    match (registered, secret) {
        (ClientKind::Confidential { secret: expected }, Some(secret)) if secret == *expected => {
            Ok(Client::Confidential(id))
        }
        (_, Some(_)) => Err(INVALID_CLIENT),
        (_, None) => Ok(Client::Public(id)),
    }
}

/// `Basic base64(id:secret)` → `(id, secret)`.
fn parse_basic(header: &str) -> Option<(String, String)> {
    let (scheme, encoded) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

fn client_credentials(shared: &Shared, client: &Client) -> Result<Value, OAuthError> {
    if !matches!(client, Client::Confidential(_)) {
        return Err(INVALID_CLIENT);
    }
    let expires_in = shared.config.expires_in;
    let access = shared
        .lock()
        .mint_access(shared.now(), expires_in, false, "");
    Ok(json!({ "access_token": access, "token_type": "Bearer", "expires_in": expires_in }))
}

fn authorization_code(
    shared: &Shared,
    client: &Client,
    form: &HashMap<String, String>,
) -> Result<Value, OAuthError> {
    let code = required(form, "code", "code must be supplied")?;
    let redirect_uri = required(form, "redirect_uri", "redirect_uri must be supplied")?;
    let now = shared.now();
    let mut state = shared.lock();
    // Codes are single-use: any presentation consumes it, successful or not.
    let grant = state.codes.remove(code).ok_or(INVALID_CODE)?;
    if grant.client_id != client.id() {
        return Err(INVALID_CODE);
    }
    if grant.redirect_uri != *redirect_uri {
        return Err(err("invalid_grant", "Invalid redirect URI"));
    }
    match (&grant.code_challenge, client) {
        (Some(challenge), _) => {
            let verifier = required(form, "code_verifier", "code_verifier required")?;
            if s256(verifier) != *challenge {
                return Err(err("invalid_grant", "code_verifier was incorrect"));
            }
        }
        (None, Client::Public(_)) => return Err(INVALID_CLIENT),
        (None, Client::Confidential(_)) => {}
    }
    let expires_in = shared.config.expires_in;
    let access = state.mint_access(now, expires_in, true, &grant.scope);
    let refresh = state.mint_refresh(RefreshGrant {
        client_id: Some(grant.client_id),
        scope: grant.scope.clone(),
        pkce: grant.code_challenge.is_some(),
        issued_at: now,
    });
    Ok(json!({
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": expires_in,
        "refresh_token": refresh,
        "scope": grant.scope,
    }))
}

fn refresh_token(
    shared: &Shared,
    client: &Client,
    form: &HashMap<String, String>,
) -> Result<Value, OAuthError> {
    let token = required(form, "refresh_token", "refresh_token must be supplied")?;
    let now = shared.now();
    let mut state = shared.lock();
    if state.revoked.contains(token) {
        return Err(err("invalid_grant", "Refresh token revoked"));
    }
    let grant = state.refresh_tokens.get(token).ok_or(INVALID_REFRESH)?;
    if grant
        .client_id
        .as_deref()
        .is_some_and(|id| id != client.id())
    {
        return Err(INVALID_REFRESH);
    }
    if matches!(client, Client::Public(_)) && !grant.pkce {
        return Err(INVALID_CLIENT);
    }
    // Counted from the first issue: rotation hands `issued_at` on, so refreshing never extends.
    if now >= grant.issued_at + shared.config.refresh_token_lifetime.as_secs_f64() {
        return Err(EXPIRED_REFRESH);
    }
    // PKCE refresh tokens are always single-use; confidential ones only when configured.
    let rotate = grant.pkce || shared.config.rotate_refresh_tokens;
    let scope = grant.scope.clone();
    let expires_in = shared.config.expires_in;
    let access = state.mint_access(now, expires_in, true, &scope);
    let mut body = json!({
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": expires_in,
        "scope": scope,
    });
    if rotate {
        // The successor is the same grant under a new name: same client, scope and issue time.
        if let Some(old) = state.refresh_tokens.remove(token) {
            let new = state.mint_refresh(old);
            body["refresh_token"] = Value::String(new);
        }
    }
    Ok(body)
}

/// A required, non-empty form field, or `invalid_request`.
fn required<'a>(
    form: &'a HashMap<String, String>,
    name: &str,
    description: &'static str,
) -> Result<&'a String, OAuthError> {
    form.get(name)
        .filter(|value| !value.is_empty())
        .ok_or(err("invalid_request", description))
}

/// PKCE S256: `base64url-no-pad(sha256(verifier))`.
pub(crate) fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::{parse_basic, s256};

    #[test]
    fn s256_matches_rfc7636_appendix_b() {
        assert_eq!(
            s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn basic_header_parsing_rejects_garbage() {
        assert_eq!(
            parse_basic("Basic YTpiOmM="),
            Some(("a".to_owned(), "b:c".to_owned()))
        );
        assert_eq!(parse_basic("Bearer YTpi"), None);
        assert_eq!(parse_basic("Basic !!!"), None);
        assert_eq!(parse_basic("Basic"), None);
    }
}
