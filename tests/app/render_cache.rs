//! The render cache: a page is rendered once per distinct context, and a cached
//! page never carries another visitor's data or token.

use rocket::http::{ContentType, Status};

use crate::support::*;

/// (hits, misses) of the render cache, from /metrics.
async fn cache_counts(app: &TestApp) -> (u64, u64) {
    let text = get_text(app, "/metrics").await;
    let count = |result: &str| {
        let prefix = format!("tailor_render_cache_total{{result=\"{result}\"}} ");
        text.lines()
            .find_map(|l| l.strip_prefix(prefix.as_str()))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no {result} count in /metrics:\n{text}"))
    };
    (count("hit"), count("miss"))
}

#[rocket::async_test]
async fn visitors_sharing_a_rendering_each_get_their_own_csrf_token() {
    let app = untracked_app_with(|f| f).await;
    let (a, b) = (Browser::new(&app), Browser::new(&app));
    let page_a = a.text("/preferences").await;
    let (hits_before, _) = cache_counts(&app).await;
    let page_b = b.text("/preferences").await;
    let (hits_after, _) = cache_counts(&app).await;
    assert_eq!(hits_after, hits_before + 1, "b's page is a's rendering");

    let (token_a, token_b) = (csrf_token(&page_a), csrf_token(&page_b));
    assert_ne!(token_a, token_b);
    let placeholder = tailor::web::template::secret_placeholder();
    assert!(!page_a.contains(placeholder) && !page_b.contains(placeholder));
    // Each token is its session's: b's token works for b and not for a.
    let save = |token: &'static str| {
        [
            ("csrf_token", token),
            ("theme", "dark"),
            ("language", ""),
            ("timezone", "UTC"),
            ("display_name", ""),
        ]
    };
    let token_b: &'static str = Box::leak(token_b.into_boxed_str());
    let wrong = a.post_form("/preferences", &save(token_b)).await;
    assert_eq!(wrong.status(), Status::Forbidden);
    let right = b.post_form("/preferences", &save(token_b)).await;
    assert_eq!(right.status(), Status::SeeOther);
}

