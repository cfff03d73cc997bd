//! The ceiling for anything on Rocket: a bare "hello" with Rocket's defaults, and
//! the same server answering a static HTML page as large as tailor's home page
//! (`/page`, 4,500 bytes), which separates the cost of personalising a page from
//! the cost of sending one.
//! Built by `bench/run` as `cargo build --release --example rocket_hello`.

use rocket::response::content::RawHtml;

#[rocket::get("/")]
fn hello() -> &'static str {
    "Hello, world!"
}

#[path = "page.rs"]
mod static_page;
use static_page::PAGE;

#[rocket::get("/page")]
fn page() -> RawHtml<&'static str> {
    RawHtml(PAGE.as_str())
}

#[rocket::launch]
fn launch() -> _ {
    rocket::build().mount("/", rocket::routes![hello, page])
}
