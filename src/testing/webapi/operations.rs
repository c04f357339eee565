//! The catalogue's content: albums, artists, audiobooks, categories, chapters, episodes, genres,
//! markets, shows, tracks and search. The user's own things (library, player, playlists,
//! follows, profile) are in [`personal`](super::personal).

use serde_json::{json, Value};

use super::fixtures::{
    album, artist, artist_album, audio_analysis, audio_features, audiobook, category, chapter,
    episode, fake_id, genres, markets, playlist_item, recommendations, show, simplified_album,
    simplified_audiobook, simplified_chapter, simplified_episode, simplified_playlist,
    simplified_show, simplified_track, track, Fx, CATEGORY_IDS,
};
use super::paging::{self, offset_page};
use super::validate::is_base62_id;
use super::{personal, Ctx};
use crate::testing::api::Reply;

/// The answer to the operation of `ctx`.
pub(crate) fn answer(ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let fx = ctx.fx();
    let id = ctx.param("id");
    let body = match ctx.op.id {
        // Albums
        "get_an_album" => album(fx, id),
        "get_multiple_albums" => json!({ "albums": each_id(ctx, |id| album(fx, id)) }),
        "get_an_albums_tracks" => page(ctx, |n| {
            simplified_track(fx, &fake_id("album-track", n), n + 1)
        })?,
        "get_new_releases" => json!({
            "albums": page(ctx, |n| simplified_album(fx, &fake_id("new-release", n)))?
        }),
        // Artists
        "get_an_artist" => artist(fx, id),
        "get_multiple_artists" => json!({ "artists": each_id(ctx, |id| artist(fx, id)) }),
        "get_an_artists_albums" => artist_albums(ctx)?,
        "get_an_artists_top_tracks" => {
            json!({ "tracks": list(|n| track(fx, &fake_id("top-track", n))) })
        }
        "get_an_artists_related_artists" => {
            json!({ "artists": list(|n| artist(fx, &fake_id("related-artist", n))) })
        }
        // Audiobooks and chapters
        "get_an_audiobook" => audiobook(fx, id),
        "get_multiple_audiobooks" => {
            json!({ "audiobooks": each_id(ctx, |id| audiobook(fx, id)) })
        }
        "get_audiobook_chapters" => page(ctx, |n| {
            simplified_chapter(fx, &fake_id("audiobook-chapter", n), n)
        })?,
        "get_a_chapter" => chapter(fx, id),
        "get_several_chapters" => json!({ "chapters": each_id(ctx, |id| chapter(fx, id)) }),
        // Categories
        "get_categories" => json!({
            "categories": page(ctx, |n| category(fx, CATEGORY_IDS[n % CATEGORY_IDS.len()]))?
        }),
        "get_a_category" => category(fx, ctx.param("category_id")),
        "get_featured_playlists" => json!({
            "message": "Fake featured playlists",
            "playlists": page(ctx, |n| simplified_playlist(fx, &fake_id("featured", n), "spotify"))?,
        }),
        "get_a_categories_playlists" => json!({
            "message": format!("Fake playlists for {}", ctx.param("category_id")),
            "playlists": page(ctx, |n| {
                simplified_playlist(fx, &fake_id("category-playlist", n), "spotify")
            })?,
        }),
        // Episodes and shows
        "get_an_episode" => episode(fx, id),
        "get_multiple_episodes" => json!({ "episodes": each_id(ctx, |id| episode(fx, id)) }),
        "get_a_show" => show(fx, id),
        "get_multiple_shows" => json!({ "shows": each_id(ctx, |id| simplified_show(fx, id)) }),
        "get_a_shows_episodes" => {
            page(ctx, |n| simplified_episode(fx, &fake_id("show-episode", n)))?
        }
        // Genres, markets
        "get_recommendation_genres" => genres(),
        "get_available_markets" => markets(),
        // Playlists (the content; changes are personal)
        "get_playlists_tracks" | "get_playlists_items" => page(ctx, |n| playlist_item(fx, n))?,
        // Tracks
        "get_track" => track(fx, id),
        "get_several_tracks" => json!({ "tracks": each_id(ctx, |id| track(fx, id)) }),
        "get_several_audio_features" => {
            json!({ "audio_features": each_id(ctx, |id| audio_features(fx, id)) })
        }
        "get_audio_features" => audio_features(fx, id),
        "get_audio_analysis" => audio_analysis(),
        "get_recommendations" => recommend(ctx)?,
        "search" => search(ctx)?,
        _ => return personal::answer(ctx),
    };
    Ok(Reply::ok(body))
}

