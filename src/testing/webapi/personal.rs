//! The user's own things: saved items and `/me/library`, playlists and their changes, the
//! profile, top items and follows. The player is in [`player`](super::player).

use serde_json::{json, Value};

use super::fixtures::{
    album, artist, episode, fake_id, images, playlist, private_user, public_user, saved,
    simplified_audiobook, simplified_playlist, simplified_show, track, ARTIST_ID,
};
use super::operations::page;
use super::paging::{self, CursorPage, LIST_LEN};
use super::validate::is_uri_of;
use super::{player, snapshot_id, Ctx};
use crate::api::ids::ItemType;
use crate::testing::api::{Reply, FAKE_USER_ID};

/// The most items one playlist change takes.
const MAX_PLAYLIST_URIS: usize = 100;

/// The answer to the operation of `ctx`.
pub(crate) fn answer(ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let fx = ctx.fx();
    let body = match ctx.op.id {
        // Saved items and /me/library
        "get_users_saved_albums" => page(ctx, |n| {
            saved(n, "album", album(fx, &fake_id("saved-album", n)))
        })?,
        "get_users_saved_audiobooks" => page(ctx, |n| {
            saved(
                n,
                "audiobook",
                simplified_audiobook(fx, &fake_id("saved-audiobook", n)),
            )
        })?,
        "get_users_saved_episodes" => page(ctx, |n| {
            saved(n, "episode", episode(fx, &fake_id("saved-episode", n)))
        })?,
        "get_users_saved_shows" => page(ctx, |n| {
            saved(n, "show", simplified_show(fx, &fake_id("saved-show", n)))
        })?,
        "get_users_saved_tracks" => page(ctx, |n| {
            saved(n, "track", track(fx, &fake_id("saved-track", n)))
        })?,
        "save_albums_user"
        | "remove_albums_user"
        | "save_audiobooks_user"
        | "remove_audiobooks_user"
        | "save_episodes_user"
        | "remove_episodes_user"
        | "save_shows_user"
        | "remove_shows_user"
        | "save_tracks_user"
        | "remove_tracks_user"
        | "save_library_items"
        | "remove_library_items" => return Ok(Reply::empty(204)),
        "check_users_saved_albums"
        | "check_users_saved_audiobooks"
        | "check_users_saved_episodes"
        | "check_users_saved_shows"
        | "check_users_saved_tracks" => booleans(ctx.query.list("ids").len()),
        "check_library_contains" => booleans(ctx.query.list("uris").len()),
        // Playlists
        "get_playlist" => playlist(fx, ctx.param("playlist_id"), FAKE_USER_ID),
        "change_playlist_details" | "follow_playlist" | "unfollow_playlist" => {
            return Ok(Reply::empty(204))
        }
        "add_tracks_to_playlist" | "add_items_to_playlist" => {
            add_items(ctx)?;
            return Ok(Reply::json(
                201,
                json!({ "snapshot_id": ctx.next_snapshot() }),
            ));
        }
        "reorder_or_replace_playlists_tracks" | "reorder_or_replace_playlists_items" => {
            reorder_or_replace(ctx)?;
            json!({ "snapshot_id": ctx.next_snapshot() })
        }
        "remove_tracks_playlist" | "remove_items_playlist" => {
            json!({ "snapshot_id": ctx.next_snapshot() })
        }
        "get_a_list_of_current_users_playlists" => page(ctx, |n| {
            simplified_playlist(fx, &fake_id("my-playlist", n), FAKE_USER_ID)
        })?,
        "get_list_users_playlists" => {
            let user = ctx.param("user_id");
            page(ctx, |n| {
                simplified_playlist(fx, &fake_id("user-playlist", n), user)
            })?
        }
        "create_playlist" => return Ok(Reply::json(201, created_playlist(ctx, FAKE_USER_ID))),
        "create_playlist_for_user" => {
            let owner = ctx.param("user_id");
            return Ok(Reply::json(201, created_playlist(ctx, owner)));
        }
        "get_playlist_cover" => images(ctx.param("playlist_id")),
        "upload_custom_playlist_cover" => return Ok(Reply::empty(202)),
        // Users
        "get_current_users_profile" => private_user(fx),
        "get_users_profile" => public_user(fx, ctx.param("user_id")),
        "get_users_top_artists_and_tracks" => top_items(ctx)?,
        "get_followed" => followed_artists(ctx)?,
        "follow_artists_users" | "unfollow_artists_users" => {
            follow_type(ctx)?;
            return Ok(Reply::empty(204));
        }
        "check_current_user_follows" => {
            follow_type(ctx)?;
            booleans(ctx.query.list("ids").len())
        }
        "check_if_user_follows_playlist" => booleans(ctx.query.list("ids").len().max(1)),
        _ => return player::answer(ctx),
    };
    Ok(Reply::ok(body))
}

/// `[true, false, true, ...]`: one answer per id or URI asked about (even positions saved).
fn booleans(count: usize) -> Value {
    Value::from((0..count).map(|n| n % 2 == 0).collect::<Vec<bool>>())
}

/// The URIs a playlist change carries: `uris=` if given, else the body's `uris`.
fn playlist_uris(ctx: &Ctx<'_>) -> Option<Vec<String>> {
    if ctx.query.get("uris").is_some() {
        return Some(
            ctx.query
                .list("uris")
                .into_iter()
                .map(str::to_owned)
                .collect(),
        );
    }
    let uris = ctx.body?.get("uris")?.as_array()?;
    Some(
        uris.iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
    )
}

