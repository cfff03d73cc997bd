//! Server-side sessions for Rocket 0.5, generic over the record type.
//!
//! The browser holds one private (AES-256-GCM sealed) cookie with a random
//! [`SessionId`]; the record lives in a [`SessionStore`]: the [`MemoryStore`]
//! (a sharded `DashMap`, bounded in count and bytes, with [`snapshot`]s), or the
//! `RedisStore` (cargo feature `redis`) when several instances share sessions.
//! The [`Session`] request guard opens the cookie and loads the record once per
//! request; handlers read the snapshot with [`Session::data`] and change it only
//! through [`Session::update`], which is atomic per session on every store.
//!
//! The crate knows nothing of what the record holds beyond [`SessionRecord`]:
//! bring your own type, or use the ready [`Values`]. The store contract is a test
//! suite any store can run (cargo feature `testing`: `conformance!`).
//!
//! # Examples
//!
//! ```no_run
//! use std::{sync::Arc, time::Duration};
//!
//! use tailor_session::{MemoryStore, Session, SessionConfig, SessionError, Values};
//!
//! #[rocket::post("/count")]
//! async fn count(session: Session<'_, Values>) -> Result<String, SessionError> {
//!     let n = session
//!         .update(|values| {
//!             let n = values.get::<u64>("count").unwrap_or(0) + 1;
//!             values.insert("count", n);
//!             n
//!         })
//!         .await?;
//!     Ok(n.to_string())
//! }
//!
//! #[rocket::launch]
//! fn rocket() -> _ {
//!     let store = Arc::new(MemoryStore::<Values>::new(Duration::from_secs(1800), 100_000));
//!     rocket::build()
//!         .attach(tailor_session::stage(store, SessionConfig::default()))
//!         .mount("/", rocket::routes![count])
//! }
//! ```

