//! The operators' pages of durable data: orders and submissions, 50 a page,
//! newest first, each with a CSV download that is safe in a spreadsheet.

use rocket::http::{ContentType, Status};
use serde_json::json;

use crate::support::*;

async fn contact(app: &TestApp, token: &str, name: &str) {
    let body = form(&[
        ("csrf_token", token),
        ("action", "submit"),
        ("name", name),
        ("email", "ops@example.org"),
        ("topic", "sales"),
        ("message", "=HYPERLINK(\"http://evil.example\")"),
    ]);
    let sent = app
        .post("/forms/contact")
        .header(ContentType::Form)
        .body(body)
        .dispatch()
        .await;
    assert_eq!(sent.status(), Status::SeeOther);
}

async fn operator_text(app: &TestApp, path: &str) -> (Status, String, Option<String>) {
    let response = app.get(path.to_owned()).header(operator()).dispatch().await;
    let status = response.status();
    let content_type = response.content_type().map(|c| c.to_string());
    (
        status,
        response.into_string().await.unwrap_or_default(),
        content_type,
    )
}

#[rocket::async_test]
async fn submissions_come_fifty_a_page_newest_first_and_whole_in_the_csv() {
    let app =
        app_with(|f| with_admin(f).merge(("drafts.submissions_per_session_per_hour", 100))).await;
    let token = session_token(&app).await;
    for i in 1..=51 {
        contact(&app, &token, &format!("Sender {i:02}")).await;
    }
    let (status, first, _) = operator_text(&app, "/admin/submissions").await;
    assert_eq!(status, Status::Ok);
    assert!(first.contains("Total: 51."));
    assert!(first.contains("Sender 51") && first.contains("Sender 02"));
    assert!(!first.contains("Sender 01"), "the oldest is on page 2");
    assert!(
        first.find("Sender 51") < first.find("Sender 50"),
        "newest first"
    );
    assert!(first.contains("href=\"?page=2\""));
    let (_, second, _) = operator_text(&app, "/admin/submissions?page=2").await;
    assert!(second.contains("Sender 01") && !second.contains("Sender 02"));
    for odd in ["?page=abc", "?page=-3", "?page=0"] {
        let (status, page, _) = operator_text(&app, &format!("/admin/submissions{odd}")).await;
        assert_eq!(status, Status::Ok, "{odd}");
        assert!(page.contains("Sender 51"), "{odd} shows the first page");
    }
    let (_, last, _) = operator_text(&app, "/admin/submissions?page=999").await;
    assert!(
        last.contains("Sender 01"),
        "past the end shows the last page"
    );

    let (status, csv, content_type) = operator_text(&app, "/admin/submissions.csv").await;
    assert_eq!(status, Status::Ok);
    assert!(content_type.unwrap().starts_with("text/csv"));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 52, "a header and every submission");
    assert!(lines[0].starts_with("\"id\",\"form\",\"submitted_at\",\"logged_in\",\"name\""));
    assert!(lines[1].contains("\"Sender 51\""));
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://evil.example\"\")\""),
        "formula-proofed"
    );
}

#[rocket::async_test]
async fn orders_are_listed_with_their_customer_items_and_campaign_credit() {
    let app = untracked_app_with(with_admin).await;
    let b = Browser::new(&app);
    b.get("/?utm_source=news&utm_medium=email&utm_campaign=spring-sale")
        .await;
    assert_eq!(
        b.register("-risky", "correct horse battery").await,
        Status::SeeOther
    );
    let add = json!({"product": "silk-tie", "quantity": 3});
    b.send_json(rocket::http::Method::Post, "/api/v1/cart/items", &add)
        .await;
    let token = csrf_token(&b.text("/cart").await);
    let placed = b
        .post_form("/cart/checkout", &[("csrf_token", &token)])
        .await;
    assert_eq!(placed.status(), Status::SeeOther);
    drop(placed);

    let (status, page, _) = operator_text(&app, "/admin/orders").await;
    assert_eq!(status, Status::Ok);
    assert!(
        page.contains("-risky") && page.contains("3 × Silk tie"),
        "{page}"
    );
    assert!(page.contains("€147.00"), "{page}");
    assert!(page.contains("spring-sale · news · email"), "{page}");
    let (_, csv, content_type) = operator_text(&app, "/admin/orders.csv").await;
    assert!(content_type.unwrap().starts_with("text/csv"));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(
        lines[1].contains("\"'-risky\""),
        "a leading - is neutralised: {csv}"
    );
    assert!(
        lines[1].contains("\"silk-tie x3 @4900\",14700,\"spring-sale\",\"news\",\"email\""),
        "{csv}"
    );
}

#[rocket::async_test]
async fn the_operator_pages_need_the_operators_credentials() {
    let app = app_with(with_admin).await;
    for path in [
        "/admin/orders",
        "/admin/orders.csv",
        "/admin/submissions",
        "/admin/submissions.csv",
    ] {
        let response = app.get(path).dispatch().await;
        assert_eq!(response.status(), Status::Unauthorized, "{path}");
    }
    let unconfigured = app_with(|f| f).await;
    for path in ["/admin/orders", "/admin/submissions.csv"] {
        let response = unconfigured.get(path).header(operator()).dispatch().await;
        assert_eq!(response.status(), Status::NotFound, "{path}");
    }
}

#[rocket::async_test]
async fn every_field_of_a_submission_shows_its_label_and_value() {
    let app = app_with(with_admin).await;
    let token = session_token(&app).await;
    let body = form(&[
        ("csrf_token", &token),
        ("action", "submit"),
        ("name", "Ada"),
        ("email", "ada@example.org"),
        ("topic", "support"),
        ("message", "Call me"),
        ("contact_time", "morning"),
        ("newsletter", "on"),
    ]);
    let sent = app
        .post("/forms/contact")
        .header(ContentType::Form)
        .body(body)
        .dispatch()
        .await;
    assert_eq!(sent.status(), Status::SeeOther);
    // And one that leaves the optional choice empty, as most do.
    let body = form(&[
        ("csrf_token", &token),
        ("action", "submit"),
        ("name", "Bob"),
        ("email", "bob@example.org"),
        ("topic", "sales"),
        ("message", "Hi"),
        ("contact_time", ""),
    ]);
    let sent = app
        .post("/forms/contact")
        .header(ContentType::Form)
        .body(body)
        .dispatch()
        .await;
    assert_eq!(sent.status(), Status::SeeOther);
    let (_, page, _) = operator_text(&app, "/admin/submissions").await;
    assert!(!page.contains("[object]"), "{page}");
    assert!(page.contains("Preferred contact time"), "{page}");
    assert!(
        page.contains("Morning") && page.contains("Support"),
        "{page}"
    );
    for lang in ["es", "fr"] {
        let page = app
            .get("/admin/submissions")
            .header(operator())
            .header(accept_language(lang))
            .dispatch()
            .await
            .into_string()
            .await
            .unwrap();
        assert!(!page.contains("[object]"), "{lang}");
    }
}
