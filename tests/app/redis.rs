//! The Redis store at work: the whole app on Redis, two tailor processes sharing
//! one Redis, Redis going away and coming back, and bad Redis settings.

use std::sync::Arc;
use std::time::Duration;

use rocket::http::{ContentType, Header, Status};
use serde_json::{json, Value};

use crate::support::process::*;
use crate::support::*;

/// A tailor process on `port` sharing the test Redis under `prefix`.
async fn redis_tailor(url: &str, port: u16, prefix: &str, data_dir: &std::path::Path) -> Process {
    let session = format!("store=\"redis\",redis_url=\"{url}\",redis_prefix=\"{prefix}\"");
    tailor(port, data_dir, &[("ROCKET_SESSION", session)]).await
}

#[rocket::async_test]
async fn the_whole_app_runs_on_redis() {
    let Some(app) = redis_app_with(|f| {
        f.merge(("admin.user", "ops"))
            .merge(("admin.password", "s3cret"))
    })
    .await
    else {
        return;
    };
    assert_eq!(app.get("/readyz").dispatch().await.status(), Status::Ok);
    put_preferences(&app, r#"{"theme":"dark","display_name":"Redis"}"#).await;
    assert!(get_text(&app, "/?utm_source=news&utm_campaign=spring-sale")
        .await
        .contains("Hello, <bdi>Redis</bdi>!"));
    let draft = |body: Value| {
        app.put("/api/v1/drafts/contact")
            .header(ContentType::JSON)
            .body(body.to_string())
            .dispatch()
    };
    assert_eq!(
        draft(json!({"fields": {"name": "v1"}})).await.status(),
        Status::Ok
    );
    assert_eq!(
        draft(json!({"fields": {"name": "stale"}, "version": 0}))
            .await
            .status(),
        Status::Conflict
    );

    let token = session_token(&app).await;
    let pairs = [
        ("csrf_token", token.as_str()),
        ("action", "submit"),
        ("name", "Ada"),
        ("email", "ada@example.org"),
        ("topic", "sales"),
        ("message", "Hi"),
    ];
    let sent = app
        .post("/forms/contact")
        .header(ContentType::Form)
        .body(form(&pairs))
        .dispatch()
        .await;
    assert_eq!(sent.status(), Status::SeeOther);
    drop(sent);
    let register = form(&[
        ("csrf_token", &token),
        ("username", "redis-user"),
        ("password", "a long password"),
    ]);
    let registered = app
        .post("/register")
        .header(ContentType::Form)
        .body(register)
        .dispatch()
        .await;
    assert_eq!(registered.status(), Status::SeeOther);
    drop(registered);
    assert!(get_text(&app, "/account")
        .await
        .contains("Signed in as <bdi>redis-user</bdi>"));

    use base64::Engine;
    let auth = Header::new(
        "Authorization",
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("ops:s3cret")
        ),
    );
    let report = app
        .get("/admin/submissions")
        .header(auth.clone())
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap();
    assert!(report.contains("ada@example.org"));
    let csv = app
        .get("/admin/campaigns.csv")
        .header(auth)
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap();
    assert!(
        csv.contains("\"first_touch\",\"campaign\",\"spring-sale\",1,1,0"),
        "{csv}"
    );
}

