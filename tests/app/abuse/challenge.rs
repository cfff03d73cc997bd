//! Only the operator pages ask for Basic credentials.

use rocket::http::{ContentType, Status};

use crate::support::*;

#[rocket::async_test]
async fn only_operator_pages_send_the_basic_auth_challenge() {
    let app = app_with(with_admin).await;
    let token = session_token(&app).await;
    // A logged-out post to a page that needs a login: 401, and no prompt.
    let body = form(&[("csrf_token", &token), ("current", "x"), ("new", "y")]);
    let response = app
        .post("/account/password")
        .header(ContentType::Form)
        .body(body)
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::Unauthorized);
    assert_eq!(response.headers().get_one("WWW-Authenticate"), None);
    let api = app
        .delete("/api/v1/account")
        .header(ContentType::JSON)
        .body(r#"{"password":"x"}"#)
        .dispatch()
        .await;
    assert_eq!(api.status(), Status::Unauthorized);
    assert_eq!(api.headers().get_one("WWW-Authenticate"), None);
    let operators = app.get("/admin/campaigns").dispatch().await;
    assert_eq!(operators.status(), Status::Unauthorized);
    assert!(operators
        .headers()
        .get_one("WWW-Authenticate")
        .is_some_and(|h| h.starts_with("Basic")));
}