/// Track and episode URIs only, at most 100.
fn check_playlist_uris(uris: &[String]) -> Result<(), Reply> {
    if uris.len() > MAX_PLAYLIST_URIS {
        return Err(Reply::error(400, "Too many items requested"));
    }
    match uris
        .iter()
        .find(|uri| !is_uri_of(uri, &[ItemType::Track, ItemType::Episode]))
    {
        Some(uri) => Err(Reply::error(400, &format!("Invalid track uri: {uri}"))),
        None => Ok(()),
    }
}

/// `POST /playlists/{id}/items`: some URIs, and a non-negative `position` if any.
fn add_items(ctx: &Ctx<'_>) -> Result<(), Reply> {
    let uris = playlist_uris(ctx).unwrap_or_default();
    if uris.is_empty() {
        return Err(Reply::error(400, "No uris provided"));
    }
    check_playlist_uris(&uris)?;
    let position = ctx
        .query
        .get("position")
        .map(|raw| raw.trim().parse::<u64>().is_ok())
        .or_else(|| ctx.body?.get("position").map(Value::is_u64));
    if position == Some(false) {
        return Err(Reply::error(400, "Invalid position"));
    }
    Ok(())
}

/// `PUT /playlists/{id}/items`: replace (`uris`) or reorder (`range_start`, `insert_before`).
fn reorder_or_replace(ctx: &Ctx<'_>) -> Result<(), Reply> {
    if let Some(uris) = playlist_uris(ctx) {
        return check_playlist_uris(&uris);
    }
    let field = |name: &str| ctx.body.and_then(|body| body.get(name));
    match (field("range_start"), field("insert_before")) {
        (Some(start), Some(before)) if start.is_u64() && before.is_u64() => {
            match field("range_length") {
                Some(length) if length.as_u64().is_none_or(|length| length < 1) => {
                    Err(Reply::error(400, "Invalid range_length"))
                }
                _ => Ok(()),
            }
        }
        (None, None) => Err(Reply::error(
            400,
            "Either uris, or range_start and insert_before, are required",
        )),
        _ => Err(Reply::error(400, "Invalid range_start or insert_before")),
    }
}

/// The playlist `POST /me/playlists` creates, with the body's name and settings.
fn created_playlist(ctx: &Ctx<'_>, owner: &str) -> Value {
    let change = ctx.next_change();
    let id = fake_id("created-playlist", change as usize);
    let mut created = playlist(ctx.fx(), &id, owner);
    created["snapshot_id"] = json!(snapshot_id(change));
    created["items"]["items"] = json!([]);
    created["items"]["total"] = json!(0);
    created["items"]["next"] = Value::Null;
    created["followers"]["total"] = json!(0);
    if let Some(body) = ctx.body {
        for field in ["name", "description", "public", "collaborative"] {
            if let Some(value) = body.get(field) {
                created[field] = value.clone();
            }
        }
    }
    created
}

/// `GET /me/top/{type}`: artists or tracks, over a `time_range`.
fn top_items(ctx: &Ctx<'_>) -> Result<Value, Reply> {
    if let Some(range) = ctx.query.get("time_range") {
        if !["short_term", "medium_term", "long_term"].contains(&range) {
            return Err(Reply::error(400, "Invalid time_range"));
        }
    }
    let fx = ctx.fx();
    match ctx.param("type") {
        "artists" => page(ctx, |n| artist(fx, &fake_id("top-artist", n))),
        "tracks" => page(ctx, |n| track(fx, &fake_id("top-track", n))),
        _ => Err(Reply::error(400, "Invalid type: artists or tracks")),
    }
}

/// `type=` of the follow operations: `artist` or `user`.
fn follow_type(ctx: &Ctx<'_>) -> Result<(), Reply> {
    match ctx.query.get("type") {
        Some("artist" | "user") => Ok(()),
        _ => Err(Reply::error(400, "Invalid type: artist or user")),
    }
}

/// `GET /me/following?type=artist`: `{"artists": CursorPaging<Artist>}`, the cursor being the
/// last artist's id.
fn followed_artists(ctx: &Ctx<'_>) -> Result<Value, Reply> {
    if ctx.query.get("type") != Some("artist") {
        return Err(Reply::error(400, "Invalid type: only artist is supported"));
    }
    let id = |n: usize| {
        if n == 0 {
            ARTIST_ID.to_owned()
        } else {
            fake_id("followed-artist", n)
        }
    };
    let start = match ctx.query.non_empty("after") {
        None => 0,
        // An unknown cursor is past the end: an empty last page.
        Some(after) => (0..LIST_LEN)
            .find(|n| id(*n) == after)
            .map_or(LIST_LEN, |n| n + 1),
    };
    let limit = paging::limit(ctx.query)?;
    let page = CursorPage {
        at: ctx.at(),
        limit,
        range: start..start.saturating_add(limit),
        with_before: false,
        with_total: true,
    };
    let fx = ctx.fx();
    Ok(json!({ "artists": page.render(id, |n| artist(fx, &id(n))) }))
}

#[cfg(test)]
mod tests {
    use super::booleans;

    #[test]
    fn one_boolean_per_id() {
        assert_eq!(booleans(3), serde_json::json!([true, false, true]));
        assert_eq!(booleans(0), serde_json::json!([]));
    }
}
