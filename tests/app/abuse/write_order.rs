//! Writes are ordered and explicit: an order is written before the cart is
//! emptied, a cart is ordered once, and a write racing a logout or "forget me"
//! never brings the destroyed session back.

use std::sync::Arc;

use rocket::http::{ContentType, Cookie, Method, Status};
use serde_json::json;

use crate::support::process::OwnPostgres;
use crate::support::*;

#[rocket::async_test]
async fn a_database_failure_at_checkout_loses_no_cart() {
    let Some(pg) = OwnPostgres::start() else {
        return;
    };
    let url = pg.url();
    let app = untracked_app_with(|f| with_admin(f).merge(("data.url", url))).await;
    let b = Browser::new(&app);
    let add = json!({"product": "silk-tie", "quantity": 2});
    assert_eq!(
        b.send_json(Method::Post, "/api/v1/cart/items", &add)
            .await
            .status(),
        Status::Ok
    );
    let token = csrf_token(&b.text("/cart").await);
    pg.stop();
    let failed = b
        .post_form("/cart/checkout", &[("csrf_token", &token)])
        .await;
    assert_eq!(failed.status(), Status::ServiceUnavailable);
    drop(failed);
    let cart = b.json("/api/v1/cart").await;
    assert_eq!(cart["items"][0]["quantity"], 2, "the cart is kept: {cart}");
    pg.resume();
    let mut placed = Status::ServiceUnavailable;
    for _ in 0..50 {
        placed = b
            .post_form("/cart/checkout", &[("csrf_token", &token)])
            .await
            .status();
        if placed == Status::SeeOther {
            break;
        }
        rocket::tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(placed, Status::SeeOther);
    assert_eq!(b.json("/api/v1/cart").await["items"], json!([]));
    assert_eq!(
        b.json("/api/v1/session").await["orders"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[rocket::async_test]
async fn ten_simultaneous_checkouts_of_one_cart_place_one_order() {
    let app = Arc::new(untracked_app_with(with_admin).await);
    let b = Browser::new(&app);
    let add = json!({"product": "chinos", "quantity": 1});
    b.send_json(Method::Post, "/api/v1/cart/items", &add).await;
    let token = csrf_token(&b.text("/cart").await);
    let cookie = b.cookie().unwrap();
    let body = form(&[("csrf_token", &token)]);
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let (app, cookie, body) = (app.clone(), cookie.clone(), body.clone());
            rocket::tokio::spawn(async move {
                app.post("/cart/checkout")
                    .header(ContentType::Form)
                    .cookie(Cookie::new("tailor_sid", cookie))
                    .body(body)
                    .dispatch()
                    .await
                    .status()
            })
        })
        .collect();
    for task in tasks {
        let status = task.await.unwrap();
        assert!(
            status == Status::SeeOther || status == Status::UnprocessableEntity,
            "{status}"
        );
    }
    let orders = admin_text(&app, "/admin/orders").await;
    assert!(orders.contains("Total: 1."), "one order: {orders}");
    assert_eq!(b.json("/api/v1/cart").await["items"], json!([]));
}

#[rocket::async_test]
async fn page_views_racing_forget_me_never_bring_the_session_back() {
    let app = Arc::new(untracked_app_with(|f| f).await);
    let b = Browser::new(&app);
    b.get("/").await;
    let cookie = b.cookie().expect("a session");
    let views: Vec<_> = (0..40)
        .map(|i| {
            let (app, cookie) = (app.clone(), cookie.clone());
            rocket::tokio::spawn(async move {
                let path = if i % 2 == 0 { "/" } else { "/products" };
                app.get(path)
                    .cookie(Cookie::new("tailor_sid", cookie))
                    .dispatch()
                    .await
                    .status()
            })
        })
        .collect();
    let forget = {
        let (app, cookie) = (app.clone(), cookie.clone());
        rocket::tokio::spawn(async move {
            app.delete("/api/v1/session")
                .cookie(Cookie::new("tailor_sid", cookie))
                .dispatch()
                .await
                .status()
        })
    };
    for view in views {
        view.await.unwrap();
    }
    assert_eq!(forget.await.unwrap(), Status::NoContent);
    let after = app
        .get("/api/v1/session")
        .cookie(Cookie::new("tailor_sid", cookie))
        .dispatch()
        .await;
    assert_eq!(
        after.status(),
        Status::NotFound,
        "the forgotten session stays forgotten"
    );
}
