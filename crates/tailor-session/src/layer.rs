//! [`SessionLayer`]: the store, the settings and the counters, as managed state;
//! opening, setting and clearing the session cookie.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use rocket::http::{Cookie, CookieJar, SameSite};

use crate::{
    log_error_chain, SessionConfig, SessionError, SessionId, SessionRecord, SessionStore,
    StoreError,
};

/// The session layer as managed state: the store, the settings, the counters.
pub struct SessionLayer<R> {
    pub(crate) store: Arc<dyn SessionStore<R>>,
    pub(crate) config: SessionConfig,
    pub(crate) cookie_name: String,
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

    pub(crate) fn failed(&self, error: StoreError) -> SessionError {
        self.store_errors.fetch_add(1, Ordering::Relaxed);
        log_error_chain(&error);
        SessionError::Store(error)
    }

    /// Opens the session cookie with the current key or, failing that, a previous
    /// one. Returns the id and whether it must be re-sealed with the current key.
    pub(crate) fn open_cookie(&self, cookies: &CookieJar<'_>) -> Option<(SessionId, bool)> {
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

    pub(crate) fn set_cookie(&self, cookies: &CookieJar<'_>, id: &SessionId) {
        let max_age = rocket::time::Duration::seconds(self.config.idle_timeout.as_secs() as i64);
        let cookie = Cookie::build((self.cookie_name.clone(), id.to_string()))
            .http_only(true)
            .same_site(SameSite::Lax)
            .path("/")
            .secure(self.config.cookie_secure)
            .max_age(max_age)
            // No `Expires` attribute (`Session` writes none, and keeps Rocket's
            // private jar from adding its one-week default): `Max-Age` has
            // precedence in every browser that knows `SameSite`, and the date's
            // formatting is most of a cookie's cost.
            .expires(cookie::Expiration::Session);
        cookies.add_private(cookie);
    }

    pub(crate) fn clear_cookie(&self, cookies: &CookieJar<'_>) {
        let cookie = Cookie::build((self.cookie_name.clone(), ""))
            .http_only(true)
            .same_site(SameSite::Lax)
            .path("/")
            .secure(self.config.cookie_secure);
        cookies.remove(cookie);
    }
}
