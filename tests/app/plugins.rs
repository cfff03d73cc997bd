//! A feature added from outside the crate, as "Adding a feature" in docs/architecture.md
//! says: its own record part, a page hook, a privacy hook and a login hook,
//! registered in its own stage. Nothing in `web`, `record`, `privacy` or
//! `accounts` is edited for it, and it works end to end.

use rocket::fairing::AdHoc;
use rocket::http::{ContentType, Status};
use rocket::local::asynchronous::Client;
use serde::{Deserialize, Serialize};
use tailor::accounts::{add_account_hook, AccountHook, LoginEvent, LoginPhase, Unavailable};
use tailor::privacy::{add_privacy_hook, Export, PrivacyHook, Summary, Visitor};
use tailor::record::SessionData;
use tailor::web::{add_page_hook, Facts, PageContext, PageHook};
use tailor_session::parts::{self, Part};

use crate::support::{self, form, json, session_token, TestApp};

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

struct WishlistPage;

#[rocket::async_trait]
impl PageHook for WishlistPage {
    /// Adds the wishlist's size to the navigation's count, to show it is read.
    fn layout(&self, _facts: &Facts, data: Option<&SessionData>, layout: &mut PageContext) {
        let saved = data
            .and_then(|d| d.part::<Wishlist>())
            .map_or(0, |w| w.items.len());
        layout.cart_count += saved as u32 * 100;
    }
}

struct WishlistRights;

#[rocket::async_trait]
impl PrivacyHook for WishlistRights {
    async fn export(&self, visitor: &Visitor<'_, '_>, export: &mut Export) -> Result<(), Status> {
        export.put("wishlist", visitor.data.part_or_default::<Wishlist>());
        Ok(())
    }
    fn summarize(&self, _page: &tailor::web::Page<'_>, _summary: &mut Summary) {}
}

struct WishlistAtLogin;

#[rocket::async_trait]
impl AccountHook for WishlistAtLogin {
    async fn logged_in(&self, event: &LoginEvent<'_, '_>) -> Result<(), Unavailable> {
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

/// The wishlist's stage: its part, its hooks, its route. Its hooks are added
/// once the app's own stages have run (they keep the lists).
fn stage() -> AdHoc {
    parts::register::<Wishlist>();
    AdHoc::on_ignite("Wishlist", |rocket| async {
        rocket
            .mount("/", rocket::routes![add])
            .attach(AdHoc::on_ignite("Wishlist hooks", |rocket| async {
                add_page_hook(&rocket, WishlistPage);
                add_privacy_hook(&rocket, WishlistRights);
                add_account_hook(&rocket, LoginPhase::Follow, WishlistAtLogin);
                rocket
            }))
    })
}

async fn app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let rocket = tailor::build(support::figment(&dir)).attach(stage());
    let client = Client::tracked(rocket).await.expect("the app launches");
    TestApp { client, _dir: dir }
}

#[rocket::async_test]
async fn a_feature_from_outside_plugs_into_the_record_pages_export_and_login() {
    let app = app().await;
    let token = session_token(&app.client).await;
    for item in ["silk-tie", "wool-scarf"] {
        let saved = app.post(format!("/wishlist/{item}")).dispatch().await;
        assert_eq!(saved.status(), Status::NoContent);
    }

    // Its page hook fills its share of the layout.
    let page = app.get("/").dispatch().await.into_string().await.unwrap();
    assert!(
        page.contains(">200<"),
        "the count carries the wishlist: {page}"
    );

    // Its privacy hook adds its part to the export.
    let export = json(app.get("/api/v1/session").dispatch().await).await;
    assert_eq!(
        export["wishlist"]["items"],
        serde_json::json!(["silk-tie", "wool-scarf"])
    );
    assert!(
        export["preferences"].is_object(),
        "the others' parts are still there"
    );

    // Its login hook runs at login, and the part survives the new id.
    let registered = app
        .post("/register")
        .header(ContentType::Form)
        .body(form(&[
            ("csrf_token", &token),
            ("username", "wisher"),
            ("password", "long enough password"),
        ]))
        .dispatch()
        .await;
    assert_eq!(registered.status(), Status::SeeOther);
    let export = json(app.get("/api/v1/session").dispatch().await).await;
    assert_eq!(export["wishlist"]["logins"], 1);
    assert_eq!(
        export["wishlist"]["items"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(export["user"]["username"], "wisher");
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
