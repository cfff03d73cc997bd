//! The seed example (`examples/seed.rs`) does what the tutorial says.

#[allow(dead_code)]
#[path = "../examples/seed.rs"]
mod seed;

use rocket::http::{Cookie, Status};
use rocket::local::asynchronous::Client;

async fn body(client: &Client, path: &str) -> String {
    let response = client.get(path).dispatch().await;
    assert_eq!(response.status(), Status::Ok);
    response.into_string().await.unwrap()
}

#[rocket::async_test]
async fn the_name_is_stored_then_read_back() {
    let browser = Client::tracked(seed::rocket()).await.unwrap();
    assert_eq!(body(&browser, "/getName").await, "No name stored");
    assert_eq!(body(&browser, "/").await, "Session stored");
    assert_eq!(body(&browser, "/getName").await, "The name is John");
    let cookie = browser
        .cookies()
        .iter()
        .next()
        .cloned()
        .expect("a session cookie");
    assert_eq!(cookie.name(), "session");
    assert_eq!(cookie.http_only(), Some(true));
    assert!(
        cookie.value().len() > 40,
        "the value is sealed, not the bare id"
    );
}

#[rocket::async_test]
async fn another_browser_or_a_forged_cookie_has_no_name() {
    let first = Client::tracked(seed::rocket()).await.unwrap();
    assert_eq!(body(&first, "/").await, "Session stored");
    let other = Client::untracked(seed::rocket()).await.unwrap();
    assert_eq!(body(&other, "/getName").await, "No name stored");
    let forged = other
        .get("/getName")
        .cookie(Cookie::new("session", "AAAAAAAAAAAAAAAAAAAAAA"))
        .dispatch()
        .await;
    assert_eq!(forged.into_string().await.unwrap(), "No name stored");
}
