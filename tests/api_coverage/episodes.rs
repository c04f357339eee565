//! Coverage calls of the episodes group.

use spotipie::api::{EpisodeId, SpotifyId};

use super::{Clients, ID};

pub async fn call_all(clients: &Clients) {
    let user = &clients.user;
    let id = EpisodeId::parse(ID).expect("episode id");
    let other = EpisodeId::parse("512ojhOuo1ktJprKbVcKyQ").expect("episode id");

    let episode = user
        .get_episode(&id, Some("DE"))
        .await
        .expect("get_episode");
    assert_eq!(episode.id, ID);

    let episodes = user
        .get_episodes(&[id.clone(), other.clone()], None)
        .await
        .expect("get_episodes");
    assert_eq!(episodes.len(), 2);
    assert_eq!(
        episodes[1].as_ref().map(|e| e.id.as_str()),
        Some(other.id())
    );

    let saved = user
        .get_saved_episodes(None, Some(2), None)
        .await
        .expect("get_saved_episodes");
    assert_eq!(saved.items.len(), 2);

    user.save_episodes(&[id.clone(), other.clone()])
        .await
        .expect("save_episodes");
    user.remove_saved_episodes(std::slice::from_ref(&other))
        .await
        .expect("remove_saved_episodes");
    let saved = user
        .check_saved_episodes(&[id, other])
        .await
        .expect("check_saved_episodes");
    assert_eq!(saved.len(), 2);
}
