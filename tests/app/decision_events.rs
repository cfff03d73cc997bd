//! `POST /api/v1/events` from the operator's pages: page views of allowed
//! origins recorded as tailor's own, exposures counted once a participant, and
//! conversions of declared goals credited to experiments and campaigns (a
//! repeated id counts nothing, a session's campaign credit once a goal and day);
//! and every bad event refused before any is recorded.

use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::LocalResponse;
use serde_json::{json, Value};

use crate::decisions::{decisions_app, server, ORIGIN};
use crate::support::*;

const RULES: &str = r#"
[goals.signup]
title = { en = "Sign-ups", fr = "Inscriptions" }
[goals.demo]

[flags.pricing]
default = "old"

[experiments.pricing-test]
flag = "pricing"
goals = ["signup", "contact"]
[[experiments.pricing-test.variants]]
name = "control"
weight = 1
[[experiments.pricing-test.variants]]
name = "new"
weight = 1000000
value = "new"
"#;

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0";

/// Sends `body` to the events endpoint from the allowed origin as browser `b`.
async fn events<'c>(app: &'c TestApp, b: &Browser<'c>, body: Value) -> LocalResponse<'c> {
    let request = app
        .post("/api/v1/events")
        .header(ContentType::JSON)
        .header(Header::new("Origin", ORIGIN))
        .header(Header::new("User-Agent", FIREFOX))
        .body(body.to_string());
    b.send(request).await
}

async fn recorded(response: LocalResponse<'_>) -> (Status, Value) {
    let status = response.status();
    (status, json(response).await)
}

/// The campaign CSV's line for `model`, `dimension` and `value`.
async fn campaign_line(app: &TestApp, model: &str, dimension: &str, value: &str) -> String {
    let csv = admin_text(app, &format!("/admin/campaigns.csv?model={model}")).await;
    let start = format!("\"{model}\",\"{dimension}\",\"{value}\",");
    csv.lines()
        .find(|l| l.starts_with(&start))
        .unwrap_or_else(|| panic!("no {start} in {csv}"))
        .to_owned()
}

