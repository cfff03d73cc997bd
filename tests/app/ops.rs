//! Health, readiness and metrics.

use rocket::http::{ContentType, Status};

use crate::helpers::*;

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
        "tailor_http_requests_total{status=\"200\"} 1",
        "tailor_http_requests_total{status=\"404\"} 1",
        "tailor_store_errors_total 0",
        "# TYPE tailor_http_requests_total counter",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing `{line}` in\n{text}"
        );
    }
}
