//! Bounded indexes: contact submissions are limited per session and per address.

use rocket::http::Status;

use crate::support::*;

async fn send<'c>(b: &Browser<'c>, n: u32) -> Status {
    let token = csrf_token(&b.text("/forms/contact").await);
    let message = format!("Message {n}");
    b.post_form(
        "/forms/contact",
        &[
            ("csrf_token", &token),
            ("action", "submit"),
            ("name", "Flooder"),
            ("email", "flood@example.org"),
            ("topic", "sales"),
            ("message", &message),
        ],
    )
    .await
    .status()
}

#[rocket::async_test]
async fn one_session_and_one_address_can_send_only_so_many_forms() {
    let app = untracked_app_with(|f| {
        f.merge(("drafts.submissions_per_session_per_hour", 3))
            .merge(("drafts.submissions_per_address_per_hour", 5))
    })
    .await;
    let b = Browser::at(&app, "203.0.113.50");
    for n in 0..3 {
        assert_eq!(send(&b, n).await, Status::SeeOther);
    }
    let token = csrf_token(&b.text("/forms/contact").await);
    let limited = b
        .post_form(
            "/forms/contact",
            &[
                ("csrf_token", &token),
                ("action", "submit"),
                ("name", "Flooder"),
                ("email", "flood@example.org"),
                ("topic", "sales"),
                ("message", "kept as a draft"),
            ],
        )
        .await;
    assert_eq!(limited.status(), Status::TooManyRequests);
    assert!(limited.headers().get_one("Retry-After").is_some());
    assert!(limited
        .into_string()
        .await
        .unwrap()
        .contains("kept as a draft"));
    assert_eq!(
        b.json("/api/v1/drafts/contact").await["fields"]["message"],
        "kept as a draft",
        "nothing typed is lost"
    );

    // A new session from the same address: the address's limit.
    let again = Browser::at(&app, "203.0.113.50");
    assert_eq!(send(&again, 10).await, Status::SeeOther);
    assert_eq!(send(&again, 11).await, Status::SeeOther);
    assert_eq!(send(&again, 12).await, Status::TooManyRequests);
    let elsewhere = Browser::at(&app, "203.0.113.51");
    assert_eq!(send(&elsewhere, 20).await, Status::SeeOther);
}
