//! Coverage calls of the genres group.

use super::Clients;

pub async fn call_all(clients: &Clients) {
    let genres = clients
        .app
        .get_recommendation_genres()
        .await
        .expect("get_recommendation_genres");
    assert!(!genres.is_empty());
}
