//! Typed Spotify ids, parsed from an id, a URI or an open.spotify.com URL.
//!
//! Each resource has its own id type, so a track id cannot be passed where an album id is
//! expected. Every type parses the three forms users paste: the bare id (`6rqhFgbbKwnb9MLmUQDhG6`),
//! the URI (`spotify:track:6rqhFgbbKwnb9MLmUQDhG6`) and the URL
//! (`https://open.spotify.com/track/6rqhFgbbKwnb9MLmUQDhG6`, with `/intl-xx/` and `?si=` tolerated).
//! [`PlaylistId`] also reads the legacy `spotify:user:OWNER:playlist:ID`. A URI or URL of another
//! kind is [`IdError::WrongType`]; anything malformed is [`IdError::Malformed`].
//!
//! Resource ids are 22 base62 characters. User ids are usernames and category ids plain strings,
//! so [`UserId`] only refuses what cannot be a path segment.

use std::fmt;
use std::sync::Arc;

use url::Url;

/// The kinds of resources that have Spotify URIs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ItemType {
    /// `track`
    Track,
    /// `album`
    Album,
    /// `artist`
    Artist,
    /// `playlist`
    Playlist,
    /// `show`
    Show,
    /// `episode`
    Episode,
    /// `audiobook`
    Audiobook,
    /// `chapter`
    Chapter,
    /// `user`
    User,
}

impl ItemType {
    /// The name in URIs and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Track => "track",
            Self::Album => "album",
            Self::Artist => "artist",
            Self::Playlist => "playlist",
            Self::Show => "show",
            Self::Episode => "episode",
            Self::Audiobook => "audiobook",
            Self::Chapter => "chapter",
            Self::User => "user",
        }
    }

    /// The type a URI or URL names.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "track" => Self::Track,
            "album" => Self::Album,
            "artist" => Self::Artist,
            "playlist" => Self::Playlist,
            "show" => Self::Show,
            "episode" => Self::Episode,
            "audiobook" => Self::Audiobook,
            "chapter" => Self::Chapter,
            "user" => Self::User,
            _ => return None,
        })
    }
}

impl fmt::Display for ItemType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an id, URI or URL was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// A URI or URL of another kind of resource.
    #[error("expected a {expected} id, URI or URL, got a {found}")]
    WrongType {
        /// The type wanted.
        expected: ItemType,
        /// The type given (as written, when it is not a known type).
        found: String,
    },
    /// Not an id, a URI or an open.spotify.com URL.
    #[error("{input:?} is not a valid {expected} id, URI or URL: {reason}")]
    Malformed {
        /// The input (cut to 100 characters).
        input: String,
        /// The type wanted.
        expected: ItemType,
        /// What is wrong.
        reason: &'static str,
    },
    /// Not a URI or URL of any known kind (for [`SpotifyUri`], which needs the type).
    #[error("{input:?} is not a Spotify URI or URL: {reason}")]
    Untyped {
        /// The input (cut to 100 characters).
        input: String,
        /// What is wrong.
        reason: &'static str,
    },
}

/// What the typed ids have in common.
pub trait SpotifyId: Sized {
    /// The resource type.
    const TYPE: ItemType;

    /// Parses an id, a URI or a URL of this type.
    fn parse(input: &str) -> Result<Self, IdError>;

    /// The bare id.
    fn id(&self) -> &str;

    /// `spotify:{type}:{id}`.
    fn uri(&self) -> String {
        format!("spotify:{}:{}", Self::TYPE, self.id())
    }

    /// `https://open.spotify.com/{type}/{id}`.
    fn url(&self) -> String {
        format!("https://open.spotify.com/{}/{}", Self::TYPE, self.id())
    }
}

fn malformed(input: &str, expected: ItemType, reason: &'static str) -> IdError {
    IdError::Malformed {
        input: input.chars().take(100).collect(),
        expected,
        reason,
    }
}

/// A resource id: exactly 22 base62 characters (also what FakeSpotify checks).
pub(crate) fn is_base62_id(id: &str) -> bool {
    id.len() == 22 && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn is_plain_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 256
        && !id
            .chars()
            .any(|c| c.is_control() || matches!(c, '/' | '?' | '#' | ':' | ' '))
}

