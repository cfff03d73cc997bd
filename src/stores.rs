//! The shared resources every stage reads from managed state: the database, the
//! session store as configured (memory, with its snapshots; or Redis, with the
//! import of what an earlier version kept there), timed for the metrics, the
//! limiter that goes with the store, and the password-hashing pool.

use std::sync::Arc;

use rocket::fairing::AdHoc;
use rocket::{Build, Rocket};

use crate::config::{SessionSettings, Settings, StoreKind};
use crate::data::Db;
use crate::record::SessionData;
use crate::{cart, data, hashing, limits, ops};
use tailor_session::{snapshot, MemoryStore, RedisStore, SessionStore, Weigher};

/// Opens the database, chooses the session store and manages them, with the
/// limiter, the hashing pool and the metrics (after `config::stage`).
pub fn stage() -> AdHoc {
    AdHoc::try_on_ignite("Stores", |rocket| async {
        let Some(settings) = rocket.state::<Settings>() else {
            rocket::error!("the settings are not there: attach config::stage() first");
            return Err(rocket);
        };
        let db = match Db::open(&settings.data, &settings.session.data_dir).await {
            Ok(db) => db,
            Err(e) => {
                rocket::error!("{e}");
                return Err(rocket);
            }
        };
        let (rocket, store, limiter) = session_store(rocket, &db).await?;
        let memory = rocket
            .state::<Settings>()
            .is_some_and(|s| s.session.store == StoreKind::Memory);
        let metrics = Arc::new(ops::metrics::Metrics::new(memory));
        let store = timed(store, &metrics);
        let config = match rocket.state::<Settings>() {
            Some(settings) => settings.session.session_config(),
            None => return Err(rocket),
        };
        Ok(rocket
            .manage(db)
            .manage(limiter)
            .manage(Arc::new(hashing::HashPool::for_machine()))
            .manage(metrics)
            .attach(tailor_session::stage(store, config)))
    })
}

/// The memory store as tailor configures it: `session.capacity` sessions at most,
/// `session.max_memory_bytes` by `weigher`'s measure (evicting first what no
/// visitor chose), `idle` before a session expires.
pub fn memory_store<R: tailor_session::Record>(
    session: &SessionSettings,
    idle: std::time::Duration,
    weigher: Weigher<R>,
) -> Arc<MemoryStore<R>> {
    let max_bytes = usize::try_from(session.max_memory_bytes).unwrap_or(usize::MAX);
    Arc::new(MemoryStore::new(idle, session.capacity).with_weigher(weigher, max_bytes))
}

/// The Redis store as tailor configures it: on `redis`'s connection, every key
/// under `prefix`, `idle` before a session expires, records written in the form
/// `session` says, each write waiting for the replicas it says, the sessions it
/// says kept decoded.
pub fn redis_store<R: tailor_session::Record + tailor_session::parts::WithParts + PartialEq>(
    redis: &limits::Redis,
    prefix: &str,
    idle: std::time::Duration,
    session: &SessionSettings,
) -> Arc<RedisStore<R>> {
    let wait = std::time::Duration::from_millis(session.redis_wait_timeout_ms);
    Arc::new(
        RedisStore::new(redis.conn(), prefix, idle)
            .with_format(session.record_format)
            .with_replicas(session.redis_wait_replicas, wait)
            .with_cache(session.redis_cache_sessions),
    )
}

/// A store timed as tailor times it: every operation's latency and outcome in
/// `metrics`.
pub fn timed<R: tailor_session::Record>(
    store: Arc<dyn SessionStore<R>>,
    metrics: &ops::metrics::Metrics,
) -> Arc<ops::TimedStore<R>> {
    Arc::new(ops::TimedStore::new(store, metrics))
}

/// The session store `session.store` names, and the limiter that goes with it
/// (Redis's when sessions are in Redis, so every instance counts alike).
async fn session_store(
    mut rocket: Rocket<Build>,
    db: &Db,
) -> Result<
    (
        Rocket<Build>,
        Arc<dyn SessionStore<SessionData>>,
        Arc<limits::Limiter>,
    ),
    Rocket<Build>,
> {
    let Some(session) = rocket.state::<Settings>().map(|s| s.session.clone()) else {
        return Err(rocket);
    };
    let idle = std::time::Duration::from_secs(session.idle_timeout_secs);
    match session.store {
        StoreKind::Memory => {
            let weigher = Weigher {
                keep: SessionData::worth_keeping,
                bytes: SessionData::footprint,
            };
            let store = memory_store(&session, idle, weigher);
            let every = (session.snapshot_interval_secs > 0)
                .then(|| std::time::Duration::from_secs(session.snapshot_interval_secs));
            let path = session.data_dir.join(snapshot::FILE);
            let snapshots = snapshot::Snapshots::new(store.clone(), path, every)
                .with_format(session.record_format);
            rocket = rocket
                .attach(snapshots.stage())
                .manage(ops::MemoryGauge(Some(store.clone())));
            Ok((rocket, store, Arc::new(limits::Limiter::memory())))
        }
        StoreKind::Redis => {
            let cluster = !session.redis_cluster_nodes.is_empty();
            let redis = if cluster {
                limits::Redis::open_cluster(&session.redis_cluster_nodes, &session.redis_prefix)
            } else {
                limits::Redis::open(&session.redis_url, &session.redis_prefix)
            };
            let redis = match redis {
                Ok(redis) => redis,
                Err(e) => {
                    rocket::error!(
                        "invalid configuration: session.redis_url or redis_cluster_nodes: {e}"
                    );
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
            // No earlier version kept its data in a cluster.
            if !cluster {
                if let Err(e) = import_earlier_version(db, &redis, &session.redis_prefix).await {
                    rocket::error!("{e}");
                    return Err(rocket);
                }
            }
            let limiter = Arc::new(limits::Limiter::redis(redis.clone()));
            let store = redis_store(&redis, &session.redis_prefix, idle, &session);
            rocket = rocket.manage(ops::MemoryGauge(None)).manage(redis);
            Ok((rocket, store, limiter))
        }
    }
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
