//! The one-time import of what an earlier version kept in Redis gives a
//! username's orders only to the account that held the name when they were
//! placed: orders from before a re-registration stay without an account.

use rocket::http::Status;
use serde_json::json;

use crate::support::*;

const PASSWORD: &str = "correct horse battery";

#[rocket::async_test]
async fn an_order_from_before_the_names_account_is_not_given_to_it() {
    let Some(redis_url) = redis_url() else {
        return;
    };
    use redis::AsyncCommands;
    // Arrange: the account "Ada" made in January; an order of the name's earlier
    // holder in December, and one of this Ada in February.
    let prefix = unique_prefix();
    let client = redis::Client::open(redis_url.clone()).unwrap();
    let mut redis = client.get_multiplexed_async_connection().await.unwrap();
    let hash = tailor::hashing::HashPool::new(1, 1)
        .hash_password(PASSWORD.into())
        .await
        .unwrap();
    let account = json!({"username": "Ada", "password_hash": hash,
        "created_at": "2026-01-02T03:04:05Z"});
    let _: () = redis
        .hset_multiple(
            format!("{prefix}account:ada"),
            &[("v", "1".to_owned()), ("d", account.to_string())],
        )
        .await
        .unwrap();
    for (number, placed_at) in [(41, "2025-12-24T10:00:00Z"), (42, "2026-02-03T04:05:06Z")] {
        let order = json!({"number": number, "username": "Ada", "total_cents": 4500,
            "lines": [{"product": "silk-tie", "quantity": 1}], "placed_at": placed_at});
        let _: () = redis
            .lpush(format!("{prefix}journal:orders"), order.to_string())
            .await
            .unwrap();
    }

    // Act: the first launch imports.
    let app = untracked_app_with(|f| {
        f.merge(("session.store", "redis"))
            .merge(("session.redis_url", redis_url.clone()))
            .merge(("session.redis_prefix", prefix.clone()))
    })
    .await;

    // Assert: Ada's export holds her order only.
    let ada = Browser::new(&app);
    assert_eq!(ada.login("ada", PASSWORD).await.status(), Status::SeeOther);
    let export = ada.json("/api/v1/session").await;
    let ids: Vec<i64> = export["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [42], "{export}");
}
