//! Coverage calls of the library group.

use spotipie::api::{
    AlbumId, ArtistId, ChapterId, PlaylistId, SpotifyId, SpotifyUri, TrackId, UserId, WebApiError,
};

use super::{Clients, ID};

pub async fn call_all(clients: &Clients) {
    let user = &clients.user;
    let mixed = [
        SpotifyUri::from(&TrackId::parse(ID).expect("track id")),
        SpotifyUri::from(&AlbumId::parse("5ht7ItJgpBH7W6vJ5BqpPr").expect("album id")),
        SpotifyUri::from(&ArtistId::parse("0TnOYISbd1XYRBk9myaseg").expect("artist id")),
        SpotifyUri::from(&UserId::parse("wizzler").expect("user id")),
        SpotifyUri::from(&PlaylistId::parse("37i9dQZF1DXcBWIGoYBM5M").expect("playlist id")),
    ];

    user.save_to_library(&mixed).await.expect("save_to_library");
    user.remove_from_library(&mixed[1..3])
        .await
        .expect("remove_from_library");
    let saved = user.check_library(&mixed).await.expect("check_library");
    assert_eq!(saved.len(), mixed.len());

    // Refused before sending: 41 URIs, none, a chapter.
    let invalid = |result: Result<(), WebApiError>| {
        assert!(
            matches!(result, Err(WebApiError::InvalidArgument(_))),
            "{result:?}"
        );
    };
    invalid(user.save_to_library(&vec![mixed[0].clone(); 41]).await);
    invalid(user.remove_from_library(&[]).await);
    let chapter =
        SpotifyUri::from(&ChapterId::parse("0D5wENdkdwbqlrHoaJ9g29").expect("chapter id"));
    invalid(user.save_to_library(&[chapter]).await);
}
