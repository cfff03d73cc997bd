//! Accounts: registration, login (regenerated ids, merged carts, saved
//! preferences), the account page's sessions, lifetimes, and their bad input.
//! Each test drives one or more [`Browser`]s, each with its own cookie.

use std::time::Duration;

use rocket::http::{Cookie, Method, Status};
use rocket::local::asynchronous::LocalResponse;
use serde_json::{json, Value};

use crate::support::*;

const PASSWORD: &str = "correct horse battery";

async fn csrf(b: &Browser<'_>, path: &str) -> String {
    csrf_token(&b.text(path).await)
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
    assert_eq!(b.register("Ada", PASSWORD).await, Status::SeeOther);
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
    assert!(html.contains("Signed in as <bdi>Ada</bdi>"));
    assert!(html.contains("this device"));
    assert!(
        b.text("/").await.contains("Hello, <bdi>Ada</bdi>!"),
        "the home page greets the user"
    );
    assert_eq!(b.json("/api/v1/session").await["user"]["username"], "Ada");
}

#[rocket::async_test]
async fn registration_refuses_taken_names_bad_names_and_short_passwords() {
    // Arrange: an account named grace, logged out.
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    assert_eq!(b.register("grace", PASSWORD).await, Status::SeeOther);
    assert_eq!(b.logout().await, Status::SeeOther);
    // Act and assert: each bad registration is a 422 saying why.
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
    b.register("linus", PASSWORD).await;
    assert_eq!(b.logout().await, Status::SeeOther);
    let wrong = b.login("linus", "not the password").await;
    let (s1, b1) = (wrong.status(), wrong.into_string().await.unwrap());
    let unknown = b.login("nobody-here", "not the password").await;
    let (s2, b2) = (unknown.status(), unknown.into_string().await.unwrap());
    assert_eq!(s1, Status::Unauthorized);
    assert_eq!(s1, s2);
    let message = "The username or password is not right.";
    assert!(b1.contains(message) && b2.contains(message));
    assert!(!logged_in(&b).await);
}

#[rocket::async_test]
async fn five_failures_lock_the_account_until_the_window_passes() {
    // Arrange: an account, logged out.
    let app = untracked_app_with(|f| f.merge(("accounts.failure_window_secs", 2))).await;
    let b = Browser::new(&app);
    b.register("margaret", PASSWORD).await;
    assert_eq!(b.logout().await, Status::SeeOther);
    // Act: five wrong passwords.
    for _ in 0..5 {
        assert_eq!(
            b.login("Margaret", "guess").await.status(),
            Status::Unauthorized
        );
    }
    // Assert: locked, even for the right password, until the window passes.
    let locked = b.login("margaret", PASSWORD).await;
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
        b.login("margaret", PASSWORD).await.status(),
        Status::SeeOther
    );
}

#[rocket::async_test]
async fn oversize_passwords_and_missing_tokens_are_refused_without_hashing() {
    // Arrange: a login form's token.
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    let token = csrf(&b, "/login").await;
    // Act and assert: each bad post is refused before any hashing.
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
    // Arrange: a session before login.
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    b.get("/login").await;
    let before = b.cookie().expect("a session before login");
    // Act: register (which logs in).
    assert_eq!(b.register("eve", PASSWORD).await, Status::SeeOther);
    // Assert: a new id; the old cookie and, after logout, the new one open nothing.
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
    assert_eq!(b.logout().await, Status::SeeOther);
    assert_eq!(
        status(after).await,
        Status::SeeOther,
        "the logged-out cookie is not logged in"
    );
}

