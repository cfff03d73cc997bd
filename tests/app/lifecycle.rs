//! The session layer on its own, over the memory store, as a crate user would
//! mount it: regenerate and destroy through the request guard.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rocket::http::{Cookie, Status};
use rocket::local::asynchronous::Client;
use rocket::{get, post, routes};
use serde::{Deserialize, Serialize};
use tailor_session::{MemoryStore, Session, SessionConfig, SessionError, SessionRecord};

#[derive(Clone, Default, Serialize, Deserialize)]
struct Visit {
    count: u32,
    seen: Option<DateTime<Utc>>,
}

impl SessionRecord for Visit {
    fn last_seen(&self) -> DateTime<Utc> {
        self.seen.unwrap_or_default()
    }
    fn touch(&mut self, now: DateTime<Utc>) {
        self.seen = Some(now);
    }
}

#[post("/count")]
async fn count(session: Session<'_, Visit>) -> Result<String, SessionError> {
    let n = session.update(|v| {
        v.count += 1;
        v.count
    });
    Ok(n.await?.to_string())
}

#[get("/count")]
fn read(session: Session<'_, Visit>) -> String {
    session.data().map(|v| v.count).unwrap_or(0).to_string()
}

#[post("/regenerate")]
async fn regenerate(session: Session<'_, Visit>) -> Result<Status, SessionError> {
    session.regenerate().await?;
    Ok(Status::NoContent)
}

#[post("/destroy")]
async fn destroy(session: Session<'_, Visit>) -> Result<Status, SessionError> {
    session.destroy().await?;
    Ok(Status::NoContent)
}

async fn client() -> Client {
    let config = SessionConfig {
        cookie_name: "sid".into(),
        idle_timeout: Duration::from_secs(600),
        cookie_secure: false,
        sweep_interval: Duration::from_secs(60),
        previous_keys: vec![],
    };
    let store = Arc::new(MemoryStore::<Visit>::new(config.idle_timeout, 1000));
    let figment = rocket::Config::figment()
        .merge(("log_level", "off"))
        .merge(("secret_key", crate::support::KEY_A));
    let rocket = rocket::custom(figment)
        .attach(tailor_session::stage(store, config))
        .mount("/", routes![count, read, regenerate, destroy]);
    Client::untracked(rocket).await.unwrap()
}

/// POSTs to `path` with `cookie` (if any); returns the status, the body and the
/// sealed cookie the response sets (if any).
async fn post(
    client: &Client,
    path: &str,
    cookie: Option<&str>,
) -> (Status, String, Option<String>) {
    let mut request = client.post(path.to_owned());
    if let Some(value) = cookie {
        request = request.cookie(Cookie::new("sid", value.to_owned()));
    }
    let response = request.dispatch().await;
    let set = crate::support::set_cookie(&response, "sid")
        .map(|h| Cookie::parse_encoded(h).unwrap().value().to_owned());
    (
        response.status(),
        response.into_string().await.unwrap_or_default(),
        set,
    )
}

async fn read_with(client: &Client, cookie: &str) -> String {
    let request = client
        .get("/count")
        .cookie(Cookie::new("sid", cookie.to_owned()));
    request.dispatch().await.into_string().await.unwrap()
}

#[rocket::async_test]
async fn regenerate_gives_a_new_id_keeps_the_data_and_kills_the_old_id() {
    let client = client().await;
    let (_, _, old) = post(&client, "/count", None).await;
    let old = old.expect("the first update sets the cookie");
    post(&client, "/count", Some(&old)).await;

    let (status, _, new) = post(&client, "/regenerate", Some(&old)).await;
    assert_eq!(status, Status::NoContent);
    let new = new.expect("a new cookie");
    let id = |sealed: &str| crate::support::open(sealed, "sid", crate::support::KEY_A).unwrap();
    assert_ne!(id(&new), id(&old), "the id changed");
    assert_eq!(read_with(&client, &new).await, "2", "the data moved");
    assert_eq!(read_with(&client, &old).await, "0", "the old id is dead");
    // Replaying the old cookie starts a new visitor, never the moved session.
    let (_, n, _) = post(&client, "/count", Some(&old)).await;
    assert_eq!(n, "1");
    assert_eq!(read_with(&client, &new).await, "2");
}

#[rocket::async_test]
async fn destroy_removes_the_record_and_clears_the_cookie() {
    let client = client().await;
    let (_, _, sealed) = post(&client, "/count", None).await;
    let sealed = sealed.unwrap();
    let response = client
        .post("/destroy")
        .cookie(Cookie::new("sid", sealed.clone()))
        .dispatch()
        .await;
    let cleared = crate::support::set_cookie(&response, "sid").expect("the cookie is cleared");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    drop(response);
    assert_eq!(read_with(&client, &sealed).await, "0");
}
