//! The pages the loopback app shows the user. Everything that comes from outside (the app name,
//! the user's display name, error codes and descriptions from the callback) is HTML-escaped.

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            '/' => out.push_str("&#x2F;"),
            c => out.push(c),
        }
    }
    out
}

fn page(title: &str, heading: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"referrer\" content=\"no-referrer\"><title>{title}</title></head>\
         <body style=\"font-family: sans-serif; max-width: 40em; margin: 4em auto\">\
         <h1 id=\"result\">{heading}</h1>{body}</body></html>"
    )
}

/// Authorization succeeded; names the app and, when known, the user.
pub fn success(app_name: &str, display_name: Option<&str>) -> String {
    let app = escape(app_name);
    let who = display_name
        .map(|name| format!(" as <strong>{}</strong>", escape(name)))
        .unwrap_or_default();
    page(
        "Authorized",
        "Authorization successful",
        &format!("<p>{app} is now connected to your Spotify account{who}. You can close this window.</p>"),
    )
}

/// The user refused.
pub fn denied(app_name: &str) -> String {
    let app = escape(app_name);
    page(
        "Not authorized",
        "Authorization denied",
        &format!("<p>You did not allow {app} to use your Spotify account. You can close this window.</p>"),
    )
}

/// Anything else that went wrong.
pub fn error(app_name: &str, message: &str) -> String {
    page(
        "Authorization failed",
        "Authorization failed",
        &format!(
            "<p>{} could not complete the authorization:</p><pre>{}</pre>",
            escape(app_name),
            escape(message)
        ),
    )
}

/// A second callback after the first one was handled.
pub fn already_done(app_name: &str) -> String {
    page(
        "Already handled",
        "Already handled",
        &format!(
            "<p>{} has already received an authorization. You can close this window.</p>",
            escape(app_name)
        ),
    )
}

/// The implicit grant's token is in the URL fragment, which browsers never send to a server;
/// this page's script forwards it (as a query string, to `forward_path`) and shows the answer.
pub fn forward_fragment(app_name: &str, forward_path: &str) -> String {
    let script = format!(
        "<script>\
         const f = window.location.hash.substring(1);\
         window.history.replaceState(null, '', window.location.pathname);\
         fetch({path} + '?' + f).then(r => r.text()).then(html => {{\
           document.open(); document.write(html); document.close(); }})\
         .catch(e => {{ document.getElementById('result').textContent = 'Authorization failed: ' + e; }});\
         </script>",
        path = serde_json::to_string(forward_path).unwrap_or_else(|_| "\"/\"".to_owned())
    );
    page(
        "Authorizing",
        "Completing the authorization…",
        &format!(
            "<p>{} is receiving your authorization.</p><noscript>This step needs JavaScript.</noscript>{script}",
            escape(app_name)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_echoed_is_escaped() {
        let evil = "<script>alert('x')</script>\"&";
        for html in [
            success(evil, Some(evil)),
            denied(evil),
            error(evil, evil),
            already_done(evil),
            forward_fragment(evil, "/cb"),
        ] {
            assert!(!html.contains("<script>alert"), "{html}");
        }
        assert_eq!(escape("a<b>&\"'/"), "a&lt;b&gt;&amp;&quot;&#x27;&#x2F;");
        assert!(success("My App", Some("Ann")).contains("<strong>Ann</strong>"));
    }
}
