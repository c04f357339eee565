//! Coverage calls of the search group, and the arguments search refuses before sending.

use spotipie::api::endpoints::SearchType;
use spotipie::api::WebApiError;

use super::Clients;

pub async fn call_all(clients: &Clients) {
    let app = &clients.app;

    let results = app
        .search(
            "artist:Miles Davis",
            &[SearchType::Track, SearchType::Album],
            Some("DE"),
            Some(3),
            Some(0),
            true,
        )
        .await
        .expect("search");
    assert_eq!(
        results.tracks.as_ref().map(|page| page.items.len()),
        Some(3)
    );
    assert_eq!(
        results.albums.as_ref().map(|page| page.items.len()),
        Some(3)
    );
    assert!(results.artists.is_none());

    for (query, types, limit, offset) in [
        ("", &[SearchType::Track][..], None, None),
        ("  ", &[SearchType::Track][..], None, None),
        ("jazz", &[][..], None, None),
        ("jazz", &[SearchType::Show][..], Some(11), None),
        ("jazz", &[SearchType::Show][..], None, Some(1001)),
    ] {
        let error = app
            .search(query, types, None, limit, offset, false)
            .await
            .expect_err("refused search");
        assert!(
            matches!(error, WebApiError::InvalidArgument(_)),
            "{error:?}"
        );
    }
}
