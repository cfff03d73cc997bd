//! What the render cache could tell about someone else: pages rendered before a
//! login are purged by "forget me" and account deletion after it, and the
//! cache's hit counter in `/metrics` is for this host (or the token's holder)
//! only.

use rocket::http::{Header, Status};

use crate::support::*;

const PASSWORD: &str = "correct horse battery";

/// (hits, misses) added by `b` loading `path`, read from `/metrics`.
async fn counted(app: &TestApp, b: &Browser<'_>, path: &str) -> (u64, u64) {
    let counts = |text: String| {
        let count = |result: &str| -> u64 {
            let prefix = format!("tailor_render_cache_total{{result=\"{result}\"}} ");
            text.lines()
                .find_map(|l| l.strip_prefix(prefix.as_str()))
                .and_then(|n| n.parse().ok())
                .unwrap()
        };
        (count("hit"), count("miss"))
    };
    let before = counts(get_text(app, "/metrics").await);
    b.text(path).await;
    let after = counts(get_text(app, "/metrics").await);
    (after.0 - before.0, after.1 - before.1)
}

#[rocket::async_test]
async fn forget_me_after_a_login_purges_the_pages_rendered_before_it() {
    let app = untracked_app_with(|f| f).await;
    let (a, b) = (Browser::new(&app), Browser::new(&app));
    assert_eq!(counted(&app, &a, "/preferences").await, (0, 1));
    assert_eq!(counted(&app, &b, "/preferences").await, (1, 0), "a's page");
    // The login gives a's session a new id.
    assert_eq!(a.register("before-login", PASSWORD).await, Status::SeeOther);
    let token = csrf_token(&a.text("/privacy").await);
    let forgotten = a
        .post_form("/privacy/forget", &[("csrf_token", &token)])
        .await;
    assert_eq!(forgotten.status(), Status::SeeOther);
    assert_eq!(
        counted(&app, &b, "/preferences").await,
        (0, 1),
        "the page a's session rendered before its login is gone"
    );
}

#[rocket::async_test]
async fn deleting_the_account_purges_the_pages_rendered_before_its_login() {
    let app = untracked_app_with(|f| f).await;
    let (a, b) = (Browser::new(&app), Browser::new(&app));
    assert_eq!(counted(&app, &a, "/preferences").await, (0, 1));
    assert_eq!(a.register("short-lived", PASSWORD).await, Status::SeeOther);
    let token = csrf_token(&a.text("/account").await);
    let deleted = a
        .post_form(
            "/account/delete",
            &[("csrf_token", &token), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(deleted.status(), Status::SeeOther);
    assert_eq!(counted(&app, &b, "/preferences").await, (0, 1));
}

#[rocket::async_test]
async fn without_a_token_metrics_answer_this_host_only() {
    let app = untracked_app_with(|f| f.merge(("session.trusted_proxies", ["127.0.0.1"]))).await;
    let scrape = |from: &str, forwarded: Option<&str>| {
        let mut request = app.get("/metrics").remote(from.parse().unwrap());
        if let Some(hops) = forwarded {
            request = request.header(Header::new("X-Forwarded-For", hops.to_owned()));
        }
        request.dispatch()
    };
    assert_eq!(scrape("127.0.0.1:9000", None).await.status(), Status::Ok);
    assert_eq!(scrape("[::1]:9000", None).await.status(), Status::Ok);
    for (from, forwarded) in [
        ("203.0.113.7:9000", None),
        ("192.168.1.2:9000", None),
        // A proxy on this host forwarding someone else.
        ("127.0.0.1:9000", Some("203.0.113.7")),
        // A client claiming to be this host.
        ("203.0.113.7:9000", Some("127.0.0.1")),
        ("127.0.0.1:9000", Some("127.0.0.1")),
    ] {
        let refused = scrape(from, forwarded).await;
        assert_eq!(refused.status(), Status::Forbidden, "{from} {forwarded:?}");
        let body = refused.into_string().await.unwrap_or_default();
        assert!(!body.contains("tailor_"), "no figure leaks");
    }
}

#[rocket::async_test]
async fn with_a_token_metrics_answer_its_holder_anywhere() {
    let app = untracked_app_with(|f| f.merge(("ops.metrics_token", "t0ken"))).await;
    let from = "203.0.113.8:9000".parse().unwrap();
    let bearer = Header::new("Authorization", "Bearer t0ken");
    let ok = app
        .get("/metrics")
        .remote(from)
        .header(bearer)
        .dispatch()
        .await;
    assert_eq!(ok.status(), Status::Ok);
    let local = app
        .get("/metrics")
        .remote("127.0.0.1:9000".parse().unwrap())
        .dispatch()
        .await;
    assert_eq!(
        local.status(),
        Status::Unauthorized,
        "the token is required"
    );
}
