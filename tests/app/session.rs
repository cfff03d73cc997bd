//! The session cookie and lifecycle over HTTP: creation, attributes, tampering,
//! expiry, rolling, key rotation, store failure.

use std::sync::Arc;
use std::time::Duration;

use rocket::http::{Cookie, Header, Status};
use rocket::local::asynchronous::Client;
use serde_json::json;
use tailor_session::{SessionConfig, SessionId, SessionStore, StoreError};

use crate::support::*;

#[rocket::async_test]
async fn reading_pages_creates_no_session_when_tracking_is_refused() {
    let app = app().await;
    for (name, value) in [("Sec-GPC", "1"), ("DNT", "1")] {
        for path in ["/", "/history", "/drafts", "/no-such-page"] {
            let response = app
                .get(path)
                .header(Header::new(name, value))
                .dispatch()
                .await;
            assert!(
                set_cookie(&response, "tailor_sid").is_none(),
                "{path} with {name} set a cookie"
            );
        }
    }
    // Without a refusal, API reads, the privacy page and error pages still store nothing.
    for path in [
        "/api/v1/preferences",
        "/api/v1/history",
        "/privacy",
        "/no-such-page",
        "/static/tailor.css",
    ] {
        let response = app.get(path).dispatch().await;
        assert!(
            set_cookie(&response, "tailor_sid").is_none(),
            "{path} set a cookie"
        );
    }
    let metrics = get_text(&app, "/metrics").await;
    assert!(metrics.contains("tailor_sessions_live 0"), "{metrics}");
}

#[rocket::async_test]
async fn the_first_write_sets_a_private_lax_http_only_cookie() {
    let app = app().await;
    let response = put_preferences(&app, r#"{"theme":"dark"}"#).await;
    assert_eq!(response.status(), Status::Ok);
    let cookie = set_cookie(&response, "tailor_sid").expect("a session cookie");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=2592000"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    assert!(
        !cookie.contains("Secure"),
        "debug cookies are not Secure: {cookie}"
    );
    assert!(!cookie.contains("Expires"), "Max-Age alone: {cookie}");
    // The value is sealed: it is not a bare session id.
    let value = Cookie::parse_encoded(cookie).unwrap().value().to_owned();
    assert!(SessionId::parse(&value).is_err());
    assert_eq!(preferences(&app).await["theme"], "dark");
}

