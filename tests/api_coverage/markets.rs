//! Coverage calls of the markets group.

use super::Clients;

pub async fn call_all(clients: &Clients) {
    let markets = clients.app.get_markets().await.expect("get_markets");
    assert!(!markets.is_empty());
    assert!(markets.iter().all(|code| code.len() == 2));
}
