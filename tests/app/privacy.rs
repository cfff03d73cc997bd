//! Export and erasure: `/privacy`, `GET/DELETE /api/v1/session`, `POST /privacy/forget`.

use rocket::http::{ContentType, Header, Status};

use crate::support::*;

#[rocket::async_test]
async fn export_has_everything_stored_for_the_visitor() {
    let app = app().await;
    put_preferences(&app, r#"{"theme":"dark","display_name":"Ada"}"#).await;
    let response = app.get("/api/v1/session").dispatch().await;
    assert_eq!(response.status(), Status::Ok);
    let export = json(response).await;
    for key in [
        "created_at",
        "preferences",
        "drafts",
        "visits",
        "campaigns",
        "cart",
        "user",
        "csrf_token",
    ] {
        assert!(export.get(key).is_some(), "export lacks {key}: {export}");
    }
    assert_eq!(export["preferences"]["display_name"], "Ada");
    assert_eq!(export["preferences"]["theme"], "dark");
}

#[rocket::async_test]
async fn export_without_a_session_is_404_and_creates_nothing() {
    let app = app().await;
    let response = app.get("/api/v1/session").dispatch().await;
    assert_eq!(response.status(), Status::NotFound);
    assert!(set_cookie(&response, "tailor_sid").is_none());
    assert_eq!(json(response).await["error"]["code"], "no_session");
}

#[rocket::async_test]
async fn delete_session_erases_the_data_and_clears_the_cookie() {
    let app = app().await;
    put_preferences(&app, r#"{"theme":"dark"}"#).await;
    let response = app.delete("/api/v1/session").dispatch().await;
    assert_eq!(response.status(), Status::NoContent);
    let cleared = set_cookie(&response, "tailor_sid").expect("the cookie is cleared");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    drop(response);
    assert_eq!(
        app.get("/api/v1/session").dispatch().await.status(),
        Status::NotFound
    );
    assert_eq!(preferences(&app).await["theme"], "system");
    let metrics = get_text(&app, "/metrics").await;
    assert!(metrics.contains("tailor_sessions_live 0"), "{metrics}");
}

#[rocket::async_test]
async fn delete_session_from_a_foreign_origin_is_403_and_keeps_the_data() {
    let app = app().await;
    put_preferences(&app, r#"{"theme":"dark"}"#).await;
    let response = app
        .delete("/api/v1/session")
        .header(Header::new("Origin", "https://evil.example"))
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::Forbidden);
    assert_eq!(json(response).await["error"]["code"], "foreign_origin");
    assert_eq!(preferences(&app).await["theme"], "dark");
}

#[rocket::async_test]
async fn forget_me_needs_the_csrf_token_then_erases_everything() {
    let app = app().await;
    let token = session_token(&app).await;
    put_preferences(&app, r#"{"theme":"dark"}"#).await;

    for body in [String::new(), form(&[("csrf_token", "wrong")])] {
        let response = app
            .post("/privacy/forget")
            .header(ContentType::Form)
            .body(body)
            .dispatch()
            .await;
        assert_eq!(response.status(), Status::Forbidden);
    }
    assert_eq!(
        preferences(&app).await["theme"],
        "dark",
        "a refused forget changed data"
    );

    let response = app
        .post("/privacy/forget")
        .header(ContentType::Form)
        .body(form(&[("csrf_token", &token)]))
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(
        response.headers().get_one("Location"),
        Some("/privacy?forgotten=true")
    );
    drop(response);
    let page = get_text(&app, "/privacy?forgotten=true").await;
    assert!(page.contains("Your data has been erased"), "{page}");
    assert_eq!(
        app.get("/api/v1/session").dispatch().await.status(),
        Status::NotFound
    );
}

#[rocket::async_test]
async fn the_privacy_page_says_which_signal_is_in_force() {
    let app = app().await;
    let plain = get_text(&app, "/privacy").await;
    assert!(plain.contains("Tracking is allowed"), "{plain}");
    assert!(plain.contains("Nothing: you have no session"));

    let gpc = app
        .get("/privacy")
        .header(Header::new("Sec-GPC", "1"))
        .dispatch()
        .await;
    let gpc = gpc.into_string().await.unwrap();
    assert!(gpc.contains("Global Privacy Control") && !gpc.contains("Tracking is allowed"));

    let dnt = app
        .get("/privacy")
        .header(Header::new("DNT", "1"))
        .dispatch()
        .await;
    assert!(dnt
        .into_string()
        .await
        .unwrap()
        .contains("Do Not Track (DNT: 1)"));

    put_preferences(&app, r#"{"tracking":false}"#).await;
    let off = get_text(&app, "/privacy").await;
    assert!(off.contains("you turned it off") && !off.contains("Tracking is allowed"));
    assert!(off.contains("We have kept a session for you since"));
}

async fn send_contact<'c>(b: &Browser<'c>, email: &str) {
    let token = csrf_token(&b.text("/forms/contact").await);
    let sent = b
        .post_form(
            "/forms/contact",
            &[
                ("csrf_token", &token),
                ("action", "submit"),
                ("name", "Ada"),
                ("email", email),
                ("topic", "sales"),
                ("message", "About my order"),
            ],
        )
        .await;
    assert_eq!(sent.status(), Status::SeeOther);
}

async fn order<'c>(b: &Browser<'c>, product: &str) {
    let body = serde_json::json!({"product": product, "quantity": 2});
    let added = b
        .send_json(rocket::http::Method::Post, "/api/v1/cart/items", &body)
        .await;
    assert_eq!(added.status(), Status::Ok);
    drop(added);
    let token = csrf_token(&b.text("/cart").await);
    let placed = b
        .post_form("/cart/checkout", &[("csrf_token", &token)])
        .await;
    assert_eq!(placed.status(), Status::SeeOther);
}

#[rocket::async_test]
async fn the_export_holds_the_account_and_the_orders_and_forms_in_the_database() {
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    // Anonymous first: the session keeps the ids of what it sent.
    send_contact(&b, "anonymous@example.org").await;
    order(&b, "silk-tie").await;
    let export = b.json("/api/v1/session").await;
    assert_eq!(export["account"], serde_json::Value::Null);
    assert_eq!(
        export["submissions"][0]["fields"]["email"],
        "anonymous@example.org"
    );
    assert_eq!(export["submissions"][0]["form"], "contact");
    let first = &export["orders"][0];
    assert_eq!(first["items"][0]["product"], "silk-tie");
    assert_eq!(first["items"][0]["quantity"], 2);
    assert_eq!(first["total_cents"], 2 * 4900);
    assert!(first["id"].is_i64() && first["created_at"].is_string());
    assert_eq!(export["experiments"], serde_json::json!({}));

    // Logged in: the account, its devices, and what it sent from anywhere.
    assert_eq!(
        b.register("exporter", "correct horse battery").await,
        Status::SeeOther
    );
    let phone = Browser::new(&app);
    assert_eq!(
        phone
            .login("exporter", "correct horse battery")
            .await
            .status(),
        Status::SeeOther
    );
    send_contact(&phone, "phone@example.org").await;
    order(&phone, "chinos").await;
    let export = b.json("/api/v1/session").await;
    let account = &export["account"];
    assert_eq!(account["username"], "exporter");
    assert_eq!(
        account["sessions"].as_array().map(Vec::len),
        Some(2),
        "{account}"
    );
    assert!(account["cart"]["items"].is_array() && account["preferences"].is_object());
    assert_eq!(account["experiments"], serde_json::json!({}));
    let emails: Vec<&str> = export["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["fields"]["email"].as_str())
        .collect();
    assert_eq!(
        emails,
        ["phone@example.org", "anonymous@example.org"],
        "newest first"
    );
    let products: Vec<&str> = export["orders"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["items"][0]["product"].as_str())
        .collect();
    assert_eq!(products, ["chinos", "silk-tie"], "newest first");
}

#[rocket::async_test]
async fn forget_me_erases_the_forms_sent_without_an_account_and_orders_stay() {
    let app = untracked_app_with(with_admin).await;
    let b = Browser::new(&app);
    send_contact(&b, "forget-me@example.org").await;
    order(&b, "silk-tie").await;
    let other = Browser::new(&app);
    send_contact(&other, "keep-me@example.org").await;
    // The page says what "forget me" erases, and what stays.
    let page = b.text("/privacy").await;
    assert!(page.contains("It also erases the forms you sent without an account"));
    assert!(page.contains("Orders stay for bookkeeping"));
    let token = csrf_token(&page);
    let forgotten = b
        .post_form("/privacy/forget", &[("csrf_token", &token)])
        .await;
    assert_eq!(forgotten.status(), Status::SeeOther);
    drop(forgotten);
    let report = |path: &'static str| {
        let request = app.get(path).header(operator());
        async move { request.dispatch().await.into_string().await.unwrap() }
    };
    let submissions = report("/admin/submissions").await;
    assert!(
        !submissions.contains("forget-me@example.org"),
        "{submissions}"
    );
    assert!(
        submissions.contains("keep-me@example.org"),
        "another visitor's stays"
    );
    assert!(
        report("/admin/orders").await.contains("Total: 1."),
        "the order stays"
    );
}

#[rocket::async_test]
async fn the_privacy_page_of_a_logged_in_user_links_to_account_deletion() {
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    assert_eq!(
        b.register("reader", "correct horse battery").await,
        Status::SeeOther
    );
    let page = b.text("/privacy").await;
    assert!(page.contains("href=\"/account#delete\""), "{page}");
    assert!(page.contains("stays until you delete it"));
}

#[rocket::async_test]
async fn forget_me_while_logged_in_says_what_went_and_what_the_account_keeps() {
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    assert_eq!(
        b.register("keeper", "correct horse battery").await,
        rocket::http::Status::SeeOther
    );
    let token = csrf_token(&b.text("/privacy").await);
    let forgot = b
        .post_form("/privacy/forget", &[("csrf_token", &token)])
        .await;
    let after = forgot.headers().get_one("Location").unwrap().to_owned();
    drop(forgot);
    let page = b.text(&after).await;
    assert!(
        !page.contains("Nothing is stored about you any more"),
        "{page}"
    );
    assert!(
        page.contains("This browser&#x27;s data has been erased"),
        "{page}"
    );
    assert!(page.contains("Your account still exists"), "{page}");
    assert!(page.contains("href=\"/login?next=/account\""), "{page}");
    // The account is indeed still there.
    let again = Browser::new(&app);
    assert_eq!(
        again
            .login("keeper", "correct horse battery")
            .await
            .status(),
        rocket::http::Status::SeeOther
    );
    // Without a login, the plain message.
    let anonymous = Browser::new(&app);
    let token = csrf_token(&anonymous.text("/preferences").await);
    let forgot = anonymous
        .post_form("/privacy/forget", &[("csrf_token", &token)])
        .await;
    let after = forgot.headers().get_one("Location").unwrap().to_owned();
    drop(forgot);
    assert!(anonymous
        .text(&after)
        .await
        .contains("Nothing is stored about you any more"));
}
