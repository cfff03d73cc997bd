//! What operators read: `/healthz` (the process answers), `/readyz` (the session
//! store and the database answer) and `/metrics` (Prometheus text: live sessions,
//! requests by status, store and database errors).

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use rocket::fairing::{AdHoc, Fairing, Info, Kind};
use rocket::http::{ContentType, Status};
use rocket::{get, routes, Request, Response, State};

use crate::data::Db;
use crate::record::SessionData;
use crate::session::{MemoryStore, SessionLayer};

/// Requests answered, by status code.
pub struct RequestCounter {
    by_status: Vec<AtomicU64>,
}

impl Default for RequestCounter {
    fn default() -> Self {
        RequestCounter {
            by_status: (0..600).map(|_| AtomicU64::new(0)).collect(),
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
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, _: &'r Request<'_>, response: &mut Response<'r>) {
        if let Some(slot) = self.0.by_status.get(response.status().code as usize) {
            slot.fetch_add(1, Ordering::Relaxed);
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
    out.push_str("# HELP tailor_http_requests_total HTTP responses sent, by status code.\n");
    out.push_str("# TYPE tailor_http_requests_total counter\n");
    for (code, n) in counter.by_status.iter().enumerate() {
        let n = n.load(Ordering::Relaxed);
        if n > 0 {
            let _ = writeln!(out, "tailor_http_requests_total{{status=\"{code}\"}} {n}");
        }
    }
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
pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Operations", |rocket| async {
        let counter = Arc::new(RequestCounter::default());
        rocket
            .manage(counter.clone())
            .attach(Counting(counter))
            .mount("/", routes![healthz, readyz, metrics])
    })
}
