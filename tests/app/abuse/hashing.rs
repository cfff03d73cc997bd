//! A hash storm does not stop the site: argon2 runs on a bounded pool, the excess
//! is refused at once with `Retry-After`, failed operator logins are limited per
//! address, and a successful operator check is remembered.

use std::sync::Arc;
use std::time::{Duration, Instant};

use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
use argon2::Argon2;
use rocket::http::{Header, Status};

use crate::support::*;

fn basic(user: &str, password: &str) -> Header<'static> {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    Header::new("Authorization", format!("Basic {encoded}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_storm_of_wrong_operator_logins_leaves_the_site_answering() {
    let salt = SaltString::generate(&mut OsRng);
    let hash = Argon2::default()
        .hash_password(b"the operators' secret", &salt)
        .unwrap()
        .to_string();
    let app = Arc::new(
        app_with(|f| {
            f.merge(("admin.user", "ops"))
                .merge(("admin.password", hash))
        })
        .await,
    );
    // The operators logged in a moment ago: remembered.
    let good = basic("ops", "the operators' secret");
    let ok = app
        .get("/admin/campaigns")
        .header(good.clone())
        .dispatch()
        .await;
    assert_eq!(ok.status(), Status::Ok);
    drop(ok);

    let storm: Vec<_> = (0..64)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move {
                let started = Instant::now();
                let response = app
                    .get("/admin/campaigns")
                    .header(basic("ops", &format!("guess {i}")))
                    .remote(format!("203.0.113.{}:4000", i % 4).parse().unwrap())
                    .dispatch()
                    .await;
                let status = response.status();
                let retry = response.headers().get_one("Retry-After").map(str::to_owned);
                (status, retry, started.elapsed())
            })
        })
        .collect();
    // Meanwhile the site answers, fast.
    let mut slowest = Duration::ZERO;
    for _ in 0..20 {
        let started = Instant::now();
        assert_eq!(app.get("/healthz").dispatch().await.status(), Status::Ok);
        slowest = slowest.max(started.elapsed());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        slowest < Duration::from_millis(500),
        "/healthz took {slowest:?}"
    );
    let during = app
        .get("/admin/campaigns")
        .header(good.clone())
        .dispatch()
        .await;
    assert_eq!(
        during.status(),
        Status::Ok,
        "the operators are not locked out"
    );
    drop(during);
    let mut refused = 0;
    for task in storm {
        let (status, retry, took) = task.await.unwrap();
        assert!(took < Duration::from_secs(30), "no request hangs");
        match status.code {
            401 => {}
            429 | 503 => {
                assert!(retry.is_some(), "{status} without Retry-After");
                refused += 1;
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert!(refused > 0, "the excess is refused, not queued without end");
}

#[rocket::async_test]
async fn failed_operator_logins_are_limited_per_address() {
    let app = app_with(with_admin).await;
    let from = |ip: &str| -> std::net::SocketAddr { format!("{ip}:4000").parse().unwrap() };
    for _ in 0..10 {
        let response = app
            .get("/admin/campaigns")
            .header(basic("ops", "nope"))
            .remote(from("198.51.100.200"))
            .dispatch()
            .await;
        assert_eq!(response.status(), Status::Unauthorized);
    }
    let limited = app
        .get("/admin/campaigns")
        .header(basic("ops", "s3cret"))
        .remote(from("198.51.100.200"))
        .dispatch()
        .await;
    assert_eq!(limited.status(), Status::TooManyRequests);
    assert!(limited.headers().get_one("Retry-After").is_some());
    drop(limited);
    let operator = app
        .get("/admin/campaigns")
        .header(basic("ops", "s3cret"))
        .remote(from("198.51.100.201"))
        .dispatch()
        .await;
    assert_eq!(operator.status(), Status::Ok, "from their own address");
    drop(operator);
    // Checked once, remembered: the locked address (say the operators' own office,
    // under a storm) lets the right credentials through, and still not a guess.
    let remembered = app
        .get("/admin/campaigns")
        .header(basic("ops", "s3cret"))
        .remote(from("198.51.100.200"))
        .dispatch()
        .await;
    assert_eq!(remembered.status(), Status::Ok, "a remembered check passes");
    drop(remembered);
    let guess = app
        .get("/admin/campaigns")
        .header(basic("ops", "s3cret!"))
        .remote(from("198.51.100.200"))
        .dispatch()
        .await;
    assert_eq!(guess.status(), Status::TooManyRequests);
}

/// The storm of the issue, over real HTTP against the real binary: 64 connections
/// of wrong operator credentials, each from an address of its own (a trusted
/// proxy names them), so no per-address lock stops them and every one asks for an
/// argon2. Meanwhile the pages must keep answering quickly: with argon2 on the
/// async workers, `/healthz` waited behind the hashes for a second and more.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hash_storm_over_http_does_not_stall_the_pages() {
    use crate::support::process::{free_port, tailor};
    let salt = SaltString::generate(&mut OsRng);
    let hash = Argon2::default()
        .hash_password(b"the operators' secret", &salt)
        .unwrap()
        .to_string();
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let _server = tailor(
        port,
        dir.path(),
        &[
            (
                "ROCKET_ADMIN",
                format!("{{user=\"ops\",password=\"{hash}\"}}"),
            ),
            ("ROCKET_WORKERS", "2".into()),
            ("ROCKET_SESSION", "trusted_proxies=[\"127.0.0.1\"]".into()),
        ],
    )
    .await;
    let http = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(3);
    let storm: Vec<_> = (0..64u32)
        .map(|i| {
            let (http, url) = (http.clone(), format!("{base}/admin/campaigns"));
            tokio::spawn(async move {
                let mut statuses = Vec::new();
                let mut n = 0u32;
                while Instant::now() < deadline {
                    n += 1;
                    let sent = http
                        .get(&url)
                        .basic_auth("ops", Some(format!("guess {i} {n}")))
                        .header("X-Forwarded-For", format!("10.{i}.{}.{}", n / 256, n % 256))
                        .send()
                        .await;
                    if let Ok(response) = sent {
                        statuses.push(response.status().as_u16());
                    }
                }
                statuses
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut slowest = Duration::ZERO;
    for path in ["/healthz", "/products"].iter().cycle().take(20) {
        let started = Instant::now();
        let response = http.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200, "{path}");
        response.bytes().await.unwrap();
        slowest = slowest.max(started.elapsed());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut counts = std::collections::BTreeMap::new();
    for task in storm {
        for status in task.await.unwrap() {
            *counts.entry(status).or_insert(0u32) += 1;
        }
    }
    assert!(
        slowest < Duration::from_millis(400),
        "pages answered within {slowest:?} during the storm ({counts:?})"
    );
    assert!(
        counts.keys().all(|s| [401, 503].contains(s)),
        "wrong credentials get 401, or 503 when the pool is full: {counts:?}"
    );
    assert!(
        counts.contains_key(&503),
        "the excess is refused: {counts:?}"
    );
}
