//! Login limiting as OWASP recommends: per account and per client address, a
//! device cookie that keeps the owner out of a lock made elsewhere, and nothing a
//! client says about its own address believed.

use rocket::http::{Header, Status};

use crate::support::*;

const PASSWORD: &str = "correct horse battery";

#[rocket::async_test]
async fn failures_from_elsewhere_lock_the_account_but_not_its_owners_browser() {
    let app = untracked_app_with(|f| f).await;
    let owner = Browser::at(&app, "198.51.100.10");
    assert_eq!(owner.register("owner", PASSWORD).await, Status::SeeOther);
    assert!(owner.device().is_some(), "the login left a device cookie");
    owner.logout().await;
    assert!(owner.device().is_some(), "kept across logout");

    let attacker = Browser::at(&app, "203.0.113.66");
    for _ in 0..5 {
        assert_eq!(
            attacker.login("owner", "guess").await.status(),
            Status::Unauthorized
        );
    }
    let locked = attacker.login("owner", PASSWORD).await;
    assert_eq!(
        locked.status(),
        Status::TooManyRequests,
        "the account is locked"
    );
    let wait: u64 = locked
        .headers()
        .get_one("Retry-After")
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&wait), "{wait}");
    drop(locked);
    let elsewhere = Browser::at(&app, "192.0.2.4");
    assert_eq!(
        elsewhere.login("owner", PASSWORD).await.status(),
        Status::TooManyRequests,
        "a browser without the device cookie is locked out too"
    );
    assert_eq!(
        owner.login("owner", PASSWORD).await.status(),
        Status::SeeOther,
        "the owner's browser is not"
    );
}

#[rocket::async_test]
async fn a_device_cookie_has_its_own_limit() {
    let app = untracked_app_with(|f| f).await;
    let owner = Browser::at(&app, "198.51.100.11");
    owner.register("forgetful", PASSWORD).await;
    owner.logout().await;
    for _ in 0..5 {
        assert_eq!(
            owner.login("forgetful", "wrong").await.status(),
            Status::Unauthorized
        );
    }
    let locked = owner.login("forgetful", PASSWORD).await;
    assert_eq!(locked.status(), Status::TooManyRequests);
    assert!(locked.headers().get_one("Retry-After").is_some());
    drop(locked);
    let other = Browser::at(&app, "198.51.100.12");
    assert_eq!(
        other.login("forgetful", PASSWORD).await.status(),
        Status::SeeOther,
        "failures with a device cookie count against that cookie only"
    );
}