#[rocket::async_test]
async fn a_change_to_what_a_page_shows_renders_it_anew() {
    let app = untracked_app_with(|f| f).await;
    let visitor = Browser::new(&app);
    let first = visitor.text("/").await;
    assert!(first.contains("Welcome to tailor"));
    let (_, misses) = cache_counts(&app).await;
    let again = visitor.text("/").await;
    assert_eq!(again, first, "the same context gives the same page");
    assert_eq!(
        cache_counts(&app).await.1,
        misses,
        "and is not rendered again"
    );

    let body = serde_json::json!({"display_name": "Ada <b>", "theme": "dark"});
    let saved = visitor
        .send_json(rocket::http::Method::Put, "/api/v1/preferences", &body)
        .await;
    assert_eq!(saved.status(), Status::Ok);
    let changed = visitor.text("/").await;
    assert!(
        changed.contains("Ada &lt;b&gt;"),
        "the new name is shown, escaped"
    );
    assert!(changed.contains(r#"data-theme="dark""#));
    assert_eq!(cache_counts(&app).await.1, misses + 1);

    // Another visitor's rendering is never served for the changed context.
    let other = Browser::new(&app).text("/").await;
    assert!(!other.contains("Ada"));
    assert!(other.contains(r#"data-theme="system""#));
}

#[rocket::async_test]
async fn a_page_in_another_language_is_another_rendering() {
    let app = untracked_app_with(|f| f).await;
    let en = Browser::new(&app).text("/").await;
    let es = Browser::new(&app)
        .send(app.get("/").header(accept_language("es")))
        .await
        .into_string()
        .await
        .unwrap();
    assert!(en.contains("Welcome to tailor"));
    assert!(es.contains("Te damos la bienvenida a tailor"));
}

#[rocket::async_test]
async fn a_zero_sized_cache_renders_every_page() {
    let app = untracked_app_with(|f| f.merge(("render_cache_bytes", 0))).await;
    let visitor = Browser::new(&app);
    let first = visitor.text("/").await;
    let second = visitor.text("/").await;
    assert_eq!(first, second);
    let (hits, misses) = cache_counts(&app).await;
    assert_eq!(hits, 0);
    assert!(misses >= 2);
}

#[rocket::async_test]
async fn a_template_that_reads_the_clock_is_refused_at_launch() {
    let templates = tempfile::tempdir().unwrap();
    std::fs::write(
        templates.path().join("home.html.tera"),
        "<p>{{ now() | date }}</p>",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let rocket = tailor::build(figment(&dir).merge(("template_dir", templates.path())));
    match rocket.ignite().await {
        Ok(_) => panic!("a template calling now() was accepted"),
        Err(e) => assert!(matches!(
            e.kind(),
            rocket::error::ErrorKind::FailedFairings(_)
        )),
    }
}

#[rocket::async_test]
async fn error_pages_are_cached_like_any_page_and_keep_their_status() {
    let app = untracked_app_with(|f| f).await;
    for _ in 0..2 {
        let response = app
            .get("/no-such-page")
            .header(ContentType::HTML)
            .dispatch()
            .await;
        assert_eq!(response.status(), Status::NotFound);
        let html = response.into_string().await.unwrap();
        assert!(html.contains("<html"));
    }
}

/// Copies the project's templates into a fresh directory.
fn copy_of_the_templates() -> tempfile::TempDir {
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let path = entry.unwrap().path();
            let target = to.join(path.file_name().unwrap());
            if path.is_dir() {
                copy(&path, &target);
            } else {
                std::fs::copy(&path, &target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates"),
        dir.path(),
    );
    dir
}

/// `GET path` until its body satisfies `done`, for up to five seconds.
async fn eventually(app: &TestApp, path: &str, done: impl Fn(&str) -> bool) -> String {
    let mut body = String::new();
    for _ in 0..50 {
        body = get_text(app, path).await;
        if done(&body) {
            break;
        }
        rocket::tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    body
}

#[rocket::async_test]
async fn template_dir_is_honoured_and_a_debug_build_reloads_a_changed_template() {
    let templates = copy_of_the_templates();
    let page = templates.path().join("privacy.html.tera");
    let original = std::fs::read_to_string(&page).unwrap();
    let marked = original.replacen(
        "{% block content %}",
        "{% block content %}<p id=\"marker\">From the configured directory</p>",
        1,
    );
    std::fs::write(&page, &marked).unwrap();
    let dir = templates.path().to_owned();
    let app = untracked_app_with(|f| f.merge(("template_dir", dir))).await;
    let first = get_text(&app, "/privacy").await;
    assert!(
        first.contains("From the configured directory"),
        "template_dir is used"
    );
    get_text(&app, "/privacy").await;
    let (hits, _) = cache_counts(&app).await;
    assert!(hits >= 1, "the page is served from the render cache");

    // Changed on disk: the next requests get the new page, not the cached one.
    std::fs::write(
        &page,
        marked.replace("From the configured directory", "Reloaded"),
    )
    .unwrap();
    let reloaded = eventually(&app, "/privacy", |b| b.contains("Reloaded")).await;
    assert!(
        reloaded.contains("Reloaded"),
        "the change is picked up: {reloaded}"
    );

    // A change that breaks the rule (a page must be a function of its context)
    // is refused and the templates in force stay.
    std::fs::write(
        &page,
        marked.replace("From the configured directory", "{{ now() }}"),
    )
    .unwrap();
    rocket::tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let kept = eventually(&app, "/privacy", |b| !b.contains("Reloaded")).await;
    assert!(
        kept.contains("Reloaded"),
        "the refused reload changed nothing"
    );
}

/// (hits, misses) added by `b` loading `path`.
async fn counted(app: &TestApp, b: &Browser<'_>, path: &str) -> (u64, u64) {
    let (hits, misses) = cache_counts(app).await;
    b.text(path).await;
    let (hits_after, misses_after) = cache_counts(app).await;
    (hits_after - hits, misses_after - misses)
}

#[rocket::async_test]
async fn forget_me_purges_the_pages_rendered_for_the_session() {
    let app = untracked_app_with(|f| f).await;
    let (a, b) = (Browser::new(&app), Browser::new(&app));
    assert_eq!(counted(&app, &a, "/preferences").await, (0, 1));
    assert_eq!(
        counted(&app, &b, "/preferences").await,
        (1, 0),
        "a's rendering"
    );
    let token = csrf_token(&a.text("/privacy").await);
    let forgotten = a
        .post_form("/privacy/forget", &[("csrf_token", &token)])
        .await;
    assert_eq!(forgotten.status(), Status::SeeOther);
    // The page a's session rendered is gone: b's next view renders it anew.
    assert_eq!(counted(&app, &b, "/preferences").await, (0, 1));
    assert_eq!(counted(&app, &b, "/preferences").await, (1, 0));
}

#[rocket::async_test]
async fn deleting_an_account_purges_the_pages_of_all_its_sessions() {
    const PASSWORD: &str = "correct horse battery";
    let app = untracked_app_with(|f| f).await;
    let (a, c, d) = (Browser::new(&app), Browser::new(&app), Browser::new(&app));
    assert_eq!(a.register("Grace", PASSWORD).await, Status::SeeOther);
    a.text("/").await; // takes the welcome flash
    assert_eq!(counted(&app, &a, "/preferences").await, (0, 1));
    // A second device of the account gets the same page: it is the account's.
    c.login("Grace", PASSWORD).await;
    c.text("/").await;
    assert_eq!(counted(&app, &c, "/preferences").await, (1, 0));
    let token = csrf_token(&a.text("/account").await);
    let deleted = a
        .post_form(
            "/account/delete",
            &[("csrf_token", &token), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(deleted.status(), Status::SeeOther);
    // A new account of that name has the same page context, but not the old
    // account's rendering.
    assert_eq!(d.register("Grace", PASSWORD).await, Status::SeeOther);
    d.text("/").await;
    assert_eq!(counted(&app, &d, "/preferences").await, (0, 1));
}
