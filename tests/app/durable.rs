//! Durable data across restarts, crashes, instances and database outages, with
//! real tailor processes where a process boundary matters.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use rocket::http::Status;
use serde_json::json;

use crate::support::process::*;
use crate::support::*;

const PASSWORD: &str = "correct horse battery";

async fn register(b: &HttpBrowser, port: u16, name: &str) -> StatusCode {
    b.submit(
        port,
        "/register",
        "/register",
        &[("username", name), ("password", PASSWORD)],
    )
    .await
    .status()
}

async fn add_to_cart(b: &HttpBrowser, port: u16, product: &str, quantity: u32) {
    let body = json!({"product": product, "quantity": quantity});
    let added = b
        .send_json(port, Method::POST, "/api/v1/cart/items", &body)
        .await;
    assert_eq!(added.status(), StatusCode::OK);
}

#[rocket::async_test]
async fn nothing_acknowledged_is_lost_to_a_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let server = tailor(port, dir.path(), &[admin_env()]).await;
    let b = HttpBrowser::default();
    assert_eq!(register(&b, port, "durable").await, StatusCode::SEE_OTHER);
    add_to_cart(&b, port, "silk-tie", 2).await;
    let ordered = b.submit(port, "/cart", "/cart/checkout", &[]).await;
    assert_eq!(ordered.status(), StatusCode::SEE_OTHER);
    let contact = [
        ("action", "submit"),
        ("name", "Kill Nine"),
        ("email", "kill9@example.org"),
        ("topic", "sales"),
        ("message", "Still here?"),
    ];
    let sent = b
        .submit(port, "/forms/contact", "/forms/contact", &contact)
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    server.crash();

    let _server = tailor(port, dir.path(), &[admin_env()]).await;
    let orders = operator_page(port, "/admin/orders").await;
    assert!(
        orders.contains("durable") && orders.contains("Silk tie"),
        "{orders}"
    );
    let submissions = operator_page(port, "/admin/submissions").await;
    assert!(submissions.contains("kill9@example.org"), "{submissions}");
    let other = HttpBrowser::default();
    let login = other
        .submit(
            port,
            "/login",
            "/login",
            &[("username", "durable"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        login.status(),
        StatusCode::SEE_OTHER,
        "the account is there"
    );
}

#[rocket::async_test]
async fn after_a_restart_no_session_is_logged_in_to_an_account_it_did_not_log_in_to() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let server = tailor(port, dir.path(), &[]).await;
    let a = HttpBrowser::default();
    assert_eq!(register(&a, port, "victim").await, StatusCode::SEE_OTHER);
    server.terminate();

    // The account outlives the restart, and so does the login.
    let server = tailor(port, dir.path(), &[]).await;
    assert!(a
        .text(port, "/account")
        .await
        .contains("Signed in as <bdi>victim</bdi>"));
    let b = HttpBrowser::default();
    assert_eq!(
        register(&b, port, "victim").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the name is still taken"
    );
    server.terminate();

    // Were the account lost (the database gone, the session snapshot kept), the
    // name could be registered again: the old session must not be logged in to
    // the newcomer's account.
    for file in ["tailor.db", "tailor.db-wal", "tailor.db-shm"] {
        let _ = std::fs::remove_file(dir.path().join(file));
    }
    let _server = tailor(port, dir.path(), &[]).await;
    assert_eq!(register(&b, port, "victim").await, StatusCode::SEE_OTHER);
    let home = a.text(port, "/").await;
    assert!(home.contains("You were logged out"), "{home}");
    let account = a.get(port, "/account").await;
    assert_eq!(account.status(), StatusCode::SEE_OTHER, "not logged in");
    assert!(b
        .text(port, "/account")
        .await
        .contains("Signed in as <bdi>victim</bdi>"));
}

