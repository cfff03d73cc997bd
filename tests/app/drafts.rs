//! Form drafts: the HTML form with and without JavaScript, the API, versions,
//! limits, expiry, submission, and their bad input.

use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::LocalResponse;
use serde_json::{json, Value};

use crate::support::*;

async fn put_draft<'c>(app: &'c TestApp, form: &str, body: &Value) -> LocalResponse<'c> {
    app.put(format!("/api/v1/drafts/{form}"))
        .header(ContentType::JSON)
        .body(body.to_string())
        .dispatch()
        .await
}

async fn post_form<'c>(app: &'c TestApp, form: &str, pairs: &[(&str, &str)]) -> LocalResponse<'c> {
    app.post(format!("/forms/{form}"))
        .header(ContentType::Form)
        .body(crate::support::form(pairs))
        .dispatch()
        .await
}

async fn drafts(app: &TestApp) -> Value {
    json(app.get("/api/v1/drafts").dispatch().await).await
}

const VALID: [(&str, &str); 4] = [
    ("name", "Ada Lovelace"),
    ("email", "ada@example.org"),
    ("topic", "sales"),
    ("message", "Tell me more"),
];

#[rocket::async_test]
async fn the_contact_form_is_labelled_in_the_visitors_language() {
    let app = app().await;
    let en = get_text(&app, "/forms/contact").await;
    for label in [
        "Your name",
        "Email",
        "Company",
        "Topic",
        "Message",
        "Preferred contact time",
        "monthly newsletter",
        "Save draft",
    ] {
        assert!(en.contains(label), "missing {label}");
    }
    let response = app
        .get("/forms/contact")
        .header(accept_language("es"))
        .dispatch()
        .await;
    let es = response.into_string().await.unwrap();
    assert!(es.contains("Tu nombre") && es.contains("Guardar borrador") && es.contains("Prensa"));
    assert!(es.contains(r#"<script src="/static/drafts.js" defer></script>"#));
}

#[rocket::async_test]
async fn save_without_javascript_then_come_back_to_a_prefilled_form_with_a_notice() {
    let app = app().await;
    let token = session_token(&app).await;
    let pairs = [
        ("csrf_token", token.as_str()),
        ("action", "save"),
        ("version", "0"),
        ("name", "Zoë <b>\"q\"</b>"),
        ("message", "line 1\nline 2 😀"),
    ];
    let response = post_form(&app, "contact", &pairs).await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(
        response.headers().get_one("Location"),
        Some("/forms/contact")
    );
    drop(response);

    let html = get_text(&app, "/forms/contact").await;
    assert!(html.contains("Your draft has been saved."));
    assert!(
        html.contains("Your draft from "),
        "the form says it holds the draft"
    );
    assert!(
        !html.contains(r#"href="/forms/contact#form""#) && !html.contains(">Resume<"),
        "and offers no resuming of the draft it already shows"
    );
    assert!(
        html.contains(r#"value="Zoë &lt;b&gt;&quot;q&quot;&lt;&#x2F;b&gt;""#),
        "the name is pre-filled, escaped"
    );
    assert!(html.contains(">line 1\nline 2 😀</textarea>"));
    assert!(html.contains(r#"name="version" value="1""#));

    let home = get_text(&app, "/").await;
    assert!(
        home.contains("You have a draft of “Request information” from"),
        "the home page has the notice"
    );
    let stored = &drafts(&app).await[0];
    assert_eq!(stored["fields"]["name"], "Zoë <b>\"q\"</b>");
    assert_eq!(stored["fields"]["message"], "line 1\nline 2 😀");
}

#[rocket::async_test]
async fn the_api_round_trips_hostile_text_exactly() {
    let app = app().await;
    let hostile = "<script>alert('x')</script> \"quotes\" & ünïcødé 🎉\r\nnew line";
    let response = put_draft(
        &app,
        "contact",
        &json!({"fields": {"message": hostile, "name": ""}}),
    )
    .await;
    assert_eq!(response.status(), Status::Ok);
    let saved = json(response).await;
    assert_eq!(saved["version"], 1);
    assert_eq!(saved["form"], "contact");
    let got = json(app.get("/api/v1/drafts/contact").dispatch().await).await;
    assert_eq!(got["fields"]["message"], hostile);
    let list = get_text(&app, "/drafts").await;
    assert!(
        !list.contains("<script>alert"),
        "the list escapes the excerpt"
    );
    assert!(list.contains("&lt;script&gt;"));
}

#[rocket::async_test]
async fn a_stale_version_gets_409_with_the_newer_draft() {
    let app = app().await;
    put_draft(&app, "contact", &json!({"fields": {"name": "tab one"}})).await;
    let second = json(
        put_draft(
            &app,
            "contact",
            &json!({"fields": {"name": "tab one, later"}, "version": 1}),
        )
        .await,
    )
    .await;
    assert_eq!(second["version"], 2);

    let stale = put_draft(
        &app,
        "contact",
        &json!({"fields": {"name": "tab two"}, "version": 1}),
    )
    .await;
    assert_eq!(stale.status(), Status::Conflict);
    let body = json(stale).await;
    assert_eq!(body["error"]["code"], "version_conflict");
    assert_eq!(body["draft"]["fields"]["name"], "tab one, later");
    assert_eq!(body["draft"]["version"], 2);
    assert_eq!(
        drafts(&app).await[0]["fields"]["name"],
        "tab one, later",
        "nothing was overwritten"
    );

    // Without a version the save wins.
    let forced =
        json(put_draft(&app, "contact", &json!({"fields": {"name": "tab two"}})).await).await;
    assert_eq!(forced["version"], 3);
}

#[rocket::async_test]
async fn a_stale_save_button_shows_the_conflict_and_keeps_the_input() {
    let app = app().await;
    let token = session_token(&app).await;
    put_draft(&app, "contact", &json!({"fields": {"name": "other tab"}})).await;
    let response = post_form(
        &app,
        "contact",
        &[
            ("csrf_token", &token),
            ("action", "save"),
            ("version", "0"),
            ("name", "this tab"),
        ],
    )
    .await;
    assert_eq!(response.status(), Status::Conflict);
    let html = response.into_string().await.unwrap();
    assert!(html.contains("This draft was changed in another tab or window"));
    assert!(
        html.contains(r#"value="this tab""#),
        "this tab's input is kept"
    );
    assert!(
        html.contains(r#"name="version" value="1""#),
        "saving again overwrites the newer draft"
    );
    assert_eq!(drafts(&app).await[0]["fields"]["name"], "other tab");
}

#[rocket::async_test]
async fn a_failed_submit_is_422_with_every_error_and_the_input_kept_as_a_draft() {
    let app = app().await;
    let token = session_token(&app).await;
    let long = "x".repeat(101);
    let pairs = [
        ("csrf_token", token.as_str()),
        ("action", "submit"),
        ("name", long.as_str()),
        ("email", "not-an-email"),
        ("topic", "bribes"),
        ("message", "kept"),
    ];
    let response = post_form(&app, "contact", &pairs).await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let html = response.into_string().await.unwrap();
    for message in [
        "Use at most 100 characters.",
        "Enter an email address like name@example.com.",
        "Choose one of the options listed.",
    ] {
        assert!(html.contains(message), "missing `{message}`");
    }
    assert!(html.contains(r#"value="not-an-email""#) && html.contains(">kept</textarea>"));
    assert_eq!(
        drafts(&app).await[0]["fields"]["email"],
        "not-an-email",
        "the input is saved as the draft"
    );

    let missing = post_form(
        &app,
        "contact",
        &[("csrf_token", &token), ("action", "submit")],
    )
    .await;
    assert_eq!(missing.status(), Status::UnprocessableEntity);
    assert_eq!(
        missing
            .into_string()
            .await
            .unwrap()
            .matches("This field is required.")
            .count(),
        4
    );
    assert_eq!(
        drafts(&app).await.as_array().unwrap().len(),
        1,
        "a failed submit never deletes the draft"
    );
}

#[rocket::async_test]
async fn a_valid_submit_redirects_to_thanks_removes_the_draft_and_is_kept_for_operators() {
    let app = app_with(|f| {
        f.merge(("admin.user", "ops"))
            .merge(("admin.password", "s3cret"))
    })
    .await;
    let token = session_token(&app).await;
    put_draft(&app, "contact", &json!({"fields": {"name": "draft"}})).await;
    let mut pairs = vec![
        ("csrf_token", token.as_str()),
        ("action", "submit"),
        ("newsletter", "on"),
    ];
    pairs.extend(VALID);
    let response = post_form(&app, "contact", &pairs).await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(
        response.headers().get_one("Location"),
        Some("/forms/contact/thanks")
    );
    drop(response);
    assert_eq!(drafts(&app).await, json!([]));
    assert!(get_text(&app, "/forms/contact/thanks")
        .await
        .contains("Thank you!"));

    let denied = app.get("/admin/submissions").dispatch().await;
    assert_eq!(denied.status(), Status::Unauthorized);
    assert!(denied
        .headers()
        .get_one("WWW-Authenticate")
        .is_some_and(|h| h.starts_with("Basic")));
    assert!(!denied.into_string().await.unwrap().contains("Ada Lovelace"));
    let basic =
        |creds: &str| Header::new("Authorization", format!("Basic {}", base64_encode(creds)));
    let wrong = app
        .get("/admin/submissions")
        .header(basic("ops:wrong"))
        .dispatch()
        .await;
    assert_eq!(wrong.status(), Status::Unauthorized);
    let report = app
        .get("/admin/submissions")
        .header(basic("ops:s3cret"))
        .dispatch()
        .await;
    assert_eq!(report.status(), Status::Ok);
    let html = report.into_string().await.unwrap();
    assert!(html.contains("Ada Lovelace") && html.contains("ada@example.org"));
}

fn base64_encode(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

#[rocket::async_test]
async fn without_admin_credentials_the_operator_page_does_not_exist() {
    let app = app().await;
    assert_eq!(
        app.get("/admin/submissions").dispatch().await.status(),
        Status::NotFound
    );
}

#[rocket::async_test]
async fn drafts_list_shows_age_and_first_words_with_resume_and_discard() {
    let app = app().await;
    let token = session_token(&app).await;
    put_draft(&app, "contact", &json!({"fields": {"message": "I would like to know more about your enterprise plans and pricing today"}})).await;
    put_draft(&app, "feedback", &json!({"fields": {"comments": "Great"}})).await;
    let html = get_text(&app, "/drafts").await;
    assert!(html.contains("Saved just now"));
    assert!(html.contains("I would like to know more about your enterprise plans and pricing…"));
    assert!(html.contains(r#"href="/forms/feedback#form""#));

    let response = app
        .post("/drafts/contact/discard")
        .header(ContentType::Form)
        .body(crate::support::form(&[("csrf_token", &token)]))
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(response.headers().get_one("Location"), Some("/drafts"));
    drop(response);
    let left = drafts(&app).await;
    assert_eq!(left.as_array().unwrap().len(), 1);
    assert_eq!(left[0]["form"], "feedback");
}

#[rocket::async_test]
async fn discard_without_a_csrf_token_is_403_and_keeps_the_draft() {
    let app = app().await;
    session_token(&app).await;
    put_draft(&app, "contact", &json!({"fields": {"name": "keep me"}})).await;
    let response = app
        .post("/drafts/contact/discard")
        .header(ContentType::Form)
        .body("")
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::Forbidden);
    let save = post_form(&app, "contact", &[("action", "save"), ("name", "no token")]).await;
    assert_eq!(save.status(), Status::Forbidden);
    assert_eq!(drafts(&app).await[0]["fields"]["name"], "keep me");
}

#[rocket::async_test]
async fn the_feedback_form_needs_only_its_declaration_and_template() {
    let app = app().await;
    let token = session_token(&app).await;
    let html = get_text(&app, "/forms/feedback").await;
    assert!(html.contains("Your rating") && html.contains("5 — excellent"));
    let response = post_form(
        &app,
        "feedback",
        &[
            ("csrf_token", &token),
            ("action", "submit"),
            ("rating", "4"),
            ("comments", "Nice"),
        ],
    )
    .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(
        response.headers().get_one("Location"),
        Some("/forms/feedback/thanks")
    );
}

#[rocket::async_test]
async fn unknown_and_hostile_form_ids_are_404() {
    let app = app().await;
    let long = "a".repeat(1024);
    for id in [
        "nope",
        "..",
        "%2e%2e",
        "..%2Fcontact",
        "contact%2F..",
        "%2Fetc%2Fpasswd",
        long.as_str(),
    ] {
        let api = app.get(format!("/api/v1/drafts/{id}")).dispatch().await;
        assert_eq!(api.status(), Status::NotFound, "GET api {id:.20}");
        let put = put_draft(&app, id, &json!({"fields": {}})).await;
        assert_eq!(put.status(), Status::NotFound, "PUT api {id:.20}");
        let page = app.get(format!("/forms/{id}")).dispatch().await;
        assert_eq!(page.status(), Status::NotFound, "page {id:.20}");
    }
    assert_eq!(drafts(&app).await, json!([]));
}

#[rocket::async_test]
async fn bad_draft_bodies_are_422_naming_the_field_and_change_nothing() {
    let app = app().await;
    put_draft(&app, "contact", &json!({"fields": {"name": "original"}})).await;
    let cases = [
        (json!({"fields": {"shoe_size": "44"}}), "shoe_size"),
        (json!({"fields": {"name": 42}}), "name"),
        (json!({"fields": {"name": null}}), "name"),
        (json!({"fields": {"name": ["a"]}}), "name"),
        (json!({"fields": "name=x"}), "fields"),
        (json!({"version": 1}), "fields"),
        (json!({"fields": {}, "version": -1}), "version"),
        (json!({"fields": {}, "version": "1"}), "version"),
        (json!({"fields": {}, "extra": true}), "extra"),
        (json!(["fields"]), "body"),
    ];
    for (body, field) in cases {
        let response = put_draft(&app, "contact", &body).await;
        assert_eq!(response.status(), Status::UnprocessableEntity, "{body}");
        assert_eq!(json(response).await["error"]["field"], field, "{body}");
    }
    let wrong_type = app
        .put("/api/v1/drafts/contact")
        .header(ContentType::Plain)
        .body("{}")
        .dispatch()
        .await;
    assert_eq!(wrong_type.status(), Status::UnsupportedMediaType);
    let malformed = app
        .put("/api/v1/drafts/contact")
        .header(ContentType::JSON)
        .body("{")
        .dispatch()
        .await;
    assert_eq!(malformed.status(), Status::BadRequest);
    let foreign = app
        .put("/api/v1/drafts/contact")
        .header(ContentType::JSON)
        .header(Header::new("Origin", "https://evil.example"))
        .body(json!({"fields": {"name": "evil"}}).to_string())
        .dispatch()
        .await;
    assert_eq!(foreign.status(), Status::Forbidden);
    assert_eq!(drafts(&app).await[0]["fields"]["name"], "original");
    assert_eq!(drafts(&app).await[0]["version"], 1);
}

#[rocket::async_test]
async fn a_draft_over_16_kib_is_413_and_the_previous_draft_is_unchanged() {
    let app = app().await;
    put_draft(&app, "contact", &json!({"fields": {"message": "small"}})).await;
    let big = "x".repeat(17 * 1024);
    let response = put_draft(&app, "contact", &json!({"fields": {"message": big}})).await;
    assert_eq!(response.status(), Status::PayloadTooLarge);
    assert_eq!(json(response).await["error"]["code"], "draft_too_large");
    assert_eq!(drafts(&app).await[0]["fields"]["message"], "small");

    let token = session_token(&app).await;
    let html_save = post_form(
        &app,
        "contact",
        &[
            ("csrf_token", &token),
            ("action", "save"),
            ("message", &big),
        ],
    )
    .await;
    assert_eq!(html_save.status(), Status::PayloadTooLarge);
    assert_eq!(drafts(&app).await[0]["fields"]["message"], "small");
}

#[rocket::async_test]
async fn more_drafts_than_the_limit_is_422() {
    let app = app_with(|f| f.merge(("drafts.max_per_session", 1))).await;
    assert_eq!(
        put_draft(&app, "contact", &json!({"fields": {"name": "a"}}))
            .await
            .status(),
        Status::Ok
    );
    let second = put_draft(&app, "feedback", &json!({"fields": {"comments": "b"}})).await;
    assert_eq!(second.status(), Status::UnprocessableEntity);
    assert_eq!(json(second).await["error"]["code"], "too_many_drafts");
    assert_eq!(
        put_draft(&app, "contact", &json!({"fields": {"name": "c"}}))
            .await
            .status(),
        Status::Ok,
        "updating an existing draft is fine"
    );
    assert_eq!(drafts(&app).await.as_array().unwrap().len(), 1);
}

#[rocket::async_test]
async fn delete_removes_a_draft_and_unknown_drafts_are_404() {
    let app = app().await;
    assert_eq!(
        app.delete("/api/v1/drafts/contact")
            .dispatch()
            .await
            .status(),
        Status::NotFound
    );
    assert_eq!(
        app.get("/api/v1/drafts/contact").dispatch().await.status(),
        Status::NotFound
    );
    put_draft(&app, "contact", &json!({"fields": {"name": "a"}})).await;
    assert_eq!(
        app.delete("/api/v1/drafts/contact")
            .dispatch()
            .await
            .status(),
        Status::NoContent
    );
    assert_eq!(
        app.get("/api/v1/drafts/contact").dispatch().await.status(),
        Status::NotFound
    );
}

#[rocket::async_test]
async fn the_export_includes_drafts() {
    let app = app().await;
    put_draft(&app, "contact", &json!({"fields": {"name": "exported"}})).await;
    let export = json(app.get("/api/v1/session").dispatch().await).await;
    assert_eq!(export["drafts"]["contact"]["fields"]["name"], "exported");
}

#[rocket::async_test]
async fn an_expired_draft_is_dropped_and_the_visitor_is_told() {
    let app = app_with(|f| f.merge(("drafts.max_age_secs", 1))).await;
    put_draft(&app, "contact", &json!({"fields": {"name": "old"}})).await;
    rocket::tokio::time::sleep(std::time::Duration::from_millis(1300)).await;
    assert_eq!(
        drafts(&app).await,
        json!([]),
        "the API never shows an expired draft"
    );
    let html = get_text(&app, "/forms/contact").await;
    assert!(
        html.contains("has expired and was removed"),
        "the visitor is told"
    );
    assert!(!html.contains(r#"value="old""#));
    let export = json(app.get("/api/v1/session").dispatch().await).await;
    assert_eq!(export["drafts"], json!({}), "it is gone from the record");
}

#[rocket::async_test]
async fn a_draft_about_to_expire_says_so() {
    // Drafts live 4 s here: the warning comes in the last 2 s (the last day, or
    // the last half of a life shorter than two days).
    let app = app_with(|f| f.merge(("drafts.max_age_secs", 4))).await;
    put_draft(&app, "contact", &json!({"fields": {"name": "soon gone"}})).await;
    let fresh = get_text(&app, "/drafts").await;
    assert!(fresh.contains("soon gone") || fresh.contains("Request information"));
    assert!(!fresh.contains("It will be deleted on"), "not yet: {fresh}");
    rocket::tokio::time::sleep(std::time::Duration::from_millis(2300)).await;
    let list = get_text(&app, "/drafts").await;
    assert!(list.contains("It will be deleted on"), "the list warns");
    let form = get_text(&app, "/forms/contact").await;
    assert!(form.contains("It will be deleted on"), "the form warns");
    let home = get_text(&app, "/").await;
    assert!(
        home.contains("It will be deleted on"),
        "the home page warns"
    );
}

/// Posts `pairs` to `path` from a page of this site (`Sec-Fetch-Site`), with the
/// page's `Referer`.
async fn post_from_site<'c>(
    b: &Browser<'c>,
    app: &'c TestApp,
    path: &str,
    referer: &str,
    pairs: &[(&str, &str)],
) -> LocalResponse<'c> {
    let request = app
        .post(path.to_owned())
        .header(ContentType::Form)
        .header(Header::new("Sec-Fetch-Site", "same-origin"))
        .header(Header::new("Host", "localhost"))
        .header(Header::new("Referer", format!("http://localhost{referer}")))
        .body(form(pairs));
    b.send(request).await
}

#[rocket::async_test]
async fn a_form_opened_before_a_login_in_another_tab_keeps_what_was_typed() {
    // Arrange: the form is open in one tab; the visitor logs in in another.
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    let old = csrf_token(&b.text("/forms/contact").await);
    assert_eq!(
        b.register("two-tabs", "correct horse battery").await,
        Status::SeeOther
    );
    b.text("/").await;

    // Act: the first tab sends its form.
    let sent = post_from_site(
        &b,
        &app,
        "/forms/contact",
        "/forms/contact",
        &[
            ("csrf_token", &old),
            ("action", "submit"),
            ("name", "Ada"),
            ("email", "ada@example.org"),
            ("topic", "sales"),
            ("message", "Typed before the login"),
        ],
    )
    .await;

    // Assert: back to the form (a GET: a reload sends nothing again), which says
    // what happened and holds the text; nothing was submitted.
    assert_eq!(sent.status(), Status::SeeOther);
    assert_eq!(sent.headers().get_one("Location"), Some("/forms/contact"));
    drop(sent);
    let page = b.text("/forms/contact").await;
    assert!(page.contains("was not sent"), "{page}");
    assert!(page.contains("Typed before the login"), "{page}");
    let export = b.json("/api/v1/session").await;
    assert_eq!(export["submissions"], json!([]), "nothing was sent");
    // The form sends with its fresh token.
    let token = csrf_token(&page);
    let again = b
        .post_form(
            "/forms/contact",
            &[
                ("csrf_token", &token),
                ("action", "submit"),
                ("name", "Ada"),
                ("email", "ada@example.org"),
                ("topic", "sales"),
                ("message", "Typed before the login"),
            ],
        )
        .await;
    assert_eq!(again.status(), Status::SeeOther);
}

#[rocket::async_test]
async fn a_stale_form_of_another_page_goes_back_there_and_changes_nothing() {
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    let old = csrf_token(&b.text("/preferences").await);
    assert_eq!(
        b.register("prefs-tab", "correct horse battery").await,
        Status::SeeOther
    );
    b.text("/").await;
    let sent = post_from_site(
        &b,
        &app,
        "/preferences",
        "/preferences",
        &[("csrf_token", &old), ("theme", "dark"), ("timezone", "UTC")],
    )
    .await;
    assert_eq!(sent.status(), Status::SeeOther);
    assert_eq!(sent.headers().get_one("Location"), Some("/preferences"));
    drop(sent);
    assert!(b.text("/preferences").await.contains("nothing was sent"));
    assert_eq!(b.json("/api/v1/preferences").await["theme"], "system");
}

#[rocket::async_test]
async fn a_form_from_another_site_is_still_a_bare_refusal_and_keeps_nothing() {
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    let old = csrf_token(&b.text("/forms/contact").await);
    let request = app
        .post("/forms/contact")
        .header(ContentType::Form)
        .header(Header::new("Sec-Fetch-Site", "cross-site"))
        .header(Header::new("Origin", "https://evil.example"))
        .body(form(&[
            ("csrf_token", &format!("{old}x")),
            ("action", "save"),
            ("message", "planted"),
        ]));
    assert_eq!(b.send(request).await.status(), Status::Forbidden);
    assert_eq!(b.json("/api/v1/drafts").await, json!([]));
}

/// The contact form's fields, valid, with `message`.
fn contact_fields<'a>(
    token: &'a str,
    version: &'a str,
    message: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf_token", token),
        ("action", "submit"),
        ("version", version),
        ("name", "Ada"),
        ("email", "ada@example.org"),
        ("topic", "sales"),
        ("message", message),
    ]
}

#[rocket::async_test]
async fn two_tabs_on_one_draft_send_it_once() {
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    b.send_json(
        rocket::http::Method::Put,
        "/api/v1/drafts/contact",
        &json!({"fields": {"message": "Shared draft"}}),
    )
    .await;
    // Both tabs open the form on version 1 of the draft.
    let page = b.text("/forms/contact").await;
    let token = csrf_token(&page);
    assert!(page.contains("name=\"version\" value=\"1\""), "{page}");
    let first = b
        .post_form(
            "/forms/contact",
            &contact_fields(&token, "1", "Shared draft"),
        )
        .await;
    assert_eq!(first.status(), Status::SeeOther);
    drop(first);
    let second = b
        .post_form(
            "/forms/contact",
            &contact_fields(&token, "1", "Shared draft, edited"),
        )
        .await;
    assert_eq!(second.status(), Status::SeeOther);
    assert_eq!(
        second.headers().get_one("Location"),
        Some("/forms/contact/thanks")
    );
    drop(second);
    let thanks = b.text("/forms/contact/thanks").await;
    assert!(
        thanks.contains("already been sent from another tab"),
        "{thanks}"
    );
    let export = b.json("/api/v1/session").await;
    assert_eq!(
        export["submissions"].as_array().unwrap().len(),
        1,
        "one submission"
    );
    // What the second tab typed is kept as a draft, numbered after the one sent.
    let draft = b.json("/api/v1/drafts/contact").await;
    assert_eq!(draft["fields"]["message"], "Shared draft, edited");
    assert_eq!(draft["version"], 2);
}

#[rocket::async_test]
async fn a_post_sent_twice_makes_one_submission_and_a_new_one_goes_through() {
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    let token = csrf_token(&b.text("/forms/contact").await);
    for _ in 0..2 {
        let sent = b
            .post_form("/forms/contact", &contact_fields(&token, "0", "Once"))
            .await;
        assert_eq!(sent.status(), Status::SeeOther);
    }
    assert!(b.text("/forms/contact/thanks").await.contains("sent once"));
    let other = b
        .post_form(
            "/forms/contact",
            &contact_fields(&token, "0", "Something else"),
        )
        .await;
    assert_eq!(other.status(), Status::SeeOther);
    drop(other);
    let export = b.json("/api/v1/session").await;
    assert_eq!(export["submissions"].as_array().unwrap().len(), 2);
}

#[rocket::async_test]
async fn simultaneous_posts_of_one_form_make_one_submission() {
    let app = std::sync::Arc::new(untracked_app_with(|f| f).await);
    let b = Browser::new(&app);
    let token = csrf_token(&b.text("/forms/contact").await);
    let cookie = b.cookie().unwrap();
    let posts: Vec<_> = (0..8)
        .map(|_| {
            let (app, token, cookie) = (app.clone(), token.clone(), cookie.clone());
            rocket::tokio::spawn(async move {
                app.post("/forms/contact")
                    .header(ContentType::Form)
                    .cookie(rocket::http::Cookie::new("tailor_sid", cookie))
                    .body(form(&contact_fields(&token, "0", "Racing")))
                    .dispatch()
                    .await
                    .status()
            })
        })
        .collect();
    for post in posts {
        assert_eq!(post.await.unwrap(), Status::SeeOther);
    }
    let export = b.json("/api/v1/session").await;
    assert_eq!(export["submissions"].as_array().unwrap().len(), 1);
}

#[rocket::async_test]
async fn an_empty_form_sent_or_saved_makes_no_draft() {
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    let token = csrf_token(&b.text("/forms/feedback").await);
    for action in ["submit", "save"] {
        let sent = b
            .post_form(
                "/forms/feedback",
                &[
                    ("csrf_token", &token),
                    ("action", action),
                    ("rating", ""),
                    ("comments", "   "),
                    ("email", ""),
                ],
            )
            .await;
        assert_eq!(sent.status(), Status::UnprocessableEntity, "{action}");
        drop(sent);
    }
    assert_eq!(b.json("/api/v1/drafts").await, json!([]), "no empty draft");
}