#[rocket::async_test]
async fn secure_cookies_carry_the_host_prefix() {
    let app = app_with(|f| f.merge(("session.cookie_secure", true))).await;
    let response = put_preferences(&app, r#"{"theme":"dark"}"#).await;
    let cookie = set_cookie(&response, "__Host-tailor_sid").expect("a __Host- cookie");
    assert!(
        cookie.contains("Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Domain"), "{cookie}");
}

#[rocket::async_test]
async fn session_responses_are_never_cached_by_shared_caches() {
    let app = app().await;
    put_preferences(&app, r#"{"theme":"dark"}"#).await;
    for path in [
        "/",
        "/preferences",
        "/api/v1/preferences",
        "/api/v1/session",
    ] {
        let response = app.get(path).dispatch().await;
        assert_eq!(
            response.headers().get_one("Cache-Control"),
            Some("private, no-store"),
            "{path}"
        );
    }
}

/// Sends `value` as the raw session cookie.
async fn with_raw_cookie(app: &TestApp, value: &str) -> (Status, serde_json::Value) {
    let response = app
        .get("/api/v1/preferences")
        .cookie(Cookie::new("tailor_sid", value.to_owned()))
        .dispatch()
        .await;
    (response.status(), json(response).await)
}

/// An untracked app and the sealed cookie of a session whose theme is `theme`.
async fn app_with_session(
    tweak: impl FnOnce(rocket::figment::Figment) -> rocket::figment::Figment,
    theme: &str,
) -> (TestApp, String) {
    let app = untracked_app_with(tweak).await;
    let response = put_preferences(&app, &json!({ "theme": theme }).to_string()).await;
    let sealed = sealed_cookie(&response, "tailor_sid");
    drop(response);
    (app, sealed)
}

#[rocket::async_test]
async fn tampered_truncated_and_garbage_cookies_start_a_new_visitor() {
    let (app, sealed) = app_with_session(|f| f, "dark").await;
    let (status, prefs) = with_raw_cookie(&app, &sealed).await;
    assert_eq!(
        (status, prefs["theme"].as_str()),
        (Status::Ok, Some("dark")),
        "the genuine cookie works"
    );

    let mut flipped = sealed.clone().into_bytes();
    flipped[10] = if flipped[10] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(flipped).unwrap();
    let hostile = [
        "",
        "garbage",
        "%%%",
        "<script>",
        &"A".repeat(5000),
        &sealed[..sealed.len() / 2],
        &tampered,
    ];
    for value in hostile {
        let (status, prefs) = with_raw_cookie(&app, value).await;
        assert_eq!(status, Status::Ok, "cookie {value:.20}");
        assert_eq!(
            prefs["theme"], "system",
            "cookie {value:.20} opened a session"
        );
    }
}

#[rocket::async_test]
async fn a_cookie_sealed_with_a_foreign_key_is_a_new_visitor() {
    let (app, sealed) = app_with_session(|f| f, "dark").await;
    let id = open(&sealed, "tailor_sid", KEY_A).unwrap();
    let foreign = seal(&id, "tailor_sid", KEY_B);
    let (status, prefs) = with_raw_cookie(&app, &foreign).await;
    assert_eq!(
        (status, prefs["theme"].as_str()),
        (Status::Ok, Some("system"))
    );
}

#[rocket::async_test]
async fn a_cookie_under_a_previous_key_is_accepted_and_resealed() {
    // The app's current key is B; A is a previous key.
    let tweak = |f: rocket::figment::Figment| {
        f.merge(("secret_key", KEY_B))
            .merge(("session.secret_keys_previous", vec![KEY_A]))
    };
    let (app, sealed) = app_with_session(tweak, "high-contrast").await;
    let id = open(&sealed, "tailor_sid", KEY_B).expect("sealed with the current key");
    // The same id as an instance before the rotation would have sealed it.
    let old_sealed = seal(&id, "tailor_sid", KEY_A);

    let response = app
        .get("/api/v1/preferences")
        .cookie(Cookie::new("tailor_sid", old_sealed))
        .dispatch()
        .await;
    let resealed = sealed_cookie(&response, "tailor_sid");
    assert_eq!(json(response).await["theme"], "high-contrast");
    assert_eq!(
        open(&resealed, "tailor_sid", KEY_B),
        Some(id),
        "re-sealed with the current key"
    );
}

#[rocket::async_test]
async fn an_idle_session_expires_and_an_active_one_rolls() {
    let app = app_with(|f| f.merge(("session.idle_timeout_secs", 2))).await;
    put_preferences(&app, r#"{"theme":"dark"}"#).await;
    // Active: a request every 0.8 s keeps it alive past the 2 s timeout, and the
    // cookie's Max-Age is refreshed along the way.
    let mut refreshed = false;
    for _ in 0..4 {
        rocket::tokio::time::sleep(Duration::from_millis(800)).await;
        let response = app.get("/api/v1/preferences").dispatch().await;
        refreshed |= set_cookie(&response, "tailor_sid").is_some_and(|c| c.contains("Max-Age=2"));
        assert_eq!(
            json(response).await["theme"],
            "dark",
            "an active session expired"
        );
    }
    assert!(refreshed, "the cookie was never refreshed");
    // Idle: gone after the timeout, even before any sweep.
    rocket::tokio::time::sleep(Duration::from_millis(2200)).await;
    assert_eq!(preferences(&app).await["theme"], "system");
}

#[rocket::async_test]
async fn a_session_id_in_the_url_or_a_bare_cookie_is_ignored() {
    let (app, sealed) = app_with_session(|f| f, "dark").await;
    let id = open(&sealed, "tailor_sid", KEY_A).unwrap();
    let response = app
        .get(format!("/api/v1/preferences?tailor_sid={id}&session={id}"))
        .cookie(Cookie::new("tailor_sid", id.clone()))
        .dispatch()
        .await;
    assert_eq!(
        json(response).await["theme"],
        "system",
        "a bare id must not open the session"
    );
}

#[rocket::async_test]
async fn fifty_concurrent_preference_writes_all_land() {
    let app = app().await;
    put_preferences(&app, r#"{"tracking":true}"#).await;
    let client = Arc::new(app.client);
    let bodies = [
        json!({"theme": "dark"}),
        json!({"language": "es"}),
        json!({"timezone": "Asia/Tokyo"}),
        json!({"tracking": false}),
        json!({"display_name": "Grace"}),
    ];
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let client = client.clone();
            let body = bodies[i % bodies.len()].to_string();
            rocket::tokio::spawn(async move { put_preferences(&client, &body).await.status() })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), Status::Ok);
    }
    let prefs = preferences(&client).await;
    assert_eq!(prefs["theme"], "dark");
    assert_eq!(prefs["language"], "es");
    assert_eq!(prefs["timezone"], "Asia/Tokyo");
    assert_eq!(prefs["tracking"], false);
    assert_eq!(prefs["display_name"], "Grace");
}

/// A store whose backend is down: every operation fails.
#[derive(Debug)]
struct DownStore;

fn down() -> StoreError {
    StoreError::Backend("connection refused".into())
}

#[rocket::async_trait]
impl SessionStore<tailor::record::SessionData> for DownStore {
    async fn load(
        &self,
        _: &SessionId,
    ) -> Result<Option<Arc<tailor::record::SessionData>>, StoreError> {
        Err(down())
    }
    async fn peek(
        &self,
        _: &SessionId,
    ) -> Result<Option<Arc<tailor::record::SessionData>>, StoreError> {
        Err(down())
    }
    async fn create(
        &self,
        _: &SessionId,
        _: tailor_session::store::Mutation<'_, tailor::record::SessionData>,
    ) -> Result<Arc<tailor::record::SessionData>, StoreError> {
        Err(down())
    }
    async fn update(
        &self,
        _: &SessionId,
        _: tailor_session::store::Mutation<'_, tailor::record::SessionData>,
    ) -> Result<Option<Arc<tailor::record::SessionData>>, StoreError> {
        Err(down())
    }
    async fn remove(&self, _: &SessionId) -> Result<(), StoreError> {
        Err(down())
    }
    async fn regenerate(&self, _: &SessionId, _: &SessionId) -> Result<bool, StoreError> {
        Err(down())
    }
    async fn count(&self) -> Result<usize, StoreError> {
        Err(down())
    }
    async fn sweep(&self) -> Result<usize, StoreError> {
        Err(down())
    }
    async fn ping(&self) -> Result<(), StoreError> {
        Err(down())
    }
}

#[rocket::async_test]
async fn a_failing_store_answers_503_never_an_empty_session() {
    // The session layer alone, over a store whose backend is unreachable.
    #[rocket::get("/count")]
    async fn count(session: tailor_session::Session<'_, tailor::record::SessionData>) -> String {
        session
            .data()
            .map(|d| d.csrf_token.to_string())
            .unwrap_or_default()
    }
    let config = SessionConfig {
        cookie_name: "sid".into(),
        idle_timeout: Duration::from_secs(60),
        cookie_secure: false,
        sweep_interval: Duration::from_secs(60),
        previous_keys: vec![],
    };
    let rocket = rocket::custom(rocket::Config::figment().merge(("log_level", "off")))
        .attach(tailor_session::stage(Arc::new(DownStore), config))
        .mount("/", rocket::routes![count]);
    let client = Client::tracked(rocket).await.unwrap();
    let response = client
        .get("/count")
        .private_cookie(Cookie::new("sid", SessionId::generate().to_string()))
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::ServiceUnavailable);
}

#[rocket::async_test]
async fn the_session_cookie_is_68_characters_of_sealed_id() {
    // 12-byte nonce + 22-character id + 16-byte tag = 50 bytes = 68 base64
    // characters. On the wire, Rocket percent-encodes the `+`, `/` and `=` of
    // that base64 (3 bytes each instead of 1), so the sent value varies around
    // 74 characters; the deterministic part is what is tested here.
    for secure in [false, true] {
        let app = untracked_app_with(|f| f.merge(("session.cookie_secure", secure))).await;
        let name = if secure {
            "__Host-tailor_sid"
        } else {
            "tailor_sid"
        };
        for _ in 0..50 {
            let response = app.get("/").dispatch().await;
            let header = set_cookie(&response, name).expect("a first visit gets a cookie");
            let cookie = rocket::http::Cookie::parse_encoded(header).unwrap();
            assert_eq!(cookie.value().len(), 68, "{}", cookie.value());
            assert!(name.len() + 1 + cookie.value().len() <= 100);
        }
    }
}
