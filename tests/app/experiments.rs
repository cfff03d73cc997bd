//! Experiments: assignment at the first render of the slot, stickiness (reloads,
//! login, other devices, the account's assignment winning), who is never
//! assigned or counted (GPC, DNT, bots), the counts (participants, exposures,
//! conversions once per participant and goal), a removed variant, the export,
//! forgetting, and the report with its CSV.

use std::time::Duration;

use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::Client;
use serde_json::{json, Value};

use crate::support::*;

/// An experiment on the home hero whose `bold` arm nearly everybody draws.
pub(crate) const BOLD: &str = r#"
[segments.everyone]
when = { visits = { min = 1 } }

[slots."home.hero"]
default = { title = { en = "Hello" } }

[experiments.hero-copy]
slot = "home.hero"
goals = ["contact", "checkout"]

[[experiments.hero-copy.variants]]
name = "control"
weight = 1

[[experiments.hero-copy.variants]]
name = "bold"
weight = 1000000
title = { en = "Bold hello", es = "Hola audaz" }
"#;

/// The same experiment with even weights.
pub(crate) fn even() -> String {
    BOLD.replace("weight = 1000000", "weight = 1")
}

/// An app whose rules are `rules` (the file lives in the app's temp dir).
pub(crate) async fn app_with_rules(rules: &str) -> (TestApp, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rules.toml");
    std::fs::write(&path, rules).unwrap();
    let app = untracked_app_with(|f| with_admin(f).merge(("personalisation.file", &path))).await;
    // The rules file's directory lives as long as the test.
    std::mem::forget(dir);
    (app, path)
}

/// The variant the home page's hero shows.
pub(crate) fn hero(html: &str) -> String {
    let marker = "data-slot=\"home.hero\" data-variant=\"";
    let start = html.find(marker).map(|i| i + marker.len()).unwrap_or(0);
    let end = html[start..].find('"').map_or(start, |e| e + start);
    html[start..end].to_owned()
}

/// The experiments CSV's rows (after the header) as cells.
async fn report(client: &Client) -> Vec<Vec<String>> {
    let csv = admin_text(client, "/admin/experiments.csv").await;
    csv.lines()
        .skip(1)
        .map(|l| {
            l.split(',')
                .map(|c| c.trim_matches('"').to_owned())
                .collect()
        })
        .collect()
}

/// (participants, exposures, conversions) of `variant` for `goal`.
pub(crate) async fn counts(client: &Client, variant: &str, goal: &str) -> (u64, u64, u64) {
    let rows = report(client).await;
    let row = rows
        .iter()
        .find(|r| r[0] == "hero-copy" && r[1] == variant && r[4] == goal);
    row.map_or((0, 0, 0), |r| {
        (
            r[2].parse().unwrap(),
            r[3].parse().unwrap(),
            r[5].parse().unwrap(),
        )
    })
}

#[rocket::async_test]
async fn a_participant_is_assigned_at_the_first_render_and_keeps_the_variant() {
    let (app, _) = app_with_rules(BOLD).await;
    let b = Browser::new(&app);
    // The JSON API never assigns.
    let before = b.json("/api/v1/personalisation").await;
    assert_eq!(before["experiments"], json!({}));
    let page = b.text("/").await;
    assert_eq!(hero(&page), "bold");
    assert!(page.contains("Bold hello"), "{page}");
    for _ in 0..4 {
        assert_eq!(hero(&b.text("/").await), "bold");
    }
    // Pages without the slot are no exposures.
    b.get("/cart").await;
    let api = b.json("/api/v1/personalisation").await;
    assert_eq!(api["experiments"], json!({"hero-copy": "bold"}));
    assert_eq!(api["slots"]["home.hero"], "bold");
    assert_eq!(counts(&app, "bold", "contact").await, (1, 5, 0));
    // In Spanish too.
    let spanish = b
        .send(app.get("/").header(accept_language("es")))
        .await
        .into_string()
        .await
        .unwrap();
    assert!(spanish.contains("Hola audaz"));
}

#[rocket::async_test]
async fn tracking_off_and_bots_are_never_assigned_or_counted() {
    let (app, _) = app_with_rules(BOLD).await;
    for header in [
        Header::new("Sec-GPC", "1"),
        Header::new("DNT", "1"),
        Header::new(
            "User-Agent",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        ),
    ] {
        let b = Browser::new(&app);
        for _ in 0..2 {
            let page = b.send(app.get("/").header(header.clone())).await;
            assert_eq!(hero(&page.into_string().await.unwrap()), "default");
        }
        let api = b
            .send(app.get("/api/v1/personalisation").header(header.clone()))
            .await;
        assert_eq!(json(api).await["experiments"], json!({}));
    }
    let off = Browser::new(&app);
    let put = off
        .send_json(
            Method::Put,
            "/api/v1/preferences",
            &json!({"tracking": false}),
        )
        .await;
    assert_eq!(put.status(), Status::Ok);
    assert_eq!(hero(&off.text("/").await), "default");
    assert_eq!(counts(&app, "bold", "contact").await, (0, 0, 0));

    // Assigned earlier, then GPC: the slot without the experiment, uncounted;
    // the assignment stays.
    let b = Browser::new(&app);
    assert_eq!(hero(&b.text("/").await), "bold");
    let gpc = b
        .send(app.get("/").header(Header::new("Sec-GPC", "1")))
        .await;
    assert_eq!(hero(&gpc.into_string().await.unwrap()), "default");
    assert_eq!(counts(&app, "bold", "contact").await, (1, 1, 0));
    let export = b.json("/api/v1/session").await;
    assert_eq!(export["experiments"]["hero-copy"]["variant"], "bold");
    assert_eq!(hero(&b.text("/").await), "bold", "back without GPC");
}

