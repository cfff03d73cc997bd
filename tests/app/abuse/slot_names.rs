//! One visitor's slot text never reaches another: variant names that could
//! stand for two contents are refused at load, and the render cache tells
//! contents apart by position, not by name.

use rocket::http::Status;

use crate::support::*;

const SEGMENTS: &str = r#"
[segments.vip]
when = { cart_items = { min = 3 } }
[segments.partner]
when = { logged_in = true }
"#;

const TWO_PROMOS: &str = r#"
[slots."home.hero"]
default = { title = { en = "Welcome" } }
[[slots."home.hero".variants]]
name = "promo"
segment = "vip"
title = { en = "Your private discount code is VIP-1234" }
[[slots."home.hero".variants]]
name = "promo"
segment = "partner"
title = { en = "Welcome, partner" }
"#;

const SLOT_AND_EXPERIMENT_BOLD: &str = r#"
[slots."home.hero"]
default = { title = { en = "Welcome" } }
[[slots."home.hero".variants]]
name = "bold"
segment = "vip"
title = { en = "Your private discount code is VIP-1234" }
[experiments.hero-copy]
slot = "home.hero"
[[experiments.hero-copy.variants]]
name = "control"
weight = 1
[[experiments.hero-copy.variants]]
name = "bold"
weight = 1
title = { en = "Bold words" }
"#;

#[test]
fn two_variants_of_one_slot_may_not_share_a_name() {
    let e = tailor::personalisation::rules::parse(&format!("{SEGMENTS}{TWO_PROMOS}"))
        .expect_err("two `promo` variants are refused");
    assert!(
        e.contains("slots.\"home.hero\".variants[1] (promo)") && e.contains("variants[0]"),
        "the error names both variants: {e}"
    );
}

#[test]
fn an_experiment_variant_may_not_take_its_slots_variant_name() {
    let e = tailor::personalisation::rules::parse(&format!("{SEGMENTS}{SLOT_AND_EXPERIMENT_BOLD}"))
        .expect_err("`bold` in the slot and in its experiment is refused");
    assert!(
        e.contains("experiments.hero-copy") && e.contains("slots.\"home.hero\".variants[0]"),
        "the error names both items: {e}"
    );
    let e = tailor::personalisation::rules::parse(&format!(
        "{SEGMENTS}{}",
        TWO_PROMOS.replace(
            "name = \"promo\"\nsegment = \"vip\"",
            "name = \"default\"\nsegment = \"vip\""
        )
    ))
    .expect_err("a variant named `default` is refused");
    assert!(e.contains("default"), "{e}");
}

#[rocket::async_test]
async fn a_rules_file_with_colliding_names_stops_the_launch() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rules.toml");
    std::fs::write(&path, format!("{SEGMENTS}{TWO_PROMOS}")).unwrap();
    let data = tempfile::tempdir().unwrap();
    let launched = tailor::build(figment(&data).merge(("personalisation.file", &path)))
        .ignite()
        .await;
    match launched {
        Ok(_) => panic!("the launch stops"),
        // A launch error panics when dropped unread.
        Err(e) => drop(e.kind()),
    }
}

/// Two distinct names, two segments: the VIP's cached page never reaches the
/// partner, whose context differs only in the slot's choice.
#[rocket::async_test]
async fn a_vips_cached_hero_is_never_shown_to_a_partner() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rules.toml");
    let rules = TWO_PROMOS.replacen("name = \"promo\"", "name = \"vip-promo\"", 1);
    std::fs::write(&path, format!("{SEGMENTS}{rules}")).unwrap();
    let app = untracked_app_with(|f| f.merge(("personalisation.file", &path))).await;
    let vip = Browser::new(&app);
    for _ in 0..3 {
        let added = vip
            .send_json(
                rocket::http::Method::Post,
                "/api/v1/cart/items",
                &serde_json::json!({"product": "chinos"}),
            )
            .await;
        assert_eq!(added.status(), Status::Ok);
    }
    assert!(vip.text("/").await.contains("VIP-1234"));
    let partner = Browser::new(&app);
    assert_eq!(
        partner.register("partner1", "correct horse battery").await,
        Status::SeeOther
    );
    let home = partner.text("/").await;
    assert!(
        !home.contains("VIP-1234"),
        "the partner sees their own hero"
    );
    assert!(home.contains("Welcome, partner"));
}
