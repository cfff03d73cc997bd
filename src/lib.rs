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
pub mod tracking;
pub mod web;

use std::sync::Arc;

use rocket::fairing::{self, AdHoc};
use rocket::figment::Figment;
use rocket::fs::{relative, FileServer};
use rocket::{Build, Rocket};

use crate::config::{Settings, StoreKind};
use crate::data::Db;
use crate::record::SessionData;
use tailor_session::{snapshot, MemoryStore, RedisStore, SessionStore, Weigher};

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
    if let Err(e) = config::data_dir::secure(&session.data_dir) {
        rocket::error!("{e}");
        return Err(rocket);
    }
    let figment = match config::with_secret_key(rocket.figment().clone(), &session.data_dir) {
        Ok(figment) => figment,
        Err(e) => {
            rocket::error!("{e}");
            return Err(rocket);
        }
    };
    // Stateless form tokens are sealed with the app's secret key (a configured
    // one, or the generated one), so they stay good across instances and restarts.
    let form_key = figment
        .extract_inner::<String>("secret_key")
        .ok()
        .and_then(|k| config::parse_key(k.trim()))
        .unwrap_or_else(cookie::Key::generate);
    let db = match Db::open(&settings.data, &session.data_dir).await {
        Ok(db) => db,
        Err(e) => {
            rocket::error!("{e}");
            return Err(rocket);
        }
    };
    // Rocket believes `X-Real-IP` from anyone; tailor finds the client itself
    // (`limits::client_address`), from the peer or a trusted proxy's hop.
    let figment = if session.trusted_proxies.is_empty() {
        figment.merge(("ip_header", false))
    } else {
        figment
    };
    // No `Server: Rocket` header unless the operator names one: it tells an
    // attacker what runs here, and costs a header write on every response.
    let ident_set = figment
        .find_metadata("ident")
        .is_some_and(|m| !m.name.contains("default"));
    let figment = if ident_set {
        figment
    } else {
        figment.merge(("ident", false))
    };
    let idle = std::time::Duration::from_secs(session.idle_timeout_secs);
    let mut limiter = Arc::new(limits::Limiter::memory());
    let store: Arc<dyn SessionStore<SessionData>> = match session.store {
        StoreKind::Memory => {
            let weigher = Weigher {
                keep: SessionData::worth_keeping,
                bytes: SessionData::footprint,
            };
            let max_bytes = usize::try_from(session.max_memory_bytes).unwrap_or(usize::MAX);
            let store = MemoryStore::new(idle, session.capacity).with_weigher(weigher, max_bytes);
            let store = Arc::new(store);
            let every = (session.snapshot_interval_secs > 0)
                .then(|| std::time::Duration::from_secs(session.snapshot_interval_secs));
            let path = session.data_dir.join(snapshot::FILE);
            let snapshots = snapshot::Snapshots::new(store.clone(), path, every);
            rocket = rocket
                .attach(snapshots.stage())
                .manage(ops::MemoryGauge(Some(store.clone())));
            store
        }
        StoreKind::Redis => {
            let redis = match limits::Redis::open(&session.redis_url, &session.redis_prefix) {
                Ok(redis) => redis,
                Err(e) => {
                    rocket::error!("invalid configuration: session.redis_url: {e}");
                    return Err(rocket);
                }
            };
            if !db.is_shared() {
                rocket::warn!(
                    "session.store = \"redis\" with the embedded database ({}): accounts, \
                     orders and submissions are kept per instance; give every instance the \
                     same PostgreSQL in data.url",
                    db.describe()
                );
            }
            rocket = rocket.manage(ops::MemoryGauge(None)).manage(redis.clone());
            limiter = Arc::new(limits::Limiter::redis(redis.clone()));
            if let Err(e) = import_earlier_version(&db, &redis, &session.redis_prefix).await {
                rocket::error!("{e}");
                return Err(rocket);
            }
            Arc::new(RedisStore::new(redis.conn(), &session.redis_prefix, idle))
        }
    };
    let metrics = Arc::new(ops::metrics::Metrics::new(
        session.store == StoreKind::Memory,
    ));
    let store = Arc::new(ops::TimedStore::new(store, &metrics));
    let hashing = Arc::new(hashing::HashPool::for_machine());
    Ok(rocket
        .configure(figment)
        .manage(db.clone())
        .manage(limiter.clone())
        .manage(hashing.clone())
        .attach(tailor_session::stage(store, session.session_config()))
        .attach(web::stage(
            session.trusted_proxies.clone(),
            session.cookie_secure,
            web::tokens::FormTokens::new(form_key),
        ))
        .attach(ops::stage(metrics))
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
        .attach(decisions::stage()))
}

/// Imports (once) the accounts, orders, submissions and counters an earlier
/// version kept in Redis.
async fn import_earlier_version(
    db: &Db,
    redis: &limits::Redis,
    prefix: &str,
) -> Result<(), data::import::ImportError> {
    let catalog = cart::Catalog::load(&cart::catalog_path()).ok();
    let price = |slug: &str| {
        let product = catalog.as_ref()?.find(slug)?;
        i64::try_from(product.price_cents).ok()
    };
    if let Some(done) = db.import_legacy_redis(redis.conn(), prefix, &price).await? {
        rocket::info!(
            "imported from Redis (prefix {prefix:?}) what an earlier version kept there: \
             {} accounts, {} orders, {} submissions, {} counters; the old keys are left \
             in Redis (docs/operations.md says how to remove them)",
            done.accounts,
            done.orders,
            done.submissions,
            done.counters
        );
        if done.unlinked_orders > 0 {
            rocket::warn!(
                "{} imported orders were placed under a username before its current account                  was created (the name was registered again since): they are kept without an                  account, not given to the name's new holder",
                done.unlinked_orders
            );
        }
    }
    Ok(())
}