use rocket::http::Method;

#[rocket::async_test]
async fn in_opt_in_mode_nobody_takes_part_before_consent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rules.toml");
    std::fs::write(&path, BOLD).unwrap();
    let app = untracked_app_with(|f| {
        with_admin(f)
            .merge(("personalisation.file", &path))
            .merge(("tracking.consent", "opt-in"))
    })
    .await;
    let b = Browser::new(&app);
    for _ in 0..3 {
        assert_eq!(hero(&b.text("/").await), "default");
    }
    assert_eq!(
        b.json("/api/v1/personalisation").await["experiments"],
        json!({})
    );
    assert_eq!(counts(&app, "bold", "contact").await, (0, 0, 0));
}

pub(crate) async fn send_contact(b: &Browser<'_>) -> Status {
    let token = csrf_token(&b.text("/forms/contact").await);
    b.post_form(
        "/forms/contact",
        &[
            ("csrf_token", &token),
            ("action", "submit"),
            ("name", "Ada"),
            ("email", "ada@example.org"),
            ("topic", "sales"),
            ("message", "Hello"),
        ],
    )
    .await
    .status()
}

#[rocket::async_test]
async fn conversions_count_once_per_participant_and_goal() {
    let (app, _) = app_with_rules(BOLD).await;
    let b = Browser::new(&app);
    assert_eq!(hero(&b.text("/").await), "bold");
    assert_eq!(send_contact(&b).await, Status::SeeOther);
    assert_eq!(send_contact(&b).await, Status::SeeOther);
    let token = csrf_token(&b.text("/products").await);
    let added = b
        .post_form(
            "/cart/add",
            &[
                ("csrf_token", &token),
                ("product", "silk-tie"),
                ("quantity", "1"),
            ],
        )
        .await;
    assert_eq!(added.status(), Status::SeeOther);
    let ordered = b
        .post_form("/cart/checkout", &[("csrf_token", &token)])
        .await;
    assert_eq!(ordered.status(), Status::SeeOther);
    assert_eq!(counts(&app, "bold", "contact").await.2, 1);
    assert_eq!(counts(&app, "bold", "checkout").await.2, 1);
    // A visitor who never saw the slot converts for no experiment.
    let other = Browser::new(&app);
    assert_eq!(send_contact(&other).await, Status::SeeOther);
    assert_eq!(counts(&app, "bold", "contact").await, (1, 1, 1));

    // The CSV is formula-proof and the page renders, with "not enough data".
    let page = admin_text(&app, "/admin/experiments").await;
    assert!(
        page.contains("hero-copy") && page.contains("not enough data"),
        "{page}"
    );
    let unauthorised = app.get("/admin/experiments.csv").dispatch().await;
    assert_eq!(unauthorised.status(), Status::Unauthorized);
}

const PASSWORD: &str = "correct horse battery";

#[rocket::async_test]
async fn the_account_keeps_the_assignment_on_every_device_and_wins_at_login() {
    let (app, _) = app_with_rules(&even()).await;
    let a = Browser::new(&app);
    let mine = hero(&a.text("/").await);
    assert_eq!(a.register("experimenter", PASSWORD).await, Status::SeeOther);
    assert_eq!(hero(&a.text("/").await), mine, "login keeps the variant");

    // A device that drew the other variant before logging in.
    let mut tries = 0;
    let b = loop {
        tries += 1;
        assert!(tries < 60, "60 visitors all drew {mine}");
        let b = Browser::new(&app);
        if hero(&b.text("/").await) != mine {
            break b;
        }
    };
    assert_eq!(
        b.login("experimenter", PASSWORD).await.status(),
        Status::SeeOther
    );
    assert_eq!(
        hero(&b.text("/").await),
        mine,
        "the account's assignment wins"
    );
    // Control shows the slot as without the experiment (its default here).
    let arm = if mine == "default" {
        "control"
    } else {
        mine.as_str()
    };
    let api = b.json("/api/v1/personalisation").await;
    assert_eq!(api["experiments"]["hero-copy"], arm);

    // A device logging in before seeing the slot gets the account's too.
    let c = Browser::new(&app);
    assert_eq!(
        c.login("experimenter", PASSWORD).await.status(),
        Status::SeeOther
    );
    for _ in 0..3 {
        assert_eq!(hero(&c.text("/").await), mine);
    }
    // Participants: each anonymous visitor who drew once; logins add none.
    let other = if arm == "bold" { "control" } else { "bold" };
    let (p_mine, ..) = counts(&app, arm, "contact").await;
    let (p_other, ..) = counts(&app, other, "contact").await;
    assert_eq!(p_mine + p_other, tries + 1);

    // The export names the account's assignment; deleting the account drops it.
    let export = c.json("/api/v1/session").await;
    assert_eq!(
        export["account"]["experiments"]["hero-copy"]["variant"], arm,
        "{export}"
    );
}

