//! No method override reaches the API: a form never acts on a JSON route.

use rocket::http::{ContentType, Status};

use crate::support::*;

#[rocket::async_test]
async fn a_form_post_with_method_override_cannot_touch_the_api() {
    let app = app().await;
    put_preferences(&app, r#"{"theme":"dark"}"#).await;
    for (path, body) in [
        ("/api/v1/session", "_method=delete"),
        ("/api/v1/history", "_method=delete"),
        ("/api/v1/cart/items/silk-tie", "_method=delete"),
        ("/api/v1/drafts/contact", "_method=delete"),
        ("/api/v1/preferences", "_method=put&theme=light"),
    ] {
        let response = app
            .post(path)
            .header(ContentType::Form)
            .body(body)
            .dispatch()
            .await;
        assert!(
            matches!(response.status().code, 404 | 405 | 415),
            "{path}: {}",
            response.status()
        );
        assert!(response.status() != Status::NoContent);
    }
    let prefs = preferences(&app).await;
    assert_eq!(
        prefs["theme"], "dark",
        "nothing changed, the session is there"
    );
}
