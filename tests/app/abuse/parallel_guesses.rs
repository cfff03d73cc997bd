//! Parallel guesses meet the same limits as sequential ones: every password
//! check is counted before it is hashed, so twenty guesses sent at once for one
//! account get at most the limit's worth of answers.

use std::sync::Arc;

use rocket::http::{ContentType, Cookie, Header, Status};

use crate::support::*;

const PASSWORD: &str = "correct horse battery";

/// Counts each status among `statuses`.
fn tally(statuses: &[Status]) -> std::collections::BTreeMap<u16, usize> {
    let mut seen = std::collections::BTreeMap::new();
    for s in statuses {
        *seen.entry(s.code).or_default() += 1;
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_simultaneous_wrong_passwords_get_at_most_five_answers() {
    // Arrange: an account, and twenty browsers (each from its own address) with
    // a login form open.
    let app = Arc::new(untracked_app_with(|f| f).await);
    let owner = Browser::at(&app, "198.51.100.30");
    assert_eq!(owner.register("target", PASSWORD).await, Status::SeeOther);
    let mut forms = Vec::new();
    for i in 0..20 {
        let b = Browser::at(&app, &format!("203.0.113.{}", 100 + i));
        let token = csrf_token(&b.text("/login").await);
        forms.push((b.cookie().unwrap(), token, i));
    }

    // Act: every guess at once.
    let guesses: Vec<_> = forms
        .into_iter()
        .map(|(cookie, token, i)| {
            let app = app.clone();
            tokio::spawn(async move {
                let body = form(&[
                    ("csrf_token", &token),
                    ("username", "target"),
                    ("password", &format!("guess number {i}")),
                ]);
                app.post("/login")
                    .header(ContentType::Form)
                    .cookie(Cookie::new("tailor_sid", cookie))
                    .remote(format!("203.0.113.{}:4000", 100 + i).parse().unwrap())
                    .body(body)
                    .dispatch()
                    .await
                    .status()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for guess in guesses {
        statuses.push(guess.await.unwrap());
    }

    // Assert: no more wrong-password answers than the limit; the rest refused.
    let seen = tally(&statuses);
    assert!(
        seen.get(&401).copied().unwrap_or(0) <= 5,
        "at most 5 guesses checked: {seen:?}"
    );
    assert!(
        seen.keys().all(|code| [401, 429, 503].contains(code)),
        "{seen:?}"
    );
    // The window is spent: the right password from elsewhere waits too.
    let later = Browser::at(&app, "192.0.2.77");
    assert_eq!(
        later.login("target", PASSWORD).await.status(),
        Status::TooManyRequests
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_wrong_confirmations_are_limited_like_logins() {
    let app = Arc::new(untracked_app_with(|f| f).await);
    let owner = Browser::at(&app, "198.51.100.31");
    assert_eq!(
        owner.register("confirmer", PASSWORD).await,
        Status::SeeOther
    );
    let (session, device) = (owner.cookie().unwrap(), owner.device().unwrap());
    let mut statuses = Vec::new();
    for round in 0..2 {
        let tries: Vec<_> = (0..20)
            .map(|i| {
                let app = app.clone();
                let (session, device) = (session.clone(), device.clone());
                tokio::spawn(async move {
                    app.delete("/api/v1/account")
                        .header(ContentType::JSON)
                        .cookie(Cookie::new("tailor_sid", session))
                        .cookie(Cookie::new("tailor_device", device))
                        .remote("198.51.100.31:4000".parse().unwrap())
                        .body(format!("{{\"password\":\"wrong {round} {i}\"}}"))
                        .dispatch()
                        .await
                        .status()
                })
            })
            .collect();
        for t in tries {
            statuses.push(t.await.unwrap());
        }
    }
    let seen = tally(&statuses);
    assert!(
        seen.get(&401).copied().unwrap_or(0) <= 5,
        "at most 5 confirmations checked: {seen:?}"
    );
    assert!(
        seen.keys().all(|code| [401, 429, 503].contains(code)),
        "{seen:?}"
    );
    let export = owner.json("/api/v1/session").await;
    assert_eq!(export["user"]["username"], "confirmer", "the account stays");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_operator_guesses_are_limited_per_address() {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    let salt = SaltString::generate(&mut OsRng);
    let hash = argon2::Argon2::default()
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
    let basic = |password: String| {
        use base64::Engine;
        let encoded = base64::engine::general_purpose::STANDARD.encode(format!("ops:{password}"));
        Header::new("Authorization", format!("Basic {encoded}"))
    };
    // Two rounds of twenty at once: the hashing pool admits fewer than the limit
    // at a time, so the limit must hold across rounds too.
    let mut statuses = Vec::new();
    for round in 0..2 {
        let tries: Vec<_> = (0..20)
            .map(|i| {
                let app = app.clone();
                let header = basic(format!("guess {round} {i}"));
                tokio::spawn(async move {
                    app.get("/admin/campaigns")
                        .header(header)
                        .remote("203.0.113.9:4000".parse().unwrap())
                        .dispatch()
                        .await
                        .status()
                })
            })
            .collect();
        for t in tries {
            statuses.push(t.await.unwrap());
        }
    }
    let seen = tally(&statuses);
    assert!(
        seen.get(&401).copied().unwrap_or(0) <= 10,
        "at most 10 operator guesses checked: {seen:?}"
    );
    assert!(
        seen.keys().all(|code| [401, 429, 503].contains(code)),
        "{seen:?}"
    );
}
