//! Hostile text where people type names: a name must show, may not reorder the
//! page, is isolated where shown; registration says every error at once; login
//! returns only to a local page.

use rocket::http::{ContentType, Status};
use serde_json::json;

use crate::support::*;

#[rocket::async_test]
async fn invisible_and_direction_changing_names_are_refused() {
    let app = app().await;
    for (name, code) in [
        ("\u{200B}\u{200B}", "invisible"),
        ("\u{3164}", "invisible"),
        ("\u{2060}\u{FEFF}", "invisible"),
        ("\u{202E}evil\u{202C} Bob", "bidi_controls"),
        ("Ann\u{2067}a", "bidi_controls"),
    ] {
        let response = put_preferences(&app, &json!({ "display_name": name }).to_string()).await;
        assert_eq!(response.status(), Status::UnprocessableEntity, "{name:?}");
        let error = json(response).await;
        assert_eq!(error["error"]["field"], "display_name");
        let reason = error["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(!reason.is_empty(), "{code}: a sentence says why");
    }
    // Through the form too, with the message beside the field.
    let token = session_token(&app).await;
    let body = form(&[
        ("csrf_token", &token),
        ("theme", "light"),
        ("timezone", "UTC"),
        ("display_name", "\u{200B}\u{200B}"),
    ]);
    let page = app
        .post("/preferences")
        .header(ContentType::Form)
        .body(body)
        .dispatch()
        .await;
    assert_eq!(page.status(), Status::UnprocessableEntity);
    assert!(page
        .into_string()
        .await
        .unwrap()
        .contains("Use at least one visible character."));
    // Names in any script are fine, and are shown isolated.
    let ok = put_preferences(&app, &json!({"display_name": "مريم"}).to_string()).await;
    assert_eq!(ok.status(), Status::Ok);
    drop(ok);
    assert!(get_text(&app, "/")
        .await
        .contains("Hello, <bdi>مريم</bdi>!"));
}

#[rocket::async_test]
async fn registration_reports_every_error_at_once() {
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    let token = csrf_token(&b.text("/register").await);
    let response = b
        .post_form(
            "/register",
            &[
                ("csrf_token", &token),
                ("username", "<x>"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let html = response.into_string().await.unwrap();
    assert!(html.contains("Choose a username of 3 to 32"), "{html}");
    assert!(
        html.contains("Use a password of at least 10 characters."),
        "{html}"
    );
}

#[rocket::async_test]
async fn login_returns_to_a_local_page_only() {
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    let token = csrf_token(&b.text("/register").await);
    b.post_form(
        "/register",
        &[
            ("csrf_token", &token),
            ("username", "wanderer"),
            ("password", "correct horse battery"),
        ],
    )
    .await;
    let login_to = |next: &str| {
        let next = next.to_owned();
        let b = &b;
        async move {
            let token = csrf_token(&b.text("/account").await);
            b.post_form("/logout", &[("csrf_token", &token)]).await;
            let page = b
                .text(&format!(
                    "/login?next={}",
                    form(&[("x", &next)])[2..].to_owned()
                ))
                .await;
            let token = csrf_token(&page);
            let response = b
                .post_form(
                    "/login",
                    &[
                        ("csrf_token", &token),
                        ("username", "wanderer"),
                        ("password", "correct horse battery"),
                        ("next", &next),
                    ],
                )
                .await;
            assert_eq!(response.status(), Status::SeeOther);
            response.headers().get_one("Location").unwrap().to_owned()
        }
    };
    assert_eq!(login_to("/cart").await, "/cart");
    assert_eq!(login_to("/products/silk-tie").await, "/products/silk-tie");
    for hostile in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "/login",
        "//",
        "/./cart",
    ] {
        assert_eq!(login_to(hostile).await, "/", "{hostile}");
    }
    // Coming from a page of this site (no `next`), login goes back there.
    let token = csrf_token(&b.text("/account").await);
    b.post_form("/logout", &[("csrf_token", &token)]).await;
    let page = b
        .send(
            app.get("/login")
                .header(rocket::http::Header::new(
                    "Referer",
                    "http://localhost/history",
                ))
                .header(rocket::http::Header::new("Host", "localhost")),
        )
        .await
        .into_string()
        .await
        .unwrap();
    assert!(
        page.contains("name=\"next\" value=\"&#x2F;history\""),
        "{page}"
    );
    // The account page sends a visitor who is not logged in to log in, and back.
    let response = b.get("/account").await;
    assert_eq!(
        response.headers().get_one("Location"),
        Some("/login?next=/account")
    );
}
