//! Helpers of `tests/fake_web_api.rs`: a fake with a client and an all-scopes token, calls that
//! check Spotify's error shape, a valid sample call for every catalogue operation, and a pager.

use std::collections::BTreeSet;

use reqwest::header::HeaderMap;
use reqwest::{Client, Method, RequestBuilder};
use serde_json::{json, Value};
use spotipie::api::catalogue::{Operation, OPERATIONS};
use spotipie::testing::FakeSpotify;

pub const ID: &str = "6rqhFgbbKwnb9MLmUQDhG6";
pub const ID2: &str = "11dFghVXANMlKmJXsNCbNl";
pub const GET: Method = Method::GET;
pub const PUT: Method = Method::PUT;
pub const POST: Method = Method::POST;
pub const DELETE: Method = Method::DELETE;

/// Every scope the catalogue names.
pub fn all_scopes() -> String {
    let scopes: BTreeSet<&str> = OPERATIONS
        .iter()
        .flat_map(|op| op.scopes.to_vec())
        .collect();
    scopes.into_iter().collect::<Vec<_>>().join(" ")
}

/// A fake, a client and a token with every scope.
pub struct Api {
    pub fake: FakeSpotify,
    pub http: Client,
    pub token: String,
}

/// An answer: status, headers and JSON body (`Null` when empty).
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Api {
    pub fn start() -> Self {
        Self::with(FakeSpotify::start())
    }

    pub fn with(fake: FakeSpotify) -> Self {
        let token = fake.issue_access_token(3600, &all_scopes());
        let http = Client::new();
        Self { fake, http, token }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.fake.api_url())
    }

    pub async fn send(&self, request: RequestBuilder) -> Answer {
        let response = request.send().await.expect("call");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        let body = match text.as_str() {
            "" => Value::Null,
            _ => serde_json::from_str(&text).unwrap_or_else(|e| panic!("JSON {text:?}: {e}")),
        };
        Answer {
            status,
            headers,
            body,
        }
    }

    /// A call with `token` (no `Authorization` header if `None`).
    pub async fn call_as(&self, token: Option<&str>, method: Method, path: &str) -> Answer {
        let mut request = self.http.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        self.send(request).await
    }

    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        let mut request = self.http.request(method, self.url(path));
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.send(request.bearer_auth(&self.token)).await
    }

    /// Calls and checks the status; returns the body.
    pub async fn expect(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        status: u16,
    ) -> Value {
        let answer = self.call(method.clone(), path, body).await;
        assert_eq!(answer.status, status, "{method} {path}: {}", answer.body);
        answer.body
    }

    /// GET, expecting 200; returns the body.
    pub async fn get(&self, path: &str) -> Value {
        self.expect(GET, path, None, 200).await
    }

    /// Calls and checks Spotify's error shape.
    pub async fn fails(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        status: u16,
        msg: &str,
    ) {
        let answer = self.call(method.clone(), path, body).await;
        assert_eq!(
            (answer.status, answer.body),
            (status, error(status, msg)),
            "{method} {path}"
        );
    }

    /// Follows an absolute `next` URL.
    pub async fn get_url(&self, url: &str) -> Value {
        assert!(url.starts_with(self.fake.api_url()), "{url}");
        let answer = self.send(self.http.get(url).bearer_auth(&self.token)).await;
        assert_eq!(answer.status, 200, "{url}: {}", answer.body);
        answer.body
    }
}

pub fn error(status: u16, message: &str) -> Value {
    json!({ "error": { "status": status, "message": message } })
}

/// A request that satisfies `op`: template parameters, required query and body fields, and
/// what a few operations need beyond the catalogue's required lists.
pub fn valid_call(op: &Operation) -> (String, Option<Value>) {
    let mut path = (op.path)
        .replace("{id}", ID)
        .replace("{playlist_id}", ID)
        .replace("{user_id}", "wizzler")
        .replace("{category_id}", "party")
        .replace("{type}", "artists");
    let mut query: Vec<String> = (op.required_query.iter())
        .map(|name| {
            let value = match (*name, op.id) {
                ("ids", _) => format!("{ID},{ID2}"),
                ("uris" | "uri", _) => format!("spotify:track:{ID}"),
                ("type", "search") => "track,album".to_owned(),
                ("type", _) => "artist".to_owned(),
                ("q", _) => "fake".to_owned(),
                ("position_ms", _) => "1000".to_owned(),
                ("volume_percent", _) => "50".to_owned(),
                ("state", "set_repeat_mode_on_users_playback") => "off".to_owned(),
                ("state", _) => "true".to_owned(),
                (other, _) => panic!("no sample for {other} of {}", op.id),
            };
            format!("{name}={value}")
        })
        .collect();
    if op.id == "get_recommendations" {
        query.push("seed_genres=rock".to_owned());
    }
    if op.id.starts_with("add_") && op.path.contains("playlists") {
        query.push(format!("uris=spotify:track:{ID}"));
    }
    let mut body = serde_json::Map::new();
    for name in op.required_body {
        let value = match *name {
            "ids" => json!([ID]),
            "device_ids" => json!(["fake-device-1"]),
            "name" => json!("New playlist"),
            "items" | "tracks" => json!([{ "uri": format!("spotify:track:{ID}") }]),
            other => panic!("no sample for body field {other} of {}", op.id),
        };
        body.insert((*name).to_owned(), value);
    }
    if op.id.starts_with("reorder_or_replace") {
        body.insert("uris".to_owned(), json!([format!("spotify:track:{ID}")]));
    }
    if !query.is_empty() {
        path = format!("{path}?{}", query.join("&"));
    }
    (path, (!body.is_empty()).then_some(Value::Object(body)))
}

/// Walks a list by its `next` links from `first`, reading the page at `pointer`: the page
/// sizes, the `next` URLs and the items.
pub async fn walk(api: &Api, first: &str, pointer: &str) -> (Vec<usize>, Vec<String>, Vec<Value>) {
    let (mut sizes, mut nexts, mut all) = (Vec::new(), Vec::new(), Vec::new());
    let mut body = api.get(first).await;
    loop {
        let page = body.pointer(pointer).expect("page").clone();
        let items = page["items"].as_array().expect("items").clone();
        sizes.push(items.len());
        all.extend(items);
        let Some(next) = page["next"].as_str() else {
            break;
        };
        nexts.push(next.to_owned());
        body = api.get_url(next).await;
        assert!(sizes.len() < 10, "runaway paging");
    }
    (sizes, nexts, all)
}

/// How many distinct ids `items` hold at `pointer`.
pub fn distinct(items: &[Value], pointer: &str) -> usize {
    let ids: BTreeSet<String> = items
        .iter()
        .map(|item| item.pointer(pointer).expect("id").to_string())
        .collect();
    ids.len()
}
