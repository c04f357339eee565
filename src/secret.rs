//! Newtypes for secrets, so that no `Debug`, `Display` or log line can carry one (R3).
//!
//! Each type wraps its value in an `Arc<str>`: tokens travel in events to many subscribers, and a
//! clone should share the secret rather than copy it around the heap. The only way to read the
//! value is the explicit [`secret()`](AccessToken::secret) accessor, which makes every place that
//! handles the raw string easy to find in review. Serde writes the raw value (token files need
//! it) but the formatting traits never do.
//!
//! We write these by hand rather than use the `secrecy` crate because we need cheap `Clone`,
//! `PartialEq` (equal-token checks) and plain serde round trips for token files, all of which
//! `secrecy` deliberately makes awkward.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! secret_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash)]
        pub struct $name(Arc<str>);

        impl $name {
            /// Wraps a secret value.
            pub fn new(value: impl Into<String>) -> Self {
                Self(Arc::from(value.into()))
            }

            /// The raw secret. Call this only where the value must go on the wire or to disk.
            pub fn secret(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "([redacted])"))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("[redacted]")
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::new)
            }
        }
    };
}

secret_type!(
    /// An OAuth2 access token (the Bearer credential sent to the Web API).
    AccessToken
);
secret_type!(
    /// An OAuth2 refresh token. Losing a rotated one logs the user out, so it is never dropped.
    RefreshToken
);
secret_type!(
    /// The client secret of a confidential Spotify app.
    ClientSecret
);
secret_type!(
    /// An authorization code from the `/authorize` redirect (single use, short-lived).
    AuthorizationCode
);
secret_type!(
    /// The OAuth2 `state` parameter: the CSRF guard of the authorization redirect.
    CsrfState
);
secret_type!(
    /// A PKCE code verifier.
    PkceVerifier
);

/// Replaces the content of each `"…"` string in a parser's message by `[redacted]`: serde's
/// messages quote the offending value (`invalid type: string "…"`), and in a token document that
/// value may be a secret.
pub(crate) fn redact_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c != '"' {
            continue;
        }
        // Skip to the closing quote, honouring backslash escapes.
        let mut escaped = false;
        for inner in chars.by_ref() {
            match (escaped, inner) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => break,
                _ => {}
            }
        }
        out.push_str("[redacted]\"");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_are_redacted_from_parser_messages() {
        assert_eq!(
            redact_quoted(r#"invalid type: string "s3cr\"et", expected f64 at line 1"#),
            r#"invalid type: string "[redacted]", expected f64 at line 1"#
        );
        assert_eq!(redact_quoted("missing field `x`"), "missing field `x`");
        assert_eq!(redact_quoted(r#"open "quote"#), r#"open "[redacted]""#);
    }

    #[test]
    fn secrets_redact_in_debug_and_display_but_serialize_raw() {
        let token = AccessToken::new("BQD-very-secret");
        assert_eq!(format!("{token:?}"), "AccessToken([redacted])");
        assert_eq!(format!("{token}"), "[redacted]");
        assert_eq!(token.secret(), "BQD-very-secret");
        let json = serde_json::to_string(&token).unwrap_or_default();
        assert_eq!(json, "\"BQD-very-secret\"");
        let back: AccessToken =
            serde_json::from_str(&json).unwrap_or_else(|_| AccessToken::new(""));
        assert_eq!(back, token);
        for shown in [
            format!("{:?}", ClientSecret::new("s3cr3t")),
            format!("{:?}", RefreshToken::new("s3cr3t")),
            format!("{:?}", AuthorizationCode::new("s3cr3t")),
            format!("{:?}", CsrfState::new("s3cr3t")),
            format!("{:?}", PkceVerifier::new("s3cr3t")),
        ] {
            assert!(!shown.contains("s3cr3t"), "{shown}");
        }
    }
}