#[rocket::async_test]
async fn login_merges_the_anonymous_cart_and_applies_saved_preferences() {
    // Arrange: an account with preferences and a cart, logged out.
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    b.register("merger", PASSWORD).await;
    set_prefs(&b, json!({"theme": "dark", "language": "es"})).await;
    add(&b, "silk-tie", 2).await;
    assert_eq!(b.logout().await, Status::SeeOther);
    assert_eq!(
        cart_items(&b).await,
        json!([]),
        "logging out starts a fresh visitor"
    );

    // Act: as an anonymous visitor again, a cart and another look, then log in.
    // Anonymous again: some items, another look.
    add(&b, "silk-tie", 98).await;
    add(&b, "cufflinks", 1).await;
    set_prefs(&b, json!({"theme": "light"})).await;
    assert_eq!(b.login("MERGER", PASSWORD).await.status(), Status::SeeOther);
    // Assert: quantities add (capped), the account's preferences apply, on every browser.
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
    other.login("merger", PASSWORD).await;
    assert_eq!(cart_items(&other).await, merged);
    assert_eq!(other.json("/api/v1/preferences").await["theme"], "dark");
}

#[rocket::async_test]
async fn log_out_other_sessions_and_change_password_end_the_others() {
    // Arrange: one account signed in on three browsers.
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    b.register("multi", PASSWORD).await;
    let phone = Browser::new(&app);
    phone.login("multi", PASSWORD).await;
    let tablet = Browser::new(&app);
    tablet.login("multi", PASSWORD).await;
    let html = b.text("/account").await;
    assert_eq!(html.matches("Last seen").count(), 3);
    assert_eq!(html.matches("this device").count(), 1);

    // Act and assert: logging out the others ends them, not this one.
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

    // Act and assert: a refused password change ends nothing; a good one ends the others.
    phone.login("multi", PASSWORD).await;
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
        phone.login("multi", PASSWORD).await.status(),
        Status::Unauthorized
    );
    assert_eq!(phone.login("multi", new).await.status(), Status::SeeOther);
}

#[rocket::async_test]
async fn a_browser_logged_out_from_another_is_told_why_once_with_a_new_id() {
    // Arrange: one account on two browsers, b with a draft.
    let app = untracked_app_with(|f| f).await;
    let a = Browser::new(&app);
    assert_eq!(a.register("told", PASSWORD).await, Status::SeeOther);
    let b = Browser::new(&app);
    assert_eq!(b.login("told", PASSWORD).await.status(), Status::SeeOther);
    b.text("/").await; // takes the welcome notice
    let before = b.cookie().unwrap();
    b.send_json(
        Method::Put,
        "/api/v1/drafts/contact",
        &json!({"fields": {"message": "typed on b"}}),
    )
    .await;
    // Act: a logs out the others.
    let token = csrf(&a, "/account").await;
    let done = a
        .post_form("/account/logout-others", &[("csrf_token", &token)])
        .await;
    assert_eq!(done.status(), Status::SeeOther);
    drop(done);

    // Assert:
    // b's next page says why, once, under a new id; b's data is gone.
    let page = b.text("/").await;
    assert!(page.contains("You were logged out"), "{page}");
    assert_ne!(b.cookie().unwrap(), before, "a new id");
    assert!(!b.text("/").await.contains("You were logged out"), "once");
    assert!(!logged_in(&b).await);
    let drafts = b.json("/api/v1/drafts").await;
    assert_eq!(drafts, json!([]), "nothing of the login is left");
    // A copy of b's old cookie opens nothing.
    let stolen = app
        .get("/api/v1/session")
        .cookie(rocket::http::Cookie::new("tailor_sid", before))
        .dispatch()
        .await;
    assert_eq!(stolen.status(), Status::NotFound);
}

#[rocket::async_test]
async fn an_expired_login_logs_out_and_keeps_preferences_drafts_and_cart() {
    // Arrange: a login with preferences, a cart and a draft.
    let app = untracked_app_with(|f| f.merge(("accounts.auth_idle_secs", 1))).await;
    let b = Browser::new(&app);
    b.register("sleepy", PASSWORD).await;
    set_prefs(&b, json!({"theme": "high-contrast"})).await;
    add(&b, "chinos", 1).await;
    b.send_json(
        Method::Put,
        "/api/v1/drafts/contact",
        &json!({"fields": {"name": "kept"}}),
    )
    .await;
    let before = b.cookie().unwrap();
    // Act: wait past the idle lifetime.
    rocket::tokio::time::sleep(Duration::from_millis(1500)).await;
    // Assert: logged out under a new id; the rest kept.
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
    b.register("busy", PASSWORD).await;
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
    b.register("shopper", PASSWORD).await;
    b.get("/products/navy-blazer").await;
    b.get("/products/silk-tie").await;
    let home = b.text("/").await;
    assert!(home.contains("Hello, <bdi>shopper</bdi>!"));
    let section = &home[home.find("Products you looked at").expect("the section")..];
    let (tie, blazer) = (
        section.find("Silk tie").unwrap(),
        section.find("Navy blazer").unwrap(),
    );
    assert!(tie < blazer, "newest first");
}

