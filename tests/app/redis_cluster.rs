//! The app on a Redis Cluster (3 masters, 3 replicas): a visitor's whole round
//! (preferences, pages, history, registration with its new session id, the
//! limiter's counters), settings a cluster refuses, and, on one Redis, sessions
//! under the names before hash tags.

use rocket::figment::Figment;
use rocket::http::{ContentType, Status};

use crate::support::*;

/// The app on the test cluster under a fresh prefix; `None` without one.
async fn cluster_app(
    tweak: impl FnOnce(Figment) -> Figment,
) -> Option<(TestApp, Vec<String>, String)> {
    let nodes = tailor_session::conformance::redis_cluster_nodes()?;
    let prefix = unique_prefix();
    let (given, p) = (nodes.clone(), prefix.clone());
    let app = app_with(move |f| {
        tweak(
            f.merge(("session.store", "redis"))
                .merge(("session.redis_url", "redis://127.0.0.1:1/"))
                .merge(("session.redis_cluster_nodes", given))
                .merge(("session.redis_prefix", p)),
        )
    })
    .await;
    Some((app, nodes, prefix))
}

#[rocket::async_test]
async fn a_visitor_goes_round_the_app_on_a_redis_cluster() {
    let Some((app, nodes, prefix)) = cluster_app(|f| f).await else {
        return;
    };
    assert_eq!(app.get("/readyz").dispatch().await.status(), Status::Ok);
    put_preferences(&app, r#"{"theme":"dark","display_name":"Cluster"}"#).await;
    for path in [
        "/?utm_source=news&utm_campaign=spring",
        "/drafts",
        "/products",
    ] {
        assert_eq!(
            app.get(path).dispatch().await.status(),
            Status::Ok,
            "{path}"
        );
    }
    let history = app.get("/api/v1/history").dispatch().await;
    let visits = json(history).await["visits"].as_array().unwrap().len();
    assert!(visits >= 3, "{visits} visits");

    // Registration signs in under a new session id: a copy to another slot,
    // then the old keys deleted.
    let token = session_token(&app).await;
    let register = form(&[
        ("csrf_token", &token),
        ("username", "cluster-user"),
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
    let page = get_text(&app, "/account").await;
    assert!(
        page.contains("Signed in as <bdi>cluster-user</bdi>"),
        "{page}"
    );
    assert!(get_text(&app, "/")
        .await
        .contains("Hello, <bdi>Cluster</bdi>!"));
    let history = app.get("/api/v1/history").dispatch().await;
    let after = json(history).await["visits"].as_array().unwrap().len();
    assert!(
        after > visits,
        "the history came along: {after} after {visits}"
    );

    // One session's keys, all in one slot; the old id's are gone.
    let client = redis::cluster::ClusterClient::new(nodes.iter().map(String::as_str)).unwrap();
    let mut conn = client.get_async_connection().await.unwrap();
    let mut keys: Vec<String> = Vec::new();
    for node in &nodes {
        let mut one = redis::Client::open(node.as_str())
            .unwrap()
            .get_multiplexed_async_connection()
            .await
            .unwrap();
        let role: Vec<redis::Value> = redis::cmd("ROLE").query_async(&mut one).await.unwrap();
        if !matches!(&role[0], redis::Value::BulkString(r) if r == b"master") {
            continue;
        }
        let found: Vec<String> = redis::cmd("KEYS")
            .arg(format!("{prefix}session:*"))
            .query_async(&mut one)
            .await
            .unwrap();
        keys.extend(found);
    }
    let hashes: Vec<&String> = keys.iter().filter(|k| !k.ends_with(":visits")).collect();
    assert_eq!(hashes.len(), 1, "one session left: {keys:?}");
    let visits_key = format!("{}:visits", hashes[0]);
    assert!(keys.contains(&visits_key), "{keys:?}");
    let slot = |key: &str| {
        let mut cmd = redis::cmd("CLUSTER");
        cmd.arg("KEYSLOT").arg(key.to_owned());
        cmd
    };
    let a: u16 = slot(hashes[0]).query_async(&mut conn).await.unwrap();
    let b: u16 = slot(&visits_key).query_async(&mut conn).await.unwrap();
    assert_eq!(a, b, "the record and its visits share a slot");
    let live: u64 = {
        let metrics = get_text(&app, "/metrics").await;
        metrics
            .lines()
            .find(|l| l.starts_with("tailor_sessions_live "))
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(u64::MAX)
    };
    assert_eq!(live, 1, "the sharded index counts the one session");
}

#[rocket::async_test]
async fn bad_cluster_settings_stop_the_launch() {
    let dir = tempfile::tempdir().unwrap();
    let nodes = vec!["redis://127.0.0.1:7000/".to_owned()];
    let cases: Vec<(&str, rocket::figment::value::Value)> = vec![
        ("session.redis_cluster_nodes", vec!["http://nope/"].into()),
        (
            "session.redis_cluster_nodes",
            "redis://127.0.0.1:7000/".into(),
        ),
        ("session.redis_wait_timeout_ms", 0.into()),
        ("session.redis_wait_replicas", (-1).into()),
    ];
    for (key, value) in cases {
        let settings = figment(&dir)
            .merge(("session.store", "redis"))
            .merge((key, value.clone()));
        assert!(refused(settings).await, "{key} = {value:?} was accepted");
    }
    // Braces in the prefix would make every session's hash tag the same.
    let braces = figment(&dir)
        .merge(("session.store", "redis"))
        .merge(("session.redis_cluster_nodes", nodes.clone()))
        .merge(("session.redis_prefix", "app{1}:"));
    assert!(refused(braces).await, "a prefix with braces was accepted");
    let fine = figment(&dir)
        .merge(("session.store", "redis"))
        .merge(("session.redis_cluster_nodes", nodes));
    assert!(!refused(fine).await, "a cluster's node list is accepted");
}

#[rocket::async_test]
async fn a_session_under_its_name_before_hash_tags_loads_and_is_renamed() {
    // Arrange: a visitor's session moved to the names an earlier version used
    // (`session:<id>`, no braces), as a rolling upgrade finds them.
    let Some(url) = redis_url() else {
        return;
    };
    let prefix = unique_prefix();
    let (u, p) = (url.clone(), prefix.clone());
    let app = app_with(move |f| {
        f.merge(("session.store", "redis"))
            .merge(("session.redis_url", u))
            .merge(("session.redis_prefix", p))
    })
    .await;
    put_preferences(&app, r#"{"theme":"dark","display_name":"Old"}"#).await;
    assert_eq!(app.get("/drafts").dispatch().await.status(), Status::Ok);
    let client = redis::Client::open(url.as_str()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}session:*"))
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(keys.len(), 2, "{keys:?}");
    let untagged = |k: &String| k.replace(['{', '}'], "");
    for key in &keys {
        let _: () = redis::cmd("RENAME")
            .arg(key)
            .arg(untagged(key))
            .query_async(&mut conn)
            .await
            .unwrap();
    }

    // Act: the visitor comes back.
    let page = get_text(&app, "/").await;

    // Assert: the session is there, history and all, under the tagged names.
    assert!(page.contains("Hello, <bdi>Old</bdi>!"), "{page}");
    let history = app.get("/api/v1/history").dispatch().await;
    assert!(json(history).await["visits"].as_array().unwrap().len() >= 2);
    let now: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}session:*"))
        .query_async(&mut conn)
        .await
        .unwrap();
    let mut now = now;
    now.sort();
    let mut before = keys.clone();
    before.sort();
    assert_eq!(now, before, "renamed back to the tagged names");
}
