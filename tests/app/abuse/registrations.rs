//! Registration floods: every registration counts against its address's hourly
//! limit (made or not), and the owner of an account, whose browser holds its
//! device cookie, logs in while others flood the hashing pool.

use std::sync::Arc;
use std::time::Duration;

use rocket::http::{ContentType, Cookie, Status};

use crate::support::*;

const PASSWORD: &str = "correct horse battery";

#[rocket::async_test]
async fn an_address_registers_ten_accounts_an_hour_then_waits() {
    let app = untracked_app_with(|f| f).await;
    let b = Browser::at(&app, "203.0.113.50");
    for i in 0..10 {
        let status = b.register(&format!("bulk{i}"), PASSWORD).await;
        assert_eq!(status, Status::SeeOther, "registration {i}");
        assert_eq!(b.logout().await, Status::SeeOther);
    }
    let token = csrf_token(&b.text("/register").await);
    let refused = b
        .post_form(
            "/register",
            &[
                ("csrf_token", &token),
                ("username", "bulk10"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(refused.status(), Status::TooManyRequests);
    let wait: u64 = refused
        .headers()
        .get_one("Retry-After")
        .and_then(|s| s.parse().ok())
        .expect("Retry-After");
    assert!((1..=3600).contains(&wait), "{wait}");
    let page = refused.into_string().await.unwrap();
    assert!(page.contains("Too many accounts"), "the page says why");
    // Nothing was made, and another address may still register.
    let other = Browser::at(&app, "198.51.100.50");
    assert_eq!(
        other.login("bulk10", PASSWORD).await.status(),
        Status::Unauthorized
    );
    assert_eq!(other.register("bulk10", PASSWORD).await, Status::SeeOther);
}

#[rocket::async_test]
async fn the_hourly_limit_is_a_setting() {
    let app =
        untracked_app_with(|f| f.merge(("accounts.registrations_per_address_per_hour", 1))).await;
    let b = Browser::at(&app, "203.0.113.51");
    assert_eq!(b.register("solo1", PASSWORD).await, Status::SeeOther);
    assert_eq!(b.logout().await, Status::SeeOther);
    assert_eq!(b.register("solo2", PASSWORD).await, Status::TooManyRequests);
    let dir = tempfile::tempdir().unwrap();
    let refused =
        tailor::build(figment(&dir).merge(("accounts.registrations_per_address_per_hour", 0)))
            .ignite()
            .await;
    match refused {
        Ok(_) => panic!("0 stops the launch"),
        Err(e) => drop(e.kind()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_owner_logs_in_while_registrations_flood_the_hashing_pool() {
    // Arrange: the owner's browser logged in once (device cookie), and forty
    // registration forms open.
    let app = Arc::new(untracked_app_with(|f| f).await);
    let owner = Browser::at(&app, "198.51.100.60");
    assert_eq!(owner.register("owner60", PASSWORD).await, Status::SeeOther);
    assert_eq!(owner.logout().await, Status::SeeOther);

    // Forty bots, each with forms of its own (a form serves one registration:
    // the login that follows renews its session).
    let mut bots = Vec::new();
    for _ in 0..40 {
        let mut forms = Vec::new();
        for _ in 0..20 {
            let bot = Browser::new(&app);
            let token = csrf_token(&bot.text("/register").await);
            forms.push((bot.cookie().unwrap(), token));
        }
        bots.push(forms);
    }

    // Act: the bots send their forms back to back, each from another address
    // (a botnet); meanwhile the owner logs in and out five times.
    let flood: Vec<_> = bots
        .into_iter()
        .enumerate()
        .map(|(i, forms)| {
            let app = app.clone();
            tokio::spawn(async move {
                let mut busy = 0;
                for (n, (cookie, token)) in forms.into_iter().enumerate() {
                    let body = form(&[
                        ("csrf_token", &token),
                        ("username", &format!("flood{i}x{n}")),
                        ("password", PASSWORD),
                    ]);
                    let status = app
                        .post("/register")
                        .header(ContentType::Form)
                        .cookie(Cookie::new("tailor_sid", cookie))
                        .remote(format!("10.60.{i}.{n}:4000").parse().unwrap())
                        .body(body)
                        .dispatch()
                        .await
                        .status();
                    busy += usize::from(status == Status::ServiceUnavailable);
                }
                busy
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(20)).await;
    let mut logins = Vec::new();
    for _ in 0..5 {
        let status = owner.login("owner60", PASSWORD).await.status();
        if status == Status::SeeOther {
            owner.logout().await;
        }
        logins.push(status);
    }
    let mut busy = 0;
    for f in flood {
        busy += f.await.unwrap();
    }

    // Assert: the flood overflowed the pool, and the owner got in every time.
    assert!(busy > 0, "the flood filled the common lane");
    assert_eq!(logins, [Status::SeeOther; 5], "the owner logs in");
}
