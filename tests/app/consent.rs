//! Consent you can prove: the ledger (one row per choice, once per session for a
//! GPC or DNT signal, none for a browser without a session), the visitor's export
//! and history, "forget me", policy versions asking again, the operators' report,
//! and `/.well-known/gpc.json`.

use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::Client;
use serde_json::{json, Value};

use crate::support::*;

fn opt_in(f: rocket::figment::Figment) -> rocket::figment::Figment {
    with_admin(f).merge(("tracking.consent", "opt-in"))
}

/// The visitor's consent events, from their export.
async fn ledger(browser: &Browser<'_>) -> Vec<Value> {
    let export = browser.json("/api/v1/session").await;
    export["consent_ledger"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn choices(events: &[Value]) -> Vec<(String, String, String)> {
    events
        .iter()
        .map(|e| {
            let text = |k: &str| e[k].as_str().unwrap_or_default().to_owned();
            (text("choice"), text("source"), text("policy_version"))
        })
        .collect()
}

fn triple(choice: &str, source: &str, version: &str) -> (String, String, String) {
    (choice.into(), source.into(), version.into())
}

/// Answers the banner on `path` with `choice`; the page's HTML first.
async fn answer(browser: &Browser<'_>, path: &str, choice: &str) -> String {
    let html = browser.text(path).await;
    let token = if html.contains("name=\"csrf_token\"") {
        csrf_token(&html)
    } else {
        csrf_token(&browser.text("/preferences").await)
    };
    let response = browser
        .send(
            browser
                .client()
                .post("/tracking/consent")
                .header(ContentType::Form)
                .header(Header::new("Sec-Fetch-Site", "same-origin"))
                .body(form(&[
                    ("csrf_token", &token),
                    ("choice", choice),
                    ("return_to", path),
                ])),
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther, "{choice} on {path}");
    html
}

#[rocket::async_test]
async fn gpc_json_says_gpc_is_honoured_since_the_policy_date() {
    let app = untracked_app_with(|f| f.merge(("tracking.policy_date", "2026-11-30"))).await;
    let response = app.get("/.well-known/gpc.json").dispatch().await;
    assert_eq!(response.status(), Status::Ok);
    assert_eq!(response.content_type(), Some(ContentType::JSON));
    assert_eq!(
        json(response).await,
        json!({"gpc": true, "lastUpdate": "2026-11-30"})
    );
    let undated = untracked_app_with(|f| f).await;
    let body = json(undated.get("/.well-known/gpc.json").dispatch().await).await;
    assert_eq!(body, json!({"gpc": true}), "lastUpdate is optional");
    let privacy = get_text(&undated, "/privacy").await;
    assert!(privacy.contains("This site honours Global Privacy Control"));
}

#[rocket::async_test]
async fn bad_policy_settings_stop_the_launch_with_the_key_named() {
    let cases: [(&str, rocket::figment::value::Value); 6] = [
        ("tracking.policy_date", "30/11/2026".into()),
        ("tracking.policy_date", "2026-13-01".into()),
        ("tracking.policy_version", "".into()),
        ("tracking.policy_version", "v 2".into()),
        ("tracking.consent_ledger_days", 0.into()),
        ("tracking.consent_ledger_days", "five years".into()),
    ];
    for (key, value) in cases {
        let dir = tempfile::tempdir().unwrap();
        let ignited = tailor::build(figment(&dir).merge((key, value.clone())))
            .ignite()
            .await;
        match ignited {
            Ok(_) => panic!("{key} = {value:?} must stop the launch"),
            Err(e) => {
                let _ = e.kind(); // handled
            }
        }
    }
}

#[rocket::async_test]
async fn every_choice_is_one_row_of_the_ledger_in_the_visitors_export() {
    let app = untracked_app_with(opt_in).await;
    let visitor = Browser::new(&app);
    answer(&visitor, "/drafts", "accept").await;
    answer(&visitor, "/drafts", "accept").await;
    let events = ledger(&visitor).await;
    assert_eq!(choices(&events), [triple("granted", "banner", "1")]);
    let row = &events[0];
    assert_eq!(row["scope"], "tracking experiments");
    assert_eq!(row["language"], "en");
    let id = row["consent_id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 22);
    let export = visitor.json("/api/v1/session").await;
    assert_eq!(export["preferences"]["consent"]["id"], id.as_str());
    let text = export.to_string();
    for absent in ["127.0.0.1", "User-Agent", "ip"] {
        assert!(!row.to_string().contains(absent), "no {absent} in {row}");
    }
    assert!(!text.contains(&format!("\"session_id\":\"{id}\"")));

    // The preferences page: turning tracking off withdraws; saving the theme
    // alone records nothing.
    let html = visitor.text("/preferences").await;
    let token = csrf_token(&html);
    let save = |tracking: bool| {
        let mut pairs = vec![
            ("csrf_token", token.as_str()),
            ("theme", "dark"),
            ("language", "es"),
            ("timezone", "UTC"),
            ("display_name", ""),
        ];
        if tracking {
            pairs.push(("tracking", "on"));
        }
        visitor.send(
            app.post("/preferences")
                .header(ContentType::Form)
                .header(Header::new("Sec-Fetch-Site", "same-origin"))
                .body(form(&pairs)),
        )
    };
    assert_eq!(save(false).await.status(), Status::SeeOther);
    assert_eq!(save(false).await.status(), Status::SeeOther);
    // The API: a grant again, in the chosen language.
    let put = visitor
        .send(
            app.put("/api/v1/preferences")
                .header(ContentType::JSON)
                .body(r#"{"tracking": true}"#),
        )
        .await;
    assert_eq!(put.status(), Status::Ok);
    let events = ledger(&visitor).await;
    assert_eq!(
        choices(&events),
        [
            triple("granted", "banner", "1"),
            triple("withdrawn", "preferences", "1"),
            triple("granted", "api", "1"),
        ]
    );
    assert_eq!(events[2]["language"], "es", "the visitor's chosen language");
    assert!(events.iter().all(|e| e["consent_id"] == id.as_str()));

    // A refusal before any grant is a refusal, not a withdrawal.
    let other = Browser::new(&app);
    answer(&other, "/", "decline").await;
    assert_eq!(
        choices(&ledger(&other).await),
        [triple("refused", "banner", "1")]
    );
}

#[rocket::async_test]
async fn bad_choices_change_nothing_and_store_no_row() {
    let app = untracked_app_with(opt_in).await;
    let visitor = Browser::new(&app);
    let html = visitor.text("/").await;
    let token = csrf_token(&html);
    for choice in ["maybe", "", "<script>", "accept\u{0}"] {
        let response = visitor
            .send(
                app.post("/tracking/consent")
                    .header(ContentType::Form)
                    .header(Header::new("Sec-Fetch-Site", "same-origin"))
                    .body(form(&[("csrf_token", &token), ("choice", choice)])),
            )
            .await;
        assert_eq!(response.status(), Status::UnprocessableEntity, "{choice:?}");
    }
    let put = visitor
        .send(
            app.put("/api/v1/preferences")
                .header(ContentType::JSON)
                .body(r#"{"tracking": "yes"}"#),
        )
        .await;
    assert_eq!(put.status(), Status::UnprocessableEntity);
    let days = admin_text(&app, "/admin/consent.csv").await;
    for line in days.lines().skip(1) {
        assert!(line.ends_with(",0,0,0,0,0"), "no event: {days}");
    }
}

#[rocket::async_test]
async fn a_new_policy_version_asks_every_visitor_again() {
    let dir = tempfile::tempdir().unwrap();
    let start = |version: &'static str| {
        let rocket = tailor::build(
            opt_in(figment(&dir))
                .merge(("tracking.policy_version", version))
                .merge(("tracking.policy_date", "2026-12-01")),
        );
        async move { Client::untracked(rocket).await.unwrap() }
    };
    let first = start("1").await;
    let mut cookies = Vec::new();
    for i in 0..20 {
        let visitor = Browser::new(&first);
        answer(&visitor, "/", if i % 4 == 0 { "decline" } else { "accept" }).await;
        cookies.push(visitor.cookie().unwrap());
    }
    first.terminate().await;

    let second = start("2025-b").await;
    let mut asked = 0;
    for (i, cookie) in cookies.iter().enumerate() {
        let visitor = Browser::new(&second);
        visitor.use_cookie(cookie);
        let html = visitor.text("/drafts").await;
        if html.contains("Our privacy policy changed on 1 December 2026.") {
            asked += 1;
        }
        let history = visitor.json("/api/v1/history").await;
        assert_eq!(
            history["visits"],
            json!([]),
            "nothing recorded before the answer"
        );
        if i == 1 {
            answer(&visitor, "/drafts", "accept").await;
            assert_eq!(
                choices(&ledger(&visitor).await),
                [
                    triple("granted", "banner", "1"),
                    triple("granted", "banner", "2025-b")
                ]
            );
            let again = visitor.text("/drafts").await;
            assert!(!again.contains("Our privacy policy"), "asked once");
            let history = visitor.json("/api/v1/history").await;
            assert_eq!(history["visits"].as_array().unwrap().len(), 1);
        }
    }
    assert_eq!(asked, 20, "100 % of the visitors who chose under version 1");
}

#[rocket::async_test]
async fn opt_out_shows_a_notice_and_a_refusal_still_stands() {
    let dir = tempfile::tempdir().unwrap();
    let start = |version: &'static str| {
        let rocket = tailor::build(figment(&dir).merge(("tracking.policy_version", version)));
        async move { Client::untracked(rocket).await.unwrap() }
    };
    let first = start("1").await;
    let visitor = Browser::new(&first);
    let put = visitor
        .send(
            first
                .put("/api/v1/preferences")
                .header(ContentType::JSON)
                .body(r#"{"tracking": false}"#),
        )
        .await;
    assert_eq!(put.status(), Status::Ok);
    drop(put);
    let cookie = visitor.cookie().unwrap();
    assert!(!visitor.text("/").await.contains("Our privacy policy"));
    drop(visitor);
    first.terminate().await;

    let second = start("2").await;
    let visitor = Browser::new(&second);
    visitor.use_cookie(&cookie);
    let html = visitor.text("/drafts").await;
    assert!(html.contains("Our privacy policy has changed since you last chose."));
    assert!(html.contains("Please look at your choice again"));
    let history = visitor.json("/api/v1/history").await;
    assert_eq!(history["visits"], json!([]), "the refusal stands");
    // A visitor who never chose is not asked in opt-out mode.
    assert!(!get_text(&second, "/").await.contains("Our privacy policy"));
}

#[rocket::async_test]
async fn gpc_is_one_row_per_session_and_a_sessionless_browser_is_only_counted() {
    let dir = tempfile::tempdir().unwrap();
    let rocket = tailor::build(with_admin(figment(&dir)));
    let app = Client::untracked(rocket).await.unwrap();
    let visitor = Browser::new(&app);
    let put = visitor
        .send(
            app.put("/api/v1/preferences")
                .header(ContentType::JSON)
                .body(r#"{"theme": "dark"}"#),
        )
        .await;
    assert_eq!(put.status(), Status::Ok);
    drop(put);
    for path in ["/", "/drafts", "/preferences", "/history", "/"] {
        let page = visitor
            .send(app.get(path).header(Header::new("Sec-GPC", "1")))
            .await;
        assert_eq!(page.status(), Status::Ok, "{path}");
    }
    let events = ledger(&visitor).await;
    assert_eq!(choices(&events), [triple("refused", "gpc", "1")]);
    let history = visitor.json("/api/v1/history").await;
    assert_eq!(history["visits"], json!([]), "no visit recorded");
    drop(visitor);

    for _ in 0..1000 {
        let response = app
            .get("/")
            .header(Header::new("Sec-GPC", "1"))
            .dispatch()
            .await;
        assert!(set_cookie(&response, "tailor_sid").is_none(), "no session");
    }
    for _ in 0..3 {
        app.get("/drafts")
            .header(Header::new("DNT", "1"))
            .dispatch()
            .await;
    }
    app.terminate().await; // flushes the day's counts
    let rocket = tailor::build(with_admin(figment(&dir)));
    let app = Client::untracked(rocket).await.unwrap();
    let csv = admin_text(&app, "/admin/consent.csv").await;
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("day,policy_version,asked,granted,refused,withdrawn,gpc,dnt")
    );
    let today = chrono::Utc::now().date_naive().to_string();
    assert_eq!(
        lines.next().map(str::to_owned),
        Some(format!("{today},\"1\",0,0,0,0,1001,3")),
        "one GPC row, 1,000 counted; no other row: {csv}"
    );
    assert_eq!(lines.next(), None);
}

#[rocket::async_test]
async fn forget_me_keeps_the_rows_and_forgets_the_id() {
    let app = untracked_app_with(opt_in).await;
    let visitor = Browser::new(&app);
    answer(&visitor, "/", "accept").await;
    let events = ledger(&visitor).await;
    let id = events[0]["consent_id"].as_str().unwrap().to_owned();
    let privacy = visitor.text("/privacy").await;
    assert!(privacy.contains(&id), "the visitor reads their consent id");
    assert!(privacy.contains("Your choices"));
    let token = csrf_token(&privacy);
    let forget = visitor
        .send(
            app.post("/privacy/forget")
                .header(ContentType::Form)
                .header(Header::new("Sec-Fetch-Site", "same-origin"))
                .body(form(&[("csrf_token", &token)])),
        )
        .await;
    assert_eq!(forget.status(), Status::SeeOther);
    let after = visitor.text("/privacy").await;
    assert!(!after.contains(&id), "the id is forgotten");
    let lookup = admin_text(&app, &format!("/admin/consent?id={id}")).await;
    assert!(
        lookup.contains("Granted") && lookup.contains("Banner"),
        "{lookup}"
    );
    assert!(!lookup.contains("No event for this consent id."));
}

#[rocket::async_test]
async fn the_consent_report_needs_the_operator_and_refuses_odd_ids() {
    let app = untracked_app_with(opt_in).await;
    let visitor = Browser::new(&app);
    answer(&visitor, "/", "accept").await;
    for path in ["/admin/consent", "/admin/consent.csv"] {
        let anonymous = app.get(path).dispatch().await;
        assert_eq!(anonymous.status(), Status::Unauthorized, "{path}");
    }
    let page = admin_text(&app, "/admin/consent").await;
    assert!(page.contains("Consent by day and policy version"));
    for (id, status) in [
        ("%3Cscript%3Ealert(1)%3C%2Fscript%3E", Status::BadRequest),
        (&"a".repeat(65), Status::BadRequest),
        ("unknown-id", Status::Ok),
    ] {
        let response = app
            .get(format!("/admin/consent?id={id}"))
            .header(operator())
            .dispatch()
            .await;
        assert_eq!(response.status(), status, "{id}");
        let html = response.into_string().await.unwrap();
        assert!(!html.contains("<script>alert"), "escaped");
    }
    let spanish = app
        .get("/admin/consent")
        .header(operator())
        .header(accept_language("es"))
        .dispatch()
        .await;
    assert!(spanish
        .into_string()
        .await
        .unwrap()
        .contains("Consentimiento por día"));
}

#[rocket::async_test]
async fn the_account_keeps_the_consent_id_across_devices() {
    let app = untracked_app_with(|f| f).await;
    let laptop = Browser::new(&app);
    assert_eq!(
        laptop.register("ada", "a long password").await,
        Status::SeeOther
    );
    assert_eq!(laptop.logout().await, Status::SeeOther);
    // Another browser refuses before logging in: the account, which never chose,
    // adopts the refusal and its consent id.
    let phone = Browser::new(&app);
    let put = phone
        .send(
            app.put("/api/v1/preferences")
                .header(ContentType::JSON)
                .body(r#"{"tracking": false}"#),
        )
        .await;
    assert_eq!(put.status(), Status::Ok);
    drop(put);
    let id = ledger(&phone).await[0]["consent_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(log_in(&phone).await, Status::SeeOther);
    let export = phone.json("/api/v1/session").await;
    assert_eq!(
        export["account"]["preferences"]["consent"]["id"],
        id.as_str()
    );
    assert_eq!(export["account"]["preferences"]["tracking"], false);
    assert_eq!(
        choices(&ledger(&phone).await),
        [triple("refused", "api", "1")]
    );
    // A third browser logging in reads the same record.
    let tablet = Browser::new(&app);
    assert_eq!(log_in(&tablet).await, Status::SeeOther);
    let events = ledger(&tablet).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["consent_id"], id.as_str());
}

/// Logs `browser` in as ada, again while the hashing pool is full (503).
async fn log_in(browser: &Browser<'_>) -> Status {
    for _ in 0..20 {
        let status = browser.login("ada", "a long password").await.status();
        if status != Status::ServiceUnavailable {
            return status;
        }
        rocket::tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    Status::ServiceUnavailable
}

fn counting(f: rocket::figment::Figment) -> rocket::figment::Figment {
    opt_in(f).merge(("tracking.cookieless_counts", true))
}

/// Today's counts of undecided visitors in `dir`'s database: (estimated
/// visitors, page views, bot page views) and the paths' views.
async fn undecided_today(dir: &tempfile::TempDir) -> ((u64, i64, i64), Vec<(String, i64)>) {
    use tailor::tracking::undecided::hll::Hll;
    let db = tailor::data::Db::open(&tailor::data::DataSettings::default(), dir.path())
        .await
        .unwrap();
    let today = chrono::Utc::now().date_naive();
    let days = db.undecided_days(today).await.unwrap();
    let paths = db.undecided_paths(today, 100).await.unwrap();
    let totals = days.first().map_or((0, 0, 0), |d| {
        (
            Hll::from_bytes(&d.registers).estimate(),
            d.page_views,
            d.bot_views,
        )
    });
    (totals, paths)
}

#[rocket::async_test]
async fn undecided_visitors_are_counted_without_a_cookie_and_nobody_else_is() {
    let dir = tempfile::tempdir().unwrap();
    let app = Client::untracked(tailor::build(counting(figment(&dir))))
        .await
        .unwrap();
    let address = |i: u8| std::net::SocketAddr::from(([198, 51, i, 7], 40000));
    // 30 undecided visitors (each its own network and browser), 3 pages each.
    for i in 0..30u8 {
        for path in ["/", "/drafts", "/products"] {
            let response = app
                .get(path)
                .remote(address(i))
                .header(Header::new("User-Agent", format!("Browser/{i}")))
                .dispatch()
                .await;
            assert_eq!(response.status(), Status::Ok);
            assert!(set_cookie(&response, "tailor_sid").is_none(), "no cookie");
        }
    }
    // A known bot, apart; a page that is not found, not at all.
    let bot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    app.get("/")
        .remote(address(200))
        .header(Header::new("User-Agent", bot))
        .dispatch()
        .await;
    app.get("/products/no-such-thing")
        .remote(address(201))
        .dispatch()
        .await;
    // 1,000 sessionless GPC requests: no row, no count, no session.
    for i in 0..1000u32 {
        let response = app
            .get("/")
            .remote(address((i % 250) as u8))
            .header(Header::new("Sec-GPC", "1"))
            .header(Header::new("User-Agent", format!("Private/{i}")))
            .dispatch()
            .await;
        assert!(set_cookie(&response, "tailor_sid").is_none());
    }
    // A visitor with a saved theme browses 5 pages with GPC: 1 ledger row, no
    // visit, no count.
    let themed = Browser::at(&app, "192.0.2.50");
    let html = themed.text("/preferences").await;
    let token = csrf_token(&html);
    let saved = themed
        .send(
            app.put("/api/v1/preferences")
                .header(ContentType::JSON)
                .header(Header::new("X-CSRF-Token", token))
                .body(r#"{"theme": "dark"}"#),
        )
        .await;
    assert_eq!(saved.status(), Status::Ok);
    drop(saved);
    for path in ["/", "/drafts", "/products", "/history", "/"] {
        themed
            .send(app.get(path).header(Header::new("Sec-GPC", "1")))
            .await;
    }
    assert_eq!(
        choices(&ledger(&themed).await),
        [triple("refused", "gpc", "1")]
    );
    assert_eq!(themed.json("/api/v1/history").await["visits"], json!([]));
    // A visitor who declined is never counted.
    let declined = Browser::at(&app, "192.0.2.60");
    answer(&declined, "/", "decline").await;
    for _ in 0..5 {
        declined.get("/drafts").await;
    }
    drop((themed, declined));
    app.terminate().await;

    let ((visitors, views, bots), paths) = undecided_today(&dir).await;
    // 30 x 3, and the first page of the two others while they had not chosen
    // yet (the themed visitor's /preferences, the decliner's /).
    assert_eq!(views, 92, "nobody counted once chosen or signalled");
    assert_eq!(bots, 1);
    assert!((31..=33).contains(&visitors), "estimated {visitors} of 32");
    let mut paths = paths;
    paths.sort();
    assert_eq!(
        paths,
        [
            ("/".into(), 31),
            ("/drafts".into(), 30),
            ("/preferences".into(), 1),
            ("/products".into(), 30)
        ]
    );
    // The report shows them apart, as an estimate.
    let app = Client::untracked(tailor::build(counting(figment(&dir))))
        .await
        .unwrap();
    let report = admin_text(&app, "/admin/campaigns").await;
    assert!(report.contains("Visitors who have not chosen yet (estimated)"));
    assert!(report.contains(&format!("≈ {visitors}")), "{report}");
    let privacy = get_text(&app, "/privacy").await;
    assert!(privacy.contains("have not chosen yet are counted without a cookie"));
}

#[rocket::async_test]
async fn cookieless_counts_are_off_by_default_and_need_opt_in() {
    let dir = tempfile::tempdir().unwrap();
    let app = Client::untracked(tailor::build(opt_in(figment(&dir))))
        .await
        .unwrap();
    for i in 0..5u8 {
        app.get("/")
            .remote(std::net::SocketAddr::from(([198, 51, 100, i], 1)))
            .dispatch()
            .await;
    }
    let report = admin_text(&app, "/admin/campaigns").await;
    assert!(!report.contains("not chosen yet"));
    app.terminate().await;
    assert_eq!(undecided_today(&dir).await.0, (0, 0, 0));
    let refused = tailor::build(figment(&dir).merge(("tracking.cookieless_counts", true)))
        .ignite()
        .await;
    match refused {
        Ok(_) => panic!("cookieless counts in opt-out mode must stop the launch"),
        Err(e) => {
            let _ = e.kind();
        }
    }
}

#[rocket::async_test]
async fn instances_on_one_redis_share_the_days_salt_and_it_expires() {
    let Some(url) = redis_url() else {
        return;
    };
    let prefix = unique_prefix();
    let dir = tempfile::tempdir().unwrap();
    let start = || {
        let figment = counting(figment(&dir))
            .merge(("session.store", "redis"))
            .merge(("session.redis_url", url.clone()))
            .merge(("session.redis_prefix", prefix.clone()));
        Client::untracked(tailor::build(figment))
    };
    let (one, two) = (start().await.unwrap(), start().await.unwrap());
    // Each fetched the day's salt at liftoff.
    rocket::tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let visitor = std::net::SocketAddr::from(([203, 0, 113, 9], 1));
    for app in [&one, &two] {
        let response = app
            .get("/")
            .remote(visitor)
            .header(Header::new("User-Agent", "Same/1"))
            .dispatch()
            .await;
        assert_eq!(response.status(), Status::Ok);
    }
    one.terminate().await;
    two.terminate().await;
    let ((visitors, views, _), _) = undecided_today(&dir).await;
    assert_eq!(
        (visitors, views),
        (1, 2),
        "one visitor seen by two instances"
    );
    let client = redis::Client::open(url.as_str()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let today = chrono::Utc::now().date_naive();
    let key = format!("{prefix}undecided:salt:{today}");
    let ttl: i64 = redis::cmd("TTL")
        .arg(&key)
        .query_async(&mut conn)
        .await
        .unwrap();
    assert!(
        (89_000..=90_000).contains(&ttl),
        "the salt expires 25 hours after it was made: {ttl}"
    );
}
