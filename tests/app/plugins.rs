//! A feature added from outside the crate, as "Adding a feature" in docs/architecture.md
//! says: its own record part, a page hook with its piece of the page context, a
//! fact the rules' conditions read, a conversion listener, a privacy hook and a
//! login hook, registered in its own stage. Nothing in `web`, `record`, `privacy`,
//! `accounts` or `personalisation` is edited for it, and it works end to end.

use std::sync::atomic::{AtomicU32, Ordering};
use tailor::web::AppError;

use rocket::fairing::AdHoc;
use rocket::http::{Method, Status};
use rocket::local::asynchronous::Client;
use serde::{Deserialize, Serialize};
use tailor::accounts::{add_account_hook, AccountHook, LoginEvent, LoginPhase};
use tailor::conversions::{add_conversion_hook, Conversion, ConversionHook, ConversionRows};
use tailor::personalisation::{add_facts_hook, Fact, FactKind, FactSpec, FactsHook, VisitorFacts};
use tailor::privacy::{add_privacy_hook, Export, PrivacyHook, Summary, Visitor};
use tailor::record::SessionData;
use tailor::web::{add_page_hook, ContextPiece, Facts, Page, PageContext, PageHook};
use tailor_session::parts::{self, Part};

use crate::support::{self, csrf_token, Browser, TestApp};

/// The wishlist's part of the record.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Wishlist {
    items: Vec<String>,
    /// Logins seen by the login hook.
    logins: u32,
}

impl Part for Wishlist {
    const NAME: &'static str = "wishlist";
    fn worth_keeping(&self) -> bool {
        !self.items.is_empty()
    }
}

/// The wishlist's piece of the page context.
#[derive(Serialize)]
struct WishlistSummary {
    saved: usize,
}

impl ContextPiece for WishlistSummary {
    const NAME: &'static str = "wishlist";
}

struct WishlistPage;

#[rocket::async_trait]
impl PageHook for WishlistPage {
    /// Puts the wishlist's size in the page context, as `page.wishlist.saved`.
    fn layout(&self, _facts: &Facts, data: Option<&SessionData>, layout: &mut PageContext) {
        let saved = data
            .and_then(|d| d.part::<Wishlist>())
            .map_or(0, |w| w.items.len());
        layout.put(WishlistSummary { saved });
    }
}

/// The wishlist's fact for the rules: `wishlist_items = { min, max }`.
struct WishlistFacts;

impl FactsHook for WishlistFacts {
    fn offers(&self) -> &'static [FactSpec] {
        &[FactSpec {
            name: "wishlist_items",
            kind: FactKind::Count,
        }]
    }

    fn facts<'a>(
        &self,
        _: &rocket::Request<'_>,
        data: Option<&'a SessionData>,
        _: &'a Facts,
        out: &mut VisitorFacts<'a>,
    ) {
        let saved = data
            .and_then(|d| d.part::<Wishlist>())
            .map_or(0, |w| w.items.len());
        out.set("wishlist_items", Fact::Count(saved as u64));
    }
}

/// Orders seen by the wishlist's conversion listener.
static ORDERS_SEEN: AtomicU32 = AtomicU32::new(0);

/// Counts checkouts by visitors with a wishlist.
struct WishlistConversions;

impl ConversionHook for WishlistConversions {
    fn converted(&self, page: &Page<'_>, kind: Conversion, _rows: &mut ConversionRows) {
        let wished = page.part_or_default::<Wishlist>().worth_keeping();
        if kind == Conversion::Checkout && wished {
            ORDERS_SEEN.fetch_add(1, Ordering::Relaxed);
        }
    }
}

struct WishlistRights;

#[rocket::async_trait]
impl PrivacyHook for WishlistRights {
    async fn export(&self, visitor: &Visitor<'_, '_>, export: &mut Export) -> Result<(), AppError> {
        export.put("wishlist", visitor.data.part_or_default::<Wishlist>());
        Ok(())
    }
    fn summarize(&self, _page: &tailor::web::Page<'_>, _summary: &mut Summary) {}
}

struct WishlistAtLogin;

#[rocket::async_trait]
impl AccountHook for WishlistAtLogin {
    async fn logged_in(&self, event: &LoginEvent<'_, '_>) -> Result<(), AppError> {
        event
            .session
            .update(|d: &mut SessionData| d.part_mut::<Wishlist>().logins += 1)
            .await?;
        Ok(())
    }
}

#[rocket::post("/wishlist/<item>")]
async fn add(
    item: &str,
    session: tailor_session::Session<'_, SessionData>,
) -> Result<Status, tailor_session::SessionError> {
    session
        .update(|d: &mut SessionData| d.part_mut::<Wishlist>().items.push(item.to_owned()))
        .await?;
    Ok(Status::NoContent)
}

/// The page context as the templates get it (`page`), and the wishlist's piece
/// as Rust reads it.
#[rocket::get("/wishlist")]
fn show(page: Page<'_>) -> rocket::serde::json::Json<serde_json::Value> {
    let context = page.context();
    let saved = context.get::<WishlistSummary>().map(|w| w.saved);
    let templates_see = serde_json::to_value(&context).unwrap_or_default();
    rocket::serde::json::Json(serde_json::json!({"saved": saved, "page": templates_see}))
}

/// The wishlist's stage: its part, its hooks, its routes. Its hooks are added
/// once the app's own stages have run (they keep the lists).
fn stage() -> AdHoc {
    parts::register::<Wishlist>();
    AdHoc::on_ignite("Wishlist", |rocket| async {
        rocket
            .mount("/", rocket::routes![add, show])
            .attach(AdHoc::on_ignite("Wishlist hooks", |rocket| async {
                add_page_hook(&rocket, WishlistPage);
                add_facts_hook(&rocket, WishlistFacts);
                add_conversion_hook(&rocket, WishlistConversions);
                add_privacy_hook(&rocket, WishlistRights);
                add_account_hook(&rocket, LoginPhase::Follow, WishlistAtLogin);
                rocket
            }))
    })
}

/// A segment on the wishlist's fact, shown by a slot of the home page.
const RULES: &str = r#"
[segments.wisher]
title = { en = "Has a wishlist" }
when = { wishlist_items = { min = 2 } }

[slots."home.hero"]
default = {}
variants = [ { name = "wishes", segment = "wisher", title = { en = "Your wishes await" } } ]
"#;

async fn app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, RULES).expect("rules written");
    let figment = support::figment(&dir).merge(("personalisation.file", &rules));
    let rocket = tailor::build(figment).attach(stage());
    let client = Client::untracked(rocket).await.expect("the app launches");
    TestApp { client, _dir: dir }
}

