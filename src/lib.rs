//! tailor: a personalisation server on Rocket 0.5.
//!
//! [`rocket()`] builds the application from `Rocket.toml` and `ROCKET_*`
//! variables; [`build`] from any figment (tests and benchmarks use it). At ignite
//! the typed settings are read (a bad one stops the launch), the secret key is
//! settled, the database opened and migrated, the session store chosen, and each
//! feature attaches its own stage.

pub mod accounts;
pub mod admin;
pub mod cart;
pub mod config;
pub mod conversions;
pub mod data;
pub mod decisions;
pub mod drafts;
pub mod experiments;
pub mod hashing;
pub mod http;
pub mod i18n;
pub mod limits;
pub mod ops;
pub mod pages;
pub mod personalisation;
pub mod preferences;
pub mod privacy;
pub mod record;
pub mod stores;
pub mod tracking;
pub mod web;

use rocket::fairing::{self, AdHoc};
use rocket::figment::Figment;
use rocket::fs::{relative, FileServer};
use rocket::{Build, Rocket};

/// The application as configured by `Rocket.toml` and the environment.
pub fn rocket() -> Rocket<Build> {
    build(rocket::Config::figment())
}

/// The application as configured by `figment`.
pub fn build(figment: Figment) -> Rocket<Build> {
    let figment = figment.join(("template_dir", relative!("templates")));
    rocket::custom(figment)
        .attach(AdHoc::try_on_ignite("Configuration", configure))
        .attach(web::template::stage())
        .mount("/static", FileServer::from(relative!("static")))
}

/// Reads and checks the settings the launch needs (a bad one stops it, naming the
/// key), then attaches every stage: the shared stores, the web edge, operations
/// and the features, each reading what it needs from managed state.
async fn configure(rocket: Rocket<Build>) -> fairing::Result {
    let rocket = config::settle(rocket)?;
    Ok(rocket
        .attach(stores::stage())
        .attach(web::stage())
        .attach(ops::stage())
        // Before the features: privacy and accounts keep the hook lists they add to.
        .attach(privacy::stage())
        .attach(personalisation::stage())
        .attach(accounts::stage())
        .attach(pages::stage())
        .attach(preferences::stage())
        .attach(admin::stage())
        .attach(drafts::stage())
        .attach(tracking::stage())
        .attach(experiments::stage())
        .attach(cart::stage())
        .attach(decisions::stage())
        // Last, after the visit recorder: a session a page began and nothing
        // stored is stored after the response.
        .attach(AdHoc::on_ignite("Begun sessions", |rocket| async {
            rocket.attach(tailor_session::commit::<record::SessionData>())
        })))
}
