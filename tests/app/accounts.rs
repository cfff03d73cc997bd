//! Accounts: registration, login (regenerated ids, merged carts, saved
//! preferences), the account page's sessions, lifetimes, and their bad input.
//! Each test drives one or more [`Browser`]s, each with its own cookie.

use std::time::Duration;

use rocket::http::{Cookie, Method, Status};
use rocket::local::asynchronous::LocalResponse;
use serde_json::{json, Value};

use crate::helpers::*;

const PASSWORD: &str = "correct horse battery";

async fn csrf(b: &Browser<'_>, path: &str) -> String {
    csrf_token(&b.text(path).await)
}

async fn register(b: &Browser<'_>, username: &str, password: &str) -> Status {
    let token = csrf(b, "/register").await;
    b.post_form(
        "/register",
        &[
            ("csrf_token", &token),
            ("username", username),
            ("password", password),
        ],
    )
    .await
    .status()
}

async fn login<'c>(b: &Browser<'c>, username: &str, password: &str) -> LocalResponse<'c> {
    let token = csrf(b, "/login").await;
    b.post_form(
        "/login",
        &[
            ("csrf_token", &token),
            ("username", username),
            ("password", password),
        ],
    )
    .await
}

async fn logout(b: &Browser<'_>) {
    let token = csrf(b, "/account").await;
    assert_eq!(
        b.post_form("/logout", &[("csrf_token", &token)])
            .await
            .status(),
        Status::SeeOther
    );
}

async fn logged_in(b: &Browser<'_>) -> bool {
    b.get("/account").await.status() == Status::Ok
}

async fn add(b: &Browser<'_>, product: &str, quantity: u32) {
    let response = b
        .send_json(
            Method::Post,
            "/api/v1/cart/items",
            &json!({"product": product, "quantity": quantity}),
        )
        .await;
    assert_eq!(response.status(), Status::Ok);
}

async fn set_prefs(b: &Browser<'_>, body: Value) {
    assert_eq!(
        b.send_json(Method::Put, "/api/v1/preferences", &body)
            .await
            .status(),
        Status::Ok
    );
}

async fn cart_items(b: &Browser<'_>) -> Value {
    b.json("/api/v1/cart").await["items"].clone()
}

#[rocket::async_test]
async fn register_logs_in_and_the_account_page_lists_this_device() {
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    assert_eq!(register(&b, "Ada", PASSWORD).await, Status::SeeOther);
    let ua = rocket::http::Header::new(
        "User-Agent",
        "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
    );
    let html = b
        .send(app.get("/account").header(ua))
        .await
        .into_string()
        .await
        .unwrap();
    assert!(html.contains("Signed in as Ada"));
    assert!(html.contains("this device"));
    assert!(
        b.text("/").await.contains("Hello, Ada!"),
        "the home page greets the user"
    );
    assert_eq!(b.json("/api/v1/session").await["user"]["username"], "Ada");
}

#[rocket::async_test]
async fn registration_refuses_taken_names_bad_names_and_short_passwords() {
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    assert_eq!(register(&b, "grace", PASSWORD).await, Status::SeeOther);
    logout(&b).await;
    for (name, password, message) in [
        ("GRACE", PASSWORD, "That username is taken."),
        ("g", PASSWORD, "Choose a username of 3 to 32"),
        ("<script>", PASSWORD, "Choose a username of 3 to 32"),
        (
            "hopper",
            "short",
            "Use a password of at least 10 characters.",
        ),
    ] {
        let token = csrf(&b, "/register").await;
        let response = b
            .post_form(
                "/register",
                &[
                    ("csrf_token", &token),
                    ("username", name),
                    ("password", password),
                ],
            )
            .await;
        assert_eq!(response.status(), Status::UnprocessableEntity, "{name}");
        assert!(
            response.into_string().await.unwrap().contains(message),
            "{name}"
        );
    }
}

#[rocket::async_test]
async fn wrong_password_and_unknown_user_look_the_same() {
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    register(&b, "linus", PASSWORD).await;
    logout(&b).await;
    let wrong = login(&b, "linus", "not the password").await;
    let (s1, b1) = (wrong.status(), wrong.into_string().await.unwrap());
    let unknown = login(&b, "nobody-here", "not the password").await;
    let (s2, b2) = (unknown.status(), unknown.into_string().await.unwrap());
    assert_eq!(s1, Status::Unauthorized);
    assert_eq!(s1, s2);
    let message = "The username or password is not right.";
    assert!(b1.contains(message) && b2.contains(message));
    assert!(!logged_in(&b).await);
}