/// Splits any accepted form into (type as written, id); `None` for a bare id.
fn split(input: &str) -> Result<(Option<String>, String), &'static str> {
    let input = input.trim();
    if let Some(rest) = input.strip_prefix("spotify:") {
        let parts: Vec<&str> = rest.split(':').collect();
        return match parts.as_slice() {
            [kind, id] => Ok((Some((*kind).to_owned()), (*id).to_owned())),
            // The legacy playlist URI `spotify:user:OWNER:playlist:ID`.
            ["user", _owner, "playlist", id] => Ok((Some("playlist".to_owned()), (*id).to_owned())),
            _ => Err("a URI is spotify:{type}:{id}"),
        };
    }
    if input.starts_with("http://") || input.starts_with("https://") {
        let url = Url::parse(input).map_err(|_| "not a valid URL")?;
        if url.host_str() != Some("open.spotify.com") {
            return Err("not an open.spotify.com URL");
        }
        let mut segments: Vec<&str> = url
            .path_segments()
            .map(|s| s.filter(|s| !s.is_empty()).collect())
            .unwrap_or_default();
        // Localised shared links: /intl-de/track/ID.
        if segments.first().is_some_and(|s| s.starts_with("intl-")) {
            segments.remove(0);
        }
        return match segments.as_slice() {
            [kind, id] => Ok((Some((*kind).to_owned()), (*id).to_owned())),
            ["user", _owner, "playlist", id] => Ok((Some("playlist".to_owned()), (*id).to_owned())),
            _ => Err("a URL is open.spotify.com/{type}/{id}"),
        };
    }
    Ok((None, input.to_owned()))
}

fn parse_id(input: &str, expected: ItemType, valid: fn(&str) -> bool) -> Result<Arc<str>, IdError> {
    let (kind, id) = split(input).map_err(|reason| malformed(input.trim(), expected, reason))?;
    if let Some(kind) = kind {
        if ItemType::parse(&kind) != Some(expected) {
            return Err(IdError::WrongType {
                expected,
                found: kind.chars().take(32).collect(),
            });
        }
    }
    if !valid(&id) {
        return Err(malformed(
            input,
            expected,
            if expected == ItemType::User {
                "a user id is a non-empty name without '/', '?', '#', ':' or spaces"
            } else {
                "an id is 22 base62 characters"
            },
        ));
    }
    Ok(Arc::from(id))
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $kind:expr, $valid:expr) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Arc<str>);

        impl SpotifyId for $name {
            const TYPE: ItemType = $kind;

            fn parse(input: &str) -> Result<Self, IdError> {
                parse_id(input, $kind, $valid).map(Self)
            }

            fn id(&self) -> &str {
                &self.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;

            fn from_str(input: &str) -> Result<Self, IdError> {
                <Self as SpotifyId>::parse(input)
            }
        }

        impl fmt::Display for $name {
            /// The bare id.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), &self.0)
            }
        }
    };
}

id_type!(
    /// A track id.
    TrackId, ItemType::Track, is_base62_id
);
id_type!(
    /// An album id.
    AlbumId, ItemType::Album, is_base62_id
);
id_type!(
    /// An artist id.
    ArtistId, ItemType::Artist, is_base62_id
);
id_type!(
    /// A playlist id (also from the legacy `spotify:user:OWNER:playlist:ID`).
    PlaylistId, ItemType::Playlist, is_base62_id
);
id_type!(
    /// A show (podcast) id.
    ShowId, ItemType::Show, is_base62_id
);
id_type!(
    /// An episode id.
    EpisodeId, ItemType::Episode, is_base62_id
);
id_type!(
    /// An audiobook id.
    AudiobookId, ItemType::Audiobook, is_base62_id
);
id_type!(
    /// An audiobook chapter id.
    ChapterId, ItemType::Chapter, is_base62_id
);
id_type!(
    /// A user id: a username, not base62.
    UserId, ItemType::User, is_plain_id
);

