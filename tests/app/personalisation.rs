//! Personalisation: the shipped rules file, slots decided inside the request (the
//! landing's own touch counts on that very page), the API with `why`, privacy
//! signals, an invalid file at launch, reloads valid and invalid.

use std::time::Duration;

use rocket::http::{Header, Status};
use serde_json::Value;

use crate::support::*;

/// The variant a page's slot shows (`data-variant` of the slot's element).
fn variant(html: &str, slot: &str) -> Option<String> {
    let marker = format!("data-slot=\"{slot}\" data-variant=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

/// The page at `path`, requested with `header`.
async fn text_with(
    client: &rocket::local::asynchronous::Client,
    path: &str,
    header: Header<'static>,
) -> String {
    let response = client.get(path.to_owned()).header(header).dispatch().await;
    response.into_string().await.unwrap_or_default()
}

const NEWSLETTER: &str = "/?utm_source=newsletter&utm_campaign=spring-sale&utm_medium=email";

#[rocket::async_test]
async fn a_newsletter_landing_sees_its_hero_on_that_very_page_in_its_language() {
    let app = app().await;
    let page = app
        .get(NEWSLETTER)
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap();
    assert_eq!(variant(&page, "home.hero").as_deref(), Some("newsletter"));
    assert!(page.contains("Welcome, newsletter reader"), "{page}");
    // The next page still shows it: the touch was recorded with the visit.
    let again = get_text(&app, "/").await;
    assert_eq!(variant(&again, "home.hero").as_deref(), Some("newsletter"));

    let spanish = app_with(|f| f).await;
    let page = text_with(&spanish, NEWSLETTER, accept_language("es")).await;
    assert!(page.contains("Bienvenido, lector del boletín"), "{page}");
}

#[rocket::async_test]
async fn a_new_visitor_sees_the_defaults_and_the_api_says_why_later() {
    let app = app().await;
    let page = get_text(&app, "/").await;
    assert_eq!(variant(&page, "home.hero").as_deref(), Some("default"));

    let fresh = json(app.get("/api/v1/personalisation").dispatch().await).await;
    assert_eq!(fresh["segments"], serde_json::json!([]));
    assert_eq!(fresh["slots"]["home.hero"], "default");
    assert_eq!(fresh["slots"]["cart.note"], "default");
    assert_eq!(fresh["experiments"], serde_json::json!({}));

    app.get(NEWSLETTER).dispatch().await;
    let after = json(app.get("/api/v1/personalisation").dispatch().await).await;
    let segments: Vec<&str> = after["segments"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        segments.contains(&"newsletter") && segments.contains(&"spring-sale"),
        "{after}"
    );
    assert_eq!(
        after["why"]["newsletter"],
        "last touch source is newsletter"
    );
    assert_eq!(after["slots"]["home.hero"], "newsletter");
    // The API records no visit: the history is the two pages.
    let history = json(app.get("/api/v1/history").dispatch().await).await;
    assert_eq!(
        history["visits"].as_array().map(Vec::len),
        Some(2),
        "{history}"
    );
}

#[rocket::async_test]
async fn global_privacy_control_keeps_tracking_facts_out_of_the_rules() {
    let app = app().await;
    let page = text_with(&app, NEWSLETTER, Header::new("Sec-GPC", "1")).await;
    assert_eq!(variant(&page, "home.hero").as_deref(), Some("default"));
    let dnt = text_with(&app, NEWSLETTER, Header::new("DNT", "1")).await;
    assert_eq!(variant(&dnt, "home.hero").as_deref(), Some("default"));
}

#[rocket::async_test]
async fn the_visitors_holdings_choose_slots_too() {
    let app = app().await;
    let token = session_token(&app.client).await;
    let added = app
        .post("/cart/add")
        .header(rocket::http::ContentType::Form)
        .body(form(&[
            ("csrf_token", &token),
            ("product", "silk-tie"),
            ("quantity", "1"),
        ]))
        .dispatch()
        .await;
    assert_eq!(added.status(), Status::SeeOther);
    let page = get_text(&app, "/").await;
    assert_eq!(variant(&page, "home.hero").as_deref(), Some("cart"));
    // Several pages of one first visit are not a return: the cart's note for
    // guests who came back is not shown yet.
    let cart = app
        .get("/cart")
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap();
    assert_eq!(
        variant(&cart, "cart.note").as_deref(),
        Some("default"),
        "{cart}"
    );
    // A first visit of the cart sees its default note.
    let other = app_with(|f| f).await;
    let cart = other
        .get("/cart")
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap();
    assert_eq!(variant(&cart, "cart.note").as_deref(), Some("default"));
}

fn rules_app_figment(
    path: &std::path::Path,
) -> impl FnOnce(rocket::figment::Figment) -> rocket::figment::Figment + '_ {
    move |f| f.merge(("personalisation.file", path))
}

const ONE: &str = r#"
[segments.everyone]
when = { visits = { min = 0 } }
[slots."home.hero"]
default = { title = { en = "Version one" } }
"#;

#[rocket::async_test]
async fn an_invalid_file_stops_the_launch() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rules.toml");
    std::fs::write(
        &path,
        "[segments.shopper]\nwhen = { segment = \"nobody\" }\n",
    )
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let launched = tailor::build(rules_app_figment(&path)(figment(&data)))
        .ignite()
        .await;
    match launched {
        Ok(_) => panic!("an invalid rules file must stop the launch"),
        Err(e) => {
            let _ = e.kind();
        }
    }
}

