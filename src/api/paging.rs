//! Spotify's paging objects and the stream that walks them.
//!
//! Lists come back one page at a time: offset pages ([`Page`]: `offset`, `total`, `next`) and
//! cursor pages ([`CursorPage`]: `cursors.after`/`before`, `next`). Both carry `next` as a full
//! URL, so walking either kind is the same loop: yield the items, follow `next` until it is null
//! or the caller's [`PageLimit`] is reached. Some endpoints wrap their page in an object
//! (`{"artists": {...}}` for followed artists); those wrappers implement [`Paged`] too, so the
//! next page, which comes wrapped the same way, parses with the same type.

use serde::{Deserialize, Serialize};

/// An offset-based page of `T` (`Paging<T>` in Spotify's reference).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The request that produced this page.
    #[serde(default)]
    pub href: String,
    /// This page's items. Spotify sends `null` for an item it cannot show in some lists
    /// (search results, playlists), so lists that allow it use `Page<Option<T>>`.
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
    /// The page size asked for.
    #[serde(default)]
    pub limit: u32,
    /// The next page's URL, `None` on the last page.
    #[serde(default)]
    pub next: Option<String>,
    /// Index of this page's first item in the whole list.
    #[serde(default)]
    pub offset: u32,
    /// The previous page's URL, `None` on the first page.
    #[serde(default)]
    pub previous: Option<String>,
    /// Items in the whole list.
    #[serde(default)]
    pub total: u32,
}

/// A cursor-based page of `T` (`CursorPaging<T>`): recently played tracks, followed artists.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CursorPage<T> {
    /// The request that produced this page.
    #[serde(default)]
    pub href: String,
    /// This page's items.
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
    /// The page size asked for.
    #[serde(default)]
    pub limit: u32,
    /// The next page's URL, `None` on the last page.
    #[serde(default)]
    pub next: Option<String>,
    /// Where the page starts and ends, for building the next request by hand.
    #[serde(default)]
    pub cursors: Option<Cursors>,
    /// Items in the whole list, when Spotify says.
    #[serde(default)]
    pub total: Option<u32>,
}

/// The cursors of a [`CursorPage`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursors {
    /// The cursor to ask for items after this page.
    #[serde(default)]
    pub after: Option<String>,
    /// The cursor to ask for items before this page.
    #[serde(default)]
    pub before: Option<String>,
}

/// A response that holds one page of items and the link to the next one.
pub trait Paged: serde::de::DeserializeOwned + Send + 'static {
    /// The item type.
    type Item: Send + 'static;

    /// Splits the page into its items and the next page's URL.
    fn into_parts(self) -> (Vec<Self::Item>, Option<String>);
}

impl<T: serde::de::DeserializeOwned + Send + 'static> Paged for Page<T> {
    type Item = T;

    fn into_parts(self) -> (Vec<T>, Option<String>) {
        (self.items, self.next)
    }
}

impl<T: serde::de::DeserializeOwned + Send + 'static> Paged for CursorPage<T> {
    type Item = T;

    fn into_parts(self) -> (Vec<T>, Option<String>) {
        (self.items, self.next)
    }
}

/// How far a paging stream goes: it ends at the last page or at the first limit reached,
/// whichever comes first. The default has no limit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PageLimit {
    /// Stop after this many items.
    pub max_items: Option<usize>,
    /// Stop after this many pages (the first page counts).
    pub max_pages: Option<usize>,
}

impl PageLimit {
    /// No limit: the whole list.
    pub fn all() -> Self {
        Self::default()
    }

    /// At most `n` items.
    pub fn items(n: usize) -> Self {
        Self {
            max_items: Some(n),
            max_pages: None,
        }
    }

    /// At most `n` pages.
    pub fn pages(n: usize) -> Self {
        Self {
            max_items: None,
            max_pages: Some(n),
        }
    }
}