#[rocket::async_test]
async fn logging_in_again_never_merges_the_cart_into_itself() {
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    b.register("again", PASSWORD).await;
    add(&b, "silk-tie", 1).await;
    for _ in 0..3 {
        assert_eq!(b.login("again", PASSWORD).await.status(), Status::SeeOther);
    }
    assert_eq!(cart_items(&b).await[0]["quantity"], 1, "1, not 8");
    assert_eq!(b.logout().await, Status::SeeOther);
    assert_eq!(b.login("again", PASSWORD).await.status(), Status::SeeOther);
    assert_eq!(cart_items(&b).await[0]["quantity"], 1);
}

/// Two apps (instances) on one PostgreSQL database, each with its own memory
/// store, reading accounts afresh on every request.
/// `None` without a PostgreSQL.
async fn two_instances() -> Option<(TestApp, TestApp)> {
    let url = postgres_database().await?;
    let tweak = |f: rocket::figment::Figment| {
        with_admin(f)
            .merge(("data.url", url.clone()))
            .merge(("data.account_cache_secs", 0))
    };
    Some((
        untracked_app_with(tweak).await,
        untracked_app_with(tweak).await,
    ))
}

#[rocket::async_test]
async fn two_browsers_of_one_account_share_one_cart_and_an_order_empties_it_for_both() {
    // Arrange, act and assert on one instance (the cache is updated by its own writes) …
    // On one instance (the cache is updated by its own writes) …
    let app = untracked_app_with(|f| f).await;
    let (a, b) = (Browser::new(&app), Browser::new(&app));
    a.register("couple", PASSWORD).await;
    b.login("couple", PASSWORD).await;
    add(&a, "silk-tie", 5).await;
    assert_eq!(cart_items(&b).await[0]["quantity"], 5);
    assert!(b.text("/").await.contains("class=\"cart-count\""));
    let token = csrf(&a, "/cart").await;
    let placed = a
        .post_form("/cart/checkout", &[("csrf_token", &token)])
        .await;
    assert_eq!(placed.status(), Status::SeeOther);
    drop(placed);
    assert_eq!(
        cart_items(&b).await,
        json!([]),
        "B sees the order emptied it"
    );
    let token = csrf(&b, "/account").await;
    let again = b
        .post_form("/cart/checkout", &[("csrf_token", &token)])
        .await;
    assert_eq!(
        again.status(),
        Status::UnprocessableEntity,
        "no second order"
    );

    // … and on two instances sharing PostgreSQL.
    // … and on two instances sharing PostgreSQL.
    let Some((one, two)) = two_instances().await else {
        return;
    };
    let (a, b) = (Browser::new(&one), Browser::new(&two));
    a.register("apart", PASSWORD).await;
    b.login("apart", PASSWORD).await;
    add(&a, "chinos", 2).await;
    add(&b, "chinos", 1).await;
    assert_eq!(cart_items(&a).await[0]["quantity"], 3);
    let token = csrf(&b, "/cart").await;
    let placed = b
        .post_form("/cart/checkout", &[("csrf_token", &token)])
        .await;
    assert_eq!(placed.status(), Status::SeeOther);
    drop(placed);
    assert_eq!(cart_items(&a).await, json!([]));
    let orders = admin_text(&one, "/admin/orders").await;
    assert!(orders.contains("Total: 1."), "{orders}");
}

