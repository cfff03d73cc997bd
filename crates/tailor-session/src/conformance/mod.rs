//! The store contract as a test suite any [`SessionStore`](crate::SessionStore) can run: the
//! [`conformance!`](crate::conformance!) macro writes one `#[test]` per clause.
//! Behind the cargo feature `testing`.
//!
//! # Examples
//!
//! ```
//! use std::sync::Arc;
//! use tailor_session::conformance::{Counter, Store};
//! use tailor_session::MemoryStore;
//!
//! tailor_session::conformance!(memory, |idle| async move {
//!     Arc::new(MemoryStore::<Counter>::new(idle, 100_000)) as Store
//! });
//! # fn main() {}
//! ```

use std::time::Duration;

mod clauses;
mod logs;

pub use clauses::*;
pub use logs::*;

/// Writes one test per clause of the store contract, in a module `$module`,
/// against the store `$make(idle: Duration)` builds (an `async` closure giving a
/// [`Store`]; the expiry clauses ask for [`SHORT_IDLE`]). Each test runs on a
/// multi-threaded runtime, so races are real.
#[macro_export]
macro_rules! conformance {
    ($module:ident, $make:expr) => {
        mod $module {
            #[allow(unused_imports)]
            use super::*;
            async fn store(idle: ::std::time::Duration) -> impl $crate::conformance::MaybeStore {
                #[allow(clippy::redundant_closure_call)]
                ($make)(idle).await
            }
            $crate::conformance!(@tests
                load_of_an_unknown_id_is_none,
                create_then_update_changes_the_record,
                update_never_brings_a_session_into_being,
                remove_deletes_and_unknown_remove_is_fine,
                regenerate_moves_the_record,
                count_follows_inserts_and_removes,
                expiry_is_honoured_on_read_and_by_sweep,
                activity_slides_the_idle_expiry,
                peek_reads_without_sliding_the_expiry,
                concurrent_updates_of_one_session_are_all_applied,
                concurrent_creations_of_many_sessions_all_land,
                an_update_from_a_stale_copy_loses_no_write,
                concurrent_updates_from_one_copy_are_all_applied,
                concurrent_log_appends_and_writes_are_all_applied,
                a_log_keeps_its_bound_and_is_cleared_moved_and_removed,
                ping_answers
            );
        }
    };
    (@tests $($test:ident),*) => {
        $(
            #[test]
            fn $test() {
                use $crate::conformance::MaybeStore;
                $crate::conformance::runtime().block_on(async {
                    let made = store($crate::conformance::SHORT_IDLE).await;
                    if let Some(store) = made.into_store() {
                        $crate::conformance::$test(store).await;
                    }
                });
            }
        )*
    };
}

/// The runtime each conformance test runs on: four worker threads. (It also
/// registers [`Counter`]'s parts.)
pub fn runtime() -> rocket::tokio::runtime::Runtime {
    crate::parts::register_log::<Views>();
    rocket::tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .expect("a Tokio runtime")
}

/// What a conformance maker may give: a store, or `None` to skip (a backend
/// that is not there; see [`redis_url`]).
pub trait MaybeStore {
    /// The store, if there is one.
    fn into_store(self) -> Option<Store>;
}

impl MaybeStore for Store {
    fn into_store(self) -> Option<Store> {
        Some(self)
    }
}

impl MaybeStore for Option<Store> {
    fn into_store(self) -> Option<Store> {
        self
    }
}

/// Set (to anything) by a test run that must not skip: a missing service then
/// fails the tests that need it instead of skipping them.
pub const REQUIRE_SERVICES: &str = "TAILOR_TEST_REQUIRE_SERVICES";

/// Says, once and loudly, that tests needing `what` are skipped, or panics when
/// [`REQUIRE_SERVICES`] is set.
pub fn skip(what: &str, install: &str) {
    if std::env::var_os(REQUIRE_SERVICES).is_some() {
        panic!("{what} is required ({REQUIRE_SERVICES} is set) but not available: {install}");
    }
    static SAID: std::sync::Once = std::sync::Once::new();
    SAID.call_once(|| {
        // Straight to stderr: the test harness would swallow `eprintln!`.
        use std::io::Write;
        let line =
            format!("\n!!!!! SKIPPED: the tests that need {what} did not run: {install}\n\n");
        let _ = std::io::stderr().write_all(line.as_bytes());
    });
}

