//! Coverage calls of the chapters group.

use spotipie::api::{ChapterId, SpotifyId};

use super::{Clients, ID};

pub async fn call_all(clients: &Clients) {
    let app = &clients.app;
    let id = ChapterId::parse(ID).expect("chapter id");
    let other = ChapterId::parse("0D5wENdkdwbqlrHoaJ9g29").expect("chapter id");

    let chapter = app.get_chapter(&id, Some("US")).await.expect("get_chapter");
    assert_eq!(chapter.id, ID);

    let chapters = app
        .get_chapters(&[id, other.clone()], Some("US"))
        .await
        .expect("get_chapters");
    assert_eq!(chapters.len(), 2);
    assert_eq!(
        chapters[1].as_ref().map(|c| c.id.as_str()),
        Some(other.id())
    );
}
