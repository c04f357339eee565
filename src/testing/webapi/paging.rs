//! Paging over the fake's fixed lists: every list has [`LIST_LEN`] items with distinct ids.
//!
//! Offset pages (`Paging<T>`) read `limit` (default 20, 1..=50) and `offset`; cursor pages
//! (`CursorPaging<T>`) read `limit` and `after` (or `before`). `href`, `next` and `previous` are
//! absolute URLs on the fake's own base, keeping the request's other query parameters, so a
//! client that follows `next` keeps talking to the fake.

use std::ops::Range;

use serde_json::{json, Value};

use super::route::Query;
use crate::testing::api::Reply;

/// How many items every list of the fake holds.
pub(crate) const LIST_LEN: usize = 7;

/// The default `limit`.
const DEFAULT_LIMIT: usize = 20;
/// The largest `limit` accepted.
const MAX_LIMIT: usize = 50;

/// The part of a list one request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    /// Index of the first item.
    pub(crate) offset: usize,
    /// Page size.
    pub(crate) limit: usize,
}

impl Default for Window {
    fn default() -> Self {
        Self {
            offset: 0,
            limit: DEFAULT_LIMIT,
        }
    }
}

/// `limit` (default 20, 1..=50) from the query.
///
/// # Errors
/// 400 `"Invalid limit"` when it is not an integer in range.
pub(crate) fn limit(query: &Query) -> Result<usize, Reply> {
    match query.get("limit") {
        None => Ok(DEFAULT_LIMIT),
        Some(raw) => raw
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|limit| (1..=MAX_LIMIT).contains(limit))
            .ok_or_else(|| Reply::error(400, "Invalid limit")),
    }
}

/// `limit` and `offset` (default 0) from the query.
///
/// # Errors
/// 400 `"Invalid limit"` / `"Invalid offset"`.
pub(crate) fn window(query: &Query) -> Result<Window, Reply> {
    let limit = limit(query)?;
    let offset = match query.get("offset") {
        None => 0,
        Some(raw) => raw
            .trim()
            .parse::<usize>()
            .map_err(|_| Reply::error(400, "Invalid offset"))?,
    };
    Ok(Window { offset, limit })
}

/// Where a page lives: the fake's base, the request path and its query.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PageAt<'a> {
    /// `http://127.0.0.1:PORT`.
    pub(crate) base: &'a str,
    /// The raw request path, e.g. `/v1/me/tracks`.
    pub(crate) path: &'a str,
    /// The request's query, whose other parameters the links keep.
    pub(crate) query: &'a Query,
}

impl PageAt<'_> {
    /// The URL of this path with the query's parameters except `replaced`, then `extra`.
    pub(crate) fn url(&self, replaced: &[&str], extra: &[(&str, String)]) -> String {
        let mut serializer = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in self.query.without(replaced) {
            serializer.append_pair(name, value);
        }
        for (name, value) in extra {
            serializer.append_pair(name, value);
        }
        let query = serializer.finish();
        let separator = if query.is_empty() { "" } else { "?" };
        format!("{}{}{separator}{query}", self.base, self.path)
    }

    fn offset_url(&self, offset: usize, limit: usize) -> String {
        self.url(
            &["offset", "limit"],
            &[("offset", offset.to_string()), ("limit", limit.to_string())],
        )
    }
}

/// An offset page of the list whose `i`-th item is `item(i)`.
pub(crate) fn offset_page(at: PageAt<'_>, window: Window, item: impl Fn(usize) -> Value) -> Value {
    let Window { offset, limit } = window;
    let end = offset.saturating_add(limit).min(LIST_LEN);
    let items: Vec<Value> = (offset.min(LIST_LEN)..end).map(item).collect();
    let next = (end < LIST_LEN).then(|| at.offset_url(end, limit));
    let previous = (offset > 0).then(|| at.offset_url(offset.saturating_sub(limit), limit));
    json!({
        "href": at.offset_url(offset, limit),
        "items": items,
        "limit": limit,
        "next": next,
        "offset": offset,
        "previous": previous,
        "total": LIST_LEN,
    })
}

