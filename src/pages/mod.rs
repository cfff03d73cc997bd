//! The home page, personalised from the session record: greeting, campaign
//! banner, draft notices, preferences, recently viewed pages.

use rocket::fairing::AdHoc;
use rocket::{get, routes};
use serde::Serialize;

use crate::cart::{products_among, ProductView};
use crate::drafts::{drafts_as, DraftNotice};
use crate::preferences::Preferences;
use crate::tracking::with_recent_paths;
use crate::web::template::Template;
use crate::web::Page;

/// The campaign banner of a visitor whose last touch matches one.
#[derive(Serialize)]
struct Banner {
    text: String,
    link: Option<String>,
}

#[derive(Serialize)]
struct HomeView {
    banner: Option<Banner>,
    drafts: Vec<DraftNotice>,
    /// Products the visitor looked at recently, newest first.
    products: Vec<ProductView>,
    /// Recently viewed pages: (path, title).
    recent: Vec<(String, String)>,
    theme: &'static str,
    timezone: &'static str,
    language_chosen: bool,
}

impl HomeView {
    /// The home page of `page`'s visitor, each piece from the feature that holds it.
    fn new(page: &Page<'_>) -> Self {
        let prefs = page.part_or_default::<Preferences>();
        let banner = crate::tracking::banner(page).map(|b| Banner {
            text: b.text(page.lang).to_owned(),
            link: b.link.clone(),
        });
        // One walk of the history: the newest 20 distinct paths hold both the 5
        // recent pages other than this one and the products among them.
        let (recent, products) = with_recent_paths(page, 20, &[], |paths| {
            let recent = paths
                .iter()
                .filter(|&&path| path != "/")
                .take(5)
                .map(|&path| (path.to_owned(), page.title_of(path)))
                .collect();
            (recent, products_among(page, paths, 4))
        });
        HomeView {
            products,
            banner,
            drafts: drafts_as(page, DraftNotice::new),
            recent,
            theme: prefs.theme.code(),
            timezone: prefs.timezone.name(),
            language_chosen: prefs.language.is_some(),
        }
    }
}

#[get("/")]
fn home(page: Page<'_>) -> Template {
    page.render("home", HomeView::new(&page))
}

/// The home page.
pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Home", |rocket| async { rocket.mount("/", routes![home]) })
}
