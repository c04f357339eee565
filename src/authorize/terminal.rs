//! The terminal variant: print the URL, read back the callback URL the user pastes.

use std::io::{BufRead, Write};
use std::sync::Arc;

use super::AuthorizeError;
use crate::actors::SessionHandle;
use crate::oauth::authorize::MAX_CALLBACK_LEN;
use crate::token::OAuth2Token;

/// Prints the authorization URL to `output`, reads the URL the user was sent back to from
/// `input` (one line), and finishes the authorization through `session`. The read runs on the
/// blocking pool, so the actors keep running meanwhile.
pub async fn authorize_in_terminal<R, W>(
    session: &SessionHandle,
    input: R,
    mut output: W,
) -> Result<Arc<OAuth2Token>, AuthorizeError>
where
    R: BufRead + Send + 'static,
    W: Write,
{
    let (url, _state) = session.authorization_url(false).await?;
    writeln!(
        output,
        "Open this URL in a browser and authorize the app:\n\n  {url}\n\n\
         Then paste the full URL the browser was sent to (it may show an error page) and press Enter:"
    )
    .and_then(|()| output.flush())
    .map_err(AuthorizeError::Input)?;
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        // One byte past the limit is enough for the session to see the line is too long.
        input
            .take(MAX_CALLBACK_LEN as u64 + 1)
            .read_line(&mut line)
            .map(|_| line)
    })
    .await
    .map_err(|join| AuthorizeError::Input(std::io::Error::other(join)))?
    .map_err(AuthorizeError::Input)?;
    let callback = line.trim();
    if callback.is_empty() {
        return Err(AuthorizeError::Input(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "no URL was pasted",
        )));
    }
    Ok(session.fetch_token(callback).await?)
}