#[rocket::async_test]
async fn a_device_cookie_is_void_once_its_account_is_deleted() {
    let app = untracked_app_with(|f| f).await;
    let first = Browser::at(&app, "198.51.100.13");
    assert_eq!(first.register("reused", PASSWORD).await, Status::SeeOther);
    let token = csrf_token(&first.text("/account").await);
    let deleted = first
        .post_form(
            "/account/delete",
            &[("csrf_token", &token), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(deleted.status(), Status::SeeOther);
    drop(deleted);
    assert!(
        first.device().is_some(),
        "the old device cookie is still sent"
    );

    // Someone else registers the name; an attacker locks the new account.
    let second = Browser::at(&app, "198.51.100.14");
    assert_eq!(second.register("reused", PASSWORD).await, Status::SeeOther);
    second.logout().await;
    let attacker = Browser::at(&app, "203.0.113.67");
    for _ in 0..5 {
        attacker.login("reused", "guess").await;
    }
    assert_eq!(
        first.login("reused", PASSWORD).await.status(),
        Status::TooManyRequests,
        "a device cookie of the deleted account does not exempt from the new one's lock"
    );
    assert_eq!(
        second.login("reused", PASSWORD).await.status(),
        Status::SeeOther,
        "the new owner's browser is exempt"
    );
}

#[rocket::async_test]
async fn one_address_is_limited_across_accounts_and_its_own_headers_are_not_believed() {
    let app = untracked_app_with(|f| f).await;
    let attacker = Browser::at(&app, "203.0.113.77");
    for i in 0..20 {
        let token = csrf_token(&attacker.text("/login").await);
        // Whatever the client claims to be, it is its peer address.
        let spoof = Header::new("X-Real-IP", format!("10.0.0.{i}"));
        let forwarded = Header::new("X-Forwarded-For", format!("10.1.0.{i}"));
        let body = form(&[
            ("csrf_token", &token),
            ("username", &format!("victim{i}")),
            ("password", "guess"),
        ]);
        let response = attacker
            .send(
                app.post("/login")
                    .header(rocket::http::ContentType::Form)
                    .header(spoof)
                    .header(forwarded)
                    .body(body),
            )
            .await;
        assert_eq!(response.status(), Status::Unauthorized, "attempt {i}");
    }
    let limited = attacker.login("someone-else", "guess").await;
    assert_eq!(
        limited.status(),
        Status::TooManyRequests,
        "the address is limited"
    );
    assert!(limited.headers().get_one("Retry-After").is_some());
    drop(limited);
    let neighbour = Browser::at(&app, "203.0.113.78");
    assert_eq!(
        neighbour.login("someone-else", "guess").await.status(),
        Status::Unauthorized,
        "another address is not"
    );
    // IPv6: one /64 is one client.
    let v6a = Browser::at(&app, "2001:db8:5:6::1");
    for i in 0..20 {
        v6a.login(&format!("v6-{i}"), "guess").await;
    }
    let v6b = Browser::at(&app, "2001:db8:5:6:ffff::2");
    assert_eq!(
        v6b.login("v6-x", "guess").await.status(),
        Status::TooManyRequests
    );
}

#[rocket::async_test]
async fn behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client() {
    let app = untracked_app_with(|f| f.merge(("session.trusted_proxies", vec!["10.9.9.9"]))).await;
    let proxy = Browser::at(&app, "10.9.9.9");
    let via = |client: &str, spoofed: &str| {
        Header::new("X-Forwarded-For", format!("{spoofed}, {client}"))
    };
    for i in 0..20 {
        let token = csrf_token(&proxy.text("/login").await);
        let name = format!("anyone{i}");
        let body = form(&[
            ("csrf_token", &token),
            ("username", &name),
            ("password", "no"),
        ]);
        let response = proxy
            .send(
                app.post("/login")
                    .header(rocket::http::ContentType::Form)
                    .header(via("198.18.0.1", &format!("1.2.3.{i}")))
                    .body(body),
            )
            .await;
        assert_eq!(response.status(), Status::Unauthorized);
    }
    let token = csrf_token(&proxy.text("/login").await);
    let body = form(&[
        ("csrf_token", &token),
        ("username", "other"),
        ("password", "no"),
    ]);
    let same_client = proxy
        .send(
            app.post("/login")
                .header(rocket::http::ContentType::Form)
                .header(via("198.18.0.1", "9.9.9.9"))
                .body(body.clone()),
        )
        .await;
    assert_eq!(
        same_client.status(),
        Status::TooManyRequests,
        "the hop the proxy vouches for"
    );
    drop(same_client);
    let token = csrf_token(&proxy.text("/login").await);
    let body = form(&[
        ("csrf_token", &token),
        ("username", "other"),
        ("password", "no"),
    ]);
    let other_client = proxy
        .send(
            app.post("/login")
                .header(rocket::http::ContentType::Form)
                .header(via("198.18.0.2", "198.18.0.1"))
                .body(body),
        )
        .await;
    assert_eq!(
        other_client.status(),
        Status::Unauthorized,
        "another client behind the proxy"
    );
}

#[rocket::async_test]
async fn refused_registrations_and_wrong_confirmations_count_too() {
    // Registrations' own hourly limit (10 by default) out of the way: here it is
    // the login failures a taken name adds to.
    let app =
        untracked_app_with(|f| f.merge(("accounts.registrations_per_address_per_hour", 100))).await;
    let owner = Browser::at(&app, "198.51.100.20");
    owner.register("taken", PASSWORD).await;
    let prober = Browser::at(&app, "203.0.113.90");
    for _ in 0..20 {
        assert_eq!(
            prober.register("taken", PASSWORD).await,
            Status::UnprocessableEntity
        );
    }
    assert_eq!(
        prober.register("fresh-name", PASSWORD).await,
        Status::TooManyRequests
    );

    // A wrong current password on the account page counts against the account.
    let thief = Browser::at(&app, "203.0.113.91");
    assert_eq!(thief.register("stolen", PASSWORD).await, Status::SeeOther);
    thief.forget_device();
    for _ in 0..5 {
        let token = csrf_token(&thief.text("/account").await);
        let wrong = thief
            .post_form(
                "/account/password",
                &[
                    ("csrf_token", &token),
                    ("current", "guess"),
                    ("new", "a new long password"),
                ],
            )
            .await;
        assert_eq!(wrong.status(), Status::UnprocessableEntity);
    }
    let token = csrf_token(&thief.text("/account").await);
    let locked = thief
        .post_form(
            "/account/password",
            &[
                ("csrf_token", &token),
                ("current", PASSWORD),
                ("new", "a new long password"),
            ],
        )
        .await;
    assert_eq!(locked.status(), Status::TooManyRequests);
}

#[rocket::async_test]
async fn overlong_usernames_are_refused_before_the_limiter() {
    let app = untracked_app_with(|f| f).await;
    let b = Browser::at(&app, "203.0.113.99");
    let long = "x".repeat(60_000);
    for _ in 0..30 {
        let response = b.login(&long, "guess").await;
        assert_eq!(response.status(), Status::UnprocessableEntity);
    }
    assert_eq!(
        b.login("a-real-name", "guess").await.status(),
        Status::Unauthorized,
        "they were not counted against the address"
    );
}

#[rocket::async_test]
async fn instances_sharing_redis_share_the_limits() {
    let Some(redis_url) = redis_url() else {
        return;
    };
    let prefix = unique_prefix();
    let on_redis = |f: rocket::figment::Figment| {
        f.merge(("session.store", "redis"))
            .merge(("session.redis_url", redis_url.clone()))
            .merge(("session.redis_prefix", prefix.clone()))
    };
    let a = untracked_app_with(on_redis).await;
    let b = untracked_app_with(on_redis).await;
    let on_a = Browser::at(&a, "203.0.113.120");
    let on_b = Browser::at(&b, "203.0.113.121");
    for i in 0..5 {
        let browser = if i % 2 == 0 { &on_a } else { &on_b };
        assert_eq!(
            browser.login("shared-target", "guess").await.status(),
            Status::Unauthorized
        );
    }
    assert_eq!(
        on_a.login("shared-target", "guess").await.status(),
        Status::TooManyRequests
    );
    assert_eq!(
        on_b.login("shared-target", "guess").await.status(),
        Status::TooManyRequests
    );
}