#[rocket::async_test]
async fn a_changed_file_is_reloaded_and_an_invalid_change_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rules.toml");
    std::fs::write(&path, ONE).unwrap();
    let app = app_with(rules_app_figment(&path)).await;
    let page = get_text(&app, "/").await;
    assert!(page.contains("Version one"));

    // A valid change applies within five seconds.
    std::thread::sleep(Duration::from_millis(1100)); // a newer modification time
    std::fs::write(&path, ONE.replace("Version one", "Version two")).unwrap();
    let mut seen = false;
    for _ in 0..60 {
        let page = get_text(&app, "/").await;
        if page.contains("Version two") {
            seen = true;
            break;
        }
        rocket::tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(seen, "the valid change was applied");

    // An invalid change is refused: the rules in force stay.
    std::thread::sleep(Duration::from_millis(1100));
    std::fs::write(
        &path,
        "[slots.x]\ndefault = { link = \"javascript:alert(1)\" }\n",
    )
    .unwrap();
    rocket::tokio::time::sleep(Duration::from_secs(3)).await;
    let page = get_text(&app, "/").await;
    assert!(page.contains("Version two"), "the rules in force stay");
}

#[rocket::async_test]
async fn the_privacy_page_says_why() {
    let app = app().await;
    let none = get_text(&app, "/privacy").await;
    assert!(
        none.contains("Why am I seeing this?") && none.contains("none of the site"),
        "{none}"
    );
    app.get(NEWSLETTER).dispatch().await;
    let page = get_text(&app, "/privacy").await;
    assert!(page.contains("Came from the newsletter"), "{page}");
    assert!(page.contains("last touch source is newsletter"), "{page}");
    let spanish = text_with(&app, "/privacy", accept_language("es")).await;
    assert!(spanish.contains("¿Por qué veo esto?"));
    assert!(
        spanish.contains("último contacto: fuente es newsletter"),
        "the reason in Spanish: {spanish}"
    );
}

#[rocket::async_test]
async fn without_a_rules_file_the_pages_show_their_own_content() {
    let app = app_with(|f| f.merge(("personalisation.file", "/nonexistent/rules.toml"))).await;
    for path in ["/", "/cart", "/products"] {
        let response = app.get(path).dispatch().await;
        assert_eq!(response.status(), Status::Ok, "{path}");
        let page = response.into_string().await.unwrap();
        assert_eq!(variant(&page, "home.hero"), None, "{path}");
        assert_eq!(variant(&page, "cart.note"), None, "{path}");
    }
    let api = json(app.get("/api/v1/personalisation").dispatch().await).await;
    assert_eq!(api["segments"], serde_json::json!([]));
    assert_eq!(api["slots"], serde_json::json!({}));
}

