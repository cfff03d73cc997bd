//! An operator's glob cannot make a page slow: matching is linear in the path,
//! so a pattern of many stars against a path of many dashes answers at once.

use std::time::{Duration, Instant};

use rocket::http::Status;

use crate::support::*;

/// An experiment whose audience reads the glob on every page (the request's
/// own path is a pending visit the rules see).
const RULES: &str = r#"
[segments.sale]
when = { visited = { path = "/products/*-*-*-*-sale" } }
[slots."home.hero"]
default = { title = { en = "Hello" } }
[experiments.hero-copy]
slot = "home.hero"
audience = "sale"
[[experiments.hero-copy.variants]]
name = "control"
weight = 1
[[experiments.hero-copy.variants]]
name = "bold"
weight = 1
title = { en = "Bold" }
"#;

#[rocket::async_test]
async fn a_pathological_glob_answers_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, RULES).unwrap();
    let app = untracked_app_with(|f| f.merge(("personalisation.file", &rules))).await;
    let path = format!("/products/{}", "-".repeat(190));
    // Warm: the first request loads what pages share.
    app.get("/").dispatch().await;
    let started = Instant::now();
    let page = app.get(path).dispatch().await;
    let took = started.elapsed();
    assert_eq!(page.status(), Status::NotFound);
    assert!(took < Duration::from_millis(250), "{took:?} for one page");
}

#[test]
fn a_glob_too_long_for_the_matcher_is_refused_at_load() {
    let long = format!(
        "[segments.x]\nwhen = {{ visited = {{ path = \"/a/*{}\" }} }}\n",
        "b".repeat(200)
    );
    let e = tailor::personalisation::rules::parse(&long).unwrap_err();
    assert!(
        e.contains("segments.x") && e.contains("visited.path"),
        "{e}"
    );
}