#[rocket::async_test]
async fn five_failures_lock_the_account_until_the_window_passes() {
    let app = untracked_app_with(|f| f.merge(("accounts.failure_window_secs", 2))).await;
    let b = Browser::new(&app);
    register(&b, "margaret", PASSWORD).await;
    logout(&b).await;
    for _ in 0..5 {
        assert_eq!(
            login(&b, "Margaret", "guess").await.status(),
            Status::Unauthorized
        );
    }
    let locked = login(&b, "margaret", PASSWORD).await;
    assert_eq!(
        locked.status(),
        Status::TooManyRequests,
        "even the right password"
    );
    assert!(locked
        .into_string()
        .await
        .unwrap()
        .contains("Too many failed attempts"));
    rocket::tokio::time::sleep(Duration::from_millis(2200)).await;
    assert_eq!(
        login(&b, "margaret", PASSWORD).await.status(),
        Status::SeeOther
    );
}

#[rocket::async_test]
async fn oversize_passwords_and_missing_tokens_are_refused_without_hashing() {
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    let token = csrf(&b, "/login").await;
    let huge = "p".repeat(1024 * 1024);
    let response = b
        .post_form(
            "/login",
            &[
                ("csrf_token", &token),
                ("username", "x"),
                ("password", &huge),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::PayloadTooLarge);
    drop(response);
    let long = "p".repeat(300);
    let response = b
        .post_form(
            "/login",
            &[
                ("csrf_token", &token),
                ("username", "xyz"),
                ("password", &long),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    drop(response);
    let response = b
        .post_form("/login", &[("username", "xyz"), ("password", PASSWORD)])
        .await;
    assert_eq!(response.status(), Status::Forbidden);
    drop(response);
    let response = b
        .post_form("/register", &[("username", "xyz"), ("password", PASSWORD)])
        .await;
    assert_eq!(response.status(), Status::Forbidden);
}

#[rocket::async_test]
async fn the_pre_login_and_logged_out_cookies_are_dead() {
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    b.get("/login").await;
    let before = b.cookie().expect("a session before login");
    assert_eq!(register(&b, "eve", PASSWORD).await, Status::SeeOther);
    let after = b.cookie().unwrap();
    assert_ne!(
        open(&before, "tailor_sid", KEY_A),
        open(&after, "tailor_sid", KEY_A),
        "the id changed"
    );

    let status = |value: String| {
        let request = app.get("/account").cookie(Cookie::new("tailor_sid", value));
        async move { request.dispatch().await.status() }
    };
    assert_eq!(status(after.clone()).await, Status::Ok);
    assert_eq!(
        status(before).await,
        Status::SeeOther,
        "the pre-login cookie is not logged in"
    );
    logout(&b).await;
    assert_eq!(
        status(after).await,
        Status::SeeOther,
        "the logged-out cookie is not logged in"
    );
}

#[rocket::async_test]
async fn login_merges_the_anonymous_cart_and_applies_saved_preferences() {
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    register(&b, "merger", PASSWORD).await;
    set_prefs(&b, json!({"theme": "dark", "language": "es"})).await;
    add(&b, "silk-tie", 2).await;
    logout(&b).await;
    assert_eq!(
        cart_items(&b).await,
        json!([]),
        "logging out starts a fresh visitor"
    );

    // Anonymous again: some items, another look.
    add(&b, "silk-tie", 98).await;
    add(&b, "cufflinks", 1).await;
    set_prefs(&b, json!({"theme": "light"})).await;
    assert_eq!(
        login(&b, "MERGER", PASSWORD).await.status(),
        Status::SeeOther
    );
    let merged = cart_items(&b).await;
    let expected = json!([
        {"product": "silk-tie", "quantity": 99, "unit_price_cents": 4900},
        {"product": "cufflinks", "quantity": 1, "unit_price_cents": 3900},
    ]);
    assert_eq!(merged, expected, "quantities add, capped at 99");
    let prefs = b.json("/api/v1/preferences").await;
    assert_eq!(
        (prefs["theme"].as_str(), prefs["language"].as_str()),
        (Some("dark"), Some("es"))
    );

    // Another browser gets the same cart and preferences.
    let other = Browser::new(&app);
    login(&other, "merger", PASSWORD).await;
    assert_eq!(cart_items(&other).await, merged);
    assert_eq!(other.json("/api/v1/preferences").await["theme"], "dark");
}

#[rocket::async_test]
async fn log_out_other_sessions_and_change_password_end_the_others() {
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    register(&b, "multi", PASSWORD).await;
    let phone = Browser::new(&app);
    login(&phone, "multi", PASSWORD).await;
    let tablet = Browser::new(&app);
    login(&tablet, "multi", PASSWORD).await;
    let html = b.text("/account").await;
    assert_eq!(html.matches("Last seen").count(), 3);
    assert_eq!(html.matches("this device").count(), 1);

    let token = csrf(&b, "/account").await;
    assert_eq!(
        b.post_form("/account/logout-others", &[("csrf_token", &token)])
            .await
            .status(),
        Status::SeeOther
    );
    assert!(logged_in(&b).await);
    assert!(!logged_in(&phone).await && !logged_in(&tablet).await);
    assert_eq!(b.text("/account").await.matches("Last seen").count(), 1);

    login(&phone, "multi", PASSWORD).await;
    let token = csrf(&b, "/account").await;
    let new = "a brand new passphrase";
    let wrong = b
        .post_form(
            "/account/password",
            &[
                ("csrf_token", &token),
                ("current", "nope nope nope"),
                ("new", new),
            ],
        )
        .await;
    assert_eq!(wrong.status(), Status::UnprocessableEntity);
    drop(wrong);
    assert!(logged_in(&phone).await, "a refused change ends nothing");
    let changed = b
        .post_form(
            "/account/password",
            &[("csrf_token", &token), ("current", PASSWORD), ("new", new)],
        )
        .await;
    assert_eq!(changed.status(), Status::SeeOther);
    drop(changed);
    assert!(logged_in(&b).await && !logged_in(&phone).await);
    assert_eq!(
        login(&phone, "multi", PASSWORD).await.status(),
        Status::Unauthorized
    );
    assert_eq!(login(&phone, "multi", new).await.status(), Status::SeeOther);
}

#[rocket::async_test]
async fn an_expired_login_logs_out_and_keeps_preferences_drafts_and_cart() {
    let app = untracked_app_with(|f| f.merge(("accounts.auth_idle_secs", 1))).await;
    let b = Browser::new(&app);
    register(&b, "sleepy", PASSWORD).await;
    set_prefs(&b, json!({"theme": "high-contrast"})).await;
    add(&b, "chinos", 1).await;
    b.send_json(
        Method::Put,
        "/api/v1/drafts/contact",
        &json!({"fields": {"name": "kept"}}),
    )
    .await;
    let before = b.cookie().unwrap();
    rocket::tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(!logged_in(&b).await);
    assert_ne!(
        b.cookie().unwrap(),
        before,
        "leaving the authenticated state regenerates the id"
    );
    assert_eq!(
        b.json("/api/v1/preferences").await["theme"],
        "high-contrast"
    );
    assert_eq!(cart_items(&b).await[0]["product"], "chinos");
    assert_eq!(
        b.json("/api/v1/drafts/contact").await["fields"]["name"],
        "kept"
    );
    assert_eq!(b.json("/api/v1/session").await["user"], Value::Null);
}

#[rocket::async_test]
async fn the_absolute_lifetime_ends_an_active_login() {
    let app = untracked_app_with(|f| f.merge(("accounts.auth_absolute_secs", 2))).await;
    let b = Browser::new(&app);
    register(&b, "busy", PASSWORD).await;
    for _ in 0..3 {
        rocket::tokio::time::sleep(Duration::from_millis(500)).await;
        assert!(logged_in(&b).await);
    }
    rocket::tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(!logged_in(&b).await);
}

#[rocket::async_test]
async fn the_home_page_shows_recently_viewed_products() {
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    register(&b, "shopper", PASSWORD).await;
    b.get("/products/navy-blazer").await;
    b.get("/products/silk-tie").await;
    let home = b.text("/").await;
    assert!(home.contains("Hello, shopper!"));
    let section = &home[home.find("Products you looked at").expect("the section")..];
    let (tie, blazer) = (
        section.find("Silk tie").unwrap(),
        section.find("Navy blazer").unwrap(),
    );
    assert!(tie < blazer, "newest first");
}