#[rocket::async_test]
async fn looking_at_products_with_an_empty_cart_is_not_told_about_its_cart() {
    let app = app().await;
    for product in ["silk-tie", "oxford-shirt"] {
        app.get(format!("/products/{product}")).dispatch().await;
    }
    let page = get_text(&app, "/").await;
    assert_eq!(variant(&page, "home.hero").as_deref(), Some("browsing"));
    assert!(!page.contains("Your cart keeps what you chose"), "{page}");
    assert!(page.contains("The products you viewed"), "{page}");
}

#[rocket::async_test]
async fn a_busy_first_visit_is_not_a_return() {
    let app = app().await;
    for path in [
        "/",
        "/products",
        "/products/silk-tie",
        "/cart",
        "/history",
        "/",
    ] {
        app.get(path).dispatch().await;
    }
    let api = json(app.get("/api/v1/personalisation").dispatch().await).await;
    let segments = api["segments"].as_array().unwrap();
    assert!(
        !segments.iter().any(|s| s == "returning"),
        "six pages in a minute are one visit: {api}"
    );
    assert!(!get_text(&app, "/privacy").await.contains("Came back"));
}

#[rocket::async_test]
async fn a_newsletter_landing_is_welcomed_once() {
    let app = app().await;
    let page = get_text(&app, NEWSLETTER).await;
    assert_eq!(
        page.matches("Welcome, newsletter reader").count(),
        1,
        "{page}"
    );
    assert_eq!(page.to_lowercase().matches("welcome").count(), 1, "{page}");
}

#[test]
fn the_shipped_banners_promise_no_discount() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/campaigns.toml")).unwrap();
    let banners: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("en =") || l.starts_with("es =") || l.starts_with("fr ="))
        .collect();
    assert!(banners.len() >= 6, "{banners:?}");
    for banner in banners {
        let lower = banner.to_lowercase();
        for promise in [
            "%",
            " off",
            "discount",
            "descuento",
            "rebaja",
            "remise",
            "solde",
            "free",
            "gratis",
            "gratuit",
        ] {
            assert!(!lower.contains(promise), "{banner} promises {promise:?}");
        }
    }
}

/// A titled experiment everybody takes part in, and a titled segment.
const TITLED: &str = r#"
[segments.everyone]
title = { en = "Everyone", es = "Todo el mundo", fr = "Tout le monde" }
when = { visits = { min = 0 } }
[segments.keen]
title = { en = "Keen", es = "Entusiasta" }
when = { segment = "everyone" }
[slots."home.hero"]
default = { title = { en = "Hello" } }
[experiments.hero-words]
title = { en = "Hero words", es = "Palabras del saludo", fr = "Mots de l’accueil" }
slot = "home.hero"
[[experiments.hero-words.variants]]
name = "control"
weight = 1
[[experiments.hero-words.variants]]
name = "bold"
weight = 1
title = { en = "Bold" }
"#;

#[rocket::async_test]
async fn why_am_i_seeing_this_speaks_the_visitors_language_and_names_the_experiment() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rules.toml");
    std::fs::write(&path, TITLED).unwrap();
    let app = app_with(rules_app_figment(&path)).await;
    app.get("/").dispatch().await; // takes part in the experiment
    let spanish = text_with(&app, "/privacy", accept_language("es")).await;
    for words in [
        "Todo el mundo",
        "Entusiasta",
        "en el grupo Todo el mundo",
        "Palabras del saludo",
        "participas en esta prueba",
    ] {
        assert!(spanish.contains(words), "{words}: {spanish}");
    }
    assert!(
        !spanish.contains("everyone") && !spanish.contains("hero-words"),
        "no raw ids: {spanish}"
    );
    let french = text_with(&app, "/privacy", accept_language("fr")).await;
    assert!(
        french.contains("Mots de l’accueil") && french.contains("vous participez à ce test"),
        "{french}"
    );
    assert!(
        french.contains("Entusiasta") || french.contains("Keen"),
        "a title without French falls back"
    );
}
