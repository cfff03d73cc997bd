//! The memory store survives a restart through its snapshots.

use std::time::Duration;

use rocket::http::{ContentType, Cookie, Status};
use rocket::local::asynchronous::Client;

use crate::support::*;

const SNAPSHOT: &str = "sessions.snapshot.json";

async fn start(
    dir: &tempfile::TempDir,
    tweak: impl FnOnce(rocket::figment::Figment) -> rocket::figment::Figment,
) -> Client {
    Client::untracked(tailor::build(tweak(figment(dir))))
        .await
        .expect("the app launches")
}

/// Saves preferences on a fresh session; returns its sealed cookie.
async fn session_with_theme(client: &Client, theme: &str) -> String {
    let body = format!(r#"{{"theme":"{theme}"}}"#);
    let response = client
        .put("/api/v1/preferences")
        .header(ContentType::JSON)
        .body(body)
        .dispatch()
        .await;
    sealed_cookie(&response, "tailor_sid")
}

async fn theme_with(client: &Client, cookie: &str) -> String {
    let response = client
        .get("/api/v1/preferences")
        .cookie(Cookie::new("tailor_sid", cookie.to_owned()))
        .dispatch()
        .await;
    json(response).await["theme"].as_str().unwrap().to_owned()
}

#[rocket::async_test]
async fn sessions_survive_a_graceful_restart() {
    let dir = tempfile::tempdir().unwrap();
    let first = start(&dir, |f| f).await;
    let cookie = session_with_theme(&first, "dark").await;
    first.terminate().await;
    assert!(
        dir.path().join(SNAPSHOT).exists(),
        "a snapshot is written at shutdown"
    );

    let second = start(&dir, |f| f).await;
    assert_eq!(theme_with(&second, &cookie).await, "dark");
}

#[rocket::async_test]
async fn snapshots_are_also_written_on_a_timer() {
    let dir = tempfile::tempdir().unwrap();
    let client = start(&dir, |f| f.merge(("session.snapshot_interval_secs", 1))).await;
    session_with_theme(&client, "dark").await;
    rocket::tokio::time::sleep(Duration::from_millis(1600)).await;
    let bytes = std::fs::read(dir.path().join(SNAPSHOT)).expect("a periodic snapshot");
    assert_eq!(
        bytes[0],
        tailor_session::codec::BINARY,
        "the binary form by default"
    );
    assert!(bytes.windows(4).any(|w| w == b"dark"));
    assert!(
        !dir.path().join("sessions.snapshot.json.tmp").exists(),
        "no temporary file is left"
    );
}

#[rocket::async_test]
async fn a_snapshot_in_either_form_loads_whichever_form_is_written() {
    // Arrange: a snapshot in JSON, as versions before the binary form wrote it.
    let dir = tempfile::tempdir().unwrap();
    let json = |f: rocket::figment::Figment| f.merge(("session.record_format", "json"));
    let first = start(&dir, json).await;
    let cookie = session_with_theme(&first, "dark").await;
    first.terminate().await;
    let bytes = std::fs::read(dir.path().join(SNAPSHOT)).unwrap();
    assert_eq!(bytes[0], b'{', "JSON, as record_format says");
    // Act: restart writing the binary form (the default), then JSON again.
    let second = start(&dir, |f| f).await;
    let read_back = theme_with(&second, &cookie).await;
    second.terminate().await;
    let binary = std::fs::read(dir.path().join(SNAPSHOT)).unwrap();
    let third = start(&dir, json).await;
    // Assert: the session survived both changes of form.
    assert_eq!(read_back, "dark");
    assert_eq!(binary[0], tailor_session::codec::BINARY);
    assert!(
        binary.len() < bytes.len(),
        "{} vs {} bytes",
        binary.len(),
        bytes.len()
    );
    assert_eq!(theme_with(&third, &cookie).await, "dark");
}

#[rocket::async_test]
async fn sessions_that_expired_while_down_are_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let first = start(&dir, |f| f.merge(("session.idle_timeout_secs", 1))).await;
    let cookie = session_with_theme(&first, "dark").await;
    first.terminate().await;
    rocket::tokio::time::sleep(Duration::from_millis(1200)).await;
    let second = start(&dir, |f| f.merge(("session.idle_timeout_secs", 1))).await;
    assert_eq!(theme_with(&second, &cookie).await, "system");
    let metrics = get_text(&second, "/metrics").await;
    assert!(metrics.contains("tailor_sessions_live 0"), "{metrics}");
}

#[rocket::async_test]
async fn an_unreadable_snapshot_is_moved_aside_and_the_server_starts() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(SNAPSHOT), b"{ this is not a snapshot").unwrap();
    let client = start(&dir, |f| f).await;
    assert_eq!(client.get("/healthz").dispatch().await.status(), Status::Ok);
    let aside: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with("sessions.snapshot.json.unreadable-"))
        .collect();
    assert_eq!(aside.len(), 1, "moved aside, not overwritten: {aside:?}");
    let kept = std::fs::read(dir.path().join(&aside[0])).unwrap();
    assert_eq!(kept, b"{ this is not a snapshot");
}
