//! Spotify's redirect-URI rules for `/authorize`, in force since 2025-11-27, free of HTTP.
//!
//! 1. A `localhost` host (or a `*.localhost` name) is refused whatever the scheme, and plain
//!    `http` is refused unless the host is the loopback literal `127.0.0.1` or `[::1]`: both give
//!    `INVALID_CLIENT: Insecure redirect URI`, even when the URI is registered.
//! 2. Otherwise the URI must match one of the client's registrations, else
//!    `INVALID_CLIENT: Invalid redirect URI`:
//!    - loopback `http://127.0.0.1:PORT/path` and `http://[::1]:PORT/path` match an `http`
//!      registration with the same host and path whose port is absent (any port) or equal;
//!    - anything else (https, custom schemes) must match exactly: scheme, host, port (default
//!      ports made explicit) and path.
//!
//!    Query strings (and fragments) are ignored on both sides.
//!
//! The `url` crate normalizes a default port away, so a registration written with `:80`
//! (`http://127.0.0.1:80/cb`) counts as one without a port.

use std::net::{Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

/// Error page text for a URI that is not registered (or not a URL at all).
pub(crate) const INVALID_REDIRECT: &str = "INVALID_CLIENT: Invalid redirect URI";
/// Error page text for a `localhost` URI or plain `http` on a non-loopback host.
pub(crate) const INSECURE_REDIRECT: &str = "INVALID_CLIENT: Insecure redirect URI";

/// Checks `requested` against the client's `registered` URIs; `Err` carries the error page text.
pub(crate) fn check(registered: &[Url], requested: &Url) -> Result<(), &'static str> {
    if is_insecure(requested) {
        return Err(INSECURE_REDIRECT);
    }
    if registered.iter().any(|reg| matches(reg, requested)) {
        Ok(())
    } else {
        Err(INVALID_REDIRECT)
    }
}

/// `localhost` (any scheme), or `http` on anything but a loopback literal.
fn is_insecure(uri: &Url) -> bool {
    is_localhost(uri) || (uri.scheme() == "http" && !is_loopback_literal(uri))
}

fn is_localhost(uri: &Url) -> bool {
    match uri.host() {
        Some(Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        _ => false,
    }
}

/// Exactly `127.0.0.1` or `[::1]` (after the URL parser's normalization).
fn is_loopback_literal(uri: &Url) -> bool {
    match uri.host() {
        Some(Host::Ipv4(ip)) => ip == Ipv4Addr::LOCALHOST,
        Some(Host::Ipv6(ip)) => ip == Ipv6Addr::LOCALHOST,
        _ => false,
    }
}

/// Whether the registration `registered` admits the (already secure) `requested` URI.
fn matches(registered: &Url, requested: &Url) -> bool {
    let same_place = registered.scheme() == requested.scheme()
        && registered.host() == requested.host()
        && registered.path() == requested.path();
    if !same_place {
        return false;
    }
    if requested.scheme() == "http" && is_loopback_literal(requested) {
        registered
            .port()
            .is_none_or(|port| Some(port) == requested.port_or_known_default())
    } else {
        registered.port_or_known_default() == requested.port_or_known_default()
    }
}

#[cfg(test)]
mod tests {
    use super::{check, INSECURE_REDIRECT, INVALID_REDIRECT};
    use url::Url;

    fn urls(list: &[&str]) -> Vec<Url> {
        list.iter()
            .map(|text| Url::parse(text).expect("test URL"))
            .collect()
    }

    fn run(registered: &[&str], requested: &str) -> Result<(), &'static str> {
        check(&urls(registered), &Url::parse(requested).expect("test URL"))
    }

    #[test]
    fn loopback_without_port_allows_any_port_same_host_and_path() {
        let reg = ["http://127.0.0.1/callback", "http://[::1]/callback"];
        assert_eq!(run(&reg, "http://127.0.0.1:8888/callback"), Ok(()));
        assert_eq!(run(&reg, "http://127.0.0.1/callback"), Ok(()));
        assert_eq!(run(&reg, "http://[::1]:1/callback?x=1"), Ok(()));
        assert_eq!(
            run(&reg, "http://127.0.0.1:8888/other"),
            Err(INVALID_REDIRECT)
        );
        assert_eq!(
            run(&reg, "https://127.0.0.1:8888/callback"),
            Err(INVALID_REDIRECT)
        );
        assert_eq!(
            run(&["http://[::1]/cb"], "http://127.0.0.1/cb"),
            Err(INVALID_REDIRECT)
        );
    }

    #[test]
    fn loopback_with_port_needs_that_port() {
        let reg = ["http://127.0.0.1:8888/cb"];
        assert_eq!(run(&reg, "http://127.0.0.1:8888/cb"), Ok(()));
        assert_eq!(run(&reg, "http://127.0.0.1:8889/cb"), Err(INVALID_REDIRECT));
        assert_eq!(run(&reg, "http://127.0.0.1/cb"), Err(INVALID_REDIRECT));
    }

    #[test]
    fn https_matches_exactly_ignoring_the_query() {
        let reg = ["https://app.example/cb?from=registration"];
        assert_eq!(run(&reg, "https://app.example/cb"), Ok(()));
        assert_eq!(run(&reg, "https://app.example:443/cb?other=1"), Ok(()));
        assert_eq!(
            run(&reg, "https://app.example:8443/cb"),
            Err(INVALID_REDIRECT)
        );
        assert_eq!(run(&reg, "https://app.example/cb/"), Err(INVALID_REDIRECT));
        assert_eq!(run(&reg, "https://other.example/cb"), Err(INVALID_REDIRECT));
    }

    #[test]
    fn localhost_and_plain_http_are_insecure_even_if_registered() {
        let reg = [
            "http://localhost/cb",
            "https://localhost/cb",
            "http://app.example/cb",
        ];
        for uri in [
            "http://localhost/cb",
            "http://LOCALHOST:8888/cb",
            "https://localhost/cb",
            "http://app.localhost/cb",
            "http://app.example/cb",
            "http://127.0.0.2/cb",
        ] {
            assert_eq!(run(&reg, uri), Err(INSECURE_REDIRECT), "{uri}");
        }
    }
}
