//! Decisions for the operator's own site over OFREP: server mode (a key and the
//! backend's targetingKey), browser mode (an allowed origin with the visitor's
//! session cookie, CORS), every flag kind, the bulk answer's ETag, experiments
//! drawn through the API and counted at their first exposure, and bad input.

use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::LocalResponse;
use serde_json::{json, Value};

use crate::support::*;

pub const ORIGIN: &str = "https://www.example.test";

pub const RULES: &str = r#"
[segments.newsletter]
title = "Came from the newsletter"
when = { last_touch = { source = "newsletter" } }
[segments.pro]
when = { attribute = { name = "plan", equals = ["pro"] } }
[segments.pro-browser]
when = { attribute = { name = "plan", equals = ["pro"], from_browser = true } }

[slots."home.hero"]
default = { title = { en = "Hello" } }
[[slots."home.hero".variants]]
name = "newsletter"
segment = "newsletter"
title = { en = "Welcome, reader", es = "Hola, lector" }

[flags.checkout-layout]
default = "classic"
[[flags.checkout-layout.rules]]
segment = "pro"
value = "express"
[flags.show-banner]
default = false
[[flags.show-banner.rules]]
name = "readers"
segment = "newsletter"
value = true
[flags.max-items]
default = 3
[flags.theme-config]
default = { color = "blue", size = 2 }

[experiments.cta]
flag = "show-banner"
goals = ["contact"]
[[experiments.cta.variants]]
name = "control"
weight = 1
[[experiments.cta.variants]]
name = "on"
weight = 1000000
value = true
"#;

/// An app with `rules`, one backend key (returned) and the allowed origin.
pub async fn decisions_app(rules: &str) -> (TestApp, String) {
    decisions_app_with(rules, |f| f).await
}

/// [`decisions_app`] with more settings.
pub async fn decisions_app_with(
    rules: &str,
    tweak: impl FnOnce(rocket::figment::Figment) -> rocket::figment::Figment,
) -> (TestApp, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rules.toml");
    std::fs::write(&path, rules).unwrap();
    let (key, hash) = tailor::decisions::keys::new_key();
    let app = untracked_app_with(|f| {
        tweak(with_admin(f))
            .merge(("personalisation.file", &path))
            .merge((
                "decisions",
                json!({
                    "allowed_origins": [ORIGIN],
                    "keys": [{ "name": "backend", "sha256": hash }],
                }),
            ))
    })
    .await;
    std::mem::forget(dir);
    (app, key)
}

/// POSTs `context` to OFREP `path` as the backend holding `key`.
pub async fn server<'c>(
    app: &'c TestApp,
    key: &str,
    path: &str,
    context: Value,
) -> LocalResponse<'c> {
    app.post(path.to_owned())
        .header(ContentType::JSON)
        .header(Header::new("Authorization", format!("Bearer {key}")))
        .body(json!({ "context": context }).to_string())
        .dispatch()
        .await
}

fn flag_path(flag: &str) -> String {
    format!("/ofrep/v1/evaluate/flags/{flag}")
}