/// A URI of any kind of resource, for the calls that take several kinds at once
/// (`/me/library`, playback `uris`, the queue, playlist items).
///
/// It parses URIs and open.spotify.com URLs; a bare id is refused, since it does not say what it
/// names. Any typed id converts into one.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SpotifyUri {
    kind: ItemType,
    id: Arc<str>,
}

impl SpotifyUri {
    /// Parses `spotify:{type}:{id}` or `https://open.spotify.com/{type}/{id}`.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let untyped = |reason| IdError::Untyped {
            input: input.trim().chars().take(100).collect(),
            reason,
        };
        let (kind, id) = split(input).map_err(untyped)?;
        let kind =
            kind.ok_or_else(|| untyped("a bare id does not say its type; pass a URI or URL"))?;
        let kind = ItemType::parse(&kind).ok_or_else(|| untyped("unknown resource type"))?;
        let valid = if kind == ItemType::User {
            is_plain_id
        } else {
            is_base62_id
        };
        if !valid(&id) {
            return Err(malformed(
                input.trim(),
                kind,
                "an id is 22 base62 characters",
            ));
        }
        Ok(Self {
            kind,
            id: Arc::from(id),
        })
    }

    /// The resource type.
    pub fn kind(&self) -> ItemType {
        self.kind
    }

    /// The bare id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// `spotify:{type}:{id}`.
    pub fn uri(&self) -> String {
        format!("spotify:{}:{}", self.kind, self.id)
    }
}

impl<T: SpotifyId> From<&T> for SpotifyUri {
    fn from(id: &T) -> Self {
        Self {
            kind: T::TYPE,
            id: Arc::from(id.id()),
        }
    }
}

impl std::str::FromStr for SpotifyUri {
    type Err = IdError;

    fn from_str(input: &str) -> Result<Self, IdError> {
        Self::parse(input)
    }
}

impl fmt::Display for SpotifyUri {
    /// The URI.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "spotify:{}:{}", self.kind, self.id)
    }
}

impl fmt::Debug for SpotifyUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SpotifyUri(spotify:{}:{})", self.kind, self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "6rqhFgbbKwnb9MLmUQDhG6";

    #[test]
    fn every_form_parses_to_the_same_id() {
        for input in [
            ID.to_owned(),
            format!("spotify:track:{ID}"),
            format!("https://open.spotify.com/track/{ID}"),
            format!("https://open.spotify.com/intl-de/track/{ID}?si=abc123"),
            format!("  https://open.spotify.com/track/{ID}/  "),
        ] {
            let id = TrackId::parse(&input).expect(&input);
            assert_eq!(id.id(), ID);
        }
        let legacy =
            PlaylistId::parse(&format!("spotify:user:someone:playlist:{ID}")).expect("legacy");
        assert_eq!(legacy.uri(), format!("spotify:playlist:{ID}"));
        let id: AlbumId = ID.parse().expect("FromStr");
        assert_eq!(id.url(), format!("https://open.spotify.com/album/{ID}"));
        assert_eq!(
            UserId::parse("spotify:user:wizzler").expect("user").id(),
            "wizzler"
        );
    }

    #[test]
    fn wrong_kinds_and_malformed_input_are_typed_errors() {
        assert_eq!(
            TrackId::parse(&format!("spotify:album:{ID}")),
            Err(IdError::WrongType {
                expected: ItemType::Track,
                found: "album".into()
            })
        );
        assert!(matches!(
            ArtistId::parse(&format!("https://open.spotify.com/show/{ID}")),
            Err(IdError::WrongType { .. })
        ));
        for bad in [
            "",
            "short",
            "6rqhFgbbKwnb9MLmUQDhG!",
            "6rqhFgbbKwnb9MLmUQDhG6x",
            "spotify:track",
            "spotify:track:a:b",
            "https://example.com/track/6rqhFgbbKwnb9MLmUQDhG6",
            "https://open.spotify.com/track",
            "https://open.spotify.com/",
            "http://[::1",
        ] {
            assert!(
                matches!(TrackId::parse(bad), Err(IdError::Malformed { .. })),
                "{bad:?}"
            );
        }
        assert!(UserId::parse("a/b").is_err() && UserId::parse("").is_err());
    }
}
