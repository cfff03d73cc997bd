//! What operators read: `/healthz` (the process answers), `/readyz` (the session
//! store and the database answer) and `/metrics` ([`metrics`]: live sessions,
//! requests and their latency by route template, store operation latency, the
//! render cache, store and database errors). A scrape costs the same whatever the
//! number of sessions: one store command at most.

#[cfg(feature = "heap-count")]
pub mod heap;
pub mod metrics;
mod timed;

/// Calls `tick` with the tick's number every `period` (the first at once) until
/// `shutdown`: the loop of every background task (flushes, purges, reloads).
/// Spawn it: `rocket::tokio::spawn(ops::every(rocket.shutdown(), PERIOD, async move |n| ...))`.
pub async fn every(
    mut shutdown: rocket::Shutdown,
    period: std::time::Duration,
    mut tick: impl AsyncFnMut(u64),
) {
    let mut interval = rocket::tokio::time::interval(period);
    let mut n: u64 = 0;
    loop {
        rocket::tokio::select! {
            _ = interval.tick() => {
                tick(n).await;
                n += 1;
            }
            _ = &mut shutdown => break,
        }
    }
}

pub use timed::TimedStore;

use std::sync::atomic::Ordering;
use std::sync::Arc;

use rocket::fairing::AdHoc;
use rocket::http::{ContentType, Status};
use rocket::request::{FromRequest, Outcome};
use rocket::{get, routes, Request, State};

use crate::data::Db;
use crate::record::SessionData;
use tailor_session::{MemoryStore, SessionLayer};

/// The `[<profile>.ops]` table.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OpsSettings {
    /// When set, `/metrics` answers only to `Authorization: Bearer <token>`.
    pub metrics_token: Option<String>,
}

/// Request guard of `/metrics`: the bearer token, when one is configured (401
/// otherwise; compared in constant time). Without one, loopback clients only
/// (403 otherwise): the figures (the render cache's hits among them) are not
/// for the world to read.
pub struct MetricsAccess;

#[rocket::async_trait]
impl<'r> FromRequest<'r> for MetricsAccess {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let expected = request
            .rocket()
            .state::<OpsSettings>()
            .and_then(|o| o.metrics_token.as_deref())
            .filter(|t| !t.is_empty());
        let Some(expected) = expected else {
            return if from_loopback(request) {
                Outcome::Success(MetricsAccess)
            } else {
                Outcome::Error((Status::Forbidden, ()))
            };
        };
        let given = crate::http::header(request, "Authorization")
            .and_then(|h| h.strip_prefix("Bearer "))
            .unwrap_or_default();
        let same: bool =
            subtle::ConstantTimeEq::ct_eq(given.trim().as_bytes(), expected.as_bytes()).into();
        if same {
            Outcome::Success(MetricsAccess)
        } else {
            Outcome::Error((Status::Unauthorized, ()))
        }
    }
}

/// Whether the request comes from this host: its client address (through the
/// trusted proxies) is a loopback one and it carries no `X-Forwarded-For` at all
/// (a proxy on this host forwards the world's requests from 127.0.0.1). A
/// request without a peer is made inside the process (tests).
fn from_loopback(request: &Request<'_>) -> bool {
    if request.headers().contains("X-Forwarded-For") {
        return false;
    }
    let trusted = request
        .rocket()
        .state::<crate::limits::TrustedProxies>()
        .map_or(&[][..], |t| &t.0[..]);
    match crate::limits::client_address(request, trusted) {
        None => true,
        Some(std::net::IpAddr::V4(v4)) => v4.is_loopback(),
        Some(std::net::IpAddr::V6(v6)) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

/// The memory store, when sessions are in memory, for its bytes gauge.
pub struct MemoryGauge(pub Option<Arc<MemoryStore<SessionData>>>);

#[get("/healthz")]
fn healthz() -> &'static str {
    "ok\n"
}

#[get("/readyz")]
async fn readyz(
    layer: &State<SessionLayer<SessionData>>,
    db: &State<Db>,
) -> (Status, &'static str) {
    if layer.store().ping().await.is_err() {
        return (Status::ServiceUnavailable, "store unavailable\n");
    }
    match db.ping().await {
        Ok(()) => (Status::Ok, "ready\n"),
        Err(_) => (Status::ServiceUnavailable, "database unavailable\n"),
    }
}

#[get("/metrics")]
async fn scrape(
    _access: MetricsAccess,
    layer: &State<SessionLayer<SessionData>>,
    metrics: &State<Arc<metrics::Metrics>>,
    templates: &State<crate::web::template::Templates>,
    memory: &State<MemoryGauge>,
) -> (ContentType, String) {
    if let Ok(live) = layer.store().count().await {
        metrics
            .sessions_live
            .set(i64::try_from(live).unwrap_or(i64::MAX));
    }
    if let (Some(gauge), Some(store)) = (&metrics.session_bytes, &memory.0) {
        gauge.set(i64::try_from(store.bytes()).unwrap_or(i64::MAX));
    }
    let sources = &metrics.sources;
    sources
        .store_errors
        .store(layer.store_errors(), Ordering::Relaxed);
    sources
        .data_errors
        .store(crate::data::failures(), Ordering::Relaxed);
    let (hits, misses) = templates.cache_counts();
    sources.cache_hits.store(hits, Ordering::Relaxed);
    sources.cache_misses.store(misses, Ordering::Relaxed);
    let openmetrics = ContentType::new("application", "openmetrics-text")
        .with_params([("version", "1.0.0"), ("charset", "utf-8")]);
    (openmetrics, metrics.encode())
}

/// Health, readiness and metrics.
pub fn stage() -> AdHoc {
    AdHoc::try_on_ignite("Operations", |rocket| async {
        let Some(metrics) = crate::config::shared::<Arc<metrics::Metrics>>(&rocket, "the metrics")
        else {
            return Err(rocket);
        };
        let Some(settings) =
            crate::config::read(&rocket, |f| crate::config::table::<OpsSettings>(f, "ops"))
        else {
            return Err(rocket);
        };
        if settings.metrics_token.as_deref().is_none_or(str::is_empty) {
            rocket::info!(
                "/metrics answers loopback clients only (without X-Forwarded-For); set \
                 ops.metrics_token to scrape it from elsewhere with a bearer token"
            );
        }
        Ok(rocket
            .manage::<OpsSettings>(settings)
            .attach(metrics::Observer(metrics))
            .mount("/", routes![healthz, readyz, scrape]))
    })
}