#[rocket::async_test]
async fn preferences_changed_on_one_device_follow_to_the_other() {
    // Arrange: one account on two instances.
    let Some((one, two)) = two_instances().await else {
        return;
    };
    let (a, b) = (Browser::new(&one), Browser::new(&two));
    a.register("follower", PASSWORD).await;
    b.login("follower", PASSWORD).await;
    // Act: change them on one.
    set_prefs(
        &a,
        json!({"theme": "high-contrast", "timezone": "Asia/Tokyo"}),
    )
    .await;
    // Assert: the other instance's page follows.
    let page = b.text("/").await;
    assert!(page.contains("data-theme=\"high-contrast\""), "{page}");
    assert_eq!(
        b.json("/api/v1/preferences").await["timezone"],
        "Asia/Tokyo"
    );
    // A change made here is not undone by an older copy elsewhere.
    set_prefs(&b, json!({"theme": "dark"})).await;
    assert!(a.text("/").await.contains("data-theme=\"dark\""));
    assert!(b.text("/").await.contains("data-theme=\"dark\""));
}

#[rocket::async_test]
async fn a_password_change_on_one_instance_logs_out_sessions_on_another() {
    // Arrange: one account on two instances.
    let Some((one, two)) = two_instances().await else {
        return;
    };
    let (a, b) = (Browser::new(&one), Browser::new(&two));
    a.register("roamer", PASSWORD).await;
    b.login("roamer", PASSWORD).await;
    // Act: change the password on one.
    let token = csrf(&a, "/account").await;
    let new = "a brand new password";
    let changed = a
        .post_form(
            "/account/password",
            &[("csrf_token", &token), ("current", PASSWORD), ("new", new)],
        )
        .await;
    assert_eq!(changed.status(), Status::SeeOther);
    drop(changed);
    // Assert: this one stays logged in, the other is told and logged out.
    assert!(logged_in(&a).await);
    // B's session lives in the other instance's memory: the epoch ends it.
    let home = b.text("/").await;
    assert!(home.contains("You were logged out"), "{home}");
    assert!(!logged_in(&b).await);

    b.login("roamer", new).await;
    assert!(logged_in(&b).await);
    let token = csrf(&a, "/account").await;
    a.post_form("/account/logout-others", &[("csrf_token", &token)])
        .await;
    assert!(logged_in(&a).await && !logged_in(&b).await);
}

#[rocket::async_test]
async fn the_account_page_lists_sessions_newest_first_and_marks_this_one() {
    // Arrange: sign in from Firefox, then from Chrome.
    let app = untracked_app_with(|f| f).await;
    let ua = |agent: &'static str| rocket::http::Header::new("User-Agent", agent);
    let firefox = Browser::new(&app);
    let token = csrf(&firefox, "/register").await;
    let body = form(&[
        ("csrf_token", token.as_str()),
        ("username", "lister"),
        ("password", PASSWORD),
    ]);
    let request = app
        .post("/register")
        .header(rocket::http::ContentType::Form)
        .header(ua("Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"))
        .body(body);
    assert_eq!(firefox.send(request).await.status(), Status::SeeOther);
    rocket::tokio::time::sleep(Duration::from_millis(20)).await;
    let chrome = Browser::new(&app);
    let token = csrf(&chrome, "/login").await;
    let body = form(&[
        ("csrf_token", token.as_str()),
        ("username", "lister"),
        ("password", PASSWORD),
    ]);
    let request = app
        .post("/login")
        .header(rocket::http::ContentType::Form)
        .header(ua(
            "Mozilla/5.0 (Windows NT 10.0) Chrome/120.0 Safari/537.36",
        ))
        .body(body);
    assert_eq!(chrome.send(request).await.status(), Status::SeeOther);

    // Act and assert: the list, newest first, this device marked.
    let html = firefox.text("/account").await;
    let (chrome_at, firefox_at) = (html.find("Chrome · Windows"), html.find("Firefox · Linux"));
    assert!(chrome_at.is_some() && firefox_at.is_some(), "{html}");
    assert!(chrome_at < firefox_at, "the newest sign-in first");
    let marked = html.find("this device").unwrap();
    assert!(
        marked > firefox_at.unwrap(),
        "this device is the Firefox one"
    );
}