#[rocket::async_test]
async fn two_processes_share_one_visitor_and_fifty_adds_make_fifty() {
    let Some(url) = redis_url() else {
        return;
    };
    let prefix = unique_prefix();
    let dir = tempfile::tempdir().unwrap();
    let (port_a, port_b) = (free_port(), free_port());
    let _a = redis_tailor(&url, port_a, &prefix, dir.path()).await;
    let _b = redis_tailor(&url, port_b, &prefix, dir.path()).await;
    let http = reqwest::Client::new();
    let url = |port: u16, path: &str| format!("http://127.0.0.1:{port}{path}");

    // A session started on A…
    let started = http
        .put(url(port_a, "/api/v1/preferences"))
        .json(&json!({"theme": "dark"}))
        .send()
        .await
        .unwrap();
    let cookie = started
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    // …is continued on B.
    let on_b: Value = http
        .get(url(port_b, "/api/v1/preferences"))
        .header("Cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(on_b["theme"], "dark");

    let http = Arc::new(http);
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let (http, cookie) = (http.clone(), cookie.clone());
            let target = url(
                if i % 2 == 0 { port_a } else { port_b },
                "/api/v1/cart/items",
            );
            rocket::tokio::spawn(async move {
                let response = http
                    .post(target)
                    .header("Cookie", cookie)
                    .json(&json!({"product": "silk-tie"}))
                    .send()
                    .await
                    .unwrap();
                response.status().as_u16()
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), 200);
    }
    let cart: Value = http
        .get(url(port_a, "/api/v1/cart"))
        .header("Cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(cart["items"][0]["quantity"], 50);
}

#[rocket::async_test]
async fn redis_going_away_answers_503_and_service_resumes_with_nothing_lost() {
    let port = free_port();
    let Some(redis) = OwnRedis::start(port, tempfile::tempdir().unwrap()).await else {
        return;
    };
    let url = format!("redis://127.0.0.1:{port}/");
    let app = app_with(|f| {
        f.merge(("session.store", "redis"))
            .merge(("session.redis_url", url))
    })
    .await;
    put_preferences(
        &app,
        r#"{"theme":"high-contrast","display_name":"Durable"}"#,
    )
    .await;
    app.post("/api/v1/cart/items")
        .header(ContentType::JSON)
        .body(r#"{"product":"chinos","quantity":3}"#)
        .dispatch()
        .await;

    let mut redis = redis;
    redis.stop();
    let page = app.get("/").dispatch().await;
    assert_eq!(page.status(), Status::ServiceUnavailable);
    assert!(page
        .into_string()
        .await
        .unwrap()
        .contains("Temporarily unavailable"));
    let api = app.get("/api/v1/preferences").dispatch().await;
    assert_eq!(api.status(), Status::ServiceUnavailable);
    assert_eq!(json(api).await["error"]["code"], "store_unavailable");
    let write = put_preferences(&app, r#"{"theme":"light"}"#).await;
    assert_eq!(write.status(), Status::ServiceUnavailable);
    drop(write);
    assert_eq!(
        app.get("/readyz").dispatch().await.status(),
        Status::ServiceUnavailable
    );
    let metrics = get_text(&app, "/metrics").await;
    assert!(
        !metrics.contains("tailor_store_errors_total 0"),
        "{metrics}"
    );

    let _redis = redis.restart().await;
    let mut back = false;
    for _ in 0..50 {
        if app.get("/readyz").dispatch().await.status() == Status::Ok {
            back = true;
            break;
        }
        rocket::tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(back, "service did not resume");
    let prefs = preferences(&app).await;
    assert_eq!(
        prefs["theme"], "high-contrast",
        "nothing was overwritten while Redis was away"
    );
    assert_eq!(prefs["display_name"], "Durable");
    assert_eq!(
        json(app.get("/api/v1/cart").dispatch().await).await["items"][0]["quantity"],
        3
    );
}

#[rocket::async_test]
async fn a_bad_redis_url_stops_the_launch() {
    let dir = tempfile::tempdir().unwrap();
    let figment = figment(&dir)
        .merge(("session.store", "redis"))
        .merge(("session.redis_url", "http://not-redis"));
    match tailor::build(figment).ignite().await {
        Ok(_) => panic!("a bad redis_url was accepted"),
        Err(e) => {
            let _ = e.kind();
        }
    }
}

/// The first byte of every session record stored under `prefix`.
async fn stored_forms(url: &str, prefix: &str) -> Vec<u8> {
    let client = redis::Client::open(url).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}session:*"))
        .query_async(&mut conn)
        .await
        .unwrap();
    let mut firsts = Vec::new();
    // The hashes, not the visits' lists beside them.
    for key in keys.iter().filter(|k| !k.ends_with(":visits")) {
        let bytes: Vec<u8> = redis::cmd("HGET")
            .arg(key)
            .arg("d")
            .query_async(&mut conn)
            .await
            .unwrap();
        firsts.push(bytes[0]);
    }
    firsts
}

/// Settings for an instance on the Redis at `url`, under `prefix`, writing
/// records in `format`.
fn on_redis(
    url: &str,
    prefix: &str,
    format: &'static str,
) -> impl FnOnce(rocket::figment::Figment) -> rocket::figment::Figment {
    let (url, prefix) = (url.to_owned(), prefix.to_owned());
    move |f| {
        f.merge(("session.store", "redis"))
            .merge(("session.redis_url", url))
            .merge(("session.redis_prefix", prefix))
            .merge(("session.record_format", format))
    }
}

/// The paths of the visitor's history, newest first, as the API lists them.
async fn history_paths(app: &TestApp, cookie: &rocket::http::Cookie<'static>) -> Vec<String> {
    let response = app
        .get("/api/v1/history")
        .cookie(cookie.clone())
        .dispatch()
        .await;
    let visits = json(response).await["visits"].clone();
    visits
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["path"].as_str().unwrap().to_owned())
        .collect()
}

#[rocket::async_test]
async fn records_in_either_form_load_whichever_form_is_written() {
    // Arrange: a visitor's record written in JSON, as versions before the binary
    // form wrote it (`session.record_format = "json"`, for a rolling upgrade).
    let Some(url) = redis_url() else {
        return;
    };
    let prefix = unique_prefix();
    let with = |format| on_redis(&url, &prefix, format);
    let old = untracked_app_with(with("json")).await;
    let put = old
        .put("/api/v1/preferences")
        .header(ContentType::JSON)
        .body(r#"{"theme":"dark"}"#)
        .dispatch()
        .await;
    let cookie = rocket::http::Cookie::new("tailor_sid", sealed_cookie(&put, "tailor_sid"));
    for path in ["/", "/drafts"] {
        old.get(path).cookie(cookie.clone()).dispatch().await;
    }
    assert_eq!(stored_forms(&url, &prefix).await, [b'{']);
    let history = async |app: &TestApp| history_paths(app, &cookie).await;
    // Act: an instance writing the binary form reads it and records a view.
    let new = untracked_app_with(with("binary")).await;
    let read_by_new = history(&new).await;
    new.get("/cart").cookie(cookie.clone()).dispatch().await;
    // A view appends its visit to the list and leaves the record as it is; the
    // next change of the record writes it in the binary form.
    assert_eq!(stored_forms(&url, &prefix).await, [b'{']);
    new.put("/api/v1/preferences")
        .cookie(cookie.clone())
        .header(ContentType::JSON)
        .body(r#"{"language":"fr"}"#)
        .dispatch()
        .await;
    // Assert: written back in the binary form, which the JSON instance reads.
    assert_eq!(read_by_new, ["/drafts", "/"]);
    assert_eq!(
        stored_forms(&url, &prefix).await,
        [tailor_session::codec::BINARY]
    );
    assert_eq!(history(&old).await, ["/cart", "/drafts", "/"]);
    let prefs = old
        .get("/api/v1/preferences")
        .cookie(cookie.clone())
        .dispatch()
        .await;
    assert_eq!(json(prefs).await["theme"], "dark");
}

#[rocket::async_test]
async fn a_record_holding_its_visits_loads_and_its_next_view_moves_them_to_their_list() {
    // Arrange: a record as versions before the visits' own list wrote it: the
    // visits inside the record, a counted version, no list.
    let Some(url) = redis_url() else {
        return;
    };
    let prefix = unique_prefix();
    let with = |format| on_redis(&url, &prefix, format);
    let json_app = untracked_app_with(with("json")).await;
    let first = json_app.get("/").dispatch().await;
    let cookie = rocket::http::Cookie::new("tailor_sid", sealed_cookie(&first, "tailor_sid"));
    json_app
        .get("/drafts")
        .cookie(cookie.clone())
        .dispatch()
        .await;
    let client = redis::Client::open(url.as_str()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}session:*"))
        .query_async(&mut conn)
        .await
        .unwrap();
    let hash = keys
        .iter()
        .find(|k| !k.ends_with(":visits"))
        .unwrap()
        .clone();
    let list = format!("{hash}:visits");
    assert!(keys.contains(&list), "the visits have their list: {keys:?}");
    let entries: Vec<String> = redis::cmd("LRANGE")
        .arg(&list)
        .arg(0)
        .arg(-1)
        .query_async(&mut conn)
        .await
        .unwrap();
    let d: String = redis::cmd("HGET")
        .arg(&hash)
        .arg("d")
        .query_async(&mut conn)
        .await
        .unwrap();
    let mut record: Value = serde_json::from_str(&d).unwrap();
    assert!(
        record.get("visits").is_none(),
        "not in the record: {record}"
    );
    let visits: Vec<Value> = entries
        .iter()
        .map(|e| serde_json::from_str(e).unwrap())
        .collect();
    record["visits"] = Value::Array(visits);
    redis::pipe()
        .del(&list)
        .hset(&hash, "d", record.to_string())
        .hset(&hash, "v", 7)
        .query_async::<()>(&mut conn)
        .await
        .unwrap();
    // Act: a binary instance reads it and records a view.
    let app = untracked_app_with(with("binary")).await;
    let history = async |app: &TestApp| history_paths(app, &cookie).await;
    assert_eq!(history(&app).await, ["/drafts", "/"]);
    app.get("/cart").cookie(cookie.clone()).dispatch().await;
    // Assert: the three visits are in the list, in order, none in the record.
    let length: usize = redis::cmd("LLEN")
        .arg(&list)
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(length, 3);
    let d: Vec<u8> = redis::cmd("HGET")
        .arg(&hash)
        .arg("d")
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(d[0], tailor_session::codec::BINARY);
    assert!(
        !d.windows(6).any(|w| w == b"visits"),
        "moved out of the record"
    );
    assert_eq!(history(&json_app).await, ["/cart", "/drafts", "/"]);
}
