//! A session begun in memory and stored once, after the response: a page that
//! starts a new visitor's session and records the view in the same record pays
//! one store write, with nothing to take back when the page fails.
//!
//! [`Session::begin`] makes the new record (the cookie is set at once: Rocket
//! writes the cookie jar before the response fairings run); a later
//! [`Session::update`] in the request stores it with its change; after the
//! response, [`update_late`] stores it with a fairing's change (a recorded view),
//! and [`commit`] stores what is still begun, as it is.

use std::sync::Arc;

use rocket::fairing::AdHoc;
use rocket::Request;

use crate::guard::{Current, Loaded};
use crate::{Seen, Session, SessionId, SessionLayer, SessionRecord, StoreError};

impl<R: SessionRecord> Session<'_, R> {
    /// Begins a new visitor's session: a record made from `R::default()` by
    /// `change`, which this request reads as its session, and a cookie; stored
    /// by this request's first [`update`](Session::update), or by
    /// [`update_late`] or [`commit`] after the response. `None`, changing
    /// nothing, when the visitor has a session already.
    pub fn begin<T>(&self, change: impl FnOnce(&mut R) -> T) -> Option<T> {
        let mut current = self.current();
        if current.id.is_some() {
            return None;
        }
        let id = SessionId::generate();
        let mut record = R::default();
        let out = change(&mut record);
        self.layer.set_cookie(self.cookies, &id);
        *current = Current {
            id: Some(id),
            data: Some(Arc::new(record)),
            pending: true,
            version: 0,
        };
        Some(out)
    }
}

/// What this request holds of `id`'s record, taken (the caller writes it): the
/// record it began and did not store yet, or the one it read or wrote last, with
/// its version.
enum Held<R> {
    Begun(Arc<R>),
    Seen(Seen<R>),
    Nothing,
}

fn take_held<R: SessionRecord>(request: &Request<'_>, id: &SessionId) -> Held<R> {
    let loaded = request.local_cache(|| Loaded::<R>::empty(false));
    let Ok(mut current) = loaded.current.lock() else {
        return Held::Nothing;
    };
    if current.id.as_ref() != Some(id) {
        return Held::Nothing;
    }
    let pending = std::mem::take(&mut current.pending);
    match (current.data.take(), pending) {
        (Some(record), true) => Held::Begun(record),
        (Some(record), false) => Held::Seen(Seen {
            record,
            version: current.version,
        }),
        (None, _) => Held::Nothing,
    }
}

/// Applies `change` to `id`'s record after the response (from a response
/// fairing): when this request began the session, the record is stored with the
/// change in one write; otherwise the stored record is updated, from the copy
/// this request read when the store keeps versions (no second read). The
/// request's copy is given up either way (so a store in this process changes its
/// own in place). `None` when the session is gone (an update never brings it
/// back).
///
/// # Errors
/// [`StoreError`] when the store fails.
pub async fn update_late<R: SessionRecord>(
    request: &Request<'_>,
    id: &SessionId,
    change: &mut (dyn FnMut(&mut R) + Send),
) -> Result<Option<Arc<R>>, StoreError> {
    let Some(layer) = request.rocket().state::<SessionLayer<R>>() else {
        return Ok(None);
    };
    match take_held::<R>(request, id) {
        Held::Begun(begun) => {
            let mut first = |record: &mut R| {
                record.clone_from(&begun);
                change(record);
            };
            layer.store.create(id, &mut first).await.map(Some)
        }
        Held::Seen(seen) => {
            let updated = layer.store.update_seen(id, seen, change).await?;
            Ok(updated.map(|seen| seen.record))
        }
        Held::Nothing => layer.store.update(id, change).await,
    }
}

/// Stores, after the response, a session its request began and nothing stored
/// yet (the page recorded nothing), when the response sends its cookie: an
/// error answered by a catcher drops the cookies the request set (Rocket resets
/// them), and a record nobody can reach is not stored. Attach it after every
/// fairing that calls [`update_late`], so their changes ride on the one write.
pub fn commit<R: SessionRecord>() -> AdHoc {
    AdHoc::on_response("Begun sessions stored", |request, response| {
        Box::pin(async move {
            let Some(layer) = request.rocket().state::<SessionLayer<R>>() else {
                return;
            };
            let sends_cookie = response.headers().get("Set-Cookie").any(|c| {
                c.split_once('=')
                    .is_some_and(|(name, _)| name == layer.cookie_name)
            });
            let loaded = request.local_cache(|| Loaded::<R>::empty(false));
            let begun = match loaded.current.lock() {
                Ok(mut current) if current.pending && sends_cookie => {
                    current.pending = false;
                    current.id.clone().zip(current.data.take())
                }
                _ => None,
            };
            if let Some((id, record)) = begun {
                let mut same = |stored: &mut R| stored.clone_from(&record);
                if let Err(e) = layer.store.create(&id, &mut same).await {
                    layer.failed(e);
                }
            }
        })
    })
}
