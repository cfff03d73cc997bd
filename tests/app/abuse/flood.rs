//! Sessions under flood: cookieless page views never evict a session that holds
//! something its visitor chose.

use std::sync::Arc;

use rocket::http::{Cookie, Method, Status};
use serde_json::json;

use crate::support::*;

#[rocket::async_test]
async fn four_times_capacity_of_cookieless_views_evicts_no_visitors_choice() {
    let capacity = 200;
    let app = Arc::new(untracked_app_with(|f| f.merge(("session.capacity", capacity))).await);
    // Visitors who chose something: a theme, a cart line, a draft, a login, a
    // refusal of tracking.
    let mut keepers = Vec::new();
    for i in 0..10 {
        let b = Browser::new(&app);
        let theme = if i % 2 == 0 { "dark" } else { "high-contrast" };
        b.send_json(Method::Put, "/api/v1/preferences", &json!({"theme": theme}))
            .await;
        keepers.push((b.cookie().unwrap(), "theme", theme.to_owned()));
    }
    let b = Browser::new(&app);
    b.send_json(
        Method::Post,
        "/api/v1/cart/items",
        &json!({"product": "chinos"}),
    )
    .await;
    keepers.push((b.cookie().unwrap(), "cart", "chinos".into()));
    let b = Browser::new(&app);
    b.send_json(
        Method::Put,
        "/api/v1/drafts/contact",
        &json!({"fields": {"name": "Draft"}}),
    )
    .await;
    keepers.push((b.cookie().unwrap(), "draft", "Draft".into()));
    let b = Browser::new(&app);
    assert_eq!(
        b.register("survivor", "correct horse battery").await,
        Status::SeeOther
    );
    keepers.push((b.cookie().unwrap(), "login", "survivor".into()));
    let b = Browser::new(&app);
    b.send_json(
        Method::Put,
        "/api/v1/preferences",
        &json!({"tracking": false}),
    )
    .await;
    keepers.push((b.cookie().unwrap(), "tracking", "false".into()));

    // One client, no cookie, four times the capacity of first page views, at once.
    let flood: Vec<_> = (0..4 * capacity)
        .map(|_| {
            let app = app.clone();
            rocket::tokio::spawn(async move { app.get("/").dispatch().await.status() })
        })
        .collect();
    for view in flood {
        assert_eq!(view.await.unwrap(), Status::Ok, "a first visit still works");
    }

    for (cookie, what, expected) in keepers {
        let get = |path: &'static str| {
            app.get(path)
                .cookie(Cookie::new("tailor_sid", cookie.clone()))
                .dispatch()
        };
        let found = match what {
            "theme" => json(get("/api/v1/preferences").await).await["theme"].clone(),
            "tracking" => json(get("/api/v1/preferences").await).await["tracking"].clone(),
            "cart" => json(get("/api/v1/cart").await).await["items"][0]["product"].clone(),
            "draft" => json(get("/api/v1/drafts/contact").await).await["fields"]["name"].clone(),
            _ => json(get("/api/v1/session").await).await["user"]["username"].clone(),
        };
        let found = found
            .as_str()
            .map(str::to_owned)
            .unwrap_or(found.to_string());
        assert_eq!(found, expected, "the {what} survived the flood");
    }
    let metrics = get_text(&app, "/metrics").await;
    let live: usize = metrics
        .lines()
        .find_map(|l| l.strip_prefix("tailor_sessions_live "))
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(
        live <= capacity,
        "the store stays within its capacity: {live}"
    );
}

#[rocket::async_test]
async fn the_memory_store_is_bounded_in_bytes_too() {
    let app = untracked_app_with(|f| f.merge(("session.max_memory_bytes", 256 * 1024))).await;
    let b = Browser::new(&app);
    b.send_json(
        Method::Put,
        "/api/v1/preferences",
        &json!({"theme": "dark"}),
    )
    .await;
    let keeper = b.cookie().unwrap();
    for _ in 0..2000 {
        app.get("/").dispatch().await;
    }
    let metrics = get_text(&app, "/metrics").await;
    let bytes: usize = metrics
        .lines()
        .find_map(|l| l.strip_prefix("tailor_session_bytes "))
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(bytes <= 256 * 1024, "within max_memory_bytes: {bytes}");
    let prefs = app
        .get("/api/v1/preferences")
        .cookie(Cookie::new("tailor_sid", keeper))
        .dispatch()
        .await;
    assert_eq!(json(prefs).await["theme"], "dark");
}

/// An experiment everybody takes part in: every cookieless view draws a variant.
const FOR_EVERYONE: &str = r#"
[slots."home.hero"]
default = { title = { en = "Hello" } }
[experiments.hero-copy]
slot = "home.hero"
goals = ["contact"]
[[experiments.hero-copy.variants]]
name = "control"
weight = 1
[[experiments.hero-copy.variants]]
name = "bold"
weight = 1
title = { en = "Bold hello" }
"#;

#[rocket::async_test]
async fn an_experiment_for_everyone_does_not_undo_the_flood_protection() {
    // Arrange: capacity 50, five visitors who saved a theme, an experiment
    // without an audience.
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, FOR_EVERYONE).unwrap();
    let app = untracked_app_with(|f| {
        with_admin(f)
            .merge(("session.capacity", 50))
            .merge(("personalisation.file", &rules))
    })
    .await;
    let mut keepers = Vec::new();
    for _ in 0..5 {
        let b = Browser::new(&app);
        assert!(!b.text("/").await.is_empty());
        let saved = b
            .send_json(
                Method::Put,
                "/api/v1/preferences",
                &json!({"theme": "dark"}),
            )
            .await;
        assert_eq!(saved.status(), Status::Ok);
        keepers.push(b.cookie().unwrap());
    }

    // Act: 200 cookieless views of the page showing the experiment.
    for _ in 0..200 {
        assert_eq!(app.get("/").dispatch().await.status(), Status::Ok);
    }

    // Assert: every saved theme survived; each participant counted once, at
    // the draw (eviction takes nothing back and adds nothing).
    for cookie in keepers {
        let prefs = app
            .get("/api/v1/preferences")
            .cookie(Cookie::new("tailor_sid", cookie))
            .dispatch()
            .await;
        assert_eq!(json(prefs).await["theme"], "dark", "the theme survived");
    }
    let csv = admin_text(&app, "/admin/experiments.csv").await;
    let participants: u64 = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(2)?.trim_matches('"').parse::<u64>().ok())
        .sum();
    assert_eq!(participants, 205, "{csv}");
}
