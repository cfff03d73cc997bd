//! What operators read: `/healthz` (the process answers), `/readyz` (the session
//! store and the database answer) and `/metrics` (Prometheus text: live sessions,
//! requests by route template and status, store and database errors). A scrape
//! costs the same whatever the number of sessions: one store command at most.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use rocket::fairing::{AdHoc, Fairing, Info, Kind};
use rocket::http::{ContentType, Status};
use rocket::request::{FromRequest, Outcome};
use rocket::{get, routes, Orbit, Request, Response, Rocket, State};

use crate::data::Db;
use crate::record::SessionData;
use tailor_session::{MemoryStore, SessionLayer};

/// Responses sent, by route template (never a raw path: a label per route, not
/// per URL anyone can invent) and status code.
#[derive(Default)]
pub struct RequestCounter {
    /// The routes' labels (method, template), known at liftoff; the last slot is
    /// for requests no route served.
    labels: OnceLock<Vec<(String, String)>>,
    /// Each route's address in the router (the `&Route` a request carries points
    /// there), sorted, with its slot: a lookup allocates and hashes nothing.
    index: OnceLock<Vec<(usize, usize)>>,
    /// Per route, per status code 100..=599.
    counts: OnceLock<Vec<Box<[AtomicU64]>>>,
}

const STATUSES: usize = 500;

impl RequestCounter {
    fn learn(&self, rocket: &Rocket<Orbit>) {
        let label = |r: &rocket::Route| (r.method.to_string(), r.uri.as_str().to_owned());
        let mut labels: Vec<(String, String)> = rocket.routes().map(label).collect();
        labels.sort();
        labels.dedup();
        let slots: HashMap<(String, String), usize> = labels
            .iter()
            .enumerate()
            .map(|(i, l)| (l.clone(), i))
            .collect();
        let mut index: Vec<(usize, usize)> = rocket
            .routes()
            .filter_map(|r| Some((r as *const rocket::Route as usize, *slots.get(&label(r))?)))
            .collect();
        index.sort_unstable();
        let counts = (0..=labels.len())
            .map(|_| (0..STATUSES).map(|_| AtomicU64::new(0)).collect())
            .collect();
        labels.push(("any".into(), "(no route)".into()));
        let _ = self.labels.set(labels);
        let _ = self.index.set(index);
        let _ = self.counts.set(counts);
    }

    fn count(&self, request: &Request<'_>, status: Status) {
        let (Some(index), Some(counts)) = (self.index.get(), self.counts.get()) else {
            return;
        };
        let slot = request
            .route()
            .and_then(|r| {
                let at = r as *const rocket::Route as usize;
                let found = index.binary_search_by_key(&at, |(a, _)| *a).ok()?;
                Some(index[found].1)
            })
            .unwrap_or(counts.len() - 1);
        let code = usize::from(status.code).clamp(100, 599) - 100;
        counts[slot][code].fetch_add(1, Ordering::Relaxed);
    }

    fn write(&self, out: &mut String) {
        let (Some(labels), Some(counts)) = (self.labels.get(), self.counts.get()) else {
            return;
        };
        for ((method, route), by_status) in labels.iter().zip(counts) {
            for (code, n) in by_status.iter().enumerate() {
                let n = n.load(Ordering::Relaxed);
                if n > 0 {
                    let _ = writeln!(
                        out,
                        "tailor_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{}\"}} {n}",
                        route.replace('\\', "\\\\").replace('"', "\\\""),
                        code + 100
                    );
                }
            }
        }
    }
}

/// The fairing that feeds a shared [`RequestCounter`].
struct Counting(Arc<RequestCounter>);

#[rocket::async_trait]
impl Fairing for Counting {
    fn info(&self) -> Info {
        Info {
            name: "Request counter",
            kind: Kind::Liftoff | Kind::Response,
        }
    }

    async fn on_liftoff(&self, rocket: &Rocket<Orbit>) {
        self.0.learn(rocket);
    }

    async fn on_response<'r>(&self, request: &'r Request<'_>, response: &mut Response<'r>) {
        self.0.count(request, response.status());
    }
}

/// The `[<profile>.ops]` table.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OpsSettings {
    /// When set, `/metrics` answers only to `Authorization: Bearer <token>`.
    pub metrics_token: Option<String>,
}

/// Request guard of `/metrics`: the bearer token, when one is configured (401
/// otherwise; compared in constant time).
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
            return Outcome::Success(MetricsAccess);
        };
        let given = request
            .headers()
            .get_one("Authorization")
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
async fn metrics(
    _access: MetricsAccess,
    layer: &State<SessionLayer<SessionData>>,
    counter: &State<Arc<RequestCounter>>,
    templates: &State<crate::web::template::Templates>,
    memory: &State<MemoryGauge>,
) -> (ContentType, String) {
    let memory = memory.0.as_ref();
    let live = layer.store().count().await.ok();
    let mut out = String::new();
    out.push_str(
        "# HELP tailor_sessions_live Sessions held by the store (expired ones until swept).\n",
    );
    out.push_str("# TYPE tailor_sessions_live gauge\n");
    if let Some(live) = live {
        let _ = writeln!(out, "tailor_sessions_live {live}");
    }
    if let Some(memory) = memory {
        out.push_str(
            "# HELP tailor_session_bytes About how many bytes the memory store's sessions take.\n",
        );
        out.push_str("# TYPE tailor_session_bytes gauge\n");
        let _ = writeln!(out, "tailor_session_bytes {}", memory.bytes());
    }
    out.push_str(
        "# HELP tailor_http_requests_total HTTP responses sent, by method, route template and status code.\n",
    );
    out.push_str("# TYPE tailor_http_requests_total counter\n");
    counter.write(&mut out);
    out.push_str("# HELP tailor_store_errors_total Session store operations that failed.\n");
    out.push_str("# TYPE tailor_store_errors_total counter\n");
    let _ = writeln!(out, "tailor_store_errors_total {}", layer.store_errors());
    out.push_str("# HELP tailor_data_errors_total Database operations that failed.\n");
    out.push_str("# TYPE tailor_data_errors_total counter\n");
    let _ = writeln!(out, "tailor_data_errors_total {}", crate::data::failures());
    let (hits, misses) = templates.cache_counts();
    out.push_str("# HELP tailor_render_cache_total Pages served from the render cache (hit) or rendered (miss).\n");
    out.push_str("# TYPE tailor_render_cache_total counter\n");
    let _ = writeln!(out, "tailor_render_cache_total{{result=\"hit\"}} {hits}");
    let _ = writeln!(out, "tailor_render_cache_total{{result=\"miss\"}} {misses}");
    let prometheus = ContentType::new("text", "plain").with_params([("version", "0.0.4")]);
    (prometheus, out)
}

/// Health, readiness and metrics.
pub fn stage(settings: OpsSettings) -> AdHoc {
    AdHoc::on_ignite("Operations", |rocket| async {
        let counter = Arc::new(RequestCounter::default());
        rocket
            .manage(settings)
            .manage(counter.clone())
            .attach(Counting(counter))
            .mount("/", routes![healthz, readyz, metrics])
    })
}