async fn delete_form<'c>(b: &Browser<'c>, password: &str) -> LocalResponse<'c> {
    let token = csrf(b, "/account").await;
    b.post_form(
        "/account/delete",
        &[("csrf_token", &token), ("password", password)],
    )
    .await
}

#[rocket::async_test]
async fn deleting_the_account_erases_it_everywhere_and_frees_the_name() {
    // Arrange: an account on two browsers with an order.
    let app = untracked_app_with(with_admin).await;
    let (a, b) = (Browser::new(&app), Browser::new(&app));
    a.register("leaver", PASSWORD).await;
    b.login("leaver", PASSWORD).await;
    add(&a, "silk-tie", 1).await;
    let token = csrf(&a, "/cart").await;
    a.post_form("/cart/checkout", &[("csrf_token", &token)])
        .await;
    add(&a, "chinos", 1).await;

    // Act and assert: a wrong password deletes nothing.
    let wrong = delete_form(&a, "not my password").await;
    assert_eq!(wrong.status(), Status::Unauthorized);
    assert!(wrong
        .into_string()
        .await
        .unwrap()
        .contains("the account was not deleted"));
    assert!(logged_in(&a).await && logged_in(&b).await);

    // Act: delete with the password.
    let deleted = delete_form(&a, PASSWORD).await;
    // Assert: gone everywhere, the name free, the order kept without it.
    assert_eq!(deleted.status(), Status::SeeOther);
    assert_eq!(
        deleted.headers().get_one("Location"),
        Some("/privacy?account_deleted=true")
    );
    drop(deleted);
    assert!(a
        .text("/privacy?account_deleted=true")
        .await
        .contains("Your account has been deleted"));
    assert!(
        !logged_in(&a).await && !logged_in(&b).await,
        "every device signed out"
    );
    assert_eq!(
        a.login("leaver", PASSWORD).await.status(),
        Status::Unauthorized
    );

    // The name is free; nobody's old session is logged in to the new account.
    let c = Browser::new(&app);
    assert_eq!(c.register("LEAVER", PASSWORD).await, Status::SeeOther);
    assert!(!logged_in(&a).await && !logged_in(&b).await);
    assert_eq!(
        cart_items(&c).await,
        json!([]),
        "the old cart went with the account"
    );
    let orders = admin_text(&app, "/admin/orders").await;
    assert!(orders.contains("Total: 1."), "the order is kept: {orders}");
    assert!(
        orders.contains("no account") && !orders.contains("leaver"),
        "{orders}"
    );
}