#[rocket::async_test]
async fn two_processes_on_one_postgres_and_one_redis_share_accounts_and_orders() {
    let Some(redis_url) = redis_url() else {
        return;
    };
    let Some(database) = postgres_database().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let prefix = unique_prefix();
    let env = [
        admin_env(),
        ("ROCKET_DATA", format!("{{url=\"{database}\"}}")),
        (
            "ROCKET_SESSION",
            format!(
                "store=\"redis\",redis_url=\"{}\",redis_prefix=\"{prefix}\"",
                redis_url.clone()
            ),
        ),
    ];
    let (port_a, port_b) = (free_port(), free_port());
    let _a = tailor(port_a, dir.path(), &env).await;
    let _b = tailor(port_b, dir.path(), &env).await;

    let first = HttpBrowser::default();
    assert_eq!(
        register(&first, port_a, "shared").await,
        StatusCode::SEE_OTHER
    );
    let second = HttpBrowser::default();
    let login = second
        .submit(
            port_b,
            "/login",
            "/login",
            &[("username", "shared"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        login.status(),
        StatusCode::SEE_OTHER,
        "registered on A, logs in on B"
    );
    add_to_cart(&second, port_b, "chinos", 1).await;
    let ordered = second.submit(port_b, "/cart", "/cart/checkout", &[]).await;
    assert_eq!(ordered.status(), StatusCode::SEE_OTHER);
    let orders = operator_page(port_a, "/admin/orders").await;
    assert!(
        orders.contains("shared") && orders.contains("Cotton chinos"),
        "an order placed on B is on A's operator page: {orders}"
    );
}

#[rocket::async_test]
async fn postgres_going_away_answers_503_writes_nothing_and_service_resumes() {
    let Some(pg) = OwnPostgres::start() else {
        return;
    };
    let url = pg.url();
    let app = untracked_app_with(|f| {
        with_admin(f)
            .merge(("data.url", url))
            .merge(("data.account_cache_secs", 0))
    })
    .await;
    let b = Browser::new(&app);
    assert_eq!(b.register("outage", PASSWORD).await, Status::SeeOther);
    let add = json!({"product": "silk-tie", "quantity": 1});
    let added = b
        .send_json(rocket::http::Method::Post, "/api/v1/cart/items", &add)
        .await;
    assert_eq!(added.status(), Status::Ok);
    drop(added);
    let token = csrf_token(&b.text("/cart").await);

    pg.stop();
    let page = b.get("/cart").await;
    assert_eq!(page.status(), Status::ServiceUnavailable);
    assert!(page.headers().get_one("Retry-After").is_some());
    let html = page.into_string().await.unwrap();
    assert!(html.contains("Temporarily unavailable"), "{html}");
    assert!(
        !html.contains("sqlx") && !html.contains("connection"),
        "{html}"
    );
    let api = b.get("/api/v1/cart").await;
    assert_eq!(api.status(), Status::ServiceUnavailable);
    assert!(api.headers().get_one("Retry-After").is_some());
    assert_eq!(json(api).await["error"]["code"], "store_unavailable");
    let checkout = b
        .post_form("/cart/checkout", &[("csrf_token", &token)])
        .await;
    assert_eq!(checkout.status(), Status::ServiceUnavailable);
    drop(checkout);
    let other = Browser::new(&app);
    let other_token = csrf_token(&other.text("/register").await);
    let refused = other
        .post_form(
            "/register",
            &[
                ("csrf_token", &other_token),
                ("username", "during-outage"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(refused.status(), Status::ServiceUnavailable);
    drop(refused);
    assert_eq!(
        app.get("/readyz").dispatch().await.status(),
        Status::ServiceUnavailable
    );
    assert_eq!(
        app.get("/").dispatch().await.status(),
        Status::Ok,
        "what needs no database still works"
    );

    pg.resume();
    let mut back = false;
    for _ in 0..100 {
        if app.get("/readyz").dispatch().await.status() == Status::Ok {
            back = true;
            break;
        }
        rocket::tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(back, "service did not resume");
    let cart = b.json("/api/v1/cart").await;
    assert_eq!(
        cart["items"][0]["quantity"], 1,
        "nothing half-written: {cart}"
    );
    let orders = admin_text(&app, "/admin/orders").await;
    assert!(orders.contains("No order has been placed yet."), "{orders}");
    let placed = b
        .post_form("/cart/checkout", &[("csrf_token", &token)])
        .await;
    assert_eq!(placed.status(), Status::SeeOther);
    drop(placed);
    let registered = other
        .post_form(
            "/register",
            &[
                ("csrf_token", &other_token),
                ("username", "during-outage"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(registered.status(), Status::SeeOther);
}

#[rocket::async_test]
async fn what_an_earlier_version_kept_in_redis_is_imported_once() {
    let Some(redis_url) = redis_url() else {
        return;
    };
    use redis::AsyncCommands;
    let prefix = unique_prefix();
    let client = redis::Client::open(redis_url.clone()).unwrap();
    let mut redis = client.get_multiplexed_async_connection().await.unwrap();
    let hash = tailor::hashing::HashPool::new(1, 1)
        .hash_password(PASSWORD.into())
        .await
        .unwrap();
    let account = json!({
        "username": "Ada", "password_hash": hash,
        "preferences": {"theme": "dark", "language": null, "timezone": "Europe/Madrid",
                        "tracking": null, "display_name": null},
        "cart": {"lines": [{"product": "silk-tie", "quantity": 2}]},
        "created_at": "2026-01-02T03:04:05Z",
    });
    let _: () = redis
        .hset_multiple(
            format!("{prefix}account:ada"),
            &[("v", "1".to_owned()), ("d", account.to_string())],
        )
        .await
        .unwrap();
    let order = json!({"number": 41, "username": "Ada", "total_cents": 9000,
        "lines": [{"product": "silk-tie", "quantity": 2}], "placed_at": "2026-02-03T04:05:06Z"});
    let _: () = redis
        .lpush(format!("{prefix}journal:orders"), order.to_string())
        .await
        .unwrap();
    let submission = json!({"form": "contact", "submitted_at": "2026-02-03T04:05:06Z",
        "fields": {"name": "Ada", "email": "ada@old.example", "message": "hello"}});
    let _: () = redis
        .lpush(
            format!("{prefix}journal:submissions"),
            submission.to_string(),
        )
        .await
        .unwrap();
    let field = json!(["first_touch", "campaign", "winter", "sessions"]).to_string();
    let _: () = redis
        .hset(format!("{prefix}campaign_stats"), field, 7)
        .await
        .unwrap();

    // Two instances start together on one PostgreSQL: the import happens once.
    let Some(database) = postgres_database().await else {
        return;
    };
    let on_redis = |f: rocket::figment::Figment| {
        with_admin(f)
            .merge(("session.store", "redis"))
            .merge(("session.redis_url", redis_url.clone()))
            .merge(("session.redis_prefix", prefix.clone()))
            .merge(("data.url", database.clone()))
    };
    let (a, b) = rocket::tokio::join!(untracked_app_with(on_redis), untracked_app_with(on_redis));
    let orders = admin_text(&a, "/admin/orders").await;
    assert!(orders.contains("Total: 1."), "{orders}");
    assert!(
        orders.contains(">41<") && orders.contains("Ada"),
        "{orders}"
    );
    let submissions = admin_text(&b, "/admin/submissions").await;
    assert!(submissions.contains("Total: 1."), "{submissions}");
    let csv = get_text_with(&a, "/admin/campaigns.csv").await;
    assert!(
        csv.contains("\"first_touch\",\"campaign\",\"winter\",7,0,0"),
        "{csv}"
    );

    let browser = Browser::new(&b);
    let login = browser.login("ada", PASSWORD).await.status();
    assert_eq!(login, Status::SeeOther, "the old password works");
    let cart = browser.json("/api/v1/cart").await;
    assert_eq!(cart["items"][0]["quantity"], 2, "{cart}");
    assert_eq!(browser.json("/api/v1/preferences").await["theme"], "dark");

    // A third start imports nothing again.
    let c = untracked_app_with(on_redis).await;
    let orders = admin_text(&c, "/admin/orders").await;
    assert!(orders.contains("Total: 1."), "{orders}");
}

async fn get_text_with(app: &TestApp, path: &str) -> String {
    app.get(path.to_owned())
        .header(operator())
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap_or_default()
}

#[rocket::async_test]
async fn a_login_from_before_account_ids_is_ended_and_the_rest_kept() {
    let Some(redis_url) = redis_url() else {
        return;
    };
    use redis::AsyncCommands;
    let prefix = unique_prefix();
    let app = untracked_app_with(|f| {
        f.merge(("session.store", "redis"))
            .merge(("session.redis_url", redis_url.clone()))
            .merge(("session.redis_prefix", prefix.clone()))
    })
    .await;
    let id = tailor_session::SessionId::generate();
    let record = json!({
        "created_at": "2026-01-01T00:00:00Z",
        "last_seen": chrono::Utc::now(),
        "preferences": {"theme": "dark", "language": null, "timezone": "UTC",
                        "tracking": null, "display_name": null},
        "drafts": {},
        "visits": [],
        "campaigns": {"first_touch": null, "last_touch": null, "touches": []},
        "cart": {"lines": [{"product": "silk-tie", "quantity": 1}]},
        "user": {"username": "old-timer", "logged_in_at": chrono::Utc::now(),
                 "last_active": chrono::Utc::now(), "user_agent": ""},
        "csrf_token": tailor_session::Token::generate(),
    });
    let client = redis::Client::open(redis_url.clone()).unwrap();
    let mut redis = client.get_multiplexed_async_connection().await.unwrap();
    let key = format!("{prefix}session:{id}");
    let _: () = redis
        .hset_multiple(&key, &[("v", "1".to_owned()), ("d", record.to_string())])
        .await
        .unwrap();
    let _: () = redis.pexpire(&key, 600_000).await.unwrap();
    let cookie =
        rocket::http::Cookie::new("tailor_sid", seal(&id.to_string(), "tailor_sid", KEY_A));

    let home = app.get("/").cookie(cookie).dispatch().await;
    assert_eq!(home.status(), Status::Ok, "an old record still loads");
    let fresh = sealed_cookie(&home, "tailor_sid");
    let html = home.into_string().await.unwrap();
    assert!(html.contains("You were logged out"), "{html}");
    let with = |path: &str| {
        app.get(path.to_owned())
            .cookie(rocket::http::Cookie::new("tailor_sid", fresh.clone()))
    };
    assert_eq!(
        json(with("/api/v1/preferences").dispatch().await).await["theme"],
        "dark"
    );
    assert_eq!(
        json(with("/api/v1/session").dispatch().await).await["user"],
        serde_json::Value::Null
    );
    let cart = json(with("/api/v1/cart").dispatch().await).await;
    assert_eq!(
        cart["items"].as_array().map(Vec::len),
        Some(0),
        "the old copy of the account's cart goes with the login: {cart}"
    );
}

#[rocket::async_test]
async fn the_whole_app_runs_on_postgres() {
    let Some(app) = postgres_app_with(with_admin).await else {
        return;
    };
    assert_eq!(app.get("/readyz").dispatch().await.status(), Status::Ok);
    let b = Browser::new(&app);
    b.get("/?utm_source=news&utm_campaign=pg-launch").await;
    assert_eq!(b.register("Elephant", PASSWORD).await, Status::SeeOther);
    let prefs = json!({"theme": "dark", "language": "es"});
    b.send_json(rocket::http::Method::Put, "/api/v1/preferences", &prefs)
        .await;
    let add = json!({"product": "silk-tie", "quantity": 2});
    b.send_json(rocket::http::Method::Post, "/api/v1/cart/items", &add)
        .await;
    let token = csrf_token(&b.text("/cart").await);
    let placed = b
        .post_form("/cart/checkout", &[("csrf_token", &token)])
        .await;
    assert_eq!(placed.status(), Status::SeeOther);
    drop(placed);
    let token = csrf_token(&b.text("/forms/contact").await);
    let sent = b
        .post_form(
            "/forms/contact",
            &[
                ("csrf_token", &token),
                ("action", "submit"),
                ("name", "Ella"),
                ("email", "ella@example.org"),
                ("topic", "sales"),
                ("message", "Hola"),
            ],
        )
        .await;
    assert_eq!(sent.status(), Status::SeeOther);
    drop(sent);

    let export = b.json("/api/v1/session").await;
    assert_eq!(export["account"]["username"], "Elephant");
    assert_eq!(export["account"]["preferences"]["theme"], "dark");
    assert_eq!(export["orders"][0]["items"][0]["quantity"], 2);
    assert_eq!(
        export["submissions"][0]["fields"]["email"],
        "ella@example.org"
    );
    let operator_page = |path: &'static str| {
        let request = app.get(path).header(operator());
        async move { request.dispatch().await.into_string().await.unwrap() }
    };
    assert!(operator_page("/admin/orders").await.contains("Elephant"));
    assert!(operator_page("/admin/submissions.csv")
        .await
        .contains("ella@example.org"));
    let csv = operator_page("/admin/campaigns.csv").await;
    assert!(
        csv.contains("\"last_touch\",\"campaign\",\"pg-launch\",1,1,1"),
        "{csv}"
    );

    let other = Browser::new(&app);
    let login = other.login("ELEPHANT", PASSWORD).await.status();
    assert_eq!(login, Status::SeeOther, "usernames ignore case");
    let body = json!({"password": PASSWORD});
    let deleted = other
        .send_json(rocket::http::Method::Delete, "/api/v1/account", &body)
        .await;
    assert_eq!(deleted.status(), Status::NoContent);
    drop(deleted);
    assert_eq!(b.get("/account").await.status(), Status::SeeOther);
    assert!(operator_page("/admin/orders").await.contains("no account"));
}
