//! tailor: a personalisation server on Rocket 0.5.
//!
//! [`rocket()`] builds the application from `Rocket.toml` and `ROCKET_*`
//! variables; [`build`] from any figment (tests and benchmarks use it). At ignite
//! the typed settings are read (a bad one stops the launch), the secret key is
//! settled, the session store chosen, and each feature attaches its own stage.

pub mod accounts;
pub mod admin;
pub mod cart;
pub mod config;
pub mod drafts;
pub mod i18n;
pub mod ops;
pub mod pages;
pub mod preferences;
pub mod privacy;
pub mod record;
pub mod session;
pub mod tracking;
pub mod web;

use std::sync::Arc;

use rocket::fairing::{self, AdHoc};
use rocket::figment::Figment;
use rocket::fs::{relative, FileServer};
use rocket::{Build, Rocket};
use rocket_dyn_templates::Template;

use crate::config::{Settings, StoreKind};
use crate::record::SessionData;
use crate::session::{MemoryStore, SessionStore};

/// The application as configured by `Rocket.toml` and the environment.
pub fn rocket() -> Rocket<Build> {
    build(rocket::Config::figment())
}

/// The application as configured by `figment`.
pub fn build(figment: Figment) -> Rocket<Build> {
    let figment = figment.join(("template_dir", relative!("templates")));
    rocket::custom(figment)
        .attach(AdHoc::try_on_ignite("Configuration", configure))
        .attach(Template::fairing())
        .mount("/static", FileServer::from(relative!("static")))
}

async fn configure(rocket: Rocket<Build>) -> fairing::Result {
    let settings = match Settings::from_figment(rocket.figment()) {
        Ok(settings) => settings,
        Err(e) => {
            rocket::error!("{e}");
            return Err(rocket);
        }
    };
    let session = settings.session;
    let figment = match config::with_secret_key(rocket.figment().clone(), &session.data_dir) {
        Ok(figment) => figment,
        Err(e) => {
            rocket::error!("{e}");
            return Err(rocket);
        }
    };
    let store: Arc<dyn SessionStore<SessionData>> = match session.store {
        StoreKind::Memory => Arc::new(MemoryStore::new(
            std::time::Duration::from_secs(session.idle_timeout_secs),
            session.capacity,
        )),
    };
    let orders_kept = settings.accounts.orders_kept;
    Ok(rocket
        .configure(figment)
        .attach(session::stage(store, session.session_config()))
        .attach(web::stage(session.trusted_proxies.clone()))
        .attach(ops::stage())
        .attach(pages::stage())
        .attach(preferences::stage())
        .attach(privacy::stage())
        .attach(admin::stage(settings.admin))
        .attach(drafts::stage(settings.drafts))
        .attach(tracking::stage(settings.tracking))
        .attach(cart::stage(orders_kept))
        .attach(accounts::stage(settings.accounts)))
}
