//! The helpers every integration test shares: the app under test, browsers, forms
//! and JSON, operators' credentials, the services (Redis, PostgreSQL) and real
//! tailor processes (`process`).

pub mod process;

use std::ops::Deref;

use rocket::figment::Figment;
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::{Client, LocalResponse};
use serde_json::Value;
use tempfile::TempDir;

/// A 512-bit test key, base64.
pub const KEY_A: &str =
    "VOhpcyBpcyBhIHRlc3Qga2V5IGZvciB0YWlsb3IsIDY0IGJ5dGVzIGxvbmcgISEhISEhISEhISEhISEhISEhISE=";
/// Another 512-bit test key, base64.
pub const KEY_B: &str =
    "QW5vdGhlciB0ZXN0IGtleSBmb3IgdGFpbG9yLCBhbHNvIDY0IGJ5dGVzIGxvbmcgISEhISEhISEhISEhISEhISE=";

/// A running test app: its client and its data directory.
pub struct TestApp {
    pub client: Client,
    /// Kept so the directory lives as long as the app.
    pub _dir: TempDir,
}

impl Deref for TestApp {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

/// The test figment: Rocket.toml's default profile, a temporary data directory,
/// a fixed key, quiet logs.
pub fn figment(dir: &TempDir) -> Figment {
    rocket::Config::figment()
        .merge(("secret_key", KEY_A))
        .merge(("log_level", "off"))
        .merge(("session.data_dir", dir.path()))
}

/// The app with the test figment changed by `tweak`, behind a cookie-tracking client.
pub async fn app_with(tweak: impl FnOnce(Figment) -> Figment) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let rocket = tailor::build(tweak(figment(&dir)));
    let client = Client::tracked(rocket).await.expect("the app launches");
    TestApp { client, _dir: dir }
}

/// Like [`app_with`], behind a client that sends only the cookies a test gives it.
pub async fn untracked_app_with(tweak: impl FnOnce(Figment) -> Figment) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let rocket = tailor::build(tweak(figment(&dir)));
    let client = Client::untracked(rocket).await.expect("the app launches");
    TestApp { client, _dir: dir }
}

/// The sealed value of the session cookie a response sets.
pub fn sealed_cookie(response: &LocalResponse<'_>, name: &str) -> String {
    let header = set_cookie(response, name).expect("the response sets the session cookie");
    rocket::http::Cookie::parse_encoded(header)
        .unwrap()
        .value()
        .to_owned()
}

/// Opens a sealed cookie value with `key` (base64), as the server would.
pub fn open(sealed: &str, name: &str, key: &str) -> Option<String> {
    let mut jar = cookie::CookieJar::new();
    jar.add_original(rocket::http::Cookie::new(
        name.to_owned(),
        sealed.to_owned(),
    ));
    let key = tailor::config::parse_key(key).unwrap();
    jar.private(&key).get(name).map(|c| c.value().to_owned())
}

/// Seals `value` as cookie `name` with `key` (base64).
pub fn seal(value: &str, name: &str, key: &str) -> String {
    let mut jar = cookie::CookieJar::new();
    let key = tailor::config::parse_key(key).unwrap();
    jar.private_mut(&key)
        .add(rocket::http::Cookie::new(name.to_owned(), value.to_owned()));
    jar.get(name).unwrap().value().to_owned()
}

/// The app as configured for tests.
pub async fn app() -> TestApp {
    app_with(|f| f).await
}

/// The body of a response as JSON.
pub async fn json(response: LocalResponse<'_>) -> Value {
    let text = response.into_string().await.unwrap_or_default();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The value of the first hidden `csrf_token` field in a page.
pub fn csrf_token(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("the page has a CSRF field") + marker.len();
    let end = html[start..].find('"').expect("the field is closed") + start;
    html[start..end].to_owned()
}

/// Gets `/preferences` (which starts a session) and returns its CSRF token.
pub async fn session_token(client: &Client) -> String {
    let page = client
        .get("/preferences")
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap();
    csrf_token(&page)
}

/// The visitor's preferences as the API reports them.
pub async fn preferences(client: &Client) -> Value {
    json(client.get("/api/v1/preferences").dispatch().await).await
}

/// PUTs a JSON body to the preferences API.
pub async fn put_preferences<'c>(client: &'c Client, body: &str) -> LocalResponse<'c> {
    client
        .put("/api/v1/preferences")
        .header(ContentType::JSON)
        .body(body)
        .dispatch()
        .await
}

/// Form-encodes pairs (percent-encoding every byte but unreserved ones).
pub fn form(pairs: &[(&str, &str)]) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// An `Accept-Language` header.
pub fn accept_language(value: &str) -> Header<'static> {
    Header::new("Accept-Language", value.to_owned())
}

