//! Reading and writing one token file.
//!
//! A token file is the only place a user's refresh token survives between runs, so losing or
//! half-writing it means asking the user to authorize again (and, for PKCE's single-use refresh
//! tokens, a rotated token that was not saved is gone for good). Hence (DESIGN R2):
//!
//! - [`write_token_file`] replaces the file atomically: a temporary file in the same folder,
//!   created with mode 0600 (the file holds secrets), written and `fsync`ed, renamed over the
//!   target, then the folder itself is `fsync`ed so the rename survives a crash. A reader sees
//!   the old file or the new one, never a mix. A failure is reported, and the temporary file is
//!   removed.
//! - [`read_token_file`] caps what it reads at [`MAX_TOKEN_FILE_LEN`] and accepts spotipie's
//!   format and spotipy's `.cache` files (see [`OAuth2Token::from_json`]).
//!
//! Errors name the file but never print what is in it (DESIGN R3).

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::clock::Clock;
use crate::token::{OAuth2Token, TokenFormatError};

/// The largest token file read: a token file is a few hundred bytes, so anything over 1 MiB is
/// not one, and reading it whole would only waste memory.
pub const MAX_TOKEN_FILE_LEN: u64 = 1024 * 1024;

/// Why a token file could not be read or written. Every variant names the file; none carries
/// its content.
#[derive(thiserror::Error)]
pub enum TokenFileError {
    /// The file (or its folder) could not be opened, read, written, synced or renamed.
    #[error("token file {}: {source}", path.display())]
    Io {
        /// The token file.
        path: PathBuf,
        /// What the operating system said (for a missing folder, a message saying so).
        #[source]
        source: io::Error,
    },
    /// The file is larger than [`MAX_TOKEN_FILE_LEN`], so it is not a token file.
    #[error(
        "token file {} is larger than {MAX_TOKEN_FILE_LEN} bytes: not a token file",
        path.display()
    )]
    TooLarge {
        /// The token file.
        path: PathBuf,
    },
    /// The file is not a token document (not JSON, missing fields, bad expiry).
    #[error("token file {} is not a valid token: {source}", path.display())]
    Format {
        /// The token file.
        path: PathBuf,
        /// Why it is not a token.
        #[source]
        source: TokenFormatError,
    },
}

impl TokenFileError {
    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            Self::Io { path, .. } | Self::TooLarge { path } | Self::Format { path, .. } => path,
        }
    }
}

impl fmt::Debug for TokenFileError {
    /// As `Display`: a derived `Debug` would print the JSON parser's message verbatim, which may
    /// quote a value from the file.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let variant = match self {
            Self::Io { .. } => "Io",
            Self::TooLarge { .. } => "TooLarge",
            Self::Format { .. } => "Format",
        };
        write!(f, "TokenFileError::{variant}({self})")
    }
}

/// Writes `token` to `path` in spotipie's JSON format, atomically and with mode 0600.
///
/// The folder must exist: creating folders is the caller's decision (a typo in a path should
/// not silently create a tree). On error the previous file, if any, is untouched and no
/// temporary file is left behind.
pub fn write_token_file(path: &Path, token: &OAuth2Token) -> Result<(), TokenFileError> {
    let io_error = |source| TokenFileError::Io {
        path: path.to_owned(),
        source,
    };
    let file_name = path.file_name().ok_or_else(|| {
        io_error(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path does not name a file",
        ))
    })?;
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    match fs::metadata(folder) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => {
            return Err(io_error(io::Error::new(
                io::ErrorKind::NotADirectory,
                format!("{} is not a folder", folder.display()),
            )))
        }
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            return Err(io_error(io::Error::new(
                io::ErrorKind::NotFound,
                format!(
                    "the folder {} does not exist (it is not created for you)",
                    folder.display()
                ),
            )))
        }
        Err(err) => return Err(io_error(err)),
    }

    let (temp_path, mut file) = create_temp_file(folder, file_name).map_err(io_error)?;
    let written = (|| {
        file.write_all(token.to_json_pretty().as_bytes())?;
        file.write_all(b"\n")?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temp_path, path)
    })();
    if let Err(err) = written {
        // Best effort: the write already failed, and that is the error to report.
        let _ = fs::remove_file(&temp_path);
        return Err(io_error(err));
    }
    sync_folder(folder).map_err(io_error)
}

/// Creates a new, empty temporary file beside the target, readable by its owner only.
///
/// The name is unique per process and call (`create_new` refuses to reuse an existing name, so
/// two writers never share a temporary file) and starts with a dot, so it stays out of listings.
fn create_temp_file(folder: &Path, file_name: &std::ffi::OsStr) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut attempts = 0;
    loop {
        let mut name = std::ffi::OsString::from(".");
        name.push(file_name);
        name.push(format!(
            ".tmp-{}-{}-{:08x}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            rand::random::<u32>()
        ));
        let temp_path = folder.join(name);
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600);
        }
        match options.open(&temp_path) {
            Ok(file) => {
                // The mode above is filtered by the umask; make sure no bit beyond 0600 is set
                // and the owner can read what it wrote, whatever the umask.
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt as _;
                    if let Err(err) = file.set_permissions(fs::Permissions::from_mode(0o600)) {
                        let _ = fs::remove_file(&temp_path);
                        return Err(err);
                    }
                }
                return Ok((temp_path, file));
            }
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists && attempts < 8 => {
                attempts += 1;
            }
            Err(err) => return Err(err),
        }
    }
}

/// Makes the rename durable: on unix a rename is only on disk once its folder is synced.
fn sync_folder(folder: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(folder)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = folder;
        Ok(())
    }
}

/// Reads the token in `path`: spotipie's format or spotipy's `.cache`. A document without
/// `expires_at` gets one from `expires_in` at `clock`'s now.
pub fn read_token_file(path: &Path, clock: &dyn Clock) -> Result<OAuth2Token, TokenFileError> {
    let io_error = |source| TokenFileError::Io {
        path: path.to_owned(),
        source,
    };
    let file = File::open(path).map_err(io_error)?;
    let mut bytes = Vec::new();
    // Read one byte past the cap to tell "exactly at the cap" from "over it", without trusting
    // the size the metadata reports (the file may be growing, or be a pipe).
    file.take(MAX_TOKEN_FILE_LEN + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() as u64 > MAX_TOKEN_FILE_LEN {
        return Err(TokenFileError::TooLarge {
            path: path.to_owned(),
        });
    }
    let format_error = |source| TokenFileError::Format {
        path: path.to_owned(),
        source,
    };
    let text = String::from_utf8(bytes).map_err(|_| {
        format_error(TokenFormatError::Json(
            "the file is not UTF-8 text".to_owned(),
        ))
    })?;
    OAuth2Token::from_json(&text, clock).map_err(format_error)
}
