//! Coverage calls of the artists group.

use spotipie::api::endpoints::AlbumGroup;
use spotipie::api::{ArtistId, SpotifyId, WebApiError};

use super::{Clients, ID};

pub async fn call_all(clients: &Clients) {
    let app = &clients.app;
    let id = ArtistId::parse(ID).expect("artist id");
    let other = ArtistId::parse("0TnOYISbd1XYRBk9myaseg").expect("artist id");

    let artist = app.get_artist(&id).await.expect("get_artist");
    assert_eq!(artist.id, ID);

    let artists = app
        .get_artists(&[id.clone(), other.clone()])
        .await
        .expect("get_artists");
    assert_eq!(artists.len(), 2);
    assert_eq!(artists[1].as_ref().map(|a| a.id.as_str()), Some(other.id()));

    let albums = app
        .get_artist_albums(
            &id,
            &[AlbumGroup::Album, AlbumGroup::AppearsOn],
            Some("DE"),
            Some(4),
            Some(0),
        )
        .await
        .expect("get_artist_albums");
    assert_eq!(albums.items.len(), 4);
    let error = app
        .get_artist_albums(&id, &[], None, Some(11), None)
        .await
        .expect_err("artist albums limit 11");
    assert!(
        matches!(error, WebApiError::InvalidArgument(_)),
        "{error:?}"
    );

    let top = app
        .get_artist_top_tracks(&id, Some("DE"))
        .await
        .expect("get_artist_top_tracks");
    assert!(!top.is_empty());

    let related = app
        .get_related_artists(&id)
        .await
        .expect("get_related_artists");
    assert!(!related.is_empty());
}