#[rocket::async_test]
async fn server_mode_answers_every_kind_of_flag() {
    let (app, key) = decisions_app(RULES).await;
    let ask = |flag: &'static str, context: Value| {
        let (app, key) = (&app, &key);
        async move {
            let response = server(app, key, &flag_path(flag), context).await;
            let status = response.status();
            (status, json(response).await)
        }
    };
    let (status, pro) = ask(
        "checkout-layout",
        json!({"targetingKey": "u-1", "plan": "pro"}),
    )
    .await;
    assert_eq!(status, Status::Ok);
    assert_eq!(
        (
            pro["key"].clone(),
            pro["value"].clone(),
            pro["reason"].clone(),
            pro["variant"].clone()
        ),
        (
            json!("checkout-layout"),
            json!("express"),
            json!("TARGETING_MATCH"),
            json!("pro")
        )
    );
    assert_eq!(pro["metadata"]["why"], "plan is pro");
    let (_, free) = ask(
        "checkout-layout",
        json!({"targetingKey": "u-2", "plan": "free"}),
    )
    .await;
    assert_eq!(
        (
            free["value"].clone(),
            free["reason"].clone(),
            free["variant"].clone()
        ),
        (json!("classic"), json!("STATIC"), json!("default"))
    );
    let (_, n) = ask("max-items", json!({"targetingKey": "u-1"})).await;
    assert_eq!(n["value"], 3);
    let (_, object) = ask("theme-config", json!({"targetingKey": "u-1"})).await;
    assert_eq!(object["value"], json!({"color": "blue", "size": 2}));
    let (_, segment) = ask("segment.pro", json!({"targetingKey": "u-1", "plan": "pro"})).await;
    assert_eq!(
        (segment["value"].clone(), segment["reason"].clone()),
        (json!(true), json!("TARGETING_MATCH"))
    );
    let (_, lang) = ask(
        "preference.language",
        json!({"targetingKey": "u-1", "language": "fr-CA, fr;q=0.9"}),
    )
    .await;
    assert_eq!(lang["value"], "fr");
    let (status, missing) = ask("no-such-flag", json!({"targetingKey": "u-1"})).await;
    assert_eq!(status, Status::NotFound);
    assert_eq!(
        missing,
        json!({"key": "no-such-flag", "errorCode": "FLAG_NOT_FOUND", "errorDetails": "Flag 'no-such-flag' was not found"})
    );
    let (status, no_visitor) = ask("max-items", json!({})).await;
    assert_eq!(status, Status::BadRequest);
    assert_eq!(no_visitor["errorCode"], "TARGETING_KEY_MISSING");
}

