//! [`HeadlessBrowser`]: an HTTP client that plays the user's browser in offline examples and
//! tests of the loopback authorization app.
//!
//! It opens the authorization URL, follows redirects, and does what the implicit grant's
//! forwarding page does with JavaScript: it sends the URL fragment to the app as a query. It
//! approves or denies as [`FakeSpotify`](super::FakeSpotify) is told to, and keeps the page it
//! ended on.

use std::sync::Arc;

use tokio::sync::watch;
use url::Url;

use crate::authorize::OpenBrowser;

/// Where the loopback app's forwarding page sends the implicit grant's fragment.
const FRAGMENT_PATH: &str = "/.spotipie/fragment";

/// The page a visit ended on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    /// HTTP status.
    pub status: u16,
    /// The HTML.
    pub body: String,
}

/// A scripted browser for [`authorize_in_browser`](crate::authorize::authorize_in_browser).
#[derive(Clone)]
pub struct HeadlessBrowser {
    page: watch::Sender<Option<Result<Page, String>>>,
}

impl Default for HeadlessBrowser {
    fn default() -> Self {
        Self::new()
    }
}

impl HeadlessBrowser {
    /// A browser that has visited nothing yet.
    pub fn new() -> Self {
        Self {
            page: watch::channel(None).0,
        }
    }

    /// The [`OpenBrowser`] that sends the authorization URL to this browser. Each URL is
    /// visited on a tokio task of its own.
    pub fn open_browser(&self) -> OpenBrowser {
        let page = self.page.clone();
        OpenBrowser::With(Arc::new(move |url: Url| {
            let page = page.clone();
            tokio::spawn(async move {
                let outcome = visit(url).await;
                page.send_replace(Some(outcome));
            });
        }))
    }

    /// Waits for the page the last visit ended on (an error if the visit itself failed).
    pub async fn page(&self) -> Result<Page, String> {
        let mut seen = self.page.subscribe();
        let outcome = match seen.wait_for(Option::is_some).await {
            Ok(outcome) => outcome.clone(),
            Err(_) => None,
        };
        outcome.unwrap_or_else(|| Err("the browser is gone".into()))
    }
}

async fn visit(mut url: Url) -> Result<Page, String> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    for _ in 0..10 {
        let response = client
            .get(url.clone())
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        if status.is_redirection() {
            let location = crate::http::header_text(response.headers(), reqwest::header::LOCATION)
                .ok_or("a redirect without Location")?;
            url = url.join(location).map_err(|e| e.to_string())?;
            if let Some(fragment) = url.fragment().map(str::to_owned) {
                // What the forwarding page's script does: send the fragment as a query.
                let mut forward = url.clone();
                forward.set_fragment(None);
                forward.set_path(FRAGMENT_PATH);
                forward.set_query(Some(&fragment));
                url = forward;
            }
            continue;
        }
        let body = response.text().await.map_err(|e| e.to_string())?;
        return Ok(Page {
            status: status.as_u16(),
            body,
        });
    }
    Err("too many redirects".into())
}
