//! tailor: a personalisation server on Rocket 0.5.
//!
//! [`rocket()`] builds the application from `Rocket.toml` and `ROCKET_*`
//! variables; [`build`] from any figment (tests and benchmarks use it). At ignite
//! the typed settings are read (a bad one stops the launch), the secret key is
//! settled, the session store chosen, and each feature attaches its own stage.

pub mod accounts;
pub mod admin;
pub mod backend;
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

use crate::accounts::{AccountStore, MemoryAccounts, RedisAccounts};
use crate::backend::Backend;
use crate::config::{Settings, StoreKind};
use crate::record::SessionData;
use crate::session::{snapshot, MemoryStore, RedisConnection, RedisStore, SessionStore};

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

async fn configure(mut rocket: Rocket<Build>) -> fairing::Result {
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
    let idle = std::time::Duration::from_secs(session.idle_timeout_secs);
    let (backend, store, accounts): (
        Backend,
        Arc<dyn SessionStore<SessionData>>,
        Arc<dyn AccountStore>,
    ) = match session.store {
        StoreKind::Memory => {
            let store = Arc::new(MemoryStore::new(idle, session.capacity));
            let snapshots = snapshot::Snapshots::new(store.clone(), &session);
            rocket = rocket.attach(snapshots.stage());
            (Backend::Memory, store, Arc::new(MemoryAccounts::default()))
        }
        StoreKind::Redis => {
            match RedisConnection::open(&session.redis_url, &session.redis_prefix) {
                Ok(redis) => (
                    Backend::Redis(redis.clone()),
                    Arc::new(RedisStore::new(redis.clone(), idle)),
                    Arc::new(RedisAccounts::new(redis)),
                ),
                Err(e) => {
                    rocket::error!("invalid configuration: session.redis_url: {e}");
                    return Err(rocket);
                }
            }
        }
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
        .attach(drafts::stage(settings.drafts, backend.clone()))
        .attach(tracking::stage(settings.tracking, backend.clone()))
        .attach(cart::stage(orders_kept, backend))
        .attach(accounts::stage(settings.accounts, accounts)))
}