#[rocket::async_test]
async fn an_experiment_on_a_flag_is_sticky_and_counted_at_its_first_exposure() {
    let (app, key) = decisions_app(RULES).await;
    // A bulk evaluation draws (sticky) but never counts.
    let bulk = json(
        server(
            &app,
            &key,
            "/ofrep/v1/evaluate/flags",
            json!({"targetingKey": "s-1"}),
        )
        .await,
    )
    .await;
    let banner = bulk["flags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "show-banner")
        .unwrap()
        .clone();
    assert_eq!(
        (
            banner["value"].clone(),
            banner["reason"].clone(),
            banner["variant"].clone()
        ),
        (json!(true), json!("SPLIT"), json!("on"))
    );
    async fn report(app: &TestApp) -> String {
        admin_text(app, "/admin/experiments.csv").await
    }
    assert!(
        report(&app).await.contains("\"cta\",\"on\",0,0,"),
        "{}",
        report(&app).await
    );
    // Not shown: no count.
    let quiet = server(
        &app,
        &key,
        &flag_path("experiment.cta"),
        json!({"targetingKey": "s-1", "expose": false}),
    )
    .await;
    assert_eq!(json(quiet).await["value"], "on");
    assert!(report(&app).await.contains("\"cta\",\"on\",0,0,"));
    // Shown twice: one participant, two exposures.
    for _ in 0..2 {
        let shown = server(
            &app,
            &key,
            &flag_path("show-banner"),
            json!({"targetingKey": "s-1"}),
        )
        .await;
        assert_eq!(json(shown).await["value"], true);
    }
    assert!(
        report(&app).await.contains("\"cta\",\"on\",1,2,"),
        "{}",
        report(&app).await
    );
    // A subject asked not to enroll is not drawn.
    let fresh = json(
        server(
            &app,
            &key,
            &flag_path("experiment.cta"),
            json!({"targetingKey": "s-2", "enroll": false}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (fresh["value"].clone(), fresh["reason"].clone()),
        (json!("control"), json!("DISABLED"))
    );
    // GPC: not taking part.
    let gpc = json(
        server(
            &app,
            &key,
            &flag_path("experiment.cta"),
            json!({"targetingKey": "s-3", "gpc": true}),
        )
        .await,
    )
    .await;
    assert_eq!(gpc["reason"], "DISABLED");
}

#[rocket::async_test]
async fn the_bulk_answer_has_every_key_and_an_etag_that_saves_a_download() {
    let (app, key) = decisions_app(RULES).await;
    let first = server(
        &app,
        &key,
        "/ofrep/v1/evaluate/flags",
        json!({"targetingKey": "e-1"}),
    )
    .await;
    assert_eq!(first.status(), Status::Ok);
    let etag = first.headers().get_one("ETag").unwrap().to_owned();
    let body = json(first).await;
    let keys: Vec<&str> = body["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["key"].as_str().unwrap())
        .collect();
    for k in [
        "checkout-layout",
        "show-banner",
        "segment.newsletter",
        "slot.home.hero",
        "experiment.cta",
        "preference.theme",
        "preference.timezone",
    ] {
        assert!(keys.contains(&k), "{k} in {keys:?}");
    }
    let again = app
        .post("/ofrep/v1/evaluate/flags")
        .header(ContentType::JSON)
        .header(Header::new("Authorization", format!("Bearer {key}")))
        .header(Header::new("If-None-Match", etag.clone()))
        .body(json!({"context": {"targetingKey": "e-1"}}).to_string())
        .dispatch()
        .await;
    assert_eq!(again.status(), Status::NotModified);
    assert!(again.into_string().await.unwrap_or_default().is_empty());
    let other = server(
        &app,
        &key,
        "/ofrep/v1/evaluate/flags",
        json!({"targetingKey": "e-1", "plan": "pro"}),
    )
    .await;
    assert_ne!(
        other.headers().get_one("ETag"),
        Some(etag.as_str()),
        "another answer, another tag"
    );
}

#[rocket::async_test]
async fn bad_requests_get_the_protocols_errors_and_change_nothing() {
    let (app, key) = decisions_app(RULES).await;
    let post = |path: &'static str, body: &'static str, headers: Vec<Header<'static>>| {
        let app = &app;
        async move {
            let mut request = app.post(path).header(ContentType::JSON).body(body);
            for h in headers {
                request = request.header(h);
            }
            let response = request.dispatch().await;
            let status = response.status();
            let body = response.into_string().await.unwrap_or_default();
            (status, body)
        }
    };
    let bearer = || Header::new("Authorization", format!("Bearer {key}"));
    let (status, body) = post(
        "/ofrep/v1/evaluate/flags/max-items",
        "not json",
        vec![bearer()],
    )
    .await;
    assert_eq!(status, Status::BadRequest);
    assert!(
        body.contains("INVALID_CONTEXT") && body.contains("\"key\":\"max-items\""),
        "{body}"
    );
    let (status, body) = post(
        "/ofrep/v1/evaluate/flags/max-items",
        r#"{"context": {"targetingKey": 7}}"#,
        vec![bearer()],
    )
    .await;
    assert_eq!(status, Status::BadRequest);
    assert!(body.contains("INVALID_CONTEXT"), "{body}");
    let (status, _) = post(
        "/ofrep/v1/evaluate/flags/max-items?key=abc",
        r#"{"context": {}}"#,
        vec![bearer()],
    )
    .await;
    assert_eq!(status, Status::BadRequest, "a key in the URL");
    let (status, _) = post(
        "/ofrep/v1/evaluate/flags/max-items",
        r#"{"context": {"targetingKey": "u"}}"#,
        vec![bearer(), Header::new("Origin", ORIGIN)],
    )
    .await;
    assert_eq!(status, Status::Forbidden, "a key from a browser");
    let (status, _) = post(
        "/ofrep/v1/evaluate/flags",
        r#"{"context": {}}"#,
        vec![Header::new("Origin", "https://evil.example")],
    )
    .await;
    assert_eq!(status, Status::Forbidden, "an origin not allowed");
    let big = Box::leak(
        format!(
            "{{\"context\": {{\"targetingKey\": \"{}\"}}}}",
            "x".repeat(70 * 1024)
        )
        .into_boxed_str(),
    );
    let (status, _) = post("/ofrep/v1/evaluate/flags", big, vec![bearer()]).await;
    assert_eq!(status, Status::PayloadTooLarge);
    let form = app
        .post("/ofrep/v1/evaluate/flags")
        .header(ContentType::Form)
        .header(bearer())
        .body("context=1")
        .dispatch()
        .await;
    assert_eq!(form.status(), Status::UnsupportedMediaType);
    drop(form);
    // Wrong keys: 401, then 429 for that address; a valid key still answers.
    let from = |ip: &str| -> std::net::SocketAddr { format!("{ip}:5000").parse().unwrap() };
    let mut statuses = Vec::new();
    for i in 0..22 {
        let wrong = app
            .post("/ofrep/v1/evaluate/flags")
            .header(ContentType::JSON)
            .header(Header::new(
                "Authorization",
                format!("Bearer tailor_wrong{i}"),
            ))
            .remote(from("203.0.113.40"))
            .body(r#"{"context": {"targetingKey": "u"}}"#)
            .dispatch()
            .await;
        statuses.push(wrong.status().code);
    }
    assert!(
        statuses[..20].iter().all(|s| *s == 401) && statuses[20..].iter().all(|s| *s == 429),
        "{statuses:?}"
    );
    let valid = app
        .post("/ofrep/v1/evaluate/flags/max-items")
        .header(ContentType::JSON)
        .header(bearer())
        .remote(from("203.0.113.40"))
        .body(r#"{"context": {"targetingKey": "u"}}"#)
        .dispatch()
        .await;
    assert_eq!(
        valid.status(),
        Status::Ok,
        "a valid key is never limited by address"
    );
}

#[rocket::async_test]
async fn browser_mode_uses_the_session_and_cors_for_allowed_origins_only() {
    let (app, _) = decisions_app(RULES).await;
    // The visitor landed on tailor from the newsletter.
    let b = Browser::new(&app);
    b.text("/?utm_source=newsletter").await;
    let request = app
        .post("/ofrep/v1/evaluate/flags")
        .header(ContentType::JSON)
        .header(Header::new("Origin", ORIGIN))
        .body(r#"{"context": {"plan": "pro"}}"#);
    let response = b.send(request).await;
    assert_eq!(response.status(), Status::Ok);
    let headers = response.headers();
    assert_eq!(headers.get_one("Access-Control-Allow-Origin"), Some(ORIGIN));
    assert_eq!(
        headers.get_one("Access-Control-Allow-Credentials"),
        Some("true")
    );
    assert!(headers.get("Vary").any(|v| v.contains("Origin")));
    assert!(headers
        .get_one("Access-Control-Expose-Headers")
        .unwrap()
        .contains("ETag"));
    let body = json(response).await;
    let flag = |key: &str| {
        body["flags"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == key)
            .unwrap()
            .clone()
    };
    assert_eq!(flag("segment.newsletter")["value"], true);
    assert_eq!(flag("slot.home.hero")["value"]["variant"], "newsletter");
    assert_eq!(flag("slot.home.hero")["value"]["title"], "Welcome, reader");
    // A browser's attribute is not believed, unless the condition says so.
    assert_eq!(flag("segment.pro")["value"], false);
    assert_eq!(flag("segment.pro-browser")["value"], true);
    // Preflights: the allowed origin gets its headers, another none.
    let preflight = |origin: &'static str| {
        app.req(rocket::http::Method::Options, "/ofrep/v1/evaluate/flags")
            .header(Header::new("Origin", origin))
            .header(Header::new("Access-Control-Request-Method", "POST"))
            .dispatch()
    };
    let ok = preflight(ORIGIN).await;
    assert_eq!(ok.status(), Status::NoContent);
    assert!(ok
        .headers()
        .get_one("Access-Control-Allow-Headers")
        .unwrap()
        .contains("If-None-Match"));
    drop(ok);
    let other = preflight("https://evil.example").await;
    assert_eq!(other.status(), Status::Forbidden);
    assert!(other
        .headers()
        .get_one("Access-Control-Allow-Origin")
        .is_none());
}

#[rocket::async_test]
async fn a_landing_on_the_operators_page_is_personalised_on_the_first_call_and_not_recorded() {
    let (app, _) = decisions_app(RULES).await;
    let b = Browser::new(&app);
    let request = app
        .post("/ofrep/v1/evaluate/flags/slot.home.hero")
        .header(ContentType::JSON)
        .header(Header::new("Origin", ORIGIN))
        .body(json!({"context": {"url": "https://www.example.test/shoes?utm_source=newsletter&utm_campaign=spring", "language": "es"}}).to_string());
    let answer = json(b.send(request).await).await;
    assert_eq!(answer["value"]["variant"], "newsletter");
    assert_eq!(answer["value"]["title"], "Hola, lector");
    assert_eq!(answer["reason"], "TARGETING_MATCH");
    // Nothing recorded by an evaluation: no session, or one without visits.
    if b.cookie().is_some() {
        let history = b.json("/api/v1/history").await;
        assert_eq!(history["visits"], json!([]), "{history}");
    }
}

#[rocket::async_test]
async fn an_experiment_drawn_through_the_api_is_the_one_tailors_pages_show() {
    let rules = r#"
[slots."home.hero"]
default = { title = { en = "Hello" } }
[experiments.hero-copy]
slot = "home.hero"
[[experiments.hero-copy.variants]]
name = "control"
weight = 1
[[experiments.hero-copy.variants]]
name = "bold"
weight = 1000000
title = { en = "Bold hello" }
"#;
    let (app, _) = decisions_app(rules).await;
    let b = Browser::new(&app);
    let request = app
        .post("/ofrep/v1/evaluate/flags/experiment.hero-copy")
        .header(ContentType::JSON)
        .header(Header::new("Origin", ORIGIN))
        .header(Header::new(
            "User-Agent",
            "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0",
        ))
        .body(r#"{"context": {}}"#);
    let answer = json(b.send(request).await).await;
    assert_eq!(
        (answer["value"].clone(), answer["reason"].clone()),
        (json!("bold"), json!("SPLIT"))
    );
    assert!(
        b.cookie().is_some(),
        "the assignment is kept in a new session"
    );
    let home = b
        .send(app.get("/").header(Header::new(
            "User-Agent",
            "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0",
        )))
        .await
        .into_string()
        .await
        .unwrap();
    assert!(home.contains("data-variant=\"bold\""), "{home}");
}

/// The answer for `flag` to the backend holding `key`, for subject `subject`.
async fn ask(app: &TestApp, key: &str, flag: &str, subject: &str) -> Value {
    json(
        server(
            app,
            key,
            &flag_path(flag),
            json!({ "targetingKey": subject }),
        )
        .await,
    )
    .await
}

#[rocket::async_test]
async fn a_paused_or_stopped_experiment_answers_for_everybody_and_counts_nothing() {
    let keys = |k: &str| {
        RULES.replace(
            "flag = \"show-banner\"",
            &format!("flag = \"show-banner\"\n{k}"),
        )
    };
    // Stopped: the winner's value for everybody, STATIC, nothing drawn or counted.
    let (app, key) = decisions_app(&keys("status = \"stopped\"\nwinner = \"on\"")).await;
    for subject in ["s-1", "s-2"] {
        let banner = ask(&app, &key, "show-banner", subject).await;
        assert_eq!(
            (
                banner["value"].clone(),
                banner["reason"].clone(),
                banner["variant"].clone()
            ),
            (json!(true), json!("STATIC"), json!("on")),
            "{banner}"
        );
        let cta = ask(&app, &key, "experiment.cta", subject).await;
        assert_eq!(
            (cta["value"].clone(), cta["reason"].clone()),
            (json!("on"), json!("STATIC")),
            "{cta}"
        );
    }
    let csv = admin_text(&app, "/admin/experiments.csv").await;
    assert!(!csv.contains("\"cta\",\"on\",1"), "nothing counted: {csv}");
    // Paused: control (the flag's own rules) for everybody.
    let (app, key) = decisions_app(&keys("status = \"paused\"")).await;
    let banner = ask(&app, &key, "show-banner", "s-1").await;
    assert_eq!(
        (banner["value"].clone(), banner["variant"].clone()),
        (json!(false), json!("default")),
        "{banner}"
    );
    let cta = ask(&app, &key, "experiment.cta", "s-1").await;
    assert_eq!(
        (
            cta["value"].clone(),
            cta["reason"].clone(),
            cta["metadata"]["why"].clone()
        ),
        (
            json!("control"),
            json!("STATIC"),
            json!("paused: everybody sees control")
        )
    );
    let export = app
        .post("/api/v1/subjects/export")
        .header(ContentType::JSON)
        .header(Header::new("Authorization", format!("Bearer {key}")))
        .body(json!({"targetingKey": "s-1"}).to_string())
        .dispatch()
        .await;
    assert_eq!(
        json(export).await["assignments"],
        json!([]),
        "nobody drawn while paused"
    );
}
