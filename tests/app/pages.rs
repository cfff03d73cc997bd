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

/// Each header once: the values a response carries for `name`.
fn one_header<'h>(h: &'h rocket::http::HeaderMap<'_>, name: &str, path: &str) -> &'h str {
    let values: Vec<&str> = h.get(name).collect();
    assert_eq!(values.len(), 1, "{path}: {name} {values:?}");
    values[0]
}

#[rocket::async_test]
async fn pages_get_every_security_header_once() {
    let app = app().await;
    // A page, an HTML error page, a page route's 404 and a static file's 404.
    for path in ["/", "/nope", "/products/no-such-thing", "/static/none.css"] {
        let response = app.get(path).header(Accept::HTML).dispatch().await;
        let h = response.headers();
        let csp = one_header(h, "Content-Security-Policy", path);
        assert!(
            csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(one_header(h, "X-Content-Type-Options", path), "nosniff");
        assert_eq!(one_header(h, "Referrer-Policy", path), "same-origin");
        assert_eq!(one_header(h, "X-Frame-Options", path), "DENY");
        // FLoC's opt-out is gone with FLoC (browsers log it as unrecognised).
        assert!(h.get_one("Permissions-Policy").is_none(), "{path}");
        assert_eq!(one_header(h, "Cache-Control", path), "private, no-store");
        assert_eq!(
            one_header(h, "Content-Type", path),
            "text/html; charset=utf-8"
        );
        assert!(h.get_one("Strict-Transport-Security").is_none(), "{path}");
        assert!(h.get_one("Server").is_none(), "no Server header: {path}");
    }
}

#[rocket::async_test]
async fn an_operator_may_name_the_server() {
    let app = app_with(|f| f.merge(("ident", "tailor"))).await;
    let response = app.get("/").dispatch().await;
    assert_eq!(response.headers().get_one("Server"), Some("tailor"));
}

#[rocket::async_test]
async fn json_errors_and_static_files_get_the_rest_set() {
    let app = app().await;
    for (path, cache) in [
        ("/api/v1/preferences", "private, no-store"),
        ("/api/v1/nothing", "private, no-store"),
        ("/api/v1/drafts/no-such-form", "private, no-store"),
        ("/static/tailor.css", "public, max-age=3600"),
    ] {
        let response = app.get(path).dispatch().await;
        let h = response.headers();
        assert_eq!(one_header(h, "X-Content-Type-Options", path), "nosniff");
        assert_eq!(
            one_header(h, "Content-Security-Policy", path),
            "default-src 'none'; frame-ancestors 'none'"
        );
        assert_eq!(one_header(h, "Cache-Control", path), cache, "{path}");
        let json = path.starts_with("/api/");
        let expected = if json {
            "application/json"
        } else {
            "text/css; charset=utf-8"
        };
        assert_eq!(one_header(h, "Content-Type", path), expected);
        // What only a page needs is not sent with JSON or a stylesheet.
        assert!(h.get_one("Referrer-Policy").is_none(), "{path}");
        assert!(h.get_one("Permissions-Policy").is_none(), "{path}");
    }
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
