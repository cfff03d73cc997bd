//! Health, readiness and metrics.

use rocket::http::Status;

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
    let content_type = response.content_type().unwrap();
    assert_eq!(
        (content_type.top().as_str(), content_type.sub().as_str()),
        ("application", "openmetrics-text")
    );
    let text = response.into_string().await.unwrap();
    for line in [
        "tailor_sessions_live 1",
        "tailor_http_requests_total{method=\"PUT\",route=\"/api/v1/preferences\",status=\"200\"} 1",
        "tailor_http_requests_total{method=\"any\",route=\"(no route)\",status=\"404\"} 1",
        "tailor_store_errors_total 0",
        "# TYPE tailor_http_requests counter",
        "# TYPE tailor_http_request_duration_seconds histogram",
        "# TYPE tailor_store_operation_duration_seconds histogram",
        "# EOF",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing `{line}` in\n{text}"
        );
    }
    // The latency of the PUT, in a bucket of its route and class, and the store's
    // operations, each under its name.
    let put = "tailor_http_request_duration_seconds_count{method=\"PUT\",route=\"/api/v1/preferences\",status_class=\"2xx\"} 1";
    assert!(text.lines().any(|l| l == put), "{text}");
    for operation in ["load", "create", "count"] {
        let prefix =
            format!("tailor_store_operation_duration_seconds_count{{operation=\"{operation}\"}} ");
        assert!(
            text.lines().any(|l| l.starts_with(&prefix)),
            "no {operation} timings in\n{text}"
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
