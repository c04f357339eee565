//! Coverage calls of the audiobooks group.

use spotipie::api::{AudiobookId, SpotifyId};

use super::{Clients, ID};

pub async fn call_all(clients: &Clients) {
    let (user, app) = (&clients.user, &clients.app);
    let id = AudiobookId::parse(ID).expect("audiobook id");
    let other = AudiobookId::parse("7iHfbu1YPACw6oZPAFJtqe").expect("audiobook id");

    let book = app
        .get_audiobook(&id, Some("US"))
        .await
        .expect("get_audiobook");
    assert_eq!(book.id, ID);

    let books = app
        .get_audiobooks(&[id.clone(), other.clone()], Some("US"))
        .await
        .expect("get_audiobooks");
    assert_eq!(books.len(), 2);
    assert_eq!(books[1].as_ref().map(|b| b.id.as_str()), Some(other.id()));

    let chapters = app
        .get_audiobook_chapters(&id, Some("US"), Some(3), Some(0))
        .await
        .expect("get_audiobook_chapters");
    assert_eq!(chapters.items.len(), 3);

    let saved = user
        .get_saved_audiobooks(Some(2), None)
        .await
        .expect("get_saved_audiobooks");
    assert_eq!(saved.items.len(), 2);

    user.save_audiobooks(std::slice::from_ref(&id))
        .await
        .expect("save_audiobooks");
    user.remove_saved_audiobooks(std::slice::from_ref(&other))
        .await
        .expect("remove_saved_audiobooks");
    let saved = user
        .check_saved_audiobooks(&[id, other])
        .await
        .expect("check_saved_audiobooks");
    assert_eq!(saved.len(), 2);
}
