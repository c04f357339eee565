//! Where tokens live between runs.
//!
//! [`token_file`]: one token in one JSON file (spotipie's format), written atomically with mode
//! 0600, read leniently (spotipie and spotipy files).

pub mod token_file;
