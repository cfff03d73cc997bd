//! The store contract every session backend fulfils.
//!
//! A store maps [`SessionId`]s to records of any serde type `R`. Every mutation
//! goes through [`SessionStore::update`], which applies a closure to the record
//! atomically per session: two concurrent updates of one session both take effect,
//! whatever the backend. Expired records are never returned, even before a sweep.

use std::sync::Arc;

use serde::{de::DeserializeOwned, Serialize};

use crate::SessionId;

/// What a stored record must be: serialisable for stores that leave the process,
/// `Default` for a new visitor's first update.
pub trait Record: Serialize + DeserializeOwned + Default + Clone + Send + Sync + 'static {}
impl<T: Serialize + DeserializeOwned + Default + Clone + Send + Sync + 'static> Record for T {}

/// Why a store operation failed. `Display` is safe to show; the source has details.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record could not be serialised.
    #[error("the session could not be saved")]
    Encode(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A stored record could not be read back.
    #[error("the session could not be read")]
    Decode(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The backend is unreachable or refused the operation.
    #[error("the session store is unavailable")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// The result type of every store operation.
pub type Result<T> = std::result::Result<T, StoreError>;

/// The closure an [`SessionStore::update`] applies. `FnMut` because an optimistic
/// store may run it again on a fresh copy when it loses a race.
pub type Mutation<'a, R> = &'a mut (dyn FnMut(&mut R) + Send);

/// A record as its caller last read or wrote it, and the store's version of it
/// then (0: the store keeps no versions, or it is not known).
#[derive(Debug)]
pub struct Seen<R> {
    pub record: Arc<R>,
    pub version: u64,
}

/// A session backend. Object-safe: the app holds an `Arc<dyn SessionStore<R>>`.
///
/// The [`Session`](crate::Session) guard is the usual way in; a store can also
/// be used directly (a job, a test, an admin task).
///
/// # Examples
///
/// ```
/// use std::{sync::Arc, time::Duration};
///
/// use tailor_session::{MemoryStore, SessionId, SessionStore, Values};
///
/// # rocket::execute(async {
/// let store: Arc<dyn SessionStore<Values>> =
///     Arc::new(MemoryStore::new(Duration::from_secs(60), 1_000));
/// let id = SessionId::generate();
/// store.create(&id, &mut |v| v.insert("name", "John")).await?;
/// store.update(&id, &mut |v| v.insert("visits", 2)).await?;
/// let record = store.load(&id).await?.expect("a live session");
/// assert_eq!(record.get::<u32>("visits"), Some(2));
///
/// store.remove(&id).await?;
/// // An update never brings a removed session back.
/// assert!(store.update(&id, &mut |v| v.insert("visits", 3)).await?.is_none());
/// # Ok::<(), tailor_session::StoreError>(())
/// # }).unwrap();
/// ```
#[rocket::async_trait]
pub trait SessionStore<R: Record>: std::fmt::Debug + Send + Sync + 'static {
    /// The live record of `id`, sliding its idle expiry; `None` if unknown or expired.
    async fn load(&self, id: &SessionId) -> Result<Option<Arc<R>>>;

    /// The live record of `id` without sliding its expiry (for listing sessions
    /// other than the caller's own); `None` if unknown or expired.
    async fn peek(&self, id: &SessionId) -> Result<Option<Arc<R>>>;

    /// Creates the record of a new `id` from `R::default()` changed by `mutate`,
    /// and returns it. Creating is its own operation: nothing else brings a
    /// session into being.
    ///
    /// Fails (writing nothing) when `id` is already in use.
    async fn create(&self, id: &SessionId, mutate: Mutation<'_, R>) -> Result<Arc<R>>;

    /// Applies `mutate` atomically to the live record of `id` and returns the new
    /// record; `None`, writing nothing, when the session is unknown, expired or was
    /// destroyed meanwhile (an update never brings a session back).
    async fn update(&self, id: &SessionId, mutate: Mutation<'_, R>) -> Result<Option<Arc<R>>>;

    /// [`load`](Self::load), with the record's version for
    /// [`update_seen`](Self::update_seen).
    async fn load_seen(&self, id: &SessionId) -> Result<Option<Seen<R>>> {
        let record = self.load(id).await?;
        Ok(record.map(|record| Seen { record, version: 0 }))
    }

    /// [`update`](Self::update), starting from `seen` when the stored record is
    /// still at its version: a store that must read and decode the record to
    /// update it (Redis) skips that, and reads only when it lost a race.
    async fn update_seen(
        &self,
        id: &SessionId,
        seen: Seen<R>,
        mutate: Mutation<'_, R>,
    ) -> Result<Option<Seen<R>>> {
        // A store in this process holds the record itself: the caller's copy
        // only goes, so the store can change its own in place.
        drop(seen);
        let record = self.update(id, mutate).await?;
        Ok(record.map(|record| Seen { record, version: 0 }))
    }

    /// Removes the record of `id`; removing an unknown id is not an error.
    async fn remove(&self, id: &SessionId) -> Result<()>;

    /// Moves the record of `old` to `new` (old is gone afterwards). Returns false,
    /// and changes nothing, when `old` is unknown or expired.
    async fn regenerate(&self, old: &SessionId, new: &SessionId) -> Result<bool>;

    /// How many sessions the store holds (expired ones may count until swept).
    async fn count(&self) -> Result<usize>;

    /// Removes expired records; returns how many were removed.
    async fn sweep(&self) -> Result<usize>;

    /// Succeeds when the backend can serve requests (for `/readyz`).
    async fn ping(&self) -> Result<()>;
}