#[cfg(feature = "testing")]
pub mod conformance;
mod id;
pub mod memory;
#[cfg(feature = "redis")]
pub mod redis;
pub mod snapshot;
pub mod store;
mod values;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rocket::fairing::AdHoc;
use rocket::http::{Cookie, CookieJar, SameSite, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::{Orbit, Rocket};

#[cfg(feature = "redis")]
pub use self::redis::RedisStore;
pub use id::{random_token, InvalidSessionId, SessionId, Token};
pub use memory::{MemoryStore, Weigher};
pub use store::{Record, SessionStore, StoreError};
pub use values::Values;

/// How long a `last_seen` write (and the cookie's Max-Age refresh) is coalesced at
/// most; a tenth of the idle timeout when that is shorter.
pub const TOUCH_INTERVAL: Duration = Duration::from_secs(60);

/// What the session layer needs to know of a record: when it was last used.
pub trait SessionRecord: Record {
    /// The last time a request of this session was recorded.
    fn last_seen(&self) -> DateTime<Utc>;
    /// Records a request at `now`.
    fn touch(&mut self, now: DateTime<Utc>);

    /// Called when the session gets a new id ([`Session::regenerate`]): a record
    /// holding secrets bound to the session (a CSRF token) renews them here, so a
    /// secret seen before a login is worthless after it.
    fn regenerated(&mut self) {}
}

/// Cookie and lifetime settings of the session layer.
#[derive(Clone, Debug)]
pub struct SessionConfig {
    /// The cookie's name, without the `__Host-` prefix.
    pub cookie_name: String,
    /// Idle lifetime; also the cookie's `Max-Age`.
    pub idle_timeout: Duration,
    /// Send the cookie only over HTTPS, under the `__Host-` prefix.
    pub cookie_secure: bool,
    /// How often expired sessions are swept.
    pub sweep_interval: Duration,
    /// Keys that sealed cookies before the current `secret_key`.
    pub previous_keys: Vec<cookie::Key>,
}

impl Default for SessionConfig {
    /// A cookie named `session`, sent over plain HTTP too (set `cookie_secure`
    /// behind HTTPS), 30 minutes idle, swept every minute.
    fn default() -> Self {
        SessionConfig {
            cookie_name: "session".into(),
            idle_timeout: Duration::from_secs(30 * 60),
            cookie_secure: false,
            sweep_interval: Duration::from_secs(60),
            previous_keys: Vec::new(),
        }
    }
}

impl SessionConfig {
    /// How often an active session's `last_seen` and cookie are refreshed.
    pub fn touch_interval(&self) -> Duration {
        TOUCH_INTERVAL.min(self.idle_timeout / 10)
    }

    /// The cookie's name as sent, with `__Host-` when the cookie is secure.
    pub fn cookie_name(&self) -> String {
        if self.cookie_secure {
            format!("__Host-{}", self.cookie_name)
        } else {
            self.cookie_name.clone()
        }
    }
}

/// The session layer as managed state: the store, the settings, the counters.
pub struct SessionLayer<R> {
    store: Arc<dyn SessionStore<R>>,
    config: SessionConfig,
    cookie_name: String,
    store_errors: AtomicU64,
}

impl<R: SessionRecord> SessionLayer<R> {
    /// A layer over `store` with `config`.
    pub fn new(store: Arc<dyn SessionStore<R>>, config: SessionConfig) -> Self {
        let cookie_name = config.cookie_name();
        SessionLayer {
            store,
            config,
            cookie_name,
            store_errors: AtomicU64::new(0),
        }
    }

    /// The store behind the layer.
    pub fn store(&self) -> &Arc<dyn SessionStore<R>> {
        &self.store
    }

    /// The settings of the layer.
    pub fn config(&self) -> &SessionConfig {
        &self.config
    }

    /// How many store operations have failed since launch.
    pub fn store_errors(&self) -> u64 {
        self.store_errors.load(Ordering::Relaxed)
    }

    fn failed(&self, error: StoreError) -> SessionError {
        self.store_errors.fetch_add(1, Ordering::Relaxed);
        log_error_chain(&error);
        SessionError::Store(error)
    }

    /// Opens the session cookie with the current key or, failing that, a previous
    /// one. Returns the id and whether it must be re-sealed with the current key.
    fn open_cookie(&self, cookies: &CookieJar<'_>) -> Option<(SessionId, bool)> {
        if let Some(cookie) = cookies.get_private(&self.cookie_name) {
            return SessionId::parse(cookie.value()).ok().map(|id| (id, false));
        }
        let sealed = cookies.get(&self.cookie_name)?.clone();
        self.config.previous_keys.iter().find_map(|key| {
            let mut jar = cookie::CookieJar::new();
            jar.add_original(sealed.clone());
            let opened = jar.private(key).get(&self.cookie_name)?;
            SessionId::parse(opened.value()).ok().map(|id| (id, true))
        })
    }

    fn set_cookie(&self, cookies: &CookieJar<'_>, id: &SessionId) {
        let max_age = rocket::time::Duration::seconds(self.config.idle_timeout.as_secs() as i64);
        let cookie = Cookie::build((self.cookie_name.clone(), id.to_string()))
            .http_only(true)
            .same_site(SameSite::Lax)
            .path("/")
            .secure(self.config.cookie_secure)
            .max_age(max_age)
            .expires(rocket::time::OffsetDateTime::now_utc() + max_age);
        cookies.add_private(cookie);
    }

    fn clear_cookie(&self, cookies: &CookieJar<'_>) {
        let cookie = Cookie::build((self.cookie_name.clone(), ""))
            .http_only(true)
            .same_site(SameSite::Lax)
            .path("/")
            .secure(self.config.cookie_secure);
        cookies.remove(cookie);
    }
}

/// Logs an error with its whole `source()` chain; responses only get `Display`.
pub fn log_error_chain(error: &dyn std::error::Error) {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    rocket::error!("{text}");
}

/// A session operation failed.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The store failed; answers 503.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// The session was destroyed (logged out, forgotten) or expired while this
    /// request ran; the write was not made. Answers 409.
    #[error("the session ended while the request ran")]
    Gone,
}

impl SessionError {
    /// The status a response to this failure carries.
    pub fn status(&self) -> Status {
        match self {
            SessionError::Store(_) => Status::ServiceUnavailable,
            SessionError::Gone => Status::Conflict,
        }
    }
}

impl From<SessionError> for Status {
    fn from(error: SessionError) -> Status {
        error.status()
    }
}

impl<'r> rocket::response::Responder<'r, 'static> for SessionError {
    fn respond_to(self, _: &'r Request<'_>) -> rocket::response::Result<'static> {
        Err(self.status())
    }
}

/// What one request knows of its session.
struct Current<R> {
    id: Option<SessionId>,
    data: Option<Arc<R>>,
}

struct Loaded<R> {
    current: Mutex<Current<R>>,
    failed: bool,
}

