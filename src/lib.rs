//! tailor: a personalisation server on Rocket 0.5.
//!
//! [`rocket()`] builds the application from `Rocket.toml` and `ROCKET_*`
//! variables; [`build`] from any figment (tests and benchmarks use it). At ignite
//! the typed settings are read (a bad one stops the launch), the secret key is
//! settled, the session store chosen, and each feature attaches its own stage.

pub mod admin;
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

use crate::config::{AdminSettings, DraftSettings, SessionSettings, StoreKind, TrackingSettings};
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
    let figment = rocket.figment();
    let read = SessionSettings::from_figment(figment).and_then(|session| {
        let drafts = DraftSettings::from_figment(figment)?;
        let tracking = TrackingSettings::from_figment(figment)?;
        Ok((
            session,
            drafts,
            AdminSettings::from_figment(figment)?,
            tracking,
        ))
    });
    let (settings, draft_settings, admin_settings, tracking_settings) = match read {
        Ok(all) => all,
        Err(e) => {
            rocket::error!("{e}");
            return Err(rocket);
        }
    };
    let figment = match config::with_secret_key(rocket.figment().clone(), &settings.data_dir) {
        Ok(figment) => figment,
        Err(e) => {
            rocket::error!("{e}");
            return Err(rocket);
        }
    };
    let store: Arc<dyn SessionStore<SessionData>> = match settings.store {
        StoreKind::Memory => Arc::new(MemoryStore::new(
            std::time::Duration::from_secs(settings.idle_timeout_secs),
            settings.capacity,
        )),
    };
    Ok(rocket
        .configure(figment)
        .attach(session::stage(store, settings.session_config()))
        .attach(web::stage(settings.trusted_proxies.clone()))
        .attach(ops::stage())
        .attach(pages::stage())
        .attach(preferences::stage())
        .attach(privacy::stage())
        .attach(admin::stage(admin_settings))
        .attach(drafts::stage(draft_settings))
        .attach(tracking::stage(tracking_settings)))
}
