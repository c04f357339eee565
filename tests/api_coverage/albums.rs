//! Coverage calls of the albums group.

use spotipie::api::{AlbumId, SpotifyId, WebApiError};

use super::{Clients, ID};

pub async fn call_all(clients: &Clients) {
    let (user, app) = (&clients.user, &clients.app);
    let id = AlbumId::parse(ID).expect("album id");
    let other = AlbumId::parse("1DFixLWuPkv3KT3TnV35m3").expect("album id");

    let album = app.get_album(&id, Some("DE")).await.expect("get_album");
    assert_eq!(album.id, ID);

    let albums = app
        .get_albums(&[id.clone(), other.clone()], None)
        .await
        .expect("get_albums");
    assert_eq!(albums.len(), 2);
    assert_eq!(albums[1].as_ref().map(|a| a.id.as_str()), Some(other.id()));

    let tracks = app
        .get_album_tracks(&id, None, Some(5), Some(0))
        .await
        .expect("get_album_tracks");
    assert!(!tracks.items.is_empty() && tracks.items.len() <= 5);

    let saved = user
        .get_saved_albums(Some(3), None, None)
        .await
        .expect("get_saved_albums");
    assert_eq!(saved.items.len(), 3);

    user.save_albums(&[id.clone(), other.clone()])
        .await
        .expect("save_albums");
    user.remove_saved_albums(std::slice::from_ref(&other))
        .await
        .expect("remove_saved_albums");
    let saved = user
        .check_saved_albums(&[id.clone(), other.clone()])
        .await
        .expect("check_saved_albums");
    assert_eq!(saved.len(), 2);

    let releases = app
        .get_new_releases(Some(2), None)
        .await
        .expect("get_new_releases");
    assert_eq!(releases.albums.items.len(), 2);

    // Limits are checked before sending: 21 albums, or a page of 51.
    let many = vec![id.clone(); 21];
    let error = app.get_albums(&many, None).await.expect_err("21 ids");
    assert!(
        matches!(error, WebApiError::InvalidArgument(_)),
        "{error:?}"
    );
    let error = app
        .get_album_tracks(&id, None, Some(51), None)
        .await
        .expect_err("limit 51");
    assert!(
        matches!(error, WebApiError::InvalidArgument(_)),
        "{error:?}"
    );
}
