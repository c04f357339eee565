//! Input checks every operation shares: ids in the path and in `ids=` lists, the URIs of
//! `/me/library`, and JSON bodies. Each failure is a 400 in Spotify's error shape.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::Value;

use super::route::Query;
use crate::api::catalogue::Operation;
pub(crate) use crate::api::ids::is_base62_id;
use crate::api::ids::ItemType;
use crate::testing::api::Reply;

/// The most URIs `/me/library` takes in one call.
const MAX_LIBRARY_URIS: usize = 40;

/// A user or category id: a non-empty name that could be a path segment.
fn is_plain_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 256
        && !id
            .chars()
            .any(|c| c.is_control() || matches!(c, '/' | '?' | '#' | ':'))
}

fn invalid_id() -> Reply {
    Reply::error(400, "Invalid base62 id")
}

/// Checks the template parameters: `{id}` and `{playlist_id}` are base62 ids, `{user_id}` and
/// `{category_id}` plain names. (`{type}` is the operation's own business.)
pub(crate) fn path_params(params: &[(&'static str, String)]) -> Result<(), Reply> {
    for (name, value) in params {
        match *name {
            "id" | "playlist_id" if !is_base62_id(value) => return Err(invalid_id()),
            "user_id" | "category_id" if !is_plain_id(value) => {
                return Err(Reply::error(400, "Invalid id"))
            }
            _ => {}
        }
    }
    Ok(())
}

/// Whether the operation's `ids` are user ids rather than base62 ids: following users, and
/// checking who follows a playlist.
fn takes_user_ids(op: &Operation, query: &Query) -> bool {
    match op.id {
        "check_if_user_follows_playlist" => true,
        "follow_artists_users" | "unfollow_artists_users" | "check_current_user_follows" => {
            query.get("type") == Some("user")
        }
        _ => false,
    }
}

fn check_ids<'a>(ids: impl IntoIterator<Item = &'a str>, users: bool) -> Result<(), Reply> {
    let valid = if users { is_plain_id } else { is_base62_id };
    for id in ids {
        if !valid(id) {
            return Err(if users {
                Reply::error(400, "Invalid id")
            } else {
                invalid_id()
            });
        }
    }
    Ok(())
}

/// Checks the `ids=` list of operations that take one.
pub(crate) fn query_ids(op: &Operation, query: &Query) -> Result<(), Reply> {
    if query.get("ids").is_none() {
        return Ok(());
    }
    check_ids(query.list("ids"), takes_user_ids(op, query))
}

/// The kinds of the URIs in `uris=`, ignoring those that do not parse (for the scope check,
/// which comes before validation).
pub(crate) fn uri_types(query: &Query) -> Vec<ItemType> {
    query
        .list("uris")
        .into_iter()
        .filter_map(|uri| parse_uri(uri).map(|(kind, _)| kind))
        .collect()
}

/// `spotify:{type}:{id}` → its type and id.
pub(crate) fn parse_uri(uri: &str) -> Option<(ItemType, &str)> {
    let mut parts = uri.strip_prefix("spotify:")?.split(':');
    let kind = ItemType::parse(parts.next()?)?;
    let id = parts.next()?;
    parts.next().is_none().then_some((kind, id))
}

/// Whether `uri` is a well-formed URI of one of `kinds`.
pub(crate) fn is_uri_of(uri: &str, kinds: &[ItemType]) -> bool {
    parse_uri(uri).is_some_and(|(kind, id)| {
        kinds.contains(&kind)
            && if kind == ItemType::User {
                is_plain_id(id)
            } else {
                is_base62_id(id)
            }
    })
}

/// Checks the `uris=` of `/me/library`: at most 40 URIs of tracks, albums, episodes, shows,
/// audiobooks, artists, users or playlists.
pub(crate) fn library_uris(query: &Query) -> Result<(), Reply> {
    const KINDS: [ItemType; 8] = [
        ItemType::Track,
        ItemType::Album,
        ItemType::Episode,
        ItemType::Show,
        ItemType::Audiobook,
        ItemType::Artist,
        ItemType::User,
        ItemType::Playlist,
    ];
    let uris = query.list("uris");
    if uris.len() > MAX_LIBRARY_URIS {
        return Err(Reply::error(400, "Too many ids requested"));
    }
    match uris.iter().find(|uri| !is_uri_of(uri, &KINDS)) {
        Some(uri) => Err(Reply::error(400, &format!("Invalid uri: {uri}"))),
        None => Ok(()),
    }
}

/// Checks the body: base64 for the cover upload (`None` returned), otherwise JSON when not
/// empty, a JSON object holding every `required_body` field, and the well-known fields typed.
pub(crate) fn body(op: &Operation, query: &Query, raw: &[u8]) -> Result<Option<Value>, Reply> {
    if op.id == "upload_custom_playlist_cover" {
        let text: Vec<u8> = raw
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        return match STANDARD.decode(&text) {
            Ok(image) if !image.is_empty() => Ok(None),
            _ => Err(Reply::error(
                400,
                "Invalid image: send a base64 encoded JPEG",
            )),
        };
    }
    let blank = raw.iter().all(u8::is_ascii_whitespace);
    let json = if blank {
        None
    } else {
        let value: Value =
            serde_json::from_slice(raw).map_err(|_| Reply::error(400, "Error parsing JSON."))?;
        Some(value)
    };
    if op.required_body.is_empty() {
        if let Some(Value::Object(map)) = &json {
            check_fields(op, query, map)?;
        }
        return Ok(json);
    }
    let Some(Value::Object(map)) = &json else {
        let first = op.required_body.first().copied().unwrap_or_default();
        return Err(Reply::error(
            400,
            &format!("Missing required field: {first}"),
        ));
    };
    if let Some(missing) = op
        .required_body
        .iter()
        .find(|name| !map.contains_key(**name))
    {
        return Err(Reply::error(
            400,
            &format!("Missing required field: {missing}"),
        ));
    }
    check_fields(op, query, map)?;
    Ok(json)
}

/// Types of the body fields the fake knows.
fn check_fields(
    op: &Operation,
    query: &Query,
    map: &serde_json::Map<String, Value>,
) -> Result<(), Reply> {
    let strings = |value: &Value| -> Option<Vec<String>> {
        value
            .as_array()?
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect()
    };
    let bad = |field: &str| Reply::error(400, &format!("Invalid value for field: {field}"));
    if let Some(ids) = map.get("ids") {
        let ids = strings(ids).ok_or_else(|| bad("ids"))?;
        check_ids(ids.iter().map(String::as_str), takes_user_ids(op, query))?;
    }
    if let Some(devices) = map.get("device_ids") {
        match strings(devices) {
            Some(devices) if !devices.is_empty() => {}
            _ => return Err(bad("device_ids")),
        }
    }
    if let Some(uris) = map.get("uris") {
        let uris = strings(uris).ok_or_else(|| bad("uris"))?;
        if let Some(uri) = uris.iter().find(|uri| parse_uri(uri).is_none()) {
            return Err(Reply::error(400, &format!("Invalid uri: {uri}")));
        }
    }
    for field in ["items", "tracks"] {
        if let Some(entries) = map.get(field) {
            let ok = entries.as_array().is_some_and(|entries| {
                entries.iter().all(|entry| {
                    entry
                        .get("uri")
                        .and_then(Value::as_str)
                        .is_some_and(|uri| parse_uri(uri).is_some())
                })
            });
            if !ok {
                return Err(bad(field));
            }
        }
    }
    if let Some(name) = map.get("name") {
        if name.as_str().is_none_or(|name| name.trim().is_empty()) {
            return Err(bad("name"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base62_ids_are_22_alphanumerics() {
        assert!(is_base62_id("6rqhFgbbKwnb9MLmUQDhG6"));
        assert!(!is_base62_id("6rqhFgbbKwnb9MLmUQDhG"));
        assert!(!is_base62_id("6rqhFgbbKwnb9MLmUQDhG-"));
        assert!(!is_base62_id("6rqhFgbbKwnb9MLmUQDhGé"));
    }

    #[test]
    fn uris_parse_by_kind() {
        let track = "spotify:track:6rqhFgbbKwnb9MLmUQDhG6";
        assert!(is_uri_of(track, &[ItemType::Track]));
        assert!(!is_uri_of(track, &[ItemType::Album]));
        assert!(is_uri_of("spotify:user:wizzler", &[ItemType::User]));
        assert!(!is_uri_of("spotify:track:short", &[ItemType::Track]));
        assert!(parse_uri("spotify:track:a:b").is_none());
        assert!(parse_uri("track:6rqhFgbbKwnb9MLmUQDhG6").is_none());
    }
}
