//! Restarts, splits and flips: `version = 2` starts an experiment afresh (the
//! old version's figures kept under the new one), a change of weights starts a
//! new split whose participants alone make the figures, and no stored
//! assignment ever changes variant (1,000 visitors walked through login, a
//! second device and a change of weights).

use rocket::futures::future::join_all;
use serde_json::{json, Value};

use rocket::http::Status;

use crate::experiments::{app_with_rules, even, hero, BOLD};

const PASSWORD: &str = "correct horse battery";
use crate::support::*;

/// The experiments report in English.
async fn report_page(app: &TestApp) -> String {
    admin_text(app, "/admin/experiments").await
}

/// Writes `rules` and waits until the report contains `marker` (asking no
/// visitor's page, which would count one).
async fn reload(app: &TestApp, path: &std::path::Path, rules: &str, marker: &str) {
    std::thread::sleep(std::time::Duration::from_millis(1100)); // a newer modification time
    std::fs::write(path, rules).unwrap();
    for _ in 0..60 {
        if report_page(app).await.contains(marker) {
            return;
        }
        rocket::tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the new rules never applied: no {marker:?} in the report");
}

/// The CSV rows of `hero-copy`'s `variant` for goal `contact`, as
/// (participants, version).
async fn csv_rows(app: &TestApp, variant: &str) -> Vec<(u64, u64)> {
    let csv = admin_text(app, "/admin/experiments.csv").await;
    csv.lines()
        .map(|l| {
            l.split(',')
                .map(|c| c.trim_matches('"'))
                .collect::<Vec<_>>()
        })
        .filter(|c| c[0] == "hero-copy" && c[1] == variant && c[4] == "contact")
        .map(|c| (c[2].parse().unwrap(), c[12].parse().unwrap()))
        .collect()
}

#[rocket::async_test]
async fn a_new_version_draws_everybody_afresh_and_keeps_the_old_figures() {
    let (app, path) = app_with_rules(BOLD).await;
    let b = Browser::new(&app);
    assert_eq!(hero(&b.text("/").await), "bold");
    assert_eq!(b.register("versioner", PASSWORD).await, Status::SeeOther);
    assert_eq!(csv_rows(&app, "bold").await, [(1, 1)]);
    // Version 2, whose draw is nearly always control.
    let v2 = BOLD
        .replace(
            "name = \"control\"\nweight = 1",
            "name = \"control\"\nweight = 1000000",
        )
        .replace(
            "name = \"bold\"\nweight = 1000000",
            "name = \"bold\"\nweight = 1",
        )
        .replace(
            "goals = [\"contact\", \"checkout\"]",
            "goals = [\"contact\", \"checkout\"]\nversion = 2",
        );
    reload(&app, &path, &v2, "version 2").await;
    assert_eq!(hero(&b.text("/").await), "default", "drawn afresh: control");
    let session: Value = b.json("/api/v1/session").await;
    assert_eq!(
        session["experiments"]["hero-copy"]["version"], 2,
        "{session}"
    );
    assert_eq!(session["experiments"]["hero-copy"]["variant"], "control");
    let account = &session["account"]["experiments"]["hero-copy"];
    assert_eq!(
        (&account["variant"], &account["version"]),
        (&json!("control"), &json!(2)),
        "{session}"
    );
    assert_eq!(account["earlier"][0]["variant"], "bold", "{session}");
    assert_eq!(
        account["earlier"][0]["version"], 1,
        "the account keeps the old one"
    );
    assert_eq!(
        csv_rows(&app, "control").await,
        [(1, 2), (0, 1)],
        "v2 first, then v1"
    );
    assert_eq!(
        csv_rows(&app, "bold").await,
        [(0, 2), (1, 1)],
        "v1's figures kept"
    );
    let page = report_page(&app).await;
    assert!(page.contains("Earlier figures: version 1"), "{page}");
    assert!(
        page.contains("Flips: 0"),
        "a version bump is not a flip: {page}"
    );
}

/// A visitor's three views: anonymous, after registering, on a second device
/// after logging in there; then both devices again after the weights change.
struct Walker<'c> {
    one: Browser<'c>,
    two: Browser<'c>,
    seen: String,
}

async fn walk<'c>(app: &'c TestApp, i: usize) -> Walker<'c> {
    let ip = |device: usize| format!("10.{}.{}.{}", device, i / 250, i % 250 + 1);
    let (one, two) = (Browser::at(app, &ip(1)), Browser::at(app, &ip(2)));
    let seen = hero(&one.text("/").await);
    let name = format!("walker{i}");
    assert_eq!(one.register(&name, PASSWORD).await, Status::SeeOther);
    assert_eq!(
        hero(&one.text("/").await),
        seen,
        "visitor {i} after registering"
    );
    // A 503 (the hashing pool shared by the tests running at once was full)
    // is tried again, as its Retry-After asks.
    let mut status = Status::ServiceUnavailable;
    for _ in 0..50 {
        status = two.login(&name, PASSWORD).await.status();
        if status != Status::ServiceUnavailable {
            break;
        }
        rocket::tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(
        status,
        Status::SeeOther,
        "visitor {i} logs in on a second device"
    );
    assert_eq!(
        hero(&two.text("/").await),
        seen,
        "visitor {i} on a second device"
    );
    Walker { one, two, seen }
}

#[rocket::async_test]
async fn a_thousand_visitors_keep_their_variant_through_login_devices_and_new_weights() {
    const VISITORS: usize = 1_000;
    let (app, path) = app_with_rules(&even()).await;
    let mut walkers = Vec::with_capacity(VISITORS);
    for batch in (0..VISITORS).collect::<Vec<_>>().chunks(8) {
        walkers.extend(join_all(batch.iter().map(|&i| walk(&app, i))).await);
    }
    let bold = walkers.iter().filter(|w| w.seen == "bold").count();
    assert!(
        (400..=600).contains(&bold),
        "50/50: {bold} of {VISITORS} drew bold"
    );
    // 50/50 → 10/90, no version bump: a new split, nobody's variant changes.
    let skewed = even().replace("name = \"bold\"\nweight = 1", "name = \"bold\"\nweight = 9");
    reload(&app, &path, &skewed, "Weights changed on").await;
    for batch in walkers.chunks(8) {
        join_all(batch.iter().enumerate().map(|(i, w)| async move {
            assert_eq!(hero(&w.one.text("/").await), w.seen, "device one of {i}");
            assert_eq!(hero(&w.two.text("/").await), w.seen, "device two of {i}");
        }))
        .await;
    }
    // Newcomers draw by the new weights, and make the current split's figures.
    let mut newcomers = 0;
    for i in 0..200 {
        let b = Browser::at(&app, &format!("10.9.{}.{}", i / 250, i % 250 + 1));
        newcomers += usize::from(hero(&b.text("/").await) == "bold");
    }
    assert!(newcomers >= 160, "10/90: {newcomers} of 200 drew bold");
    let page = report_page(&app).await;
    assert!(page.contains("Flips: 0"), "{page}");
    assert!(
        page.contains("control 1, bold 1"),
        "the earlier split, named: {page}"
    );
    let now: u64 = csv_rows(&app, "bold").await[0].0 + csv_rows(&app, "control").await[0].0;
    assert_eq!(
        now, 200,
        "only the new split's participants in the current figures"
    );
}