#[rocket::async_test]
async fn a_feature_from_outside_plugs_into_the_record_pages_export_and_login() {
    // Arrange: a visitor with two items on the wishlist.
    let app = app().await;
    let b = Browser::new(&app.client);
    for item in ["silk-tie", "wool-scarf"] {
        let saved = b.send(app.post(format!("/wishlist/{item}"))).await;
        assert_eq!(saved.status(), Status::NoContent);
    }

    // Act and assert: its page hook puts its piece of the page context, under its
    // own name.
    let context = b.json("/wishlist").await;
    assert_eq!(context["saved"], 2, "{context}");
    assert_eq!(context["page"]["wishlist"]["saved"], 2, "{context}");
    assert_eq!(
        context["page"]["cart"]["count"], 0,
        "the others' pieces too"
    );

    // Its fact is read by a condition of the rules.
    let decision = b.json("/api/v1/personalisation").await;
    assert!(
        decision.to_string().contains("wisher"),
        "the segment on the wishlist holds: {decision}"
    );
    assert!(
        b.text("/").await.contains("Your wishes await"),
        "the slot shows it"
    );

    // Its privacy hook adds its part to the export.
    let export = b.json("/api/v1/session").await;
    assert_eq!(
        export["wishlist"]["items"],
        serde_json::json!(["silk-tie", "wool-scarf"])
    );
    assert!(
        export["preferences"].is_object(),
        "the others' parts are still there"
    );

    // Its login hook runs at login, and the part survives the new id.
    assert_eq!(
        b.register("wisher", "long enough password").await,
        Status::SeeOther
    );
    let export = b.json("/api/v1/session").await;
    assert_eq!(export["wishlist"]["logins"], 1);
    assert_eq!(
        export["wishlist"]["items"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(export["user"]["username"], "wisher");

    // Its conversion listener hears the checkout.
    let item = serde_json::json!({"product": "overcoat", "quantity": 1});
    let added = b.send_json(Method::Post, "/api/v1/cart/items", &item).await;
    assert!(added.status().code < 300, "{}", added.status());
    let before = ORDERS_SEEN.load(Ordering::Relaxed);
    let token = csrf_token(&b.text("/cart").await);
    let checkout = b
        .post_form("/cart/checkout", &[("csrf_token", &token)])
        .await;
    assert_eq!(checkout.status(), Status::SeeOther);
    assert_eq!(ORDERS_SEEN.load(Ordering::Relaxed), before + 1);
}

#[rocket::async_test]
async fn a_condition_on_a_fact_no_feature_offers_stops_the_launch() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rules = dir.path().join("rules.toml");
    // Without the wishlist's stage, nobody offers `wishlist_items`.
    std::fs::write(&rules, RULES).expect("rules written");
    let figment = support::figment(&dir).merge(("personalisation.file", &rules));
    let stopped = tailor::build(figment).ignite().await.err();
    let stopped = stopped.expect("the launch stops");
    assert!(
        matches!(stopped.kind(), rocket::error::ErrorKind::FailedFairings(_)),
        "at the rules' check"
    );
    let with_it = support::figment(&dir).merge(("personalisation.file", &rules));
    assert!(tailor::build(with_it)
        .attach(stage())
        .ignite()
        .await
        .is_ok());
}

#[test]
fn a_feature_attached_without_the_hooks_registry_stops_the_launch_saying_so() {
    // No web::stage(): the preferences' hooks have nowhere to go.
    let rocket = rocket::build().attach(tailor::preferences::stage());
    let launched = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rocket::local::blocking::Client::untracked(rocket).is_ok()
    }));
    let panic = launched.expect_err("the launch stops");
    let message = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default();
    assert!(
        message.contains("attach web::stage() first"),
        "the message says what to do: {message}"
    );
}
