//! Preferences through the HTML form and the JSON API, with their bad input.

use rocket::http::{ContentType, Header, Status};
use serde_json::json;

use crate::support::*;

async fn post_form<'c>(
    app: &'c TestApp,
    body: String,
) -> rocket::local::asynchronous::LocalResponse<'c> {
    app.post("/preferences")
        .header(ContentType::Form)
        .body(body)
        .dispatch()
        .await
}

fn full_form<'a>(
    token: &'a str,
    theme: &'a str,
    language: &'a str,
    timezone: &'a str,
    name: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf_token", token),
        ("theme", theme),
        ("language", language),
        ("timezone", timezone),
        ("display_name", name),
        ("tracking", "on"),
    ]
}

#[rocket::async_test]
async fn the_form_saves_every_preference_and_redirects_with_a_flash() {
    let app = app().await;
    let token = session_token(&app).await;
    let response = post_form(
        &app,
        form(&full_form(&token, "dark", "es", "Europe/Madrid", "Lucía")),
    )
    .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(response.headers().get_one("Location"), Some("/preferences"));
    drop(response);

    let html = get_text(&app, "/preferences").await;
    assert!(html.contains(r#"<html lang="es" data-theme="dark">"#));
    assert!(
        html.contains("Tus preferencias se han guardado."),
        "the flash is shown"
    );
    assert!(html.contains(r#"<option value="Europe&#x2F;Madrid" selected>Madrid"#));
    let again = get_text(&app, "/preferences").await;
    assert!(
        !again.contains("Tus preferencias se han guardado."),
        "the flash is shown once"
    );

    let prefs = preferences(&app).await;
    assert_eq!(
        prefs,
        json!({"theme": "dark", "language": "es", "language_source": "chosen",
        "timezone": "Europe/Madrid", "tracking": true, "display_name": "Lucía"})
    );
    let home = get_text(&app, "/").await;
    assert!(home.contains("¡Hola, <bdi>Lucía</bdi>!"));
}

#[rocket::async_test]
async fn an_unchecked_tracking_box_turns_tracking_off_and_empty_language_follows_the_browser() {
    let app = app().await;
    let token = session_token(&app).await;
    let body = form(&[
        ("csrf_token", &token),
        ("theme", "light"),
        ("language", ""),
        ("timezone", "UTC"),
        ("display_name", ""),
    ]);
    assert_eq!(post_form(&app, body).await.status(), Status::SeeOther);
    let prefs = json(
        app.get("/api/v1/preferences")
            .header(accept_language("es"))
            .dispatch()
            .await,
    )
    .await;
    assert_eq!(prefs["tracking"], false);
    assert_eq!(prefs["language"], "es");
    assert_eq!(prefs["language_source"], "negotiated");
    assert_eq!(prefs["display_name"], serde_json::Value::Null);
}

#[rocket::async_test]
async fn invalid_form_values_answer_422_with_input_kept_and_nothing_changed() {
    let app = app().await;
    let token = session_token(&app).await;
    let long_name = "<b>\"n\"</b>".repeat(10);
    let response = post_form(
        &app,
        form(&full_form(
            &token,
            "purple",
            "de",
            "Mars/Olympus",
            &long_name,
        )),
    )
    .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let html = response.into_string().await.unwrap();
    for message in [
        "Choose one of the themes listed.",
        "Choose one of the languages listed.",
        "Choose a time zone from the list.",
        "Use at most 60 characters.",
    ] {
        assert!(html.contains(message), "missing error `{message}`");
    }
    assert!(
        html.contains("&lt;b&gt;&quot;n&quot;&lt;&#x2F;b&gt;"),
        "the name is kept, escaped"
    );
    assert!(!html.contains("<b>\"n\""));
    assert_eq!(preferences(&app).await["theme"], "system");
}

#[rocket::async_test]
async fn a_form_without_or_with_a_wrong_csrf_token_is_403_and_changes_nothing() {
    let app = app().await;
    let token = session_token(&app).await;
    let mut missing = full_form(&token, "dark", "es", "UTC", "X");
    missing.remove(0);
    assert_eq!(
        post_form(&app, form(&missing)).await.status(),
        Status::Forbidden
    );
    let wrong = full_form("forged", "dark", "es", "UTC", "X");
    assert_eq!(
        post_form(&app, form(&wrong)).await.status(),
        Status::Forbidden
    );
    assert_eq!(preferences(&app).await["theme"], "system");

    // A visitor without a session has no token to match: 403, and no session made.
    let stranger = app_with(|f| f).await;
    let response = post_form(&stranger, form(&full_form("", "dark", "es", "UTC", "X"))).await;
    assert_eq!(response.status(), Status::Forbidden);
    assert!(set_cookie(&response, "tailor_sid").is_none());
}

#[rocket::async_test]
async fn an_oversize_form_is_413_and_changes_nothing() {
    let app = app().await;
    let token = session_token(&app).await;
    let huge = "x".repeat(80 * 1024);
    let response = post_form(&app, form(&full_form(&token, "dark", "es", "UTC", &huge))).await;
    assert_eq!(response.status(), Status::PayloadTooLarge);
    assert_eq!(preferences(&app).await["theme"], "system");
}

#[rocket::async_test]
async fn the_api_sets_any_subset_and_returns_all_preferences() {
    let app = app().await;
    let response = put_preferences(&app, r#"{"timezone":"America/New_York"}"#).await;
    assert_eq!(response.status(), Status::Ok);
    let prefs = json(response).await;
    assert_eq!(prefs["timezone"], "America/New_York");
    assert_eq!(prefs["theme"], "system");
    assert_eq!(prefs["tracking"], true);

    let prefs =
        json(put_preferences(&app, r#"{"language":"es","display_name":"  Zoë 👋  "}"#).await).await;
    assert_eq!(prefs["display_name"], "Zoë 👋");
    assert_eq!(
        prefs["timezone"], "America/New_York",
        "other fields are kept"
    );
    let prefs = json(put_preferences(&app, r#"{"language":null,"display_name":null}"#).await).await;
    assert_eq!(prefs["language_source"], "negotiated");
    assert_eq!(prefs["display_name"], serde_json::Value::Null);
}

#[rocket::async_test]
async fn invalid_api_values_are_422_naming_the_field_and_change_nothing() {
    let app = app().await;
    put_preferences(
        &app,
        r#"{"theme":"dark","language":"es","timezone":"Europe/Paris"}"#,
    )
    .await;
    let before = preferences(&app).await;
    let cases = [
        (r#"{"theme":"purple"}"#, "theme"),
        (r#"{"language":"de"}"#, "language"),
        (r#"{"timezone":"Europe/Atlantis"}"#, "timezone"),
        (r#"{"timezone":"europe/paris"}"#, "timezone"),
        (r#"{"theme":42}"#, "theme"),
        (r#"{"tracking":"no"}"#, "tracking"),
        (r#"{"display_name":7}"#, "display_name"),
        (r#"{"theme":"light","colour":"red"}"#, "colour"),
        (r#"["theme","dark"]"#, "body"),
    ];
    for (body, field) in cases {
        let response = put_preferences(&app, body).await;
        assert_eq!(response.status(), Status::UnprocessableEntity, "{body}");
        let error = json(response).await;
        assert_eq!(error["error"]["field"], field, "{body}");
        assert_eq!(error["error"]["code"], "invalid_value");
        assert!(
            error["error"]["message"].as_str().unwrap().contains(field),
            "{body}"
        );
    }
    assert_eq!(preferences(&app).await, before);
}

#[rocket::async_test]
async fn malformed_json_wrong_type_foreign_origin_and_oversize_bodies_change_nothing() {
    let app = app().await;
    put_preferences(&app, r#"{"theme":"dark"}"#).await;
    let before = preferences(&app).await;

    let malformed = put_preferences(&app, r#"{"theme":"#).await;
    assert_eq!(malformed.status(), Status::BadRequest);
    assert_eq!(json(malformed).await["error"]["code"], "malformed_json");

    let wrong_type = app
        .put("/api/v1/preferences")
        .header(ContentType::Plain)
        .body(r#"{"theme":"light"}"#)
        .dispatch()
        .await;
    assert_eq!(wrong_type.status(), Status::UnsupportedMediaType);
    assert_eq!(
        json(wrong_type).await["error"]["code"],
        "unsupported_media_type"
    );
    let no_type = app
        .put("/api/v1/preferences")
        .body(r#"{"theme":"light"}"#)
        .dispatch()
        .await;
    assert_eq!(no_type.status(), Status::UnsupportedMediaType);

    for origin in [
        "https://evil.example",
        "null",
        "http://localhost:8000.evil.example",
    ] {
        let foreign = app
            .put("/api/v1/preferences")
            .header(ContentType::JSON)
            .header(Header::new("Origin", origin))
            .body(r#"{"theme":"light"}"#)
            .dispatch()
            .await;
        assert_eq!(foreign.status(), Status::Forbidden, "{origin}");
    }

    let huge = json!({"display_name": "x".repeat(70 * 1024)}).to_string();
    let oversize = put_preferences(&app, &huge).await;
    assert_eq!(oversize.status(), Status::PayloadTooLarge);
    assert_eq!(json(oversize).await["error"]["code"], "payload_too_large");

    assert_eq!(preferences(&app).await, before);
}

#[rocket::async_test]
async fn a_same_origin_request_is_accepted() {
    let app = app().await;
    let response = app
        .put("/api/v1/preferences")
        .header(ContentType::JSON)
        .header(Header::new("Host", "localhost:8000"))
        .header(Header::new("Origin", "http://localhost:8000"))
        .body(r#"{"theme":"light"}"#)
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::Ok);
}

#[rocket::async_test]
async fn an_empty_put_from_a_new_visitor_creates_no_session() {
    let app = app().await;
    let response = put_preferences(&app, "{}").await;
    assert_eq!(response.status(), Status::Ok);
    assert!(set_cookie(&response, "tailor_sid").is_none());
}

#[rocket::async_test]
async fn with_a_privacy_signal_the_tracking_box_says_what_is_in_force() {
    let app = app().await;
    let with_gpc = app
        .get("/preferences")
        .header(Header::new("Sec-GPC", "1"))
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap();
    assert!(
        with_gpc.contains("Recording is off on this browser"),
        "{with_gpc}"
    );
    assert!(with_gpc.contains("Global Privacy Control"));
    let with_dnt = app
        .get("/preferences")
        .header(Header::new("DNT", "1"))
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap();
    assert!(with_dnt.contains("Do Not Track, which always wins"));
    let plain = get_text(&app, "/preferences").await;
    assert!(!plain.contains("Recording is off on this browser"));
}

#[rocket::async_test]
async fn the_time_zones_are_canonical_grouped_and_labelled_in_the_language() {
    let app = app().await;
    let page = app
        .get("/preferences")
        .header(accept_language("fr"))
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap();
    assert!(page.contains("<optgroup label=\"Europe\">"), "{page}");
    assert!(page.contains("<optgroup label=\"Océan Indien\">"));
    assert!(page.contains("<option value=\"Asia&#x2F;Kolkata\">Kolkata (UTC+05:30)</option>"));
    for alias in ["Asia&#x2F;Calcutta", "US&#x2F;Eastern", "Etc&#x2F;GMT+5"] {
        assert!(!page.contains(&format!("value=\"{alias}\"")), "{alias}");
    }
    let options = page.matches("<option value=").count();
    assert!((400..460).contains(&options), "{options} options");
    // A zone saved under an alias through the API stays selected.
    put_preferences(&app, r#"{"timezone": "Asia/Calcutta"}"#).await;
    let page = get_text(&app, "/preferences").await;
    assert!(
        page.contains("<option value=\"Asia&#x2F;Calcutta\" selected>"),
        "{page}"
    );
}
