//! Opt-in mode stores nothing before the choice: no GET sets a cookie or a
//! record; forms carry stateless tokens (bound to their action, accepted only
//! without a session and from this site) until the visitor's first post.

use rocket::http::{ContentType, Header, Status};

use crate::support::*;

/// The CSRF token of the form posting to `action` in `html`.
fn token_for(html: &str, action: &str) -> String {
    let form = html
        .find(&format!("action=\"{action}\""))
        .unwrap_or_else(|| panic!("a form posting to {action}"));
    csrf_token(&html[form..])
}

fn same_site() -> Header<'static> {
    Header::new("Sec-Fetch-Site", "same-origin")
}

#[rocket::async_test]
async fn no_page_sets_a_cookie_or_stores_a_record_before_the_choice() {
    let app = untracked_app_with(|f| f.merge(("tracking.consent", "opt-in"))).await;
    for path in [
        "/",
        "/?utm_source=news&utm_campaign=spring-sale",
        "/preferences",
        "/forms/contact",
        "/forms/feedback",
        "/drafts",
        "/history",
        "/products",
        "/products/silk-tie",
        "/cart",
        "/login",
        "/register",
        "/privacy",
        "/account",
    ] {
        for gpc in [false, true] {
            let mut request = app.get(path);
            if gpc {
                request = request.header(Header::new("Sec-GPC", "1"));
            }
            let response = request.dispatch().await;
            assert!(
                response.status().code < 400,
                "{path}: {}",
                response.status()
            );
            assert_eq!(
                set_cookie(&response, "tailor_sid"),
                None,
                "{path} set a cookie"
            );
        }
    }
    let metrics = get_text(&app, "/metrics").await;
    assert!(metrics.contains("tailor_sessions_live 0"), "{metrics}");
}

#[rocket::async_test]
async fn a_stateless_token_works_once_for_its_own_action_from_this_site() {
    let app = untracked_app_with(|f| f.merge(("tracking.consent", "opt-in"))).await;
    let page = get_text(&app, "/preferences").await;
    let token = token_for(&page, "/preferences");
    assert!(
        !token.is_empty() && !token.contains('|'),
        "a spliced token: {token}"
    );
    let body = |token: &str| {
        form(&[
            ("csrf_token", token),
            ("theme", "dark"),
            ("timezone", "UTC"),
        ])
    };
    // From elsewhere (no Origin, no Sec-Fetch-Site), or a foreign origin: refused.
    let bare = app
        .post("/preferences")
        .header(ContentType::Form)
        .body(body(&token))
        .dispatch()
        .await;
    assert_eq!(bare.status(), Status::Forbidden);
    drop(bare);
    let foreign = app
        .post("/preferences")
        .header(ContentType::Form)
        .header(Header::new("Origin", "https://evil.example"))
        .header(Header::new("Host", "localhost"))
        .body(body(&token))
        .dispatch()
        .await;
    assert_eq!(foreign.status(), Status::Forbidden);
    drop(foreign);
    // The token of another form: refused.
    let login_token = token_for(&get_text(&app, "/login").await, "/login");
    let other = app
        .post("/preferences")
        .header(ContentType::Form)
        .header(same_site())
        .body(body(&login_token))
        .dispatch()
        .await;
    assert_eq!(other.status(), Status::Forbidden);
    drop(other);
    // From this site, for this form: the first thing stored, and the cookie.
    let saved = app
        .post("/preferences")
        .header(ContentType::Form)
        .header(same_site())
        .body(body(&token))
        .dispatch()
        .await;
    assert_eq!(saved.status(), Status::SeeOther);
    let cookie = set_cookie(&saved, "tailor_sid").expect("the session starts now");
    let cookie = rocket::http::Cookie::parse_encoded(cookie).unwrap();
    drop(saved);
    // With a session, a stateless token is no longer accepted: from this site
    // that is a form opened before the session began, sent back (303) with a
    // notice and nothing saved.
    let with_session = app
        .post("/preferences")
        .header(ContentType::Form)
        .header(same_site())
        .cookie(rocket::http::Cookie::new(
            "tailor_sid",
            cookie.value().to_owned(),
        ))
        .body(body(&token))
        .dispatch()
        .await;
    assert_eq!(with_session.status(), Status::SeeOther);
    assert_eq!(with_session.headers().get_one("Location"), Some("/"));
}

#[rocket::async_test]
async fn accepting_the_banner_is_the_first_thing_stored() {
    let app = untracked_app_with(|f| f.merge(("tracking.consent", "opt-in"))).await;
    let landing = get_text(&app, "/products?utm_source=news&utm_campaign=spring-sale").await;
    assert!(landing.contains("May we remember your visit?"));
    let token = csrf_token(&landing);
    let accepted = app
        .post("/tracking/consent")
        .header(ContentType::Form)
        .header(same_site())
        .body(form(&[
            ("csrf_token", &token),
            ("choice", "accept"),
            ("return_to", "/products"),
            ("utm_source", "news"),
            ("utm_campaign", "spring-sale"),
        ]))
        .dispatch()
        .await;
    assert_eq!(accepted.status(), Status::SeeOther);
    let cookie = set_cookie(&accepted, "tailor_sid").expect("stored on the choice");
    let cookie = rocket::http::Cookie::parse_encoded(cookie).unwrap();
    drop(accepted);
    let history = app
        .get("/api/v1/history")
        .cookie(rocket::http::Cookie::new(
            "tailor_sid",
            cookie.value().to_owned(),
        ))
        .dispatch()
        .await;
    assert_eq!(
        json(history).await["campaigns"]["first_touch"]["campaign"],
        "spring-sale",
        "the landing's touch, carried in the form"
    );
}
