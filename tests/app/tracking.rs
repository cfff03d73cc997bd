//! Visit history and campaign tracking: what is recorded, what never is, the
//! history page and API, consent modes, banners and the operators' report.

use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::{Client, LocalResponse};
use serde_json::{json, Value};

use crate::support::*;

fn with_admin(f: rocket::figment::Figment) -> rocket::figment::Figment {
    f.merge(("admin.user", "ops"))
        .merge(("admin.password", "s3cret"))
}

fn basic(creds: &str) -> Header<'static> {
    use base64::Engine;
    Header::new(
        "Authorization",
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(creds)
        ),
    )
}

async fn history(app: &TestApp) -> Value {
    json(app.get("/api/v1/history").dispatch().await).await
}

fn paths(history: &Value) -> Vec<String> {
    history["visits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["path"].as_str().unwrap().to_owned())
        .collect()
}

#[rocket::async_test]
async fn successful_page_views_are_visits_and_nothing_else_is() {
    // Arrange: a visitor.
    let app = app().await;
    // Act: pages, files, JSON, operations routes and misses, then a referred view.
    for path in [
        "/",
        "/preferences",
        "/drafts",
        "/static/tailor.css",
        "/api/v1/preferences",
        "/healthz",
        "/metrics",
        "/no-such-page",
        "/forms/nope",
        "/privacy",
    ] {
        app.get(path).dispatch().await;
    }
    app.get("/history")
        .header(Header::new(
            "Referer",
            "https://News.Example.com/article?id=7",
        ))
        .dispatch()
        .await;
    // Assert: only the pages that answered are visits, newest first.
    let h = history(&app).await;
    assert_eq!(
        paths(&h),
        ["/history", "/drafts", "/preferences", "/"],
        "newest first"
    );
    assert_eq!(h["visits"][0]["referrer"], "https://news.example.com");
    assert!(h["visits"][0]["at"].as_str().unwrap().ends_with('Z'));
    // A POST is not a visit.
    let token = session_token(&app).await;
    let body = form(&[
        ("csrf_token", &token),
        ("theme", "dark"),
        ("language", ""),
        ("timezone", "UTC"),
        ("display_name", ""),
    ]);
    app.post("/preferences")
        .header(ContentType::Form)
        .body(body)
        .dispatch()
        .await;
    assert_eq!(
        paths(&history(&app).await).len(),
        5,
        "only the GET of /preferences was added"
    );
}

#[rocket::async_test]
async fn a_hundred_and_thirty_page_views_leave_the_newest_hundred() {
    let app = app().await;
    for i in 0..130 {
        let path = if i % 2 == 0 { "/" } else { "/drafts" };
        let response = app.get(path).dispatch().await;
        assert_eq!(response.status(), Status::Ok);
    }
    let h = history(&app).await;
    assert_eq!(h["visits"].as_array().unwrap().len(), 100);
    assert_eq!(paths(&h)[0], "/drafts", "the newest is kept");
}

#[rocket::async_test]
async fn the_history_size_is_configurable() {
    let app = app_with(|f| f.merge(("tracking.history_size", 3))).await;
    for _ in 0..5 {
        app.get("/").dispatch().await;
    }
    assert_eq!(history(&app).await["visits"].as_array().unwrap().len(), 3);
}

#[rocket::async_test]
async fn gpc_dnt_and_a_refusing_preference_record_nothing_and_make_no_session() {
    // Arrange, act and assert: a first visit with GPC or DNT gets no session.
    let app = app().await;
    for header in [Header::new("Sec-GPC", "1"), Header::new("DNT", "1")] {
        let response = app
            .get("/?utm_source=news&utm_campaign=spring-sale")
            .header(header.clone())
            .dispatch()
            .await;
        assert_eq!(response.status(), Status::Ok);
        assert!(set_cookie(&response, "tailor_sid").is_none(), "{header}");
    }
    assert!(app.cookies().get_private("tailor_sid").is_none());

    // Arrange: an existing visitor who turned tracking off.
    // An existing visitor who turned tracking off.
    put_preferences(&app, r#"{"tracking":false}"#).await;
    app.get("/?utm_source=news&utm_campaign=spring-sale")
        .dispatch()
        .await;
    app.get("/drafts").dispatch().await;
    // Assert: nothing recorded.
    let h = history(&app).await;
    assert_eq!(h["visits"], json!([]));
    assert_eq!(h["campaigns"]["first_touch"], Value::Null);
    let html = get_text(&app, "/history").await;
    assert!(html.contains("Tracking is off for you"));

    // Arrange, act and assert: a visitor with tracking on whose browser sends GPC on one request.
    // And a visitor with tracking on whose browser sends GPC on one request.
    let other = app_with(|f| f).await;
    other.get("/").dispatch().await;
    other
        .get("/drafts?utm_source=x")
        .header(Header::new("Sec-GPC", "1"))
        .dispatch()
        .await;
    let h = history(&other).await;
    assert_eq!(paths(&h), ["/"]);
    assert_eq!(h["campaigns"]["last_touch"], Value::Null);
}

#[rocket::async_test]
async fn campaign_touches_keep_the_first_replace_the_last_and_bound_the_recent() {
    // Arrange: at most two recent touches kept.
    let app = app_with(|f| f.merge(("tracking.touches_kept", 2))).await;
    // Act: three campaign landings and a plain view.
    app.get("/?utm_source=news&utm_medium=email&utm_campaign=spring-sale&utm_term=shirts&utm_content=top&utm_id=42")
        .header(Header::new("Referer", "https://mail.example.org/inbox"))
        .dispatch()
        .await;
    app.get("/drafts").dispatch().await;
    app.get("/preferences?utm_source=ads&utm_campaign=summer")
        .dispatch()
        .await;
    app.get("/?utm_source=social&utm_campaign=autumn")
        .dispatch()
        .await;
    // Assert:
    let c = &history(&app).await["campaigns"];
    assert_eq!(c["first_touch"]["source"], "news");
    assert_eq!(c["first_touch"]["medium"], "email");
    assert_eq!(c["first_touch"]["term"], "shirts");
    assert_eq!(c["first_touch"]["content"], "top");
    assert_eq!(c["first_touch"]["id"], "42");
    assert_eq!(c["first_touch"]["landing_path"], "/");
    assert_eq!(c["first_touch"]["referrer"], "https://mail.example.org");
    assert_eq!(c["last_touch"]["campaign"], "autumn");
    let recent: Vec<&str> = c["touches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["campaign"].as_str().unwrap())
        .collect();
    assert_eq!(recent, ["summer", "autumn"]);
}

#[rocket::async_test]
async fn utm_values_are_capped_trimmed_and_odd_parameters_behave() {
    let app = app().await;
    let long = "A".repeat(10 * 1024);
    app.get(format!("/?utm_source=%20%20&utm_source=%20first%20&utm_source=second&utm_campaign={long}&utm_medium=")).dispatch().await;
    let touch = &history(&app).await["campaigns"]["last_touch"];
    assert_eq!(touch["source"], "first", "trimmed, first non-empty value");
    assert_eq!(touch["campaign"].as_str().unwrap().len(), 100, "capped");
    assert_eq!(touch["medium"], Value::Null, "empty is absent");

    // Only empty UTM parameters: no touch at all.
    let other = app_with(|f| f).await;
    other.get("/?utm_source=&utm_campaign=%20").dispatch().await;
    assert_eq!(
        history(&other).await["campaigns"]["first_touch"],
        Value::Null
    );
}

#[rocket::async_test]
async fn hostile_utm_values_referrers_and_paths_are_escaped_everywhere() {
    // Arrange:
    let app = app_with(with_admin).await;
    let evil = "%3Cscript%3Ealert(%22x%22)%3C%2Fscript%3E";
    // Act: land with hostile campaign values and referrer.
    app.get(format!(
        "/?utm_source={evil}&utm_campaign=%3Dcmd%7C'%20%2FC%20calc'!A0&utm_medium=%2B1"
    ))
    .header(Header::new("Referer", "https://evil.example/<script>"))
    .dispatch()
    .await;
    // Assert: escaped on the history page, the report and the CSV.
    let page = get_text(&app, "/history").await;
    assert!(!page.contains("<script>alert"));
    let report = app
        .get("/admin/campaigns")
        .header(basic("ops:s3cret"))
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap();
    assert!(
        !report.contains("<script>alert"),
        "the report escapes values"
    );
    assert!(report.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;&#x2F;script&gt;"));

    let csv = app
        .get("/admin/campaigns.csv")
        .header(basic("ops:s3cret"))
        .dispatch()
        .await;
    assert_eq!(csv.status(), Status::Ok);
    assert!(csv
        .headers()
        .get_one("Content-Type")
        .unwrap()
        .starts_with("text/csv"));
    assert!(csv
        .headers()
        .get_one("Content-Disposition")
        .unwrap()
        .contains("attachment"));
    let csv = csv.into_string().await.unwrap();
    assert!(
        csv.contains("\"'=cmd|' /C calc'!A0\""),
        "formula neutralised: {csv}"
    );
    assert!(csv.contains("\"'+1\""), "{csv}");
    for line in csv.lines() {
        for cell in line.split(',') {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "{line}");
        }
    }
}

#[rocket::async_test]
async fn the_history_page_groups_by_day_with_a_chart_and_clears() {
    // Arrange: a Spanish visitor in Madrid.
    let app = app().await;
    put_preferences(&app, r#"{"timezone":"Europe/Madrid","language":"es"}"#).await;
    // Act: four views.
    for path in ["/", "/drafts", "/drafts", "/"] {
        app.get(path).dispatch().await;
    }
    // Assert: grouped by day, charted, in Spanish.
    let html = get_text(&app, "/history").await;
    assert!(html.contains(r#"<h2 class="day">Hoy</h2>"#));
    assert!(html.contains("<svg class=\"chart\" role=\"img\""));
    assert!(html.contains("Páginas más visitadas"));
    assert!(html.contains(r#"href="/preferences#tracking""#));

    // Act and assert: clearing needs the token, then empties the history.
    let token = csrf_token(&html);
    let refused = app
        .post("/history/clear")
        .header(ContentType::Form)
        .body("")
        .dispatch()
        .await;
    assert_eq!(refused.status(), Status::Forbidden);
    let response = app
        .post("/history/clear")
        .header(ContentType::Form)
        .body(form(&[("csrf_token", &token)]))
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    drop(response);
    assert_eq!(history(&app).await["visits"], json!([]));
    assert!(get_text(&app, "/history")
        .await
        .contains("Tu historial se ha borrado."));
}

#[rocket::async_test]
async fn the_history_api_deletes_and_checks_the_origin() {
    let app = app().await;
    app.get("/?utm_source=news").dispatch().await;
    let foreign = app
        .delete("/api/v1/history")
        .header(Header::new("Origin", "https://evil.example"))
        .dispatch()
        .await;
    assert_eq!(foreign.status(), Status::Forbidden);
    assert_eq!(paths(&history(&app).await), ["/"]);
    assert_eq!(
        app.delete("/api/v1/history").dispatch().await.status(),
        Status::NoContent
    );
    let h = history(&app).await;
    assert_eq!(h["visits"], json!([]));
    assert_eq!(h["campaigns"]["first_touch"], Value::Null);
}

#[rocket::async_test]
async fn a_matching_last_touch_shows_the_campaign_banner_in_the_visitors_language() {
    // Arrange:
    let app = app().await;
    // Act and assert:
    // The landing page itself shows the banner (it used to show one page late).
    let landing = get_text(&app, "/?utm_campaign=Spring-Sale").await;
    assert!(landing.contains("The spring collection is in: new shirts, cut to your measure."));
    let en = get_text(&app, "/").await;
    assert!(en.contains("The spring collection is in: new shirts, cut to your measure."));
    let es = app
        .get("/")
        .header(accept_language("es"))
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap();
    assert!(es.contains("Ya llegó la colección de primavera"));
    // The newsletter banner needs its source too.
    app.get("/?utm_campaign=newsletter&utm_source=ads")
        .dispatch()
        .await;
    assert!(!get_text(&app, "/")
        .await
        .contains("A question about what you read?"));
    // A returning visitor landing from a new campaign sees that campaign's banner
    // on the landing page, not the previous one's.
    let landing = get_text(&app, "/?utm_campaign=newsletter&utm_source=newsletter").await;
    assert!(
        landing.contains("A question about what you read?"),
        "{landing}"
    );
    assert!(!landing.contains("The spring collection is in"));
    assert!(get_text(&app, "/")
        .await
        .contains("A question about what you read?"));
}

#[rocket::async_test]
async fn the_home_page_lists_recently_viewed_pages() {
    let app = app().await;
    app.get("/drafts").dispatch().await;
    app.get("/preferences").dispatch().await;
    let html = get_text(&app, "/").await;
    assert!(html.contains("Recently viewed"));
    let expected = r#"<li><a href="&#x2F;preferences">Preferences</a></li><li><a href="&#x2F;drafts">Drafts</a></li>"#;
    assert!(html.contains(expected), "{html}");
}

#[rocket::async_test]
async fn opt_in_records_nothing_until_consent_and_carries_the_landing_touch() {
    // Arrange: opt-in mode.
    let app = app_with(|f| f.merge(("tracking.consent", "opt-in"))).await;
    // Act: land from a campaign.
    let landing = app
        .get("/drafts?utm_source=news&utm_campaign=spring-sale")
        .header(Header::new("Referer", "https://mail.example.org/x"))
        .dispatch()
        .await;
    // Assert: asked, with the landing carried in the form; nothing stored.
    let html = landing.into_string().await.unwrap();
    assert!(html.contains("May we remember your visit?"));
    assert!(html.contains(r#"name="utm_campaign" value="spring-sale""#));
    assert!(html.contains(r#"name="return_to" value="&#x2F;drafts""#));
    assert_eq!(
        history(&app).await["visits"],
        json!([]),
        "nothing before consent"
    );
    assert_eq!(preferences(&app).await["tracking"], false);

    // Act: accept.
    let token = csrf_token(&html);
    let body = form(&[
        ("csrf_token", &token),
        ("choice", "accept"),
        ("return_to", "/drafts"),
        ("referrer", "https://mail.example.org"),
        ("utm_source", "news"),
        ("utm_campaign", "spring-sale"),
    ]);
    let response = app
        .post("/tracking/consent")
        .header(ContentType::Form)
        .header(Header::new("Sec-Fetch-Site", "same-origin"))
        .body(body)
        .dispatch()
        .await;
    // Assert: back to the landing, whose touch is recorded from then on.
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(response.headers().get_one("Location"), Some("/drafts"));
    drop(response);
    let h = history(&app).await;
    assert_eq!(h["campaigns"]["first_touch"]["campaign"], "spring-sale");
    assert_eq!(h["campaigns"]["first_touch"]["landing_path"], "/drafts");
    assert_eq!(
        h["campaigns"]["first_touch"]["referrer"],
        "https://mail.example.org"
    );
    let after = get_text(&app, "/drafts").await;
    assert!(
        !after.contains("May we remember your visit?"),
        "the banner is gone"
    );
    assert_eq!(paths(&history(&app).await), ["/drafts"]);
    assert_eq!(preferences(&app).await["tracking"], true);
}

#[rocket::async_test]
async fn opt_in_decline_records_nothing_and_gpc_hides_the_banner() {
    // Arrange: opt-in mode.
    let app = app_with(|f| f.merge(("tracking.consent", "opt-in"))).await;
    let html = get_text(&app, "/?utm_source=news").await;
    let token = csrf_token(&html);
    // Act: decline, with a hostile return path.
    let evil_return = form(&[
        ("csrf_token", &token),
        ("choice", "decline"),
        ("return_to", "//evil.example/"),
        ("utm_source", "news"),
    ]);
    let response = app
        .post("/tracking/consent")
        .header(ContentType::Form)
        .header(Header::new("Sec-Fetch-Site", "same-origin"))
        .body(evil_return)
        .dispatch()
        .await;
    // Assert: a local redirect; nothing recorded, never asked again.
    assert_eq!(
        response.headers().get_one("Location"),
        Some("/"),
        "never redirects off the site"
    );
    drop(response);
    app.get("/drafts?utm_campaign=x").dispatch().await;
    let h = history(&app).await;
    assert_eq!(h["visits"], json!([]));
    assert_eq!(h["campaigns"]["first_touch"], Value::Null);
    assert!(!get_text(&app, "/").await.contains("May we remember"));

    // Arrange, act and assert: GPC hides the banner; a choice without a token is refused.
    let other = app_with(|f| f.merge(("tracking.consent", "opt-in"))).await;
    let gpc = other
        .get("/")
        .header(Header::new("Sec-GPC", "1"))
        .dispatch()
        .await;
    assert!(set_cookie(&gpc, "tailor_sid").is_none());
    assert!(!gpc.into_string().await.unwrap().contains("May we remember"));

    let missing = other
        .post("/tracking/consent")
        .header(ContentType::Form)
        .body("choice=accept")
        .dispatch()
        .await;
    assert_eq!(missing.status(), Status::Forbidden);
}

/// Sends the contact form (a conversion) with the client's session token.
async fn send_contact(app: &Client, token: &str) {
    let body = form(&[
        ("csrf_token", token),
        ("action", "submit"),
        ("name", "Ada"),
        ("email", "ada@example.org"),
        ("topic", "sales"),
        ("message", "Hi"),
    ]);
    let sent = app
        .post("/forms/contact")
        .header(ContentType::Form)
        .body(body)
        .dispatch()
        .await;
    assert_eq!(sent.status(), Status::SeeOther);
}

#[rocket::async_test]
async fn the_campaign_report_counts_sessions_and_conversions_by_attribution() {
    // Arrange: one session with two campaign touches and a contact conversion, then erased.
    let app = app_with(with_admin).await;
    let token = session_token(&app).await;
    app.get("/?utm_source=news&utm_medium=email&utm_campaign=spring-sale")
        .dispatch()
        .await;
    app.get("/?utm_source=ads&utm_medium=cpc&utm_campaign=summer")
        .dispatch()
        .await;
    send_contact(&app, &token).await;
    // The counts outlive the session.
    app.delete("/api/v1/session").dispatch().await;
    // Act and assert: the counts outlive the session, in the CSV and the page.
    let csv = app
        .get("/admin/campaigns.csv")
        .header(basic("ops:s3cret"))
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap();
    assert!(
        csv.contains("\"first_touch\",\"campaign\",\"spring-sale\",1,1,0"),
        "{csv}"
    );
    assert!(
        csv.contains("\"last_touch\",\"campaign\",\"summer\",1,1,0"),
        "{csv}"
    );
    assert!(
        csv.contains("\"last_touch\",\"campaign\",\"spring-sale\",0,0,0"),
        "{csv}"
    );
    assert!(
        csv.contains("\"first_touch\",\"medium\",\"email\",1,1,0"),
        "{csv}"
    );
    assert!(
        csv.contains("\"last_touch\",\"source\",\"ads\",1,1,0"),
        "{csv}"
    );

    let html = app
        .get("/admin/campaigns")
        .header(basic("ops:s3cret"))
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap();
    assert!(html.contains("First-touch attribution") && html.contains("Last-touch attribution"));
    assert!(html.contains("<svg class=\"chart\""));
}

#[rocket::async_test]
async fn the_campaign_report_needs_the_operator_credentials() {
    // Arrange: a counted campaign.
    let app = app_with(with_admin).await;
    app.get("/?utm_campaign=secret-plan").dispatch().await;
    // Act and assert: no, bad or wrong credentials see nothing.
    for header in [
        None,
        Some(basic("ops:wrong")),
        Some(basic("intruder:s3cret")),
        Some(Header::new("Authorization", "Basic !!!")),
    ] {
        let mut request = app.get("/admin/campaigns");
        if let Some(h) = header.clone() {
            request = request.header(h);
        }
        let response = request.dispatch().await;
        assert_eq!(response.status(), Status::Unauthorized, "{header:?}");
        assert!(!response
            .into_string()
            .await
            .unwrap()
            .contains("secret-plan"));
        let csv = app.get("/admin/campaigns.csv").dispatch().await;
        assert_eq!(csv.status(), Status::Unauthorized);
    }
    // Act and assert: without configured credentials, nobody gets in.
    let unconfigured = app_with(|f| f).await;
    assert_eq!(
        unconfigured
            .get("/admin/campaigns")
            .header(basic("ops:s3cret"))
            .dispatch()
            .await
            .status(),
        Status::NotFound
    );
}

#[rocket::async_test]
async fn an_argon2_hashed_operator_password_works() {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    // Arrange: the operator's password configured as an argon2 hash.
    let salt = SaltString::generate(&mut OsRng);
    let hash = argon2::Argon2::default()
        .hash_password(b"long passphrase", &salt)
        .unwrap()
        .to_string();
    let app = app_with(|f| {
        f.merge(("admin.user", "ops"))
            .merge(("admin.password", hash.clone()))
    })
    .await;
    // Act and assert: the password works; the hash itself does not.
    let ok = app
        .get("/admin/campaigns")
        .header(basic("ops:long passphrase"))
        .dispatch()
        .await;
    assert_eq!(ok.status(), Status::Ok);
    let hash_as_password = app
        .get("/admin/campaigns")
        .header(basic(&format!("ops:{hash}")))
        .dispatch()
        .await;
    assert_eq!(hash_as_password.status(), Status::Unauthorized);
}

#[rocket::async_test]
async fn moving_around_this_site_is_not_a_referrer() {
    let app = app().await;
    app.get("/drafts")
        .header(Header::new("Host", "shop.example"))
        .header(Header::new("Referer", "https://shop.example/preferences"))
        .dispatch()
        .await;
    assert_eq!(history(&app).await["visits"][0]["referrer"], Value::Null);
}

/// The campaign CSV's text under `?model=`.
async fn campaign_csv_text(app: &Client, query: &str) -> String {
    campaign_csv(app, query).await.into_string().await.unwrap()
}

/// The campaign CSV under `?model=` (with the operators' credentials).
async fn campaign_csv<'c>(app: &'c Client, query: &str) -> LocalResponse<'c> {
    app.get(format!("/admin/campaigns.csv{query}"))
        .header(basic("ops:s3cret"))
        .dispatch()
        .await
}

#[rocket::async_test]
async fn attribution_models_credit_each_conversion_under_every_model() {
    // Arrange: three touches and a contact conversion.
    let app = app_with(with_admin).await;
    let token = session_token(&app).await;
    for (source, campaign) in [("news", "spring"), ("ads", "summer"), ("news", "autumn")] {
        app.get(format!("/?utm_source={source}&utm_campaign={campaign}"))
            .dispatch()
            .await;
    }
    send_contact(&app, &token).await;

    // Act and assert: each model's CSV credits the conversion its way.
    let linear = campaign_csv_text(&app, "?model=linear").await;
    for row in [
        "\"linear\",\"campaign\",\"spring\",1,0.33,0.00",
        "\"linear\",\"campaign\",\"summer\",1,0.33,0.00",
        "\"linear\",\"campaign\",\"autumn\",1,0.33,0.00",
        // Two touches of one source add up; a session counts once per value.
        "\"linear\",\"source\",\"news\",1,0.67,0.00",
    ] {
        assert!(linear.contains(row), "{row} in {linear}");
    }
    assert!(!linear.contains("first_touch"), "{linear}");
    let position = campaign_csv_text(&app, "?model=position").await;
    for row in [
        "\"position\",\"campaign\",\"spring\",1,0.40,0.00",
        "\"position\",\"campaign\",\"summer\",1,0.20,0.00",
        "\"position\",\"campaign\",\"autumn\",1,0.40,0.00",
        "\"position\",\"source\",\"news\",1,0.80,0.00",
    ] {
        assert!(position.contains(row), "{row} in {position}");
    }
    // `first` is first_touch; without a model the report is as it was.
    let first = campaign_csv_text(&app, "?model=first").await;
    assert!(
        first.contains("\"first_touch\",\"campaign\",\"spring\",1,1,0"),
        "{first}"
    );
    assert!(!first.contains("last_touch"));
    let both = campaign_csv_text(&app, "").await;
    assert_eq!(
        campaign_csv_text(&app, "?model=").await,
        both,
        "an empty model is none"
    );
    assert!(
        both.contains("\"last_touch\",\"campaign\",\"autumn\",1,1,0"),
        "{both}"
    );
    assert!(
        !both.contains("linear") && !both.contains("position"),
        "{both}"
    );

    let unknown = campaign_csv(&app, "?model=u-shaped").await;
    assert_eq!(unknown.status(), Status::BadRequest);
    let message = unknown.into_string().await.unwrap();
    assert!(
        message.contains("linear") && message.contains("position"),
        "{message}"
    );
    let page = app
        .get("/admin/campaigns?model=%3Cscript%3E")
        .header(basic("ops:s3cret"))
        .dispatch()
        .await;
    assert_eq!(page.status(), Status::BadRequest);
    let html = page.into_string().await.unwrap();
    assert!(html.contains("no such attribution model") && !html.contains("<script>"));
    let linear_page = app
        .get("/admin/campaigns?model=linear")
        .header(basic("ops:s3cret"))
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap();
    assert!(linear_page.contains("0.33") && linear_page.contains("Linear attribution"));
}

/// How many times the store ran `operation`, from `/metrics`.
async fn store_ops(app: &Client, operation: &str) -> u64 {
    let text = get_text(app, "/metrics").await;
    let prefix =
        format!("tailor_store_operation_duration_seconds_count{{operation=\"{operation}\"}} ");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .map_or(0, |n| n.trim().parse().unwrap())
}

#[rocket::async_test]
async fn a_first_visit_is_one_store_write_with_its_visit_and_touch() {
    // Arrange:
    let app = app_with(with_admin).await;
    // Act: a first visit from a campaign.
    let landing = app
        .get("/?utm_source=news&utm_campaign=spring-sale")
        .dispatch()
        .await;
    // Assert: one store write holding the visit and the touch, counted once.
    assert_eq!(landing.status(), Status::Ok);
    assert!(landing.cookies().get_private("tailor_sid").is_some());
    assert_eq!(store_ops(&app, "create").await, 1);
    assert_eq!(
        store_ops(&app, "update").await,
        0,
        "the visit rode on the create"
    );
    let h = history(&app).await;
    assert_eq!(paths(&h), ["/"]);
    assert_eq!(h["campaigns"]["first_touch"]["campaign"], "spring-sale");
    let csv = campaign_csv_text(&app, "").await;
    assert!(
        csv.contains("\"first_touch\",\"campaign\",\"spring-sale\",1,0,0"),
        "{csv}"
    );
    // The second view is the usual single update.
    app.get("/cart").dispatch().await;
    assert_eq!(store_ops(&app, "update").await, 1);
    assert_eq!(paths(&history(&app).await), ["/cart", "/"]);
}

#[rocket::async_test]
async fn a_first_visit_to_a_page_that_is_not_found_records_nothing() {
    let app = app_with(with_admin).await;
    let missing = app
        .get("/products/no-such-thing?utm_source=news&utm_campaign=ghost")
        .dispatch()
        .await;
    assert_eq!(missing.status(), Status::NotFound);
    let h = history(&app).await;
    assert_eq!(paths(&h), Vec::<String>::new());
    assert_eq!(h["campaigns"]["first_touch"], Value::Null);
    assert_eq!(h["campaigns"]["last_touch"], Value::Null);
    let csv = campaign_csv_text(&app, "").await;
    assert!(!csv.contains("ghost"), "{csv}");
    // The next page is the visitor's first recorded visit, and first touch.
    app.get("/?utm_source=news&utm_campaign=real")
        .dispatch()
        .await;
    let h = history(&app).await;
    assert_eq!(paths(&h), ["/"]);
    assert_eq!(h["campaigns"]["first_touch"]["campaign"], "real");
}

#[rocket::async_test]
async fn direct_visitors_count_as_direct_sessions_until_their_first_touch() {
    // Arrange: three visitors without any campaign, one of whom sends the form;
    // a fourth lands from a campaign.
    let app = untracked_app_with(with_admin).await;
    let visitors: Vec<Browser<'_>> = (0..3).map(|_| Browser::new(&app)).collect();
    for b in &visitors {
        b.text("/").await;
    }
    let token = csrf_token(&visitors[0].text("/forms/contact").await);
    let sent = visitors[0]
        .post_form(
            "/forms/contact",
            &[
                ("csrf_token", &token),
                ("action", "submit"),
                ("name", "Ada"),
                ("email", "ada@example.org"),
                ("topic", "sales"),
                ("message", "Hi"),
            ],
        )
        .await;
    assert_eq!(sent.status(), Status::SeeOther);
    drop(sent);
    Browser::new(&app).text("/?utm_campaign=winter").await;
    // One direct visitor comes back through a campaign: no longer direct.
    visitors[2].text("/?utm_campaign=winter").await;

    // Assert: (direct) has its sessions beside its conversion.
    let csv = campaign_csv_text(&app, "").await;
    for model in ["first_touch", "last_touch"] {
        assert!(
            csv.contains(&format!("\"{model}\",\"campaign\",\"(direct)\",2,1,0")),
            "{model}: {csv}"
        );
        assert!(
            csv.contains(&format!("\"{model}\",\"campaign\",\"winter\",2,0,0")),
            "{model}: {csv}"
        );
    }
}

#[rocket::async_test]
async fn the_report_names_its_charts_model_and_marks_the_chosen_one() {
    // Arrange: a counted campaign and the report in a language.
    let app = app_with(with_admin).await;
    app.get("/?utm_campaign=winter").dispatch().await;
    let page = |query: &'static str, lang: &'static str| {
        let app = &app;
        async move {
            app.get(format!("/admin/campaigns{query}"))
                .header(basic("ops:s3cret"))
                .header(accept_language(lang))
                .dispatch()
                .await
                .into_string()
                .await
                .unwrap()
        }
    };
    // Act and assert:
    let linear = page("?model=linear", "en").await;
    assert!(
        linear.contains("Sessions by campaign: Linear attribution"),
        "{linear}"
    );
    assert!(!linear.contains("(last touch)"), "{linear}");
    assert!(
        linear.contains("href=\"/admin/campaigns?model=linear\" aria-current=\"page\""),
        "the chosen model's tab is marked: {linear}"
    );
    let both = page("", "en").await;
    assert!(both.contains("Sessions by campaign: Last-touch attribution"));
    for (lang, words) in [
        ("es", "No existe ese modelo"),
        ("fr", "Ce modèle d’attribution n’existe pas"),
    ] {
        let bad = page("?model=u-shaped", lang).await;
        assert!(bad.contains(words), "{lang}: {bad}");
        assert!(
            !bad.contains("unknown model") && !bad.contains("use first_touch"),
            "{lang}: no English: {bad}"
        );
        assert!(bad.contains("<code>u-shaped</code>"), "{lang}");
    }
}

#[rocket::async_test]
async fn history_and_recently_viewed_name_pages_not_paths() {
    // Arrange:
    let app = app().await;
    // Act: view a product, a form, the login page and the cart.
    for path in [
        "/products/oxford-shirt",
        "/forms/contact",
        "/login",
        "/cart",
    ] {
        app.get(path).dispatch().await;
    }
    // Assert: the history and the home page name them.
    let history = app
        .get("/history")
        .header(accept_language("es"))
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap();
    for title in [
        "Camisa Oxford",
        "Solicitar información",
        "Iniciar sesión",
        "Carrito",
    ] {
        assert!(history.contains(title), "{title}: {history}");
    }
    assert!(
        !history.contains(">/products/oxford-shirt<"),
        "no raw path shown"
    );
    let home = get_text(&app, "/").await;
    assert!(
        home.contains(">Oxford shirt</a>") && home.contains(">Request information</a>"),
        "{home}"
    );
    assert!(!home.contains(">/forms/contact<"));
}

#[rocket::async_test]
async fn a_failed_first_view_stores_nothing_and_a_refused_one_stores_no_visit() {
    // Arrange: a new visitor.
    let app = app().await;
    let writes = async || {
        (
            store_ops(&app, "create").await,
            store_ops(&app, "update").await,
        )
    };
    let before = writes().await;
    // Act: a first view that fails (its catcher's answer sets no cookie).
    let response = app.get("/forms/nope").dispatch().await;
    // Assert: the session the page began is not stored: nobody could reach it.
    assert_eq!(response.status(), Status::NotFound);
    assert!(response.cookies().get_private("tailor_sid").is_none());
    assert_eq!(writes().await, before, "no write, nothing taken back");
    // Act: a first view answered by the handler itself with a cookie but not
    // 200 (`/account` without a login: 303 to the login).
    let response = app.get("/account").dispatch().await;
    // Assert: the session is stored, in one write, without a visit.
    assert_eq!(response.status(), Status::SeeOther);
    assert!(response.cookies().get_private("tailor_sid").is_some());
    assert_eq!(writes().await, (before.0 + 1, before.1));
    assert!(paths(&history(&app).await).is_empty());
    // The next page is recorded under it.
    assert_eq!(app.get("/").dispatch().await.status(), Status::Ok);
    assert_eq!(paths(&history(&app).await), ["/"]);
    assert_eq!(
        writes().await,
        (before.0 + 1, before.1 + 1),
        "the same session"
    );
}
