//! Coverage calls of the shows group.

use spotipie::api::{ShowId, SpotifyId};

use super::{Clients, ID};

pub async fn call_all(clients: &Clients) {
    let (user, app) = (&clients.user, &clients.app);
    let id = ShowId::parse(ID).expect("show id");
    let other = ShowId::parse("5CfCWKI5pZ28U0uOzXkDHe").expect("show id");

    let show = user.get_show(&id, Some("DE")).await.expect("get_show");
    assert_eq!(show.id, ID);

    let shows = app
        .get_shows(&[id.clone(), other.clone()], Some("DE"))
        .await
        .expect("get_shows");
    assert_eq!(shows.len(), 2);
    assert_eq!(shows[1].as_ref().map(|s| s.id.as_str()), Some(other.id()));

    let episodes = user
        .get_show_episodes(&id, None, Some(3), Some(0))
        .await
        .expect("get_show_episodes");
    assert_eq!(episodes.items.len(), 3);

    let saved = user
        .get_saved_shows(Some(2), None)
        .await
        .expect("get_saved_shows");
    assert_eq!(saved.items.len(), 2);

    user.save_shows(&[id.clone(), other.clone()])
        .await
        .expect("save_shows");
    user.remove_saved_shows(std::slice::from_ref(&other), Some("DE"))
        .await
        .expect("remove_saved_shows");
    let saved = user
        .check_saved_shows(&[id, other])
        .await
        .expect("check_saved_shows");
    assert_eq!(saved.len(), 2);
}
