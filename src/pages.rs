//! The home page, personalised from the session record: greeting, campaign
//! banner, draft notices, preferences, recently viewed pages.

use crate::web::template::Template;
use rocket::fairing::AdHoc;
use rocket::{get, routes, State};
use serde::Serialize;

use std::sync::Arc;

use crate::cart::{Catalog, ProductView};
use crate::drafts::{draft_infos, DraftInfo};
use crate::tracking::{model::recent_paths, TrackingConfig};
use crate::web::{context::NAV, Page};

/// The campaign banner of a visitor whose last touch matches one.
#[derive(Serialize)]
struct Banner {
    text: String,
    link: Option<String>,
}

#[derive(Serialize)]
struct HomeView {
    banner: Option<Banner>,
    drafts: Vec<DraftInfo>,
    /// Products the visitor looked at recently, newest first.
    products: Vec<ProductView>,
    /// Recently viewed pages: (path, `nav.*` key of a known page).
    recent: Vec<(String, Option<&'static str>)>,
    theme: &'static str,
    timezone: &'static str,
    language_chosen: bool,
}

#[get("/")]
fn home(
    page: Page<'_>,
    tracking: &State<TrackingConfig>,
    catalog: &State<Arc<Catalog>>,
) -> Template {
    let prefs = page.part_or_default::<crate::preferences::Preferences>();
    let data = page.data();
    let last_touch = data.as_ref().and_then(|d| {
        d.part::<crate::tracking::Campaigns>()?
            .last_touch
            .as_deref()
    });
    let banner = last_touch
        .and_then(|t| tracking.banners.iter().find(|b| b.matches(t)))
        .map(|b| Banner {
            text: b.text(page.lang).to_owned(),
            link: b.link.clone(),
        });
    let recent = data
        .as_ref()
        .map(|d| {
            recent_paths(
                d.part::<crate::tracking::Visits>()
                    .map_or(&[][..], |v| &v.0),
                5,
                &["/"],
            )
        })
        .unwrap_or_default()
        .into_iter()
        .map(|path| {
            let key = NAV.iter().find(|(p, _)| *p == path).map(|(_, k)| *k);
            (path.to_owned(), key)
        })
        .collect();
    let products = data
        .as_ref()
        .map(|d| {
            recent_paths(
                d.part::<crate::tracking::Visits>()
                    .map_or(&[][..], |v| &v.0),
                20,
                &[],
            )
        })
        .unwrap_or_default()
        .iter()
        .filter_map(|path| catalog.find(path.strip_prefix("/products/")?))
        .take(4)
        .map(|p| ProductView::new(p, page.lang))
        .collect();
    let view = HomeView {
        products,
        banner,
        drafts: draft_infos(&page),
        recent,
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
