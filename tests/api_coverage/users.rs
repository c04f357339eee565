//! Coverage calls of the users group.

use futures::TryStreamExt as _;
use spotipie::api::endpoints::TimeRange;
use spotipie::api::{ArtistId, PageLimit, PlaylistId, SpotifyId, UserId, WebApiError};
use spotipie::testing::FAKE_USER_ID;

use super::{Clients, ID};

pub async fn call_all(clients: &Clients) {
    let user = &clients.user;
    let artist = ArtistId::parse(ID).expect("artist id");
    let other_artist = ArtistId::parse("0TnOYISbd1XYRBk9myaseg").expect("artist id");
    let playlist = PlaylistId::parse("37i9dQZF1DXcBWIGoYBM5M").expect("playlist id");
    let me = UserId::parse(FAKE_USER_ID).expect("user id");
    let friend = UserId::parse("wizzler").expect("user id");

    let profile = user.get_current_user().await.expect("get_current_user");
    assert_eq!(profile.id, FAKE_USER_ID);
    let artists = user
        .get_top_artists(Some(TimeRange::ShortTerm), Some(3), None)
        .await
        .expect("get_top_artists");
    assert_eq!(artists.items.len(), 3);
    let tracks = user
        .get_top_tracks(None, Some(2), Some(1))
        .await
        .expect("get_top_tracks");
    assert_eq!(tracks.items.len(), 2);
    let public = user.get_user(&friend).await.expect("get_user");
    assert_eq!(public.id, "wizzler");

    user.follow_playlist(&playlist, Some(false))
        .await
        .expect("follow_playlist");
    user.unfollow_playlist(&playlist)
        .await
        .expect("unfollow_playlist");
    let followed = user
        .get_followed_artists(None, Some(2))
        .await
        .expect("get_followed_artists");
    assert_eq!(followed.artists.items.len(), 2);
    let after = followed
        .artists
        .items
        .last()
        .map(|artist| artist.id.clone());
    let after = ArtistId::parse(&after.expect("a followed artist")).expect("artist id");
    let more = user
        .get_followed_artists(Some(&after), Some(2))
        .await
        .expect("get_followed_artists (after)");
    assert!(more
        .artists
        .items
        .iter()
        .all(|artist| artist.id != after.to_string()));
    let all: Vec<_> = user
        .stream(followed, PageLimit::items(5))
        .try_collect()
        .await
        .expect("stream of followed artists");
    assert_eq!(all.len(), 5);

    user.follow_artists(&[artist.clone(), other_artist.clone()])
        .await
        .expect("follow_artists");
    user.follow_users(std::slice::from_ref(&friend))
        .await
        .expect("follow_users");
    user.unfollow_artists(std::slice::from_ref(&other_artist))
        .await
        .expect("unfollow_artists");
    user.unfollow_users(std::slice::from_ref(&friend))
        .await
        .expect("unfollow_users");
    let follows = user
        .check_following_artists(&[artist.clone(), other_artist.clone()])
        .await
        .expect("check_following_artists");
    assert_eq!(follows.len(), 2);
    let follows = user
        .check_following_users(&[friend.clone(), me.clone()])
        .await
        .expect("check_following_users");
    assert_eq!(follows.len(), 2);
    user.check_following_playlist(&playlist, None)
        .await
        .expect("check_following_playlist");
    user.check_following_playlist(&playlist, Some(&me))
        .await
        .expect("check_following_playlist (user)");

    // Refused before sending.
    let error = user
        .follow_artists(&vec![artist.clone(); 51])
        .await
        .expect_err("51 artists");
    assert!(
        matches!(error, WebApiError::InvalidArgument(_)),
        "{error:?}"
    );
    let error = user
        .get_top_tracks(None, Some(51), None)
        .await
        .expect_err("limit 51");
    assert!(
        matches!(error, WebApiError::InvalidArgument(_)),
        "{error:?}"
    );
}
