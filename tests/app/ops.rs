//! Health, readiness and metrics.

use rocket::http::{ContentType, Status};

use crate::support::*;

#[rocket::async_test]
async fn health_and_readiness_answer() {
    let app = app().await;
    let health = app.get("/healthz").dispatch().await;
    assert_eq!(health.status(), Status::Ok);
    let ready = app.get("/readyz").dispatch().await;
    assert_eq!(ready.status(), Status::Ok);
}

#[rocket::async_test]
async fn metrics_count_sessions_requests_and_store_errors() {
    let app = app().await;
    put_preferences(&app, r#"{"theme":"dark"}"#).await;
    app.get("/missing").dispatch().await;
    let response = app.get("/metrics").dispatch().await;
    assert_eq!(response.status(), Status::Ok);
    assert_eq!(
        response.content_type().map(|c| c.media_type().clone()),
        Some(ContentType::Plain.media_type().clone())
    );
    let text = response.into_string().await.unwrap();
    for line in [
        "tailor_sessions_live 1",
        "tailor_http_requests_total{method=\"PUT\",route=\"/api/v1/preferences\",status=\"200\"} 1",
        "tailor_http_requests_total{method=\"any\",route=\"(no route)\",status=\"404\"} 1",
        "tailor_store_errors_total 0",
        "# TYPE tailor_http_requests_total counter",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing `{line}` in\n{text}"
        );
    }
}

#[rocket::async_test]
async fn metrics_labels_are_route_templates_never_raw_paths() {
    let app = app().await;
    for slug in ["silk-tie", "chinos", "no-such-product-<script>"] {
        app.get(format!("/products/{slug}")).dispatch().await;
    }
    app.get("/a/path/nobody/mounted/x9").dispatch().await;
    let text = get_text(&app, "/metrics").await;
    assert!(
        text.contains("tailor_http_requests_total{method=\"GET\",route=\"/products/<slug>\",status=\"200\"} 2"),
        "{text}"
    );
    assert!(
        !text.contains("silk-tie") && !text.contains("x9") && !text.contains("<script>"),
        "{text}"
    );
}

#[rocket::async_test]
async fn a_metrics_token_when_set_is_required() {
    let app = app_with(|f| f.merge(("ops.metrics_token", "scrape-me"))).await;
    assert_eq!(
        app.get("/metrics").dispatch().await.status(),
        Status::Unauthorized
    );
    let wrong = rocket::http::Header::new("Authorization", "Bearer nope");
    assert_eq!(
        app.get("/metrics").header(wrong).dispatch().await.status(),
        Status::Unauthorized
    );
    let right = rocket::http::Header::new("Authorization", "Bearer scrape-me");
    let response = app.get("/metrics").header(right).dispatch().await;
    assert_eq!(response.status(), Status::Ok);
    assert_eq!(response.headers().get_one("WWW-Authenticate"), None);
}
