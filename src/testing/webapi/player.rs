//! The player: playback state, devices, the queue, the listening history and the commands.
//!
//! Whether something is playing is the test's choice
//! ([`FakeSpotify::set_playback_active`](crate::testing::FakeSpotify::set_playback_active));
//! commands change nothing. With nothing playing, the state GETs answer 204 and commands answer
//! 404 `NO_ACTIVE_DEVICE`, except a transfer, and a play that names a `device_id`.

use serde_json::{json, Value};

use super::fixtures::{
    currently_playing, device, play_history, playback_state, played_at_ms, queue,
};
use super::paging::{self, CursorPage, LIST_LEN};
use super::validate::is_uri_of;
use super::Ctx;
use crate::api::ids::ItemType;
use crate::testing::api::Reply;

/// The answer to a player operation (or 404 for an operation nobody serves, which the
/// catalogue's own tests rule out).
pub(crate) fn answer(ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let fx = ctx.fx();
    let body = match ctx.op.id {
        "get_information_about_the_users_current_playback" if ctx.playing => playback_state(fx),
        "get_the_users_currently_playing_track" if ctx.playing => currently_playing(fx),
        "get_information_about_the_users_current_playback"
        | "get_the_users_currently_playing_track" => return Ok(Reply::empty(204)),
        "get_a_users_available_devices" => {
            json!({ "devices": [device(0, ctx.playing), device(1, ctx.playing)] })
        }
        "get_queue" => queue(fx, ctx.playing),
        "get_recently_played" => recently_played(ctx)?,
        "transfer_a_users_playback" => {
            if ctx
                .body
                .and_then(|body| body.get("play"))
                .is_some_and(|play| !play.is_boolean())
            {
                return Err(Reply::error(400, "Invalid value for field: play"));
            }
            return Ok(Reply::empty(204));
        }
        "start_a_users_playback" => {
            check_play_body(ctx.body)?;
            if ctx.query.non_empty("device_id").is_none() {
                active(ctx)?;
            }
            return Ok(Reply::empty(204));
        }
        "pause_a_users_playback"
        | "skip_users_playback_to_next_track"
        | "skip_users_playback_to_previous_track" => return command(ctx),
        "seek_to_position_in_currently_playing_track" => {
            number(ctx, "position_ms", u64::MAX)?;
            return command(ctx);
        }
        "set_volume_for_users_playback" => {
            number(ctx, "volume_percent", 100)?;
            return command(ctx);
        }
        "set_repeat_mode_on_users_playback" => {
            one_of(ctx, "state", &["track", "context", "off"])?;
            return command(ctx);
        }
        "toggle_shuffle_for_users_playback" => {
            one_of(ctx, "state", &["true", "false"])?;
            return command(ctx);
        }
        "add_to_queue" => {
            let uri = ctx.query.get("uri").unwrap_or_default();
            if !is_uri_of(uri, &[ItemType::Track, ItemType::Episode]) {
                return Err(Reply::error(400, "Invalid track or episode uri"));
            }
            return command(ctx);
        }
        other => return Err(Reply::error(404, &format!("Not served: {other}"))),
    };
    Ok(Reply::ok(body))
}

/// 404 `NO_ACTIVE_DEVICE` unless something is playing.
fn active(ctx: &Ctx<'_>) -> Result<(), Reply> {
    if ctx.playing {
        Ok(())
    } else {
        Err(Reply::error_with_reason(
            404,
            "Player command failed: No active device found",
            Some("NO_ACTIVE_DEVICE"),
        ))
    }
}

/// A command: 204 when a device is active.
fn command(ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    active(ctx)?;
    Ok(Reply::empty(204))
}

/// The query parameter `name` is an integer in `0..=max`.
fn number(ctx: &Ctx<'_>, name: &str, max: u64) -> Result<u64, Reply> {
    ctx.query
        .get(name)
        .and_then(|raw| raw.trim().parse::<u64>().ok())
        .filter(|value| *value <= max)
        .ok_or_else(|| Reply::error(400, &format!("Invalid {name}")))
}

/// The query parameter `name` is one of `values`.
fn one_of(ctx: &Ctx<'_>, name: &str, values: &[&str]) -> Result<(), Reply> {
    match ctx.query.get(name) {
        Some(value) if values.contains(&value) => Ok(()),
        _ => Err(Reply::error(400, &format!("Invalid {name}"))),
    }
}

/// The optional body of a play: `context_uri` a URI, `uris` track or episode URIs,
/// `offset` an object, `position_ms` a non-negative integer.
fn check_play_body(body: Option<&Value>) -> Result<(), Reply> {
    let Some(body) = body else {
        return Ok(());
    };
    let bad = |field: &str| Reply::error(400, &format!("Invalid value for field: {field}"));
    if let Some(context) = body.get("context_uri") {
        if !context
            .as_str()
            .is_some_and(|uri| uri.starts_with("spotify:"))
        {
            return Err(bad("context_uri"));
        }
    }
    if let Some(uris) = body.get("uris") {
        let playable = |uri: &Value| {
            uri.as_str()
                .is_some_and(|uri| is_uri_of(uri, &[ItemType::Track, ItemType::Episode]))
        };
        if !uris
            .as_array()
            .is_some_and(|uris| uris.iter().all(playable))
        {
            return Err(bad("uris"));
        }
    }
    if body.get("offset").is_some_and(|offset| !offset.is_object()) {
        return Err(bad("offset"));
    }
    if body
        .get("position_ms")
        .is_some_and(|position| !position.is_u64())
    {
        return Err(bad("position_ms"));
    }
    Ok(())
}

/// A Unix-ms cursor parameter.
fn millis(ctx: &Ctx<'_>, name: &str) -> Result<Option<u64>, Reply> {
    ctx.query
        .non_empty(name)
        .map(|raw| {
            raw.trim()
                .parse::<u64>()
                .map_err(|_| Reply::error(400, &format!("Invalid {name}")))
        })
        .transpose()
}

/// `GET /me/player/recently-played`: the history, oldest first, with Unix-ms cursors; `after`
/// gives the `limit` items played after that time, `before` the `limit` items just before it.
fn recently_played(ctx: &Ctx<'_>) -> Result<Value, Reply> {
    let limit = paging::limit(ctx.query)?;
    let first_from = |ms: u64, inclusive: bool| {
        (0..LIST_LEN)
            .find(|n| played_at_ms(*n) > ms || (inclusive && played_at_ms(*n) == ms))
            .unwrap_or(LIST_LEN)
    };
    let range = match (millis(ctx, "after")?, millis(ctx, "before")?) {
        (Some(_), Some(_)) => {
            return Err(Reply::error(
                400,
                "Only one of after and before may be given",
            ))
        }
        (Some(after), None) => {
            let start = first_from(after, false);
            start..start.saturating_add(limit)
        }
        (None, Some(before)) => {
            let end = first_from(before, true);
            end.saturating_sub(limit)..end
        }
        (None, None) => 0..limit,
    };
    let page = CursorPage {
        at: ctx.at(),
        limit,
        range,
        with_before: true,
        with_total: false,
    };
    let fx = ctx.fx();
    Ok(page.render(|n| played_at_ms(n).to_string(), |n| play_history(fx, n)))
}
