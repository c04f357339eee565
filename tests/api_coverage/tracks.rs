//! Coverage calls of the tracks group.

use spotipie::api::endpoints::RecommendationsRequest;
use spotipie::api::{ArtistId, SpotifyId, TrackId};

use super::{Clients, ID};

pub async fn call_all(clients: &Clients) {
    let (user, app) = (&clients.user, &clients.app);
    let id = TrackId::parse(ID).expect("track id");
    let other = TrackId::parse("11dFghVXANMlKmJXsNCbNl").expect("track id");

    let track = app.get_track(&id, Some("DE")).await.expect("get_track");
    assert_eq!(track.id.as_deref(), Some(ID));

    let tracks = app
        .get_tracks(&[id.clone(), other.clone()], None)
        .await
        .expect("get_tracks");
    assert_eq!(tracks.len(), 2);
    let second = tracks[1].as_ref().and_then(|t| t.id.as_deref());
    assert_eq!(second, Some(other.id()));

    let saved = user
        .get_saved_tracks(None, Some(3), Some(3))
        .await
        .expect("get_saved_tracks");
    assert_eq!((saved.items.len(), saved.offset, saved.total), (3, 3, 7));

    user.save_tracks(std::slice::from_ref(&id))
        .await
        .expect("save_tracks");
    user.remove_saved_tracks(std::slice::from_ref(&id))
        .await
        .expect("remove_saved_tracks");
    let contains = user
        .check_saved_tracks(&[id.clone(), other.clone()])
        .await
        .expect("check_saved_tracks");
    assert_eq!(contains.len(), 2);

    let features = app
        .get_tracks_audio_features(&[id.clone(), other.clone()])
        .await
        .expect("get_tracks_audio_features");
    assert_eq!(features.len(), 2);
    let one = app
        .get_audio_features(&id)
        .await
        .expect("get_audio_features");
    assert!((0.0..=1.0).contains(&one.danceability));
    let analysis = app
        .get_audio_analysis(&id)
        .await
        .expect("get_audio_analysis");
    assert!(!analysis.beats.is_empty());

    let request = RecommendationsRequest {
        seed_artists: vec![ArtistId::parse("0OdUWJ0sBjDrqHygGUXeCF").expect("artist id")],
        seed_tracks: vec![id.clone()],
        attributes: vec![
            ("target_energy".to_owned(), 0.8),
            ("min_tempo".to_owned(), 100.0),
        ],
        limit: Some(5),
        ..RecommendationsRequest::default()
    };
    let recommendations = app
        .get_recommendations(&request)
        .await
        .expect("get_recommendations");
    assert!(!recommendations.tracks.is_empty());
    assert!(!recommendations.seeds.is_empty());
}
