//! `/metrics` through `prometheus-client`: request counts and latency by route
//! template, session store operation latency, live sessions, the render cache and
//! the error counters, in the OpenMetrics text format Prometheus reads.
//!
//! Labels are bounded: a route template (never a raw path; requests no route served
//! share `(no route)`), a method, a status code or class, a store operation name.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric};
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::Status;
use rocket::{Data, Orbit, Request, Response, Rocket};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: &'static str,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LatencyLabels {
    method: &'static str,
    route: &'static str,
    status_class: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(super) struct OperationLabels {
    pub(super) operation: &'static str,
}

pub(super) type Histograms<L> = Family<L, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 100 µs to about 3 s, doubling.
    Histogram::new(exponential_buckets(0.0001, 2.0, 16))
}

/// Values kept elsewhere (the session layer, the database, the render cache),
/// read at each scrape.
#[derive(Debug, Default)]
pub struct Sources {
    pub store_errors: AtomicU64,
    pub data_errors: AtomicU64,
    pub cache_hits: AtomicU64,
    pub cache_misses: AtomicU64,
}

impl Collector for Sources {
    fn encode(&self, mut encoder: DescriptorEncoder) -> std::result::Result<(), std::fmt::Error> {
        let counter = |encoder: &mut DescriptorEncoder, name, help, value: u64| {
            let counter = ConstCounter::new(value);
            let metric = encoder.encode_descriptor(name, help, None, counter.metric_type())?;
            counter.encode(metric)
        };
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        counter(
            &mut encoder,
            "tailor_store_errors",
            "Session store operations that failed.",
            load(&self.store_errors),
        )?;
        counter(
            &mut encoder,
            "tailor_data_errors",
            "Database operations that failed.",
            load(&self.data_errors),
        )?;
        let cache = ConstCounter::new(0u64);
        let mut family = encoder.encode_descriptor(
            "tailor_render_cache",
            "Pages served from the render cache (hit) or rendered (miss).",
            None,
            cache.metric_type(),
        )?;
        for (result, value) in [("hit", &self.cache_hits), ("miss", &self.cache_misses)] {
            let labels = [("result", result)];
            ConstCounter::new(load(value)).encode(family.encode_family(&labels)?)?;
        }
        #[cfg(feature = "heap-count")]
        {
            let live =
                prometheus_client::metrics::gauge::ConstGauge::new(super::heap::live() as i64);
            let metric = encoder.encode_descriptor(
                "tailor_heap_live_bytes",
                "Bytes live on the heap (built with the heap-count feature).",
                None,
                live.metric_type(),
            )?;
            live.encode(metric)?;
        }
        Ok(())
    }
}

/// The registry and the metrics tailor updates as it runs.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Histograms<LatencyLabels>,
    pub(super) store: Histograms<OperationLabels>,
    pub sessions_live: Gauge,
    pub session_bytes: Option<Gauge>,
    pub sources: Arc<Sources>,
    /// Each route's address in the router (the `&Route` a request carries points
    /// there), sorted, with its labels, known at liftoff.
    routes: OnceLock<Vec<(usize, &'static str, &'static str)>>,
}

impl Metrics {
    /// The metrics; `memory_store` adds the bytes gauge of the memory store.
    pub fn new(memory_store: bool) -> Self {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        let latency: Histograms<LatencyLabels> = Family::new_with_constructor(latency_histogram);
        let store: Histograms<OperationLabels> = Family::new_with_constructor(latency_histogram);
        let sessions_live = Gauge::default();
        registry.register(
            "tailor_sessions_live",
            "Sessions held by the store (expired ones until swept).",
            sessions_live.clone(),
        );
        let session_bytes = memory_store.then(|| {
            let gauge = Gauge::default();
            registry.register(
                "tailor_session_bytes",
                "About how many bytes the memory store's sessions take.",
                gauge.clone(),
            );
            gauge
        });
        registry.register(
            "tailor_http_requests",
            "HTTP responses sent, by method, route template and status code.",
            requests.clone(),
        );
        registry.register(
            "tailor_http_request_duration_seconds",
            "Time from a request's arrival to its response, by method, route template and status class.",
            latency.clone(),
        );
        registry.register(
            "tailor_store_operation_duration_seconds",
            "Time each session store operation took, by operation.",
            store.clone(),
        );
        let sources = Arc::new(Sources::default());
        registry.register_collector(Box::new(sources.clone()));
        Metrics {
            registry,
            requests,
            latency,
            store,
            sessions_live,
            session_bytes,
            sources,
            routes: OnceLock::new(),
        }
    }

    /// The OpenMetrics text of every metric.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }

    fn learn(&self, rocket: &Rocket<Orbit>) {
        // Labels live as long as the process: one per route, leaked once.
        let mut interned: HashMap<String, &'static str> = HashMap::new();
        let mut intern = |s: String| -> &'static str {
            interned
                .entry(s.clone())
                .or_insert_with(|| Box::leak(s.into_boxed_str()))
        };
        let mut routes: Vec<(usize, &'static str, &'static str)> = rocket
            .routes()
            .map(|r| {
                let at = r as *const rocket::Route as usize;
                (
                    at,
                    intern(r.method.to_string()),
                    intern(r.uri.as_str().to_owned()),
                )
            })
            .collect();
        routes.sort_unstable_by_key(|(at, _, _)| *at);
        let _ = self.routes.set(routes);
    }

    fn labels(&self, request: &Request<'_>) -> (&'static str, &'static str) {
        let found = self
            .routes
            .get()
            .zip(request.route())
            .and_then(|(routes, route)| {
                let at = route as *const rocket::Route as usize;
                let i = routes.binary_search_by_key(&at, |(a, _, _)| *a).ok()?;
                Some((routes[i].1, routes[i].2))
            });
        found.unwrap_or(("any", "(no route)"))
    }

    fn observe(&self, request: &Request<'_>, status: Status, took: Option<Duration>) {
        let (method, route) = self.labels(request);
        let code = status.code.clamp(100, 599);
        self.requests
            .get_or_create(&RequestLabels {
                method,
                route,
                status: code,
            })
            .inc();
        if let Some(took) = took {
            let status_class = ["1xx", "2xx", "3xx", "4xx", "5xx"][usize::from(code / 100 - 1)];
            self.latency
                .get_or_create(&LatencyLabels {
                    method,
                    route,
                    status_class,
                })
                .observe(took.as_secs_f64());
        }
    }
}

/// The fairing that times and counts every response.
pub struct Observer(pub Arc<Metrics>);

/// When this request arrived.
struct Arrived(Instant);

#[rocket::async_trait]
impl Fairing for Observer {
    fn info(&self) -> Info {
        Info {
            name: "Request metrics",
            kind: Kind::Liftoff | Kind::Request | Kind::Response,
        }
    }

    async fn on_liftoff(&self, rocket: &Rocket<Orbit>) {
        self.0.learn(rocket);
    }

    async fn on_request(&self, request: &mut Request<'_>, _: &mut Data<'_>) {
        request.local_cache(|| Arrived(Instant::now()));
    }

    async fn on_response<'r>(&self, request: &'r Request<'_>, response: &mut Response<'r>) {
        let arrived = request.local_cache(|| Arrived(Instant::now())).0;
        self.0
            .observe(request, response.status(), Some(arrived.elapsed()));
    }
}
