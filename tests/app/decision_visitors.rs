//! The consent banner's choice from the operator's pages, and a key-holder's
//! export and erasure of a subject.

use rocket::http::{ContentType, Header, Method, Status};
use serde_json::json;

use crate::decisions::{decisions_app, decisions_app_with, server, ORIGIN, RULES};
use crate::support::*;

/// A page view of the operator's page by `b`; how many events were recorded.
async fn page_view(app: &TestApp, b: &Browser<'_>) -> serde_json::Value {
    let request = app
        .post("/api/v1/events")
        .header(ContentType::JSON)
        .header(Header::new("Origin", ORIGIN))
        .body(json!({"type": "page_view", "url": "https://www.example.test/a"}).to_string());
    json(b.send(request).await).await["recorded"].clone()
}

#[rocket::async_test]
async fn the_banner_on_the_operators_page_gives_consent_as_tailors_does() {
    let (app, key) = decisions_app_with(RULES, |f| f.merge(("tracking.consent", "opt-in"))).await;
    let b = Browser::new(&app);
    assert_eq!(page_view(&app, &b).await, 0, "nothing before consent");
    let choose = |choice: serde_json::Value| {
        app.post("/api/v1/consent")
            .header(ContentType::JSON)
            .header(Header::new("Origin", ORIGIN))
            .body(json!({ "choice": choice }).to_string())
    };
    let accepted = b.send(choose(json!("accept"))).await;
    assert_eq!(accepted.status(), Status::Ok);
    assert_eq!(
        accepted.headers().get_one("Access-Control-Allow-Origin"),
        Some(ORIGIN)
    );
    assert_eq!(json(accepted).await, json!({"tracking": true}));
    assert_eq!(page_view(&app, &b).await, 1);
    assert_eq!(b.json("/api/v1/preferences").await["tracking"], true);
    // Declined later: nothing more is recorded.
    assert_eq!(b.send(choose(json!("decline"))).await.status(), Status::Ok);
    assert_eq!(page_view(&app, &b).await, 0);
    // Bad choices, a backend, a cross-site page: refused, the choice unchanged.
    for bad in [json!("yes"), json!(true), json!(null)] {
        assert_eq!(
            b.send(choose(bad)).await.status(),
            Status::UnprocessableEntity
        );
    }
    let from_backend = app
        .post("/api/v1/consent")
        .header(ContentType::JSON)
        .header(Header::new("Authorization", format!("Bearer {key}")))
        .body(r#"{"choice": "accept"}"#);
    assert_eq!(
        b.send(from_backend).await.status(),
        Status::UnprocessableEntity
    );
    let cross_site = app
        .post("/api/v1/consent")
        .header(ContentType::JSON)
        .header(Header::new("Origin", "https://evil.example"))
        .body(r#"{"choice": "accept"}"#);
    assert_eq!(b.send(cross_site).await.status(), Status::Forbidden);
    assert_eq!(b.json("/api/v1/preferences").await["tracking"], false);
    let preflight = app
        .req(Method::Options, "/api/v1/consent")
        .header(Header::new("Origin", ORIGIN))
        .dispatch()
        .await;
    assert_eq!(preflight.status(), Status::NoContent);
    drop(preflight);
    // Both choices are in the consent ledger, source api; the bad ones are not.
    let export = b.json("/api/v1/session").await;
    let ledger: Vec<(&str, &str)> = export["consent_ledger"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["choice"].as_str().unwrap(), e["source"].as_str().unwrap()))
        .collect();
    assert_eq!(ledger, [("granted", "api"), ("withdrawn", "api")]);
}

#[rocket::async_test]
async fn gpc_seen_by_the_decision_endpoints_is_one_ledger_row_per_session() {
    let (app, _key) = decisions_app(RULES).await;
    let b = Browser::new(&app);
    let saved = b
        .send(
            app.put("/api/v1/preferences")
                .header(ContentType::JSON)
                .body(r#"{"theme": "dark"}"#),
        )
        .await;
    assert_eq!(saved.status(), Status::Ok);
    drop(saved);
    for _ in 0..5 {
        let asked = app
            .post("/ofrep/v1/evaluate/flags")
            .header(ContentType::JSON)
            .header(Header::new("Origin", ORIGIN))
            .header(Header::new("Sec-GPC", "1"))
            .body(r#"{"context": {}}"#);
        assert_eq!(b.send(asked).await.status(), Status::Ok);
    }
    let export = b.json("/api/v1/session").await;
    let ledger = export["consent_ledger"].as_array().unwrap();
    assert_eq!(ledger.len(), 1, "{ledger:?}");
    assert_eq!(ledger[0]["source"], "gpc");
    assert_eq!(ledger[0]["choice"], "refused");
}

#[rocket::async_test]
async fn a_key_holder_exports_and_erases_a_subject() {
    let (app, key) = decisions_app(RULES).await;
    let flag = "/ofrep/v1/evaluate/flags/experiment.cta";
    let drawn = json(server(&app, &key, flag, json!({"targetingKey": "u-9"})).await).await;
    assert_eq!(drawn["value"], "on");
    let call = |method: Method, path: &'static str, body: serde_json::Value, key: Option<&str>| {
        let mut request = app
            .req(method, path)
            .header(ContentType::JSON)
            .body(body.to_string());
        if let Some(key) = key {
            request = request.header(Header::new("Authorization", format!("Bearer {key}")));
        }
        request.dispatch()
    };
    let exported = call(
        Method::Post,
        "/api/v1/subjects/export",
        json!({"targetingKey": "u-9"}),
        Some(&key),
    )
    .await;
    assert_eq!(exported.status(), Status::Ok);
    let exported = json(exported).await;
    assert_eq!(
        exported["assignments"][0]["experiment"], "cta",
        "{exported}"
    );
    assert_eq!(exported["assignments"][0]["variant"], "on");
    assert!(
        !exported.to_string().contains("u-9"),
        "the operator's id is never kept"
    );
    // Without a key, with a wrong one, from a browser, without a targetingKey.
    let body = json!({"targetingKey": "u-9"});
    assert_eq!(
        call(Method::Delete, "/api/v1/subjects", body.clone(), None)
            .await
            .status(),
        Status::Unauthorized
    );
    assert_eq!(
        call(
            Method::Delete,
            "/api/v1/subjects",
            body.clone(),
            Some("tailor_wrong")
        )
        .await
        .status(),
        Status::Unauthorized
    );
    let from_browser = app
        .delete("/api/v1/subjects")
        .header(ContentType::JSON)
        .header(Header::new("Origin", ORIGIN))
        .body(body.to_string())
        .dispatch()
        .await;
    assert_eq!(from_browser.status(), Status::Unauthorized);
    drop(from_browser);
    for bad in [
        json!({}),
        json!({"targetingKey": ""}),
        json!({"targetingKey": 7}),
        json!({"targetingKey": "x".repeat(257)}),
        json!([1]),
    ] {
        let status = call(Method::Delete, "/api/v1/subjects", bad.clone(), Some(&key))
            .await
            .status();
        assert_eq!(status, Status::UnprocessableEntity, "{bad}");
    }
    let bytes = call(
        Method::Post,
        "/api/v1/subjects/export",
        json!({"targetingKey": "u-9"}),
        Some(&key),
    )
    .await;
    assert_eq!(
        json(bytes).await["assignments"].as_array().unwrap().len(),
        1,
        "nothing erased by a bad call"
    );
    // Erased: the export is empty, and the next evaluation draws afresh.
    assert_eq!(
        call(Method::Delete, "/api/v1/subjects", body.clone(), Some(&key))
            .await
            .status(),
        Status::NoContent
    );
    let after = json(
        call(
            Method::Post,
            "/api/v1/subjects/export",
            body.clone(),
            Some(&key),
        )
        .await,
    )
    .await;
    assert_eq!(after, json!({"assignments": []}));
    assert_eq!(
        call(Method::Delete, "/api/v1/subjects", body, Some(&key))
            .await
            .status(),
        Status::NoContent
    );
}

#[rocket::async_test]
async fn each_subject_and_each_session_has_its_own_limit_under_concurrent_calls() {
    let (app, key) =
        decisions_app_with(RULES, |f| f.merge(("decisions.requests_per_minute", 5))).await;
    let flag = "/ofrep/v1/evaluate/flags/max-items";
    // Ten calls at once for one subject: five answered, five refused with Retry-After.
    let calls = (0..10).map(|_| server(&app, &key, flag, json!({"targetingKey": "busy"})));
    let answers = rocket::futures::future::join_all(calls).await;
    let ok = answers.iter().filter(|r| r.status() == Status::Ok).count();
    let limited: Vec<_> = answers
        .iter()
        .filter(|r| r.status() == Status::TooManyRequests)
        .collect();
    assert_eq!((ok, limited.len()), (5, 5));
    assert!(limited
        .iter()
        .all(|r| r.headers().get_one("Retry-After").is_some()));
    drop(answers);
    // Another subject of the same backend is not limited by the first.
    let other = server(&app, &key, flag, json!({"targetingKey": "calm"})).await;
    assert_eq!(other.status(), Status::Ok);
    drop(other);
    // One browser's session: its evaluations and events share its budget.
    let b = Browser::new(&app);
    b.text("/").await;
    let mut statuses = Vec::new();
    for i in 0..7 {
        let path = if i % 2 == 0 { flag } else { "/api/v1/events" };
        let body = if i % 2 == 0 {
            json!({"context": {}})
        } else {
            json!({"type": "exposure", "flag": "experiment.cta"})
        };
        let request = app
            .post(path)
            .header(ContentType::JSON)
            .header(Header::new("Origin", ORIGIN))
            .body(body.to_string());
        statuses.push(b.send(request).await.status().code);
    }
    assert_eq!(
        statuses,
        [200, 202, 200, 202, 200, 429, 429],
        "{statuses:?}"
    );
}

#[rocket::async_test]
async fn server_mode_subjects_carry_their_own_consent_and_make_no_ledger_row() {
    let (app, key) = decisions_app(RULES).await;
    for context in [
        json!({"targetingKey": "u-1", "consent": "refused"}),
        json!({"targetingKey": "u-2", "gpc": true}),
        json!({"targetingKey": "u-3", "consent": "granted"}),
    ] {
        let flags = server(&app, &key, "/ofrep/v1/evaluate/flags", context.clone()).await;
        assert_eq!(flags.status(), Status::Ok, "{context}");
    }
    let subject_gpc = app
        .post("/ofrep/v1/evaluate/flags")
        .header(ContentType::JSON)
        .header(Header::new("Authorization", format!("Bearer {key}")))
        .header(Header::new("Sec-GPC", "1"))
        .body(r#"{"context": {"targetingKey": "u-4"}}"#)
        .dispatch()
        .await;
    assert_eq!(subject_gpc.status(), Status::Ok);
    let csv = admin_text(&app, "/admin/consent.csv").await;
    assert_eq!(
        csv.lines().count(),
        1,
        "the operator keeps the proof of their own record: {csv}"
    );
}
