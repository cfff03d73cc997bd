//! The home page, personalised from the session record.

use rocket::fairing::AdHoc;
use rocket::{get, routes};
use rocket_dyn_templates::Template;
use serde::Serialize;

use crate::web::Page;

#[derive(Serialize)]
struct HomeView {
    drafts: Vec<crate::drafts::DraftInfo>,
    theme: &'static str,
    timezone: &'static str,
    language_chosen: bool,
}

#[get("/")]
fn home(page: Page<'_>) -> Template {
    let prefs = page.preferences();
    let view = HomeView {
        drafts: crate::drafts::draft_infos(&page),
        theme: prefs.theme.code(),
        timezone: prefs.timezone.name(),
        language_chosen: prefs.language.is_some(),
    };
    page.render("home", view)
}

/// The home page.
pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Home", |rocket| async { rocket.mount("/", routes![home]) })
}