/// The request guard: this request's session, loaded once per request.
///
/// Fails with 503 when the store cannot be read (never an empty session that
/// would then overwrite the visitor's data). The app must have attached
/// [`stage`] for the same record type.
///
/// # Examples
///
/// A typed record of your own, read and written by handlers:
///
/// ```
/// use chrono::{DateTime, Utc};
/// use tailor_session::{Session, SessionError, SessionRecord};
///
/// #[derive(Clone, Default, serde::Serialize, serde::Deserialize)]
/// struct Visitor {
///     theme: Option<String>,
///     seen: DateTime<Utc>,
/// }
///
/// impl SessionRecord for Visitor {
///     fn last_seen(&self) -> DateTime<Utc> {
///         self.seen
///     }
///     fn touch(&mut self, now: DateTime<Utc>) {
///         self.seen = now;
///     }
/// }
///
/// #[rocket::get("/theme")]
/// fn theme(session: Session<'_, Visitor>) -> String {
///     let data = session.data();
///     data.and_then(|v| v.theme.clone()).unwrap_or_else(|| "system".into())
/// }
///
/// #[rocket::put("/theme/dark")]
/// async fn dark(session: Session<'_, Visitor>) -> Result<(), SessionError> {
///     session.update(|v| v.theme = Some("dark".into())).await
/// }
/// ```
pub struct Session<'r, R> {
    layer: &'r SessionLayer<R>,
    cookies: &'r CookieJar<'r>,
    loaded: &'r Loaded<R>,
}

impl<'r, R: SessionRecord> Session<'r, R> {
    fn current(&self) -> std::sync::MutexGuard<'_, Current<R>> {
        // A poisoned lock only means another guard of this request panicked while
        // holding plain data; the data is still consistent.
        self.loaded
            .current
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// The record as last loaded or written by this request; `None` for a new visitor.
    pub fn data(&self) -> Option<Arc<R>> {
        self.current().data.clone()
    }

    /// Whether this visitor has a stored session.
    pub fn exists(&self) -> bool {
        self.current().data.is_some()
    }

    /// This session's id, if it has one.
    pub fn id(&self) -> Option<SessionId> {
        self.current().id.clone()
    }

    /// The layer this session belongs to.
    pub fn layer(&self) -> &'r SessionLayer<R> {
        self.layer
    }

    /// Applies `change` atomically to the stored record and returns its result.
    /// A new visitor's first update creates the session and sets the cookie.
    ///
    /// # Errors
    /// [`SessionError::Store`] when the store fails; [`SessionError::Gone`] when
    /// the session was destroyed or expired since this request loaded it (the
    /// write is not made: a destroyed session never comes back).
    pub async fn update<T, F>(&self, mut change: F) -> Result<T, SessionError>
    where
        T: Send,
        F: FnMut(&mut R) -> T + Send,
    {
        let mut out = None;
        let mut mutation = |record: &mut R| out = Some(change(record));
        let (id, data) = match self.id() {
            Some(id) => {
                let updated = self.layer.store.update(&id, &mut mutation).await;
                match updated.map_err(|e| self.layer.failed(e))? {
                    Some(data) => (id, data),
                    None => {
                        self.layer.clear_cookie(self.cookies);
                        *self.current() = Current {
                            id: None,
                            data: None,
                        };
                        return Err(SessionError::Gone);
                    }
                }
            }
            None => {
                let id = SessionId::generate();
                let created = self.layer.store.create(&id, &mut mutation).await;
                let data = created.map_err(|e| self.layer.failed(e))?;
                self.layer.set_cookie(self.cookies, &id);
                (id, data)
            }
        };
        *self.current() = Current {
            id: Some(id),
            data: Some(data),
        };
        out.ok_or_else(|| {
            self.layer
                .failed(StoreError::Backend("update did not run the closure".into()))
        })
    }

    /// Gives the session a new id (the old one is deleted from the store) and
    /// keeps its data, but for what [`SessionRecord::regenerated`] renews: call it
    /// on login, logout and privilege change.
    ///
    /// # Errors
    /// [`SessionError`] when the store fails.
    pub async fn regenerate(&self) -> Result<(), SessionError> {
        let Some(old) = self.id() else { return Ok(()) };
        let new = SessionId::generate();
        let moved = self
            .layer
            .store
            .regenerate(&old, &new)
            .await
            .map_err(|e| self.layer.failed(e))?;
        if !moved {
            self.layer.clear_cookie(self.cookies);
            *self.current() = Current {
                id: None,
                data: None,
            };
            return Ok(());
        }
        self.layer.set_cookie(self.cookies, &new);
        self.current().id = Some(new);
        self.update(R::regenerated).await
    }

    /// Deletes the session's record and clears the cookie.
    ///
    /// # Errors
    /// [`SessionError`] when the store fails; the cookie is kept then.
    pub async fn destroy(&self) -> Result<(), SessionError> {
        if let Some(id) = self.id() {
            self.layer
                .store
                .remove(&id)
                .await
                .map_err(|e| self.layer.failed(e))?;
        }
        self.layer.clear_cookie(self.cookies);
        *self.current() = Current {
            id: None,
            data: None,
        };
        Ok(())
    }
}

