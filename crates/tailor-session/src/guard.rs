//! [`Session`]: the request guard, loaded once per request, and its operations.

use std::sync::{Arc, Mutex};

use chrono::Utc;
use rocket::http::{CookieJar, Status};
use rocket::request::{FromRequest, Outcome, Request};

use crate::{SessionError, SessionId, SessionLayer, SessionRecord, StoreError};

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
/// [`stage`](crate::stage) for the same record type.
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
