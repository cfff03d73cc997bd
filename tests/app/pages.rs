//! The home page, language negotiation, the layout, errors and security headers.

use rocket::http::{Accept, Status};

use crate::support::*;

async fn page(app: &TestApp, path: &str, lang: Option<&str>) -> (Status, String) {
    let mut request = app.get(path.to_owned());
    if let Some(lang) = lang {
        request = request.header(accept_language(lang));
    }
    let response = request.dispatch().await;
    (
        response.status(),
        response.into_string().await.unwrap_or_default(),
    )
}

#[rocket::async_test]
async fn home_speaks_english_by_default_and_spanish_to_spanish_browsers() {
    let app = app().await;
    let (status, en) = page(&app, "/", None).await;
    assert_eq!(status, Status::Ok);
    assert!(en.contains(r#"<html lang="en" data-theme="system">"#));
    assert!(en.contains("Welcome to tailor"));

    let (_, es) = page(&app, "/", Some("es-ES,es;q=0.9,en;q=0.5")).await;
    assert!(es.contains(r#"<html lang="es""#));
    assert!(es.contains("Te damos la bienvenida a tailor"));
}

#[rocket::async_test]
async fn huge_and_odd_accept_language_headers_do_not_break_negotiation() {
    let app = app().await;
    let huge = format!("{}es", "zz-ZZ;q=0.1, ".repeat(700));
    assert!(huge.len() > 8 * 1024);
    for header in [
        huge.as_str(),
        "es;q=abc",
        "es;q=2",
        "en;q=0, es;q=0.001",
        ";;;,,,",
        "*;q=0.5",
        "é",
    ] {
        let (status, html) = page(&app, "/", Some(header)).await;
        assert_eq!(status, Status::Ok, "{header:.40}");
        assert!(html.contains("<html lang="), "{header:.40}");
    }
    let (_, html) = page(&app, "/", Some("en;q=0, es;q=0.001")).await;
    assert!(html.contains(r#"<html lang="es""#));
}

#[rocket::async_test]
async fn home_greets_by_the_saved_name_escaped() {
    let app = app().await;
    put_preferences(
        &app,
        r#"{"display_name":"Ada <script>alert(\"x\")</script>"}"#,
    )
    .await;
    let (_, html) = page(&app, "/", None).await;
    assert!(
        html.contains(
            "Hello, <bdi>Ada &lt;script&gt;alert(&quot;x&quot;)&lt;&#x2F;script&gt;</bdi>!"
        ),
        "{html}"
    );
    assert!(!html.contains("<script>alert"));
}

#[rocket::async_test]
async fn every_page_follows_the_saved_theme_and_language() {
    let app = app().await;
    put_preferences(&app, r#"{"theme":"high-contrast","language":"es"}"#).await;
    for path in ["/", "/preferences", "/privacy", "/does-not-exist"] {
        let (_, html) = page(&app, path, Some("en")).await;
        assert!(
            html.contains(r#"<html lang="es" data-theme="high-contrast">"#),
            "{path}"
        );
    }
}

#[rocket::async_test]
async fn the_navigation_links_every_page() {
    let app = app().await;
    let (_, html) = page(&app, "/", None).await;
    for href in [
        "/",
        "/preferences",
        "/forms/contact",
        "/drafts",
        "/history",
        "/products",
        "/cart",
        "/account",
        "/privacy",
    ] {
        assert!(
            html.contains(&format!("<a href=\"{href}\"")),
            "no link to {href}"
        );
    }
}

#[rocket::async_test]
async fn security_headers_are_on_every_response() {
    let app = app().await;
    for path in ["/", "/api/v1/preferences", "/nope", "/static/tailor.css"] {
        let response = app.get(path).dispatch().await;
        let h = response.headers();
        let csp = h.get_one("Content-Security-Policy").unwrap_or_default();
        assert!(
            csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(
            h.get_one("X-Content-Type-Options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(h.get_one("Referrer-Policy"), Some("same-origin"), "{path}");
        assert_eq!(h.get_one("X-Frame-Options"), Some("DENY"), "{path}");
    }
    let css = app.get("/static/tailor.css").dispatch().await;
    assert_eq!(
        css.headers().get_one("Cache-Control"),
        Some("public, max-age=3600")
    );
}

#[rocket::async_test]
async fn pages_have_no_inline_script_or_style() {
    let app = app().await;
    for path in ["/", "/preferences", "/privacy", "/missing"] {
        let (_, html) = page(&app, path, None).await;
        assert!(
            !html.contains("<script>") && !html.contains("<style") && !html.contains("style="),
            "{path}"
        );
    }
}

#[rocket::async_test]
async fn unknown_pages_get_a_translated_404_page_and_api_paths_json() {
    let app = app().await;
    let (status, html) = page(&app, "/no/such/page", Some("es")).await;
    assert_eq!(status, Status::NotFound);
    assert!(html.contains("Página no encontrada"));

    let response = app
        .get("/api/v1/nothing")
        .header(Accept::HTML)
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::NotFound);
    let body = json(response).await;
    assert_eq!(body["error"]["code"], "not_found");
    assert!(body["error"]["message"].is_string());
}
