//! Routing by the catalogue: which [`Operation`] a method and path ask for, and the query
//! string as the operations read it.
//!
//! A path matches a template segment by segment; `{name}` matches any non-empty segment. When
//! several templates match, the one with the most literal segments wins, so
//! `/v1/me/albums/contains` is never taken for a template with a parameter in that place. The
//! method is chosen after the path, which is how a known path with a wrong method becomes a 405
//! rather than a 404.

use actix_web::http::header;

use crate::api::catalogue::{Operation, OPERATIONS};
use crate::testing::api::Reply;

/// A request matched to an operation.
#[derive(Debug)]
pub(crate) struct Matched {
    /// The operation.
    pub(crate) op: &'static Operation,
    /// The template's parameters (`id`, `playlist_id`, ...), percent-decoded.
    pub(crate) params: Vec<(&'static str, String)>,
}

/// Finds the operation for `method` and the raw (percent-encoded) `path`.
///
/// # Errors
/// 404 `"Service not found"` for a path no template matches, 405 for a known path with another
/// method, 400 for a parameter segment that is not valid percent-encoded UTF-8.
pub(crate) fn find(method: &str, path: &str) -> Result<Matched, Reply> {
    let segments: Vec<&str> = path.split('/').collect();
    let best = OPERATIONS
        .iter()
        .filter_map(|op| literal_score(op.path, &segments).map(|score| (score, op.path)))
        .max_by_key(|(score, _)| *score)
        .map(|(_, template)| template)
        .ok_or_else(|| Reply::error(404, "Service not found"))?;
    let candidates = OPERATIONS.iter().filter(|op| op.path == best);
    let Some(op) = candidates.clone().find(|op| op.method.as_str() == method) else {
        let allow: Vec<&str> = candidates.map(|op| op.method.as_str()).collect();
        return Err(
            Reply::error(405, "Method not allowed").with_header(header::ALLOW, allow.join(", "))
        );
    };
    let mut params = Vec::new();
    for (template, segment) in op.path.split('/').zip(&segments) {
        if let Some(name) = parameter_name(template) {
            let value =
                percent_decode(segment).ok_or_else(|| Reply::error(400, "Malformed path"))?;
            params.push((name, value));
        }
    }
    Ok(Matched { op, params })
}

/// The number of literal segments of `template` if it matches `segments`, else `None`.
fn literal_score(template: &str, segments: &[&str]) -> Option<usize> {
    if template.split('/').count() != segments.len() {
        return None;
    }
    let mut literals = 0;
    for (part, segment) in template.split('/').zip(segments) {
        if parameter_name(part).is_some() {
            if segment.is_empty() {
                return None;
            }
        } else if part == *segment {
            literals += 1;
        } else {
            return None;
        }
    }
    Some(literals)
}

/// `name` for a template segment `{name}`.
fn parameter_name(part: &str) -> Option<&str> {
    part.strip_prefix('{')?.strip_suffix('}')
}

/// Decodes `%XX` escapes; `None` for a broken escape or bytes that are not UTF-8.
pub(crate) fn percent_decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The query string's parameters, in order; the first occurrence of a name is the one read.
#[derive(Debug, Clone, Default)]
pub(crate) struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    /// Parses a raw query string (never fails: broken escapes are kept as written).
    pub(crate) fn parse(raw: &str) -> Self {
        let pairs = url::form_urlencoded::parse(raw.as_bytes())
            .into_owned()
            .collect();
        Self { pairs }
    }

    /// The first value of `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The first value of `name` unless it is missing or empty.
    pub(crate) fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|value| !value.trim().is_empty())
    }

    /// The comma-separated list in `name` (items trimmed, empty items kept so that they fail
    /// validation); empty when the parameter is missing.
    pub(crate) fn list(&self, name: &str) -> Vec<&str> {
        self.non_empty(name)
            .map(|value| value.split(',').map(str::trim).collect())
            .unwrap_or_default()
    }

    /// The parameters other than `except`, in order.
    pub(crate) fn without<'a>(
        &'a self,
        except: &'a [&'a str],
    ) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.pairs
            .iter()
            .filter(move |(key, _)| !except.contains(&key.as_str()))
            .map(|(key, value)| (key.as_str(), value.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id_of(method: &str, path: &str) -> Result<&'static str, u16> {
        find(method, path)
            .map(|m| m.op.id)
            .map_err(|r| r.status.as_u16())
    }

    #[test]
    fn literal_segments_beat_parameters_and_methods_come_after_paths() {
        assert_eq!(
            id_of("GET", "/v1/me/albums/contains"),
            Ok("check_users_saved_albums")
        );
        assert_eq!(id_of("GET", "/v1/me/albums"), Ok("get_users_saved_albums"));
        assert_eq!(id_of("PUT", "/v1/me/albums"), Ok("save_albums_user"));
        assert_eq!(
            id_of("GET", "/v1/me/top/artists"),
            Ok("get_users_top_artists_and_tracks")
        );
        assert_eq!(
            id_of("GET", "/v1/me/player/devices"),
            Ok("get_a_users_available_devices")
        );
        assert_eq!(
            id_of("GET", "/v1/browse/categories/party/playlists"),
            Ok("get_a_categories_playlists")
        );
        assert_eq!(id_of("GET", "/v1/nothing"), Err(404));
        assert_eq!(id_of("GET", "/v1/albums/"), Err(404));
        assert_eq!(id_of("POST", "/v1/albums/x"), Err(405));
        assert_eq!(id_of("PUT", "/v1/me/albums/contains"), Err(405));
    }

    #[test]
    fn every_operation_is_reachable_by_its_own_template() {
        for op in OPERATIONS {
            let path = op.path.replace(['{', '}'], "");
            assert_eq!(id_of(op.method.as_str(), &path), Ok(op.id), "{}", op.path);
        }
    }

    #[test]
    fn parameters_are_percent_decoded() {
        let matched = find("GET", "/v1/users/some%20one").expect("matched");
        assert_eq!(matched.params, [("user_id", "some one".to_owned())]);
        assert_eq!(
            find("GET", "/v1/users/%ff")
                .map(|_| ())
                .map_err(|r| r.status.as_u16()),
            Err(400)
        );
        assert_eq!(percent_decode("a%2"), None);
        assert_eq!(percent_decode("a%+1"), None);
        assert_eq!(percent_decode("a%41%e2%82%ac").as_deref(), Some("aA€"));
    }
}
