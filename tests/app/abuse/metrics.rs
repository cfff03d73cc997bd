//! `/metrics` costs the same with 10 or with many sessions: a scrape sends a fixed
//! number of commands to the store, counted on a Redis of the test's own.

use crate::support::process::{free_port, OwnRedis};
use crate::support::*;

/// Commands the Redis has processed so far (from `INFO stats`; the `INFO` itself
/// counts once).
async fn commands(redis: &mut redis::aio::MultiplexedConnection) -> u64 {
    let info: String = redis::cmd("INFO")
        .arg("stats")
        .query_async(redis)
        .await
        .unwrap();
    info.lines()
        .find_map(|l| l.strip_prefix("total_commands_processed:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}

#[rocket::async_test]
async fn a_scrape_sends_the_same_commands_whatever_the_number_of_sessions() {
    let port = free_port();
    let Some(_redis) = OwnRedis::start(port, tempfile::tempdir().unwrap()).await else {
        return;
    };
    let url = format!("redis://127.0.0.1:{port}/");
    let app = app_with(|f| {
        f.merge(("session.store", "redis"))
            .merge(("session.redis_url", url.clone()))
    })
    .await;
    let client = redis::Client::open(url).unwrap();
    let redis = client.get_multiplexed_async_connection().await.unwrap();
    let scrape_cost = || {
        let (app, mut redis) = (&app, redis.clone());
        async move {
            let before = commands(&mut redis).await;
            let text = get_text(app, "/metrics").await;
            let after = commands(&mut redis).await;
            (after - before - 1, text)
        }
    };
    for _ in 0..10 {
        app.get("/").dispatch().await;
    }
    // Warm: the first scrape loads the counting script into Redis.
    scrape_cost().await;
    let (few, text) = scrape_cost().await;
    assert!(
        text.contains("tailor_sessions_live 1"),
        "one tracked client: {text}"
    );
    // Many more sessions: each a first visit of its own.
    let bulk = untracked_app_with(|f| {
        f.merge(("session.store", "redis"))
            .merge(("session.redis_url", format!("redis://127.0.0.1:{port}/")))
    })
    .await;
    for _ in 0..500 {
        bulk.get("/").dispatch().await;
    }
    let (many, text) = scrape_cost().await;
    assert!(text.contains("tailor_sessions_live 501"), "{text}");
    assert_eq!(
        few, many,
        "a scrape costs {few} commands with 1 session, {many} with 501"
    );
    // One script: EVALSHA, and the TIME and ZCOUNT it runs (Redis counts those).
    assert!(many <= 3, "a fixed, small number of commands: {many}");
}