/// An offset page of the request's list, whose `n`-th item is `item(n)`.
pub(crate) fn page(ctx: &Ctx<'_>, item: impl Fn(usize) -> Value) -> Result<Value, Reply> {
    Ok(offset_page(ctx.at(), paging::window(ctx.query)?, item))
}

/// One object per id of `ids=`, in order.
pub(crate) fn each_id(ctx: &Ctx<'_>, object: impl Fn(&str) -> Value) -> Vec<Value> {
    ctx.query.list("ids").into_iter().map(object).collect()
}

/// The whole fixed list, unpaged.
fn list(item: impl Fn(usize) -> Value) -> Vec<Value> {
    (0..paging::LIST_LEN).map(item).collect()
}

fn artist_albums(ctx: &Ctx<'_>) -> Result<Value, Reply> {
    const GROUPS: [&str; 4] = ["album", "single", "appears_on", "compilation"];
    if ctx
        .query
        .list("include_groups")
        .iter()
        .any(|group| !GROUPS.contains(group))
    {
        return Err(Reply::error(400, "Invalid include_groups"));
    }
    let fx = ctx.fx();
    page(ctx, |n| artist_album(fx, &fake_id("artist-album", n)))
}

/// `GET /v1/recommendations`: 1 to 5 seeds, `limit` (default 20) tracks, at most 100.
fn recommend(ctx: &Ctx<'_>) -> Result<Value, Reply> {
    let mut seeds: Vec<(&str, &str)> = Vec::new();
    for (param, kind) in [
        ("seed_artists", "artist"),
        ("seed_genres", "genre"),
        ("seed_tracks", "track"),
    ] {
        for seed in ctx.query.list(param) {
            if seed.is_empty() || (kind != "genre" && !is_base62_id(seed)) {
                return Err(Reply::error(400, &format!("Invalid {param}")));
            }
            seeds.push((kind, seed));
        }
    }
    if !(1..=5).contains(&seeds.len()) {
        return Err(Reply::error(
            400,
            "Between 1 and 5 seeds (seed_artists, seed_genres, seed_tracks) are required",
        ));
    }
    let limit = match ctx.query.get("limit") {
        None => 20,
        Some(raw) => raw
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|limit| (1..=100).contains(limit))
            .ok_or_else(|| Reply::error(400, "Invalid limit"))?,
    };
    Ok(recommendations(ctx.fx(), &seeds, limit))
}

/// `GET /v1/search`: one page per requested type, under the type's plural.
fn search(ctx: &Ctx<'_>) -> Result<Value, Reply> {
    let window = paging::window(ctx.query)?;
    let fx = ctx.fx();
    let mut results = json!({});
    for kind in ctx.query.list("type") {
        let (key, item): (&str, fn(Fx<'_>, usize) -> Value) = match kind {
            "album" => ("albums", |fx, n| {
                simplified_album(fx, &fake_id("search-album", n))
            }),
            "artist" => ("artists", |fx, n| artist(fx, &fake_id("search-artist", n))),
            "playlist" => ("playlists", |fx, n| {
                simplified_playlist(fx, &fake_id("search-playlist", n), "spotify")
            }),
            "track" => ("tracks", |fx, n| track(fx, &fake_id("search-track", n))),
            "show" => ("shows", |fx, n| {
                simplified_show(fx, &fake_id("search-show", n))
            }),
            "episode" => ("episodes", |fx, n| {
                simplified_episode(fx, &fake_id("search-episode", n))
            }),
            "audiobook" => ("audiobooks", |fx, n| {
                simplified_audiobook(fx, &fake_id("search-audiobook", n))
            }),
            other => return Err(Reply::error(400, &format!("Bad search type field {other}"))),
        };
        results[key] = offset_page(ctx.at(), window, |n| item(fx, n));
    }
    Ok(results)
}
