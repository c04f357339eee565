//! Token files (DESIGN R1–R3): atomic replacement with mode 0600, lenient reading, typed errors
//! that name the file and never print its content, and no temporary file left behind.

mod common;

use std::fs;
use std::path::Path;
use std::time::Duration;

use common::TempDir;
use spotipie::store::token_file::{
    read_token_file, write_token_file, TokenFileError, MAX_TOKEN_FILE_LEN,
};
use spotipie::{ManualClock, OAuth2Token};

fn token(clock: &ManualClock) -> OAuth2Token {
    OAuth2Token::new("ACCESS-SECRET-1", Duration::from_secs(3600), clock)
        .with_refresh_token("REFRESH-SECRET-1")
        .with_scope("user-read-email playlist-read-private")
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    fs::metadata(path).expect("stat").permissions().mode() & 0o777
}

fn assert_no_secret(error: &TokenFileError) {
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(
            !shown.contains("SECRET"),
            "an error printed the file's content: {shown}"
        );
    }
}

#[test]
fn round_trip_in_spotipie_format() {
    let dir = TempDir::new("round-trip");
    let clock = ManualClock::new(1_700_000_000.0);
    let path = dir.join("token.json");
    let written = token(&clock);
    write_token_file(&path, &written).expect("write");
    let read = read_token_file(&path, &clock).expect("read");
    assert_eq!(read, written);

    // spotipie's on-disk format: scope as a list, every field present.
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).expect("read text")).expect("JSON");
    assert_eq!(
        json["scope"],
        serde_json::json!(["playlist-read-private", "user-read-email"])
    );
    assert_eq!(json["expires_at"], 1_700_003_600.0);
    assert_eq!(json["refresh_token"], "REFRESH-SECRET-1");

    // Replacing an existing file works and leaves only the file.
    let newer = OAuth2Token::new("ACCESS-SECRET-2", Duration::from_secs(60), &clock);
    write_token_file(&path, &newer).expect("replace");
    assert_eq!(read_token_file(&path, &clock).expect("read again"), newer);
    assert_eq!(dir.names(), vec!["token.json"]);
}

#[cfg(unix)]
#[test]
fn files_are_written_with_mode_0600_even_over_a_wider_file() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = TempDir::new("mode");
    let clock = ManualClock::new(1_700_000_000.0);
    let path = dir.join("token.json");
    write_token_file(&path, &token(&clock)).expect("write");
    assert_eq!(mode(&path), 0o600);

    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod");
    write_token_file(&path, &token(&clock)).expect("replace");
    assert_eq!(
        mode(&path),
        0o600,
        "the replacement has the new file's mode"
    );
}

#[test]
fn spotipy_cache_files_read() {
    let dir = TempDir::new("spotipy");
    let clock = ManualClock::new(1_700_000_000.0);
    let path = dir.join(".cache");
    fs::write(
        &path,
        r#"{"access_token": "AT", "token_type": "Bearer", "expires_in": 3600,
            "refresh_token": "RT", "scope": "user-read-email playlist-read-private",
            "expires_at": 1700003600}"#,
    )
    .expect("write the cache");
    let token = read_token_file(&path, &clock).expect("spotipy's format reads");
    assert_eq!(token.expires_at, 1_700_003_600.0);
    assert!(token.scope.contains("playlist-read-private"));
    assert_eq!(token.refresh_token.as_ref().map(|r| r.secret()), Some("RT"));
}