/// The session cookie's `Set-Cookie` header in a response, if any.
pub fn set_cookie(response: &LocalResponse<'_>, name: &str) -> Option<String> {
    response
        .headers()
        .get("Set-Cookie")
        .find(|h| h.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

/// The body of `GET path`.
pub async fn get_text(client: &Client, path: &str) -> String {
    let response = client.get(path.to_owned()).dispatch().await;
    response.into_string().await.unwrap_or_default()
}

/// One browser of several on the same app: it keeps its own session cookie and
/// sends it with every request through an untracked client.
pub struct Browser<'c> {
    client: &'c Client,
    cookie: std::sync::Mutex<Option<String>>,
    /// The device cookie (`tailor_device`) a login left, kept across logout.
    device: std::sync::Mutex<Option<String>>,
    /// The address this browser's requests come from.
    address: std::sync::Mutex<Option<std::net::SocketAddr>>,
}

impl<'c> Browser<'c> {
    pub fn new(client: &'c Client) -> Self {
        Browser {
            client,
            cookie: std::sync::Mutex::new(None),
            device: std::sync::Mutex::new(None),
            address: std::sync::Mutex::new(None),
        }
    }

    /// A browser whose requests come from `ip`.
    pub fn at(client: &'c Client, ip: &str) -> Self {
        let browser = Browser::new(client);
        let ip: std::net::IpAddr = ip.parse().unwrap();
        *browser.address.lock().unwrap() = Some(std::net::SocketAddr::new(ip, 40000));
        browser
    }

    /// The client this browser sends through.
    pub fn client(&self) -> &'c Client {
        self.client
    }

    /// Holds `sealed` as its session cookie (the same visitor, another client).
    pub fn use_cookie(&self, sealed: &str) {
        *self.cookie.lock().unwrap() = Some(sealed.to_owned());
    }

    /// The sealed session cookie this browser holds.
    pub fn cookie(&self) -> Option<String> {
        self.cookie.lock().unwrap().clone()
    }

    /// The sealed device cookie this browser holds.
    pub fn device(&self) -> Option<String> {
        self.device.lock().unwrap().clone()
    }

    /// Forgets the device cookie (another browser, in effect, for the limits).
    pub fn forget_device(&self) {
        *self.device.lock().unwrap() = None;
    }

    /// Sends `request` with this browser's cookies (and address) and keeps the
    /// cookies it is given.
    pub async fn send(
        &self,
        request: rocket::local::asynchronous::LocalRequest<'c>,
    ) -> LocalResponse<'c> {
        let mut request = match self.cookie() {
            Some(value) => request.cookie(rocket::http::Cookie::new("tailor_sid", value)),
            None => request,
        };
        if let Some(device) = self.device() {
            request = request.cookie(rocket::http::Cookie::new("tailor_device", device));
        }
        if let Some(address) = *self.address.lock().unwrap() {
            request = request.remote(address);
        }
        let response = request.dispatch().await;
        for (name, slot) in [
            ("tailor_sid", &self.cookie),
            ("tailor_device", &self.device),
        ] {
            if let Some(header) = set_cookie(&response, name) {
                let cookie = rocket::http::Cookie::parse_encoded(header).unwrap();
                let cleared = cookie.max_age().is_some_and(|age| age.is_zero());
                *slot.lock().unwrap() = (!cleared).then(|| cookie.value().to_owned());
            }
        }
        response
    }

    pub async fn get(&self, path: &str) -> LocalResponse<'c> {
        self.send(self.client.get(path.to_owned())).await
    }

    pub async fn text(&self, path: &str) -> String {
        self.get(path).await.into_string().await.unwrap_or_default()
    }

    pub async fn json(&self, path: &str) -> Value {
        json(self.get(path).await).await
    }

    pub async fn post_form(&self, path: &str, pairs: &[(&str, &str)]) -> LocalResponse<'c> {
        self.send(
            self.client
                .post(path.to_owned())
                .header(ContentType::Form)
                .body(form(pairs)),
        )
        .await
    }

    /// Registers `username` through the form (which logs this browser in). A
    /// 503 (the hashing pool, shared by the tests running at once, was full) is
    /// tried again after a moment, as its `Retry-After` asks.
    pub async fn register(&self, username: &str, password: &str) -> Status {
        for _ in 0..20 {
            let token = csrf_token(&self.text("/register").await);
            let status = self
                .post_form(
                    "/register",
                    &[
                        ("csrf_token", &token),
                        ("username", username),
                        ("password", password),
                    ],
                )
                .await
                .status();
            if status != Status::ServiceUnavailable {
                return status;
            }
            rocket::tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        Status::ServiceUnavailable
    }

    /// Logs in through the form.
    pub async fn login(&self, username: &str, password: &str) -> LocalResponse<'c> {
        let token = csrf_token(&self.text("/login").await);
        self.post_form(
            "/login",
            &[
                ("csrf_token", &token),
                ("username", username),
                ("password", password),
            ],
        )
        .await
    }

    /// Logs out through the account page's form.
    pub async fn logout(&self) -> Status {
        let token = csrf_token(&self.text("/account").await);
        self.post_form("/logout", &[("csrf_token", &token)])
            .await
            .status()
    }

    pub async fn send_json(
        &self,
        method: rocket::http::Method,
        path: &str,
        body: &Value,
    ) -> LocalResponse<'c> {
        let request = self
            .client
            .req(method, path.to_owned())
            .header(ContentType::JSON)
            .body(body.to_string());
        self.send(request).await
    }
}