#[rocket::async_test]
async fn the_account_api_deletes_with_the_password_and_refuses_bad_input() {
    // Arrange: the request maker.
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    let delete = |body: &str, content_type: Option<rocket::http::ContentType>| {
        let mut request = app.delete("/api/v1/account").body(body);
        if let Some(ct) = content_type {
            request = request.header(ct);
        }
        request
    };
    let json_type = Some(rocket::http::ContentType::JSON);
    // Act and assert: anonymous, bad bodies, a foreign origin and a wrong password change nothing.
    let anonymous = b
        .send(delete(r#"{"password":"x"}"#, json_type.clone()))
        .await;
    assert_eq!(anonymous.status(), Status::Unauthorized);
    assert_eq!(json(anonymous).await["error"]["code"], "not_logged_in");

    b.register("api-leaver", PASSWORD).await;
    let cases: [(&str, Option<rocket::http::ContentType>, Status, &str); 6] = [
        (
            r#"{"password":"x"}"#,
            None,
            Status::UnsupportedMediaType,
            "unsupported_media_type",
        ),
        (
            "{not json",
            json_type.clone(),
            Status::BadRequest,
            "malformed_json",
        ),
        (
            "[1]",
            json_type.clone(),
            Status::UnprocessableEntity,
            "invalid_value",
        ),
        (
            "{}",
            json_type.clone(),
            Status::UnprocessableEntity,
            "invalid_value",
        ),
        (
            r#"{"password":42}"#,
            json_type.clone(),
            Status::UnprocessableEntity,
            "invalid_value",
        ),
        (
            r#"{"password":"x","admin":true}"#,
            json_type.clone(),
            Status::UnprocessableEntity,
            "invalid_value",
        ),
    ];
    for (body, ct, status, code) in cases {
        let response = b.send(delete(body, ct)).await;
        assert_eq!(response.status(), status, "{body}");
        assert_eq!(json(response).await["error"]["code"], code, "{body}");
    }
    let foreign = b
        .send(
            delete(r#"{"password":"x"}"#, json_type.clone())
                .header(rocket::http::Header::new("Origin", "https://evil.example")),
        )
        .await;
    assert_eq!(foreign.status(), Status::Forbidden);
    drop(foreign);
    let wrong = b
        .send(delete(r#"{"password":"wrong one"}"#, json_type.clone()))
        .await;
    assert_eq!(wrong.status(), Status::Unauthorized);
    let error = json(wrong).await;
    assert_eq!(
        (
            error["error"]["code"].as_str(),
            error["error"]["field"].as_str()
        ),
        (Some("wrong_password"), Some("password"))
    );
    assert!(logged_in(&b).await, "bad input changes nothing");

    // Act and assert: the right password deletes the account.
    let body = json!({"password": PASSWORD}).to_string();
    let deleted = b.send(delete(&body, json_type.clone())).await;
    assert_eq!(deleted.status(), Status::NoContent);
    drop(deleted);
    assert_eq!(b.cookie(), None, "the cookie is cleared");
    let other = Browser::new(&app);
    assert_eq!(
        other.register("api-leaver", PASSWORD).await,
        Status::SeeOther
    );
}

#[rocket::async_test]
async fn an_idle_login_ends_with_a_notice_and_the_cart_comes_back_once() {
    // Arrange: a login with a cart item.
    let app = untracked_app_with(|f| f.merge(("accounts.auth_idle_secs", 1))).await;
    let b = Browser::new(&app);
    b.register("dozer", PASSWORD).await;
    add(&b, "chinos", 1).await;
    // Act: wait past the idle lifetime.
    rocket::tokio::time::sleep(Duration::from_millis(1500)).await;
    // Assert: told why, the cart kept; logging in again does not merge it twice.
    let home = b.text("/").await;
    assert!(
        home.contains("You were logged out after a while without activity"),
        "{home}"
    );
    assert_eq!(
        cart_items(&b).await[0]["quantity"],
        1,
        "the visitor keeps the cart"
    );
    add(&b, "silk-tie", 1).await;
    assert_eq!(b.login("dozer", PASSWORD).await.status(), Status::SeeOther);
    let items = cart_items(&b).await;
    assert_eq!(
        items,
        json!([
            {"product": "chinos", "quantity": 1, "unit_price_cents": 8900},
            {"product": "silk-tie", "quantity": 1, "unit_price_cents": 4900},
        ]),
        "the copy is not merged into its own account again"
    );
}

#[rocket::async_test]
async fn logging_out_says_so_and_keeps_nothing_of_the_session() {
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    assert_eq!(b.register("leaving", PASSWORD).await, Status::SeeOther);
    b.send_json(
        Method::Put,
        "/api/v1/preferences",
        &json!({"theme": "dark"}),
    )
    .await;
    let before = b.cookie().unwrap();
    let page = b.text("/account").await;
    assert!(
        page.contains("<button type=\"submit\" class=\"button button-secondary\">Log out</button>"),
        "logging out is not styled as the danger of deleting: {page}"
    );
    assert_eq!(b.logout().await, Status::SeeOther);
    let home = b.text("/").await;
    assert!(home.contains("You are logged out."), "{home}");
    assert_ne!(b.cookie().unwrap(), before, "a new session");
    assert_eq!(b.json("/api/v1/preferences").await["theme"], "system");
}
