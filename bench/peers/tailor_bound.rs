//! The floor under a personalised page: tailor as configured, plus one route,
//! `/bound`, that does only what every page view of a known visitor must do (load
//! the session from its private cookie, append the view to the visit log, pass
//! tailor's security headers) and answers the static page of `rocket_hello`'s
//! `/page` (4,500 bytes) instead of rendering anything. No hook, no rules, no
//! template: what a page served whole from a per-session memory would cost before
//! checking that the memory is still right. `bench/instructions` counts it as
//! `tailor_bound`.
//! Built by `bench/instructions` as `cargo build --release --example tailor_bound`.

use rocket::request::{FromRequest, Outcome};
use rocket::response::content::RawHtml;
use rocket::Request;
use tailor::record::SessionData;
use tailor::tracking::{Visit, Visits};
use tailor_session::{update_late, Session};

/// The same allocator as the `tailor` binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "page.rs"]
mod static_page;
use static_page::PAGE;

/// The request itself, for the write after the answer (as tailor's visit
/// recorder makes it: from the copy the request read, given up for the write).
struct Raw<'r>(&'r Request<'r>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Raw<'r> {
    type Error = ();
    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        Outcome::Success(Raw(request))
    }
}

#[rocket::get("/bound")]
async fn bound(session: Session<'_, SessionData>, raw: Raw<'_>) -> RawHtml<&'static str> {
    if let Some(id) = session.id() {
        let visit = Visit {
            path: "/".into(),
            at: chrono::Utc::now(),
            referrer: None,
        };
        let mut append = |data: &mut SessionData| {
            let visits = data.part_mut::<Visits>();
            visits.push(visit.clone());
            let excess = visits.len().saturating_sub(100);
            visits.drain(..excess);
        };
        // As tailor's visit recorder writes: from the copy the request read.
        let _ = update_late(raw.0, &id, &mut append).await;
    }
    RawHtml(PAGE.as_str())
}

#[rocket::launch]
fn launch() -> _ {
    tailor::rocket().mount("/", rocket::routes![bound])
}