#[rocket::async_test]
async fn forgetting_removes_the_assignment() {
    let (app, _) = app_with_rules(BOLD).await;
    let b = Browser::new(&app);
    b.text("/").await;
    assert_eq!(send_contact(&b).await, Status::SeeOther);
    let export = b.json("/api/v1/session").await;
    assert_eq!(export["experiments"]["hero-copy"]["variant"], "bold");
    let gone = b.send(app.delete("/api/v1/session")).await;
    assert!(gone.status().class().is_success());
    let after = b.json("/api/v1/session").await;
    assert_eq!(after["error"]["code"], "no_session", "{after}");
    let api: Value = b.json("/api/v1/personalisation").await;
    assert_eq!(api["experiments"], json!({}));
}

#[rocket::async_test]
async fn a_removed_variant_shows_control_and_is_no_longer_counted() {
    let (app, path) = app_with_rules(BOLD).await;
    let b = Browser::new(&app);
    assert_eq!(hero(&b.text("/").await), "bold");
    std::thread::sleep(Duration::from_millis(1100)); // a newer modification time
    let without_bold = BOLD
        .replace("name = \"bold\"", "name = \"calm\"")
        .replace("Bold hello", "Calm hello");
    std::fs::write(&path, without_bold).unwrap();
    let mut reloaded = false;
    for _ in 0..60 {
        let fresh = Browser::new(&app);
        if hero(&fresh.text("/").await) == "calm" {
            reloaded = true;
            break;
        }
        rocket::tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(reloaded, "the new file applies");
    let before = counts(&app, "bold", "contact").await;
    assert_eq!(
        hero(&b.text("/").await),
        "default",
        "control: the slot as without"
    );
    assert_eq!(send_contact(&b).await, Status::SeeOther);
    assert_eq!(
        counts(&app, "bold", "contact").await,
        before,
        "no longer counted"
    );
    assert!(before.0 >= 1, "its past counts stay in the report");
    let api = b.json("/api/v1/personalisation").await;
    assert_eq!(api["experiments"], json!({}));
}

#[rocket::async_test]
async fn the_report_has_every_experiment_and_its_csv_is_safe() {
    let (app, _) = app_with_rules(&BOLD.replace("hero-copy", "\"=cmd\"")).await;
    let csv = admin_text(&app, "/admin/experiments.csv").await;
    assert!(
        csv.starts_with(
            "experiment,variant,participants,exposures,goal,conversions,rate,diff_low,diff_high,enough_data,method,srm_p,version\r\n"
        ),
        "{csv}"
    );
    assert!(
        csv.contains("\"'=cmd\",\"control\",0,0,\"contact\",0,0.0000,,,false,sequential,,1\r\n"),
        "{csv}"
    );
    assert!(
        csv.contains("\"'=cmd\",\"bold\",0,0,\"checkout\",0,0.0000,,,false"),
        "{csv}"
    );
    let empty = app_with(with_admin).await;
    let page = admin_text(&empty, "/admin/experiments").await;
    assert!(page.contains("Experiments"), "{page}");
    let form = app
        .post("/admin/experiments")
        .header(ContentType::Form)
        .dispatch()
        .await;
    assert_eq!(form.status(), Status::NotFound);
}

#[rocket::async_test]
async fn operator_pages_write_numbers_as_their_language_does() {
    let (app, _) = app_with_rules(BOLD).await;
    let b = Browser::new(&app);
    assert_eq!(hero(&b.text("/").await), "bold");
    assert_eq!(send_contact(&b).await, Status::SeeOther);
    let page = |lang: &'static str| {
        let app = &app;
        async move {
            app.get("/admin/experiments")
                .header(operator())
                .header(accept_language(lang))
                .dispatch()
                .await
                .into_string()
                .await
                .unwrap()
        }
    };
    let en = page("en").await;
    assert!(en.contains("100.0&nbsp;%"), "{en}");
    for lang in ["es", "fr"] {
        let html = page(lang).await;
        assert!(html.contains("100,0&nbsp;%"), "{lang}: {html}");
        assert!(!html.contains("100.0"), "{lang}: no English decimal point");
    }
}