/// The first page (default window) of a list embedded in an object, e.g. an album's tracks at
/// `{base}{path}`.
pub(crate) fn embedded_page(base: &str, path: &str, item: impl Fn(usize) -> Value) -> Value {
    let query = Query::default();
    offset_page(
        PageAt {
            base,
            path,
            query: &query,
        },
        Window::default(),
        item,
    )
}

/// A cursor page holding the items `range` of the list.
///
/// `cursor(i)` is the cursor of item `i`; `next` asks for `after=` the last item's cursor (with
/// the same `limit`) and is null on the last page, as is `cursors.after`. `cursors.before` is
/// the first item's cursor when `with_before`. `total` is included when `with_total`.
pub(crate) struct CursorPage<'a> {
    /// Where the page lives.
    pub(crate) at: PageAt<'a>,
    /// Page size asked for.
    pub(crate) limit: usize,
    /// The items on this page (clamped to the list).
    pub(crate) range: Range<usize>,
    /// Whether `cursors` carries `before`.
    pub(crate) with_before: bool,
    /// Whether the page carries `total`.
    pub(crate) with_total: bool,
}

impl CursorPage<'_> {
    /// Renders the page.
    pub(crate) fn render(
        &self,
        cursor: impl Fn(usize) -> String,
        item: impl Fn(usize) -> Value,
    ) -> Value {
        let end = self.range.end.min(LIST_LEN);
        let start = self.range.start.min(end);
        let items: Vec<Value> = (start..end).map(item).collect();
        let after = (end < LIST_LEN && end > start).then(|| cursor(end - 1));
        let next = after.as_ref().map(|after| {
            self.at.url(
                &["after", "before", "limit"],
                &[("after", after.clone()), ("limit", self.limit.to_string())],
            )
        });
        let mut cursors = json!({ "after": after });
        if self.with_before {
            cursors["before"] = json!((end > start).then(|| cursor(start)));
        }
        let mut page = json!({
            "href": self.at.url(&[], &[]),
            "items": items,
            "limit": self.limit,
            "next": next,
            "cursors": cursors,
        });
        if self.with_total {
            page["total"] = json!(LIST_LEN);
        }
        page
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_pages_link_absolute_urls_and_keep_other_parameters() {
        let query = Query::parse("market=SE&limit=3&offset=3");
        let at = PageAt {
            base: "http://127.0.0.1:1",
            path: "/v1/me/tracks",
            query: &query,
        };
        let page = offset_page(at, window(&query).expect("window"), |i| json!(i));
        assert_eq!(page["items"], json!([3, 4, 5]));
        assert_eq!(
            page["next"],
            "http://127.0.0.1:1/v1/me/tracks?market=SE&offset=6&limit=3"
        );
        assert_eq!(
            page["previous"],
            "http://127.0.0.1:1/v1/me/tracks?market=SE&offset=0&limit=3"
        );
        let last = offset_page(
            at,
            Window {
                offset: 6,
                limit: 3,
            },
            |i| json!(i),
        );
        assert_eq!(
            (last["items"].clone(), last["next"].clone()),
            (json!([6]), Value::Null)
        );
        let past = offset_page(
            at,
            Window {
                offset: 70,
                limit: 3,
            },
            |i| json!(i),
        );
        assert_eq!(past["items"], json!([]));
    }

    #[test]
    fn limits_out_of_range_are_400() {
        for bad in ["0", "51", "-1", "x", ""] {
            let query = Query::parse(&format!("limit={bad}"));
            assert!(window(&query).is_err(), "{bad}");
        }
        assert!(window(&Query::parse("offset=-2")).is_err());
        assert_eq!(window(&Query::default()), Ok(Window::default()));
    }
}