/// The Redis of the tests: `TAILOR_TEST_REDIS_URL` (scripts/test starts one), else
/// a `redis-server` started for this test process, else `None`, announced in one
/// loud line (a failure instead under `TAILOR_TEST_REQUIRE_SERVICES`, which
/// scripts/test sets). A test given `None` returns at once.
pub fn redis_url() -> Option<String> {
    tailor_session::conformance::redis_url()
}

/// A key prefix no other test uses, so tests can share one Redis.
pub fn unique_prefix() -> String {
    format!("test:{}:", tailor_session::random_token(9))
}

/// Whether tailor refuses to launch with `figment` (reading the error marks it
/// handled).
pub async fn refused(figment: Figment) -> bool {
    match tailor::build(figment).ignite().await {
        Ok(_) => false,
        Err(e) => {
            let _ = e.kind();
            true
        }
    }
}

/// The app on the test Redis, under a fresh prefix; `None` without a Redis.
pub async fn redis_app_with(tweak: impl FnOnce(Figment) -> Figment) -> Option<TestApp> {
    let url = redis_url()?;
    let prefix = unique_prefix();
    let app = app_with(|f| {
        tweak(
            f.merge(("session.store", "redis"))
                .merge(("session.redis_url", url))
                .merge(("session.redis_prefix", prefix)),
        )
    })
    .await;
    Some(app)
}

/// The PostgreSQL of the tests, its superuser on the `postgres` database:
/// `TAILOR_TEST_POSTGRES_URL` (scripts/test starts one), else a throw-away cluster
/// started for this test process (`scripts/postgres`, when PostgreSQL is
/// installed), else `None`, announced as [`redis_url`] does.
pub fn postgres_url() -> Option<String> {
    static URL: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    URL.get_or_init(|| {
        if let Some(url) = std::env::var("TAILOR_TEST_POSTGRES_URL").ok().filter(|u| !u.is_empty()) {
            return Some(url);
        }
        let started = process::has_postgres().then(process::start_shared_postgres).flatten();
        if started.is_none() {
            tailor_session::conformance::skip(
                "PostgreSQL",
                "install PostgreSQL (Debian: apt-get install postgresql), or set TAILOR_TEST_POSTGRES_URL",
            );
        }
        started
    })
    .clone()
}

/// A new, empty database on the test PostgreSQL; returns its URL.
pub async fn postgres_database() -> Option<String> {
    use sqlx::Connection;
    let admin = postgres_url()?;
    let name = format!("t_{}", tailor::data::AccountId::generate());
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .expect("the test PostgreSQL answers");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("a test database is created");
    let base = admin.rsplit_once('/').expect("a database URL").0;
    Some(format!("{base}/{name}"))
}

/// The app on a fresh database of the test PostgreSQL; `None` without one.
pub async fn postgres_app_with(tweak: impl FnOnce(Figment) -> Figment) -> Option<TestApp> {
    let url = postgres_database().await?;
    Some(app_with(|f| tweak(f.merge(("data.url", url)))).await)
}

/// HTTP Basic credentials of the operators, as tests configure them (`with_admin`).
pub fn operator() -> Header<'static> {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode("ops:s3cret");
    Header::new("Authorization", format!("Basic {encoded}"))
}

/// The text of an operator page, fetched with the operators' credentials.
pub async fn admin_text(client: &Client, path: &str) -> String {
    let response = client
        .get(path.to_owned())
        .header(operator())
        .dispatch()
        .await;
    response.into_string().await.unwrap_or_default()
}

/// The test figment with the operators' credentials set.
pub fn with_admin(f: Figment) -> Figment {
    f.merge(("admin.user", "ops"))
        .merge(("admin.password", "s3cret"))
}