/// Drops this request's snapshot of its session record, so that a later write in
/// the same request (a response fairing, say) changes the stored record in place
/// instead of copying it. The `Session` guard must not be used afterwards.
pub fn release_snapshot<R: SessionRecord>(request: &Request<'_>) {
    let loaded = request.local_cache(|| Loaded::<R> {
        current: Mutex::new(Current {
            id: None,
            data: None,
        }),
        failed: false,
    });
    if let Ok(mut current) = loaded.current.lock() {
        current.data = None;
    }
}

async fn load<R: SessionRecord>(request: &Request<'_>, layer: &SessionLayer<R>) -> Loaded<R> {
    let empty = |failed| Loaded {
        current: Mutex::new(Current {
            id: None,
            data: None,
        }),
        failed,
    };
    let Some((id, reseal)) = layer.open_cookie(request.cookies()) else {
        return empty(false);
    };
    let data = match layer.store.load(&id).await {
        Ok(Some(data)) => data,
        Ok(None) => return empty(false),
        Err(e) => {
            layer.failed(e);
            return empty(true);
        }
    };
    let now = Utc::now();
    let stale =
        (now - data.last_seen()).to_std().unwrap_or_default() >= layer.config.touch_interval();
    let data = if reseal || stale {
        // Rolling expiry: record the visit and refresh the cookie's Max-Age.
        match layer.store.update(&id, &mut |r: &mut R| r.touch(now)).await {
            Ok(Some(fresh)) => {
                layer.set_cookie(request.cookies(), &id);
                fresh
            }
            // Destroyed since it was loaded: a new visitor.
            Ok(None) => return empty(false),
            Err(e) => {
                layer.failed(e);
                data
            }
        }
    } else {
        data
    };
    Loaded {
        current: Mutex::new(Current {
            id: Some(id),
            data: Some(data),
        }),
        failed: false,
    }
}

#[rocket::async_trait]
impl<'r, R: SessionRecord> FromRequest<'r> for Session<'r, R> {
    type Error = SessionError;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let Some(layer) = request.rocket().state::<SessionLayer<R>>() else {
            let e = StoreError::Backend("the session layer is not attached".into());
            return Outcome::Error((Status::InternalServerError, SessionError::Store(e)));
        };
        let loaded = request.local_cache_async(load::<R>(request, layer)).await;
        if loaded.failed {
            let e = StoreError::Backend("the session could not be loaded".into());
            return Outcome::Error((Status::ServiceUnavailable, SessionError::Store(e)));
        }
        Outcome::Success(Session {
            layer,
            cookies: request.cookies(),
            loaded,
        })
    }
}

/// Manages a [`SessionLayer`] over `store` and runs its sweeper after liftoff.
pub fn stage<R: SessionRecord>(store: Arc<dyn SessionStore<R>>, config: SessionConfig) -> AdHoc {
    AdHoc::on_ignite("Sessions", move |rocket| async move {
        let every = config.sweep_interval;
        rocket
            .manage(SessionLayer::new(store, config))
            .attach(AdHoc::on_liftoff("Session sweeper", move |rocket| {
                Box::pin(start_sweeper::<R>(rocket, every))
            }))
    })
}

async fn start_sweeper<R: SessionRecord>(rocket: &Rocket<Orbit>, every: Duration) {
    let Some(layer) = rocket.state::<SessionLayer<R>>() else {
        return;
    };
    let store = layer.store.clone();
    let mut shutdown = rocket.shutdown();
    rocket::tokio::spawn(async move {
        let mut interval = rocket::tokio::time::interval(every.max(Duration::from_millis(10)));
        loop {
            rocket::tokio::select! {
                _ = interval.tick() => {
                    if let Err(e) = store.sweep().await {
                        log_error_chain(&e);
                    }
                }
                _ = &mut shutdown => break,
            }
        }
    });
}
