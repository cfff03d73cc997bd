//! [`Session`]: the request guard, loaded once per request, and its operations.

use std::sync::{Arc, Mutex};

use rocket::http::{CookieJar, Status};
use rocket::request::{FromRequest, Outcome, Request};

use crate::{Seen, SessionError, SessionId, SessionLayer, SessionRecord, StoreError};

/// What one request knows of its session.
pub(crate) struct Current<R> {
    pub(crate) id: Option<SessionId>,
    pub(crate) data: Option<Arc<R>>,
    /// Begun by this request ([`Session::begin`]) and not stored yet: `data` is
    /// the record to store under `id`.
    pub(crate) pending: bool,
    /// The store's version of `data` (0: not known), so a write can start from
    /// it ([`SessionStore::update_seen`](crate::SessionStore::update_seen)).
    pub(crate) version: u64,
}

impl<R> Current<R> {
    pub(crate) fn none() -> Self {
        Current {
            id: None,
            data: None,
            pending: false,
            version: 0,
        }
    }

    pub(crate) fn stored(id: SessionId, seen: Seen<R>) -> Self {
        Current {
            id: Some(id),
            data: Some(seen.record),
            pending: false,
            version: seen.version,
        }
    }

    /// The record as this request has it, with its version, to write from.
    pub(crate) fn seen(&self) -> Option<Seen<R>> {
        let record = self.data.clone()?;
        Some(Seen {
            record,
            version: self.version,
        })
    }
}

pub(crate) struct Loaded<R> {
    pub(crate) current: Mutex<Current<R>>,
    pub(crate) failed: bool,
}

/// A record whose version the store did not say.
pub(crate) fn unversioned<R>(record: Arc<R>) -> Seen<R> {
    Seen { record, version: 0 }
}

impl<R> Loaded<R> {
    pub(crate) fn empty(failed: bool) -> Self {
        Loaded {
            current: Mutex::new(Current::none()),
            failed,
        }
    }
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
    pub(crate) layer: &'r SessionLayer<R>,
    pub(crate) cookies: &'r CookieJar<'r>,
    loaded: &'r Loaded<R>,
}

impl<'r, R: SessionRecord> Session<'r, R> {
    pub(crate) fn current(&self) -> std::sync::MutexGuard<'_, Current<R>> {
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

    /// Whether this visitor has a session: a stored one, or one this request
    /// began ([`Session::begin`]).
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
        let (id, pending, seen) = {
            let current = self.current();
            let pending = current.pending.then(|| current.data.clone()).flatten();
            (current.id.clone(), pending, current.seen())
        };
        let (id, data) = match (id, pending) {
            // Begun by this request: stored now, with this change, in one write.
            (Some(id), Some(begun)) => {
                let mut first = |record: &mut R| {
                    record.clone_from(&begun);
                    mutation(record)
                };
                let created = self.layer.store.create(&id, &mut first).await;
                (id, unversioned(created.map_err(|e| self.layer.failed(e))?))
            }
            (Some(id), None) => {
                let updated = match seen {
                    Some(seen) => self.layer.store.update_seen(&id, seen, &mut mutation).await,
                    None => self
                        .layer
                        .store
                        .update(&id, &mut mutation)
                        .await
                        .map(|r| r.map(unversioned)),
                };
                match updated.map_err(|e| self.layer.failed(e))? {
                    Some(data) => (id, data),
                    None => {
                        self.layer.clear_cookie(self.cookies);
                        *self.current() = Current::none();
                        return Err(SessionError::Gone);
                    }
                }
            }
            (None, _) => {
                let id = SessionId::generate();
                let created = self.layer.store.create(&id, &mut mutation).await;
                let data = created.map_err(|e| self.layer.failed(e))?;
                self.layer.set_cookie(self.cookies, &id);
                (id, unversioned(data))
            }
        };
        *self.current() = Current::stored(id, data);
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
        if self.current().pending {
            // Stored first: a begun session is regenerated like any other.
            self.update(|_| ()).await?;
        }
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
            *self.current() = Current::none();
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
        let stored = !self.current().pending;
        if let Some(id) = self.id().filter(|_| stored) {
            self.layer
                .store
                .remove(&id)
                .await
                .map_err(|e| self.layer.failed(e))?;
        }
        self.layer.clear_cookie(self.cookies);
        *self.current() = Current::none();
        Ok(())
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
        let loaded = request
            .local_cache_async(crate::loading::load::<R>(request, layer))
            .await;
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