#[test]
fn a_corrupt_file_is_a_format_error_naming_the_file_without_its_content() {
    let dir = TempDir::new("corrupt");
    let clock = ManualClock::new(0.0);
    let cases = [
        ("truncated.json", r#"{"access_token": "SECRET-A", "expi"#),
        ("garbage.json", "SECRET not json at all"),
        (
            "wrong-type.json",
            r#"{"access_token": "x", "expires_in": "SECRET-LIFETIME"}"#,
        ),
        ("no-expiry.json", r#"{"access_token": "SECRET-B"}"#),
    ];
    for (name, text) in cases {
        let path = dir.join(name);
        fs::write(&path, text).expect("write");
        let err = read_token_file(&path, &clock).expect_err(name);
        assert!(
            matches!(err, TokenFileError::Format { .. }),
            "{name}: {err}"
        );
        assert_eq!(err.path(), path);
        assert!(err.to_string().contains(name), "{err}");
        assert_no_secret(&err);
    }

    let path = dir.join("binary.json");
    fs::write(&path, [0xff, 0xfe, b'{']).expect("write");
    let err = read_token_file(&path, &clock).expect_err("not UTF-8");
    assert!(matches!(err, TokenFileError::Format { .. }), "{err}");
}

#[test]
fn a_missing_file_or_folder_is_an_io_error_naming_it() {
    let dir = TempDir::new("missing");
    let clock = ManualClock::new(0.0);
    let missing_file = dir.join("nope.json");
    let err = read_token_file(&missing_file, &clock).expect_err("no file");
    assert!(matches!(err, TokenFileError::Io { .. }), "{err}");
    assert!(err.to_string().contains("nope.json"), "{err}");

    let in_missing_folder = dir.join("no-such-folder").join("token.json");
    let err = write_token_file(&in_missing_folder, &token(&clock)).expect_err("no folder");
    assert!(matches!(err, TokenFileError::Io { .. }), "{err}");
    let shown = err.to_string();
    assert!(
        shown.contains("no-such-folder") && shown.contains("does not exist"),
        "{shown}"
    );
    assert!(
        !dir.join("no-such-folder").exists(),
        "folders are not created"
    );
    assert_no_secret(&err);
}

#[test]
fn a_file_over_one_mib_is_too_large() {
    let dir = TempDir::new("large");
    let clock = ManualClock::new(0.0);
    let path = dir.join("huge.json");
    let len = usize::try_from(MAX_TOKEN_FILE_LEN).expect("fits") + 1;
    fs::write(&path, vec![b' '; len]).expect("write");
    let err = read_token_file(&path, &clock).expect_err("too large");
    assert!(matches!(err, TokenFileError::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("huge.json"), "{err}");

    // Exactly at the cap is read (and then fails as the blank document it is).
    fs::write(&path, vec![b' '; len - 1]).expect("write");
    let err = read_token_file(&path, &clock).expect_err("blank");
    assert!(matches!(err, TokenFileError::Format { .. }), "{err}");
}

#[test]
fn no_temporary_file_is_left_after_success_or_error() {
    let dir = TempDir::new("temp-files");
    let clock = ManualClock::new(0.0);
    for _ in 0..3 {
        write_token_file(&dir.join("token.json"), &token(&clock)).expect("write");
    }
    assert_eq!(dir.names(), vec!["token.json"]);

    // The rename fails: the target is a non-empty folder. The temporary file must go.
    let blocked = dir.join("blocked");
    fs::create_dir(&blocked).expect("mkdir");
    fs::write(blocked.join("keep"), "x").expect("write");
    let err = write_token_file(&blocked, &token(&clock)).expect_err("target is a folder");
    assert!(matches!(err, TokenFileError::Io { .. }), "{err}");
    assert!(err.to_string().contains("blocked"), "{err}");
    assert_no_secret(&err);
    assert_eq!(dir.names(), vec!["blocked", "token.json"]);
    assert_eq!(
        read_token_file(&dir.join("token.json"), &clock).expect("the old file is intact"),
        token(&clock)
    );
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_is_an_io_error_and_the_old_file_survives() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = TempDir::new("read-only");
    let clock = ManualClock::new(0.0);
    let path = dir.join("token.json");
    write_token_file(&path, &token(&clock)).expect("write");
    fs::set_permissions(&dir.0, fs::Permissions::from_mode(0o500)).expect("chmod");
    let probe = dir.join("probe");
    let writable_anyway = fs::write(&probe, "x").is_ok(); // root ignores the mode
    let _ = fs::remove_file(&probe);
    let result = write_token_file(
        &path,
        &OAuth2Token::new("ACCESS-SECRET-2", Duration::from_secs(60), &clock),
    );
    fs::set_permissions(&dir.0, fs::Permissions::from_mode(0o700)).expect("chmod back");
    if writable_anyway {
        result.expect("a writable folder");
    } else {
        let err = result.expect_err("read-only folder");
        assert!(matches!(err, TokenFileError::Io { .. }), "{err}");
        assert_eq!(
            read_token_file(&path, &clock).expect("intact"),
            token(&clock)
        );
    }
    assert_eq!(dir.names(), vec!["token.json"]);
}