#[rocket::async_test]
async fn a_page_view_of_the_operators_site_is_a_visit_and_a_campaign_touch() {
    let (app, key) = decisions_app(RULES).await;
    let b = Browser::new(&app);
    let url = "https://www.example.test/pricing?utm_source=Newsletter&utm_campaign=spring";
    let (status, body) =
        recorded(events(&app, &b, json!({"type": "page_view", "url": url})).await).await;
    assert_eq!((status, body), (Status::Accepted, json!({"recorded": 1})));
    assert!(
        b.cookie().is_some(),
        "a new visitor's session starts with it"
    );
    let history = b.json("/api/v1/history").await;
    assert_eq!(
        history["visits"][0]["path"], "www.example.test/pricing",
        "{history}"
    );
    assert!(campaign_line(&app, "first_touch", "campaign", "spring")
        .await
        .contains("\",1,"));
    // Another host's page, a relative URL: refused, nothing recorded.
    for url in ["https://evil.example/x", "/pricing", "javascript:alert(1)"] {
        let (status, body) =
            recorded(events(&app, &b, json!([{"type": "page_view", "url": url}])).await).await;
        assert_eq!(status, Status::UnprocessableEntity, "{url}: {body}");
        assert_eq!(body["error"]["field"], "events[0]");
    }
    assert_eq!(
        b.json("/api/v1/history").await["visits"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // Server mode has no session to keep visits in: 422.
    let response = app
        .post("/api/v1/events")
        .header(ContentType::JSON)
        .header(Header::new("Authorization", format!("Bearer {key}")))
        .body(json!({"type": "page_view", "url": url}).to_string())
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
}

#[rocket::async_test]
async fn conversions_count_once_an_id_and_credit_campaigns_once_a_day() {
    let (app, _) = decisions_app(RULES).await;
    let b = Browser::new(&app);
    b.send(
        app.get("/?utm_source=newsletter&utm_campaign=spring")
            .header(Header::new("User-Agent", FIREFOX)),
    )
    .await;
    // Drawn through the API, shown (an exposure event counts the participant).
    let request = app
        .post("/ofrep/v1/evaluate/flags/pricing")
        .header(ContentType::JSON)
        .header(Header::new("Origin", ORIGIN))
        .header(Header::new("User-Agent", FIREFOX))
        .body(r#"{"context": {"expose": false}}"#);
    assert_eq!(json(b.send(request).await).await["value"], "new");
    let (_, body) =
        recorded(events(&app, &b, json!({"type": "exposure", "flag": "pricing"})).await).await;
    assert_eq!(body["recorded"], 1);
    let signup = |id: &str| json!({"type": "conversion", "goal": "signup", "id": id});
    let (status, body) = recorded(events(&app, &b, signup("order-1")).await).await;
    assert_eq!(
        (status, body["recorded"].clone()),
        (Status::Accepted, json!(1))
    );
    // The same id again, from anywhere: nothing.
    let (_, body) =
        recorded(events(&app, &b, json!([signup("order-1"), signup("order-1")])).await).await;
    assert_eq!(body["recorded"], 0);
    let other = Browser::new(&app);
    let (_, body) = recorded(events(&app, &other, signup("order-1")).await).await;
    assert_eq!(body["recorded"], 0);
    // A new id the same day: recorded, but the session's campaign credit and the
    // participant's conversion were given already.
    let (_, body) = recorded(events(&app, &b, signup("order-2")).await).await;
    assert_eq!(body["recorded"], 1);
    let csv = admin_text(&app, "/admin/campaigns.csv?model=first_touch").await;
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with(",goal_demo,goal_signup"),
        "{csv}"
    );
    assert!(
        campaign_line(&app, "first_touch", "campaign", "spring")
            .await
            .ends_with(",0,1"),
        "{csv}"
    );
    let linear = campaign_line(&app, "linear", "source", "newsletter").await;
    assert!(linear.ends_with(",0.00,1.00"), "{linear}");
    let experiments = admin_text(&app, "/admin/experiments.csv").await;
    assert!(
        experiments.contains("\"pricing-test\",\"new\",1,1,\"signup\",1,"),
        "{experiments}"
    );
    assert!(
        experiments.contains("\"pricing-test\",\"new\",1,1,\"contact\",0,"),
        "{experiments}"
    );
    // The operators' pages name the goal by its title.
    let page = admin_text(&app, "/admin/campaigns").await;
    assert!(page.contains("Sign-ups"), "{page}");
    let page = admin_text(&app, "/admin/experiments").await;
    assert!(page.contains("Sign-ups"), "{page}");
}

#[rocket::async_test]
async fn a_visitor_sending_gpc_converts_without_being_counted() {
    let (app, _) = decisions_app(RULES).await;
    let b = Browser::new(&app);
    b.send(
        app.get("/?utm_source=newsletter&utm_campaign=spring")
            .header(Header::new("User-Agent", FIREFOX)),
    )
    .await;
    let request = app
        .post("/api/v1/events")
        .header(ContentType::JSON)
        .header(Header::new("Origin", ORIGIN))
        .header(Header::new("Sec-GPC", "1"))
        .body(json!({"type": "conversion", "goal": "signup", "id": "g-1"}).to_string());
    let (status, body) = recorded(b.send(request).await).await;
    assert_eq!((status, body), (Status::Accepted, json!({"recorded": 0})));
    let line = campaign_line(&app, "first_touch", "campaign", "spring").await;
    assert!(line.ends_with(",0,0"), "{line}");
    // The id is remembered: the same order later, without GPC, counts nothing.
    let again = app
        .post("/api/v1/events")
        .header(ContentType::JSON)
        .header(Header::new("Origin", ORIGIN))
        .body(json!({"type": "conversion", "goal": "signup", "id": "g-1"}).to_string());
    assert_eq!(json(b.send(again).await).await["recorded"], 0);
}

#[rocket::async_test]
async fn bad_events_are_refused_and_none_of_the_list_is_recorded() {
    let (app, _) = decisions_app(RULES).await;
    let b = Browser::new(&app);
    let good = json!({"type": "conversion", "goal": "signup", "id": "ok-1"});
    let bad = [
        json!({"type": "conversion", "goal": "contact", "id": "x"}),
        json!({"type": "conversion", "goal": "nope", "id": "x"}),
        json!({"type": "conversion", "goal": "signup"}),
        json!({"type": "conversion", "goal": "signup", "id": ""}),
        json!({"type": "conversion", "goal": "signup", "id": "x".repeat(201)}),
        json!({"type": "conversion", "goal": 7, "id": "x"}),
        json!({"type": "purchase"}),
        json!({"goal": "signup"}),
        json!("page_view"),
        json!({"type": "exposure"}),
        json!({"type": "page_view"}),
    ];
    for event in bad {
        let (status, body) =
            recorded(events(&app, &b, json!([good.clone(), event.clone()])).await).await;
        assert_eq!(status, Status::UnprocessableEntity, "{event}: {body}");
        assert_eq!(body["error"]["field"], "events[1]", "{event}");
    }
    let many: Vec<Value> = (0..51)
        .map(|i| json!({"type": "conversion", "goal": "signup", "id": format!("m{i}")}))
        .collect();
    assert_eq!(
        events(&app, &b, json!(many)).await.status(),
        Status::UnprocessableEntity
    );
    // The good event of every refused list was never recorded.
    let (_, body) = recorded(events(&app, &b, good).await).await;
    assert_eq!(body["recorded"], 1);
    // Not JSON, no JSON type, too big, another origin, no origin and no key.
    let raw = |body: String, json_type: bool, origin: Option<&'static str>| {
        let mut request = app.post("/api/v1/events").body(body);
        if json_type {
            request = request.header(ContentType::JSON);
        }
        if let Some(origin) = origin {
            request = request.header(Header::new("Origin", origin));
        }
        request.dispatch()
    };
    assert_eq!(
        raw("{".into(), true, Some(ORIGIN)).await.status(),
        Status::BadRequest
    );
    assert_eq!(
        raw("{}".into(), false, Some(ORIGIN)).await.status(),
        Status::UnsupportedMediaType
    );
    assert_eq!(
        raw("x".repeat(70_000), true, Some(ORIGIN)).await.status(),
        Status::PayloadTooLarge
    );
    let other = raw(good_event(), true, Some("https://evil.example")).await;
    assert_eq!(other.status(), Status::Forbidden);
    assert!(other
        .headers()
        .get_one("Access-Control-Allow-Origin")
        .is_none());
    drop(other);
    assert_eq!(
        raw(good_event(), true, None).await.status(),
        Status::UnprocessableEntity
    );
    // The preflight of an allowed origin.
    let preflight = app
        .req(rocket::http::Method::Options, "/api/v1/events")
        .header(Header::new("Origin", ORIGIN))
        .header(Header::new("Access-Control-Request-Method", "POST"))
        .dispatch()
        .await;
    assert_eq!(preflight.status(), Status::NoContent);
    assert_eq!(
        preflight.headers().get_one("Access-Control-Allow-Origin"),
        Some(ORIGIN)
    );
    let _ = server;
}

fn good_event() -> String {
    json!({"type": "conversion", "goal": "signup", "id": "raw-1"}).to_string()
}
