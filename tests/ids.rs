//! Typed ids from ids, URIs and URLs, on arbitrary input.

use proptest::prelude::*;
use spotipie::api::{
    AlbumId, IdError, ItemType, PlaylistId, SpotifyId, SpotifyUri, TrackId, UserId,
};

fn base62_id() -> impl Strategy<Value = String> {
    "[0-9A-Za-z]{22}"
}

proptest! {
    #[test]
    fn id_uri_and_url_round_trip(id in base62_id(), intl in proptest::option::of("[a-z]{2}"), si in proptest::option::of("[0-9a-f]{8,16}")) {
        let track = TrackId::parse(&id).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(track.id(), id.as_str());
        prop_assert_eq!(TrackId::parse(&track.uri()), Ok(track.clone()));
        let mut url = match &intl {
            Some(lang) => format!("https://open.spotify.com/intl-{lang}/track/{id}"),
            None => track.url(),
        };
        if let Some(si) = &si {
            url.push_str(&format!("?si={si}"));
        }
        prop_assert_eq!(TrackId::parse(&url), Ok(track));
        let legacy = format!("spotify:user:someone:playlist:{id}");
        prop_assert_eq!(PlaylistId::parse(&legacy).map(|p| p.id().to_owned()), Ok(id));
    }

    #[test]
    fn another_kind_is_a_wrong_type(id in base62_id()) {
        let is_wrong_type = matches!(AlbumId::parse(&format!("spotify:track:{id}")), Err(IdError::WrongType { .. }));
        prop_assert!(is_wrong_type);
    }

    #[test]
    fn any_kind_of_uri_keeps_its_kind(id in base62_id(), kind in prop::sample::select(vec!["track", "album", "artist", "playlist", "show", "episode", "audiobook", "chapter"])) {
        let uri = SpotifyUri::parse(&format!("spotify:{kind}:{id}")).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(uri.kind().as_str(), kind);
        prop_assert_eq!(uri.id(), id.as_str());
        let from_url = SpotifyUri::parse(&format!("https://open.spotify.com/intl-fr/{kind}/{id}?si=0"));
        prop_assert_eq!(from_url, Ok(uri.clone()));
        prop_assert_eq!(SpotifyUri::parse(&uri.uri()), Ok(uri));
    }

    #[test]
    fn arbitrary_input_never_panics(input in ".{0,300}") {
        let _ = SpotifyUri::parse(&input);
        let _ = TrackId::parse(&input);
        let _ = PlaylistId::parse(&input);
        let _ = UserId::parse(&input);
    }

    #[test]
    fn ids_of_the_wrong_length_or_alphabet_are_refused(id in "[0-9A-Za-z]{0,21}|[0-9A-Za-z]{23,40}|[0-9A-Za-z]{10}[^0-9A-Za-z][0-9A-Za-z]{11}") {
        let is_malformed = matches!(TrackId::parse(&id), Err(IdError::Malformed { .. }));
        prop_assert!(is_malformed, "{id:?}");
    }
}

#[test]
fn a_uri_of_any_kind_needs_its_type_and_a_valid_id() {
    let track = TrackId::parse("6rqhFgbbKwnb9MLmUQDhG6").expect("valid");
    let uri = SpotifyUri::from(&track);
    assert_eq!(uri.kind(), ItemType::Track);
    assert_eq!(uri.to_string(), "spotify:track:6rqhFgbbKwnb9MLmUQDhG6");
    assert!(matches!(
        SpotifyUri::parse("6rqhFgbbKwnb9MLmUQDhG6"),
        Err(IdError::Untyped { .. })
    ));
    assert!(matches!(
        SpotifyUri::parse("spotify:podcast:6rqhFgbbKwnb9MLmUQDhG6"),
        Err(IdError::Untyped { .. })
    ));
    assert!(matches!(
        SpotifyUri::parse("spotify:track:short"),
        Err(IdError::Malformed { .. })
    ));
    assert!(matches!(
        SpotifyUri::parse("https://example.com/track/6rqhFgbbKwnb9MLmUQDhG6"),
        Err(IdError::Untyped { .. })
    ));
}
