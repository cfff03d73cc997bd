//! HSTS when the cookie is `Secure`.

use crate::support::*;

#[rocket::async_test]
async fn hsts_is_sent_when_the_cookie_is_secure_and_only_then() {
    let secure = app_with(|f| f.merge(("session.cookie_secure", true))).await;
    for path in ["/", "/api/v1/preferences", "/static/tailor.css"] {
        let response = secure.get(path).dispatch().await;
        assert_eq!(
            response.headers().get_one("Strict-Transport-Security"),
            Some("max-age=31536000"),
            "{path}"
        );
    }
    let plain = app().await;
    let response = plain.get("/").dispatch().await;
    assert_eq!(
        response.headers().get_one("Strict-Transport-Security"),
        None
    );
}
