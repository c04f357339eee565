//! Properties of the token model: scope normalisation and the JSON formats, on arbitrary input.

use proptest::prelude::*;
use spotipie::{ManualClock, OAuth2Token, Scope};

fn scope_word() -> impl Strategy<Value = String> {
    "[a-z][a-z-]{0,20}"
}

proptest! {
    #[test]
    fn scope_ignores_order_repetition_and_spacing(words in prop::collection::vec(scope_word(), 0..8), spaces in 1usize..4) {
        let forward = Scope::parse(&words.join(&" ".repeat(spaces)));
        let mut backward = words.clone();
        backward.reverse();
        backward.extend(words.iter().cloned());
        let from_list: Scope = backward.iter().collect();
        prop_assert_eq!(&forward, &from_list);
        prop_assert_eq!(Scope::parse(&forward.to_string()), forward.clone());
        let sorted: Vec<&str> = forward.iter().collect();
        let mut check = sorted.clone();
        check.sort_unstable();
        check.dedup();
        prop_assert_eq!(sorted, check);
    }

    #[test]
    fn spotipie_json_round_trips(
        access in "[A-Za-z0-9_-]{1,40}",
        refresh in prop::option::of("[A-Za-z0-9_-]{1,40}"),
        words in prop::collection::vec(scope_word(), 0..5),
        expires_in in 0u64..100_000,
        now in 0.0f64..2e9,
    ) {
        let clock = ManualClock::new(now);
        let mut token = OAuth2Token::new(access, std::time::Duration::from_secs(expires_in), &clock)
            .with_scope(Scope::from_iter(&words));
        if let Some(refresh) = refresh {
            token = token.with_refresh_token(refresh);
        }
        let back = OAuth2Token::from_json(&token.to_json(), &clock).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back, token);
    }

    #[test]
    fn arbitrary_text_never_panics_the_token_reader(text in ".{0,200}") {
        let clock = ManualClock::new(0.0);
        let _ = OAuth2Token::from_json(&text, &clock);
    }
}
