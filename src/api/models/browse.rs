//! The browse endpoints' wrappers: [`Category`], [`Categories`] and [`NewReleases`].
//!
//! All of them are blocked for Development Mode apps since 2026-02 (Extended Quota apps keep
//! them). The list answers come wrapped (`{"albums": {...}}`, `{"categories": {...}}`) and their
//! next pages come wrapped the same way, so the wrappers implement [`Paged`] and a paging stream
//! parses every page into them.

use serde::{Deserialize, Serialize};

use super::albums::SimplifiedAlbum;
use super::common::{null_default, Image};
use crate::api::paging::{Page, Paged};

/// A browse category (`GET /browse/categories/{id}`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    /// The category's Web API URL.
    #[serde(default, deserialize_with = "null_default")]
    pub href: String,
    /// The category's icons.
    #[serde(default, deserialize_with = "null_default")]
    pub icons: Vec<Image>,
    /// The category's id: a plain string such as `"dinner"`, not a base62 id.
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    /// The category's name, localized by the request's `locale`.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
}

/// The answer of `GET /browse/categories`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Categories {
    /// The page of categories.
    pub categories: Page<Category>,
}

impl Paged for Categories {
    type Item = Category;

    fn into_parts(self) -> (Vec<Category>, Option<String>) {
        self.categories.into_parts()
    }
}

/// The answer of `GET /browse/new-releases`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewReleases {
    /// The page of new albums.
    pub albums: Page<SimplifiedAlbum>,
}

impl Paged for NewReleases {
    type Item = SimplifiedAlbum;

    fn into_parts(self) -> (Vec<SimplifiedAlbum>, Option<String>) {
        self.albums.into_parts()
    }
}
