//! Coverage calls of the categories group.

use super::Clients;

pub async fn call_all(clients: &Clients) {
    let app = &clients.app;

    let categories = app
        .get_categories(Some("sv_SE"), Some(4), None)
        .await
        .expect("get_categories");
    assert_eq!(categories.categories.items.len(), 4);

    let category = app
        .get_category("dinner", Some("sv_SE"))
        .await
        .expect("get_category");
    assert_eq!(category.id, "dinner");
}
