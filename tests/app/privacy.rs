//! Export and erasure: `/privacy`, `GET/DELETE /api/v1/session`, `POST /privacy/forget`.

use rocket::http::{ContentType, Header, Status};

use crate::helpers::*;

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