/// A Redis for tests: `TAILOR_TEST_REDIS_URL` when set, else a `redis-server`
/// this process starts on a free port (it stops when the test process ends),
/// else `None` after [`skip`] has said so.
#[cfg(feature = "redis")]
pub fn redis_url() -> Option<String> {
    static URL: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    URL.get_or_init(|| {
        if let Ok(url) = std::env::var("TAILOR_TEST_REDIS_URL") {
            if !url.is_empty() {
                return Some(url);
            }
        }
        let started = start_redis();
        if started.is_none() {
            skip("Redis", "install redis-server (Debian: apt-get install redis-server), or set TAILOR_TEST_REDIS_URL");
        }
        started
    })
    .clone()
}

/// A Redis Cluster for tests (3 masters, 3 replicas), its nodes' URLs:
/// `TAILOR_TEST_REDIS_CLUSTER` (comma-separated) when set, else one this process
/// starts with the repository's `scripts/redis-cluster` (stopped when the test
/// process ends), else `None` after [`skip`] has said so.
#[cfg(feature = "redis")]
pub fn redis_cluster_nodes() -> Option<Vec<String>> {
    static NODES: std::sync::OnceLock<Option<Vec<String>>> = std::sync::OnceLock::new();
    NODES
        .get_or_init(|| {
            let given = std::env::var("TAILOR_TEST_REDIS_CLUSTER").unwrap_or_default();
            let nodes = if given.is_empty() {
                start_redis_cluster().map(|(nodes, _)| nodes)
            } else {
                Some(given)
            };
            if nodes.is_none() {
                skip("a Redis Cluster", "install redis-server and redis-cli (Debian: apt-get install redis-server), or set TAILOR_TEST_REDIS_CLUSTER");
            }
            Some(nodes?.split(',').map(str::to_owned).collect())
        })
        .clone()
}

/// Starts a Redis Cluster of its own (a failover test kills its nodes), stopped
/// when this process ends however it ends: its nodes' URLs (comma-separated)
/// and the directory `scripts/redis-cluster restart` takes.
#[cfg(feature = "redis")]
pub fn start_redis_cluster() -> Option<(String, String)> {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    let script = REDIS_CLUSTER_SCRIPT;
    // The shell holds the cluster and stops it when its stdin closes.
    let holder = format!(
        "dir=$(mktemp -d); trap '{script} stop \"$dir\"; rm -rf \"$dir\"' EXIT; \
         {script} start \"$dir\" || exit 1; echo \"$dir\"; read _"
    );
    let mut child = Command::new("sh")
        .args(["-c", &holder])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let (mut nodes, mut dir) = (String::new(), String::new());
    let mut out = std::io::BufReader::new(child.stdout.take()?);
    out.read_line(&mut nodes).ok()?;
    out.read_line(&mut dir).ok()?;
    // Keep the pipe open for the life of the process.
    std::mem::forget(child);
    let (nodes, dir) = (nodes.trim(), dir.trim());
    (!nodes.is_empty() && !dir.is_empty()).then(|| (nodes.to_owned(), dir.to_owned()))
}

/// The repository's `scripts/redis-cluster`, for tests that stop and restart nodes.
#[cfg(feature = "redis")]
pub const REDIS_CLUSTER_SCRIPT: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/redis-cluster");

#[cfg(feature = "redis")]
fn start_redis() -> Option<String> {
    use std::process::{Command, Stdio};
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()?
        .port();
    // The shell holds the server and stops it when its stdin closes, that is when
    // this process ends, however it ends.
    let script = format!(
        "redis-server --port {port} --bind 127.0.0.1 --save '' --appendonly no \
         --dir \"${{TMPDIR:-/tmp}}\" >/dev/null & pid=$!; read _; kill $pid"
    );
    let which = Command::new("sh")
        .args(["-c", "command -v redis-server"])
        .output()
        .ok()?;
    if !which.status.success() {
        return None;
    }
    let child = Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::piped())
        .spawn()
        .ok()?;
    // Keep the pipe open for the life of the process.
    std::mem::forget(child);
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(format!("redis://127.0.0.1:{port}/"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}
