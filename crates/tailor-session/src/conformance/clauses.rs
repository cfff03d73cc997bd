//! The clauses of the store contract, one function each (the macro runs each on a
//! fresh store).

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::parts::{Parts, WithParts};
use crate::{SessionId, SessionStore};

/// A record with a counter, a note and a log of views, enough to see lost
/// updates.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Counter {
    pub n: u64,
    pub note: String,
    #[serde(default)]
    pub parts: Parts,
}

impl WithParts for Counter {
    fn parts(&self) -> Option<&Parts> {
        Some(&self.parts)
    }
    fn parts_mut(&mut self) -> Option<&mut Parts> {
        Some(&mut self.parts)
    }
}

pub type Store = Arc<dyn SessionStore<Counter>>;

pub async fn load_of_an_unknown_id_is_none(store: Store) {
    assert!(store.load(&SessionId::generate()).await.unwrap().is_none());
}

pub async fn create_then_update_changes_the_record(store: Store) {
    let id = SessionId::generate();
    let first = store.create(&id, &mut |c| c.n += 1).await.unwrap();
    assert_eq!(first.n, 1);
    store
        .update(&id, &mut |c| c.note = "hé <b>".into())
        .await
        .unwrap();
    let loaded = store.load(&id).await.unwrap().unwrap();
    assert_eq!(
        *loaded,
        Counter {
            n: 1,
            note: "hé <b>".into(),
            parts: Parts::default(),
        }
    );
    assert!(
        store.create(&id, &mut |c| c.n = 99).await.is_err(),
        "creating an id in use fails"
    );
    assert_eq!(
        store.load(&id).await.unwrap().unwrap().n,
        1,
        "and writes nothing"
    );
}

pub async fn update_never_brings_a_session_into_being(store: Store) {
    let unknown = SessionId::generate();
    assert!(store
        .update(&unknown, &mut |c| c.n = 1)
        .await
        .unwrap()
        .is_none());
    assert!(store.load(&unknown).await.unwrap().is_none());
    // A write racing a logout or "forget me" does not resurrect the session.
    let destroyed = SessionId::generate();
    store.create(&destroyed, &mut |c| c.n = 1).await.unwrap();
    store.remove(&destroyed).await.unwrap();
    assert!(store
        .update(&destroyed, &mut |c| c.n += 1)
        .await
        .unwrap()
        .is_none());
    assert!(store.load(&destroyed).await.unwrap().is_none());
    assert_eq!(store.count().await.unwrap(), 0);
}

pub async fn remove_deletes_and_unknown_remove_is_fine(store: Store) {
    let id = SessionId::generate();
    store.create(&id, &mut |c| c.n = 5).await.unwrap();
    store.remove(&id).await.unwrap();
    assert!(store.load(&id).await.unwrap().is_none());
    store.remove(&SessionId::generate()).await.unwrap();
}

pub async fn regenerate_moves_the_record(store: Store) {
    let old = SessionId::generate();
    let new = SessionId::generate();
    store.create(&old, &mut |c| c.n = 7).await.unwrap();
    assert!(store.regenerate(&old, &new).await.unwrap());
    assert!(store.load(&old).await.unwrap().is_none());
    assert_eq!(store.load(&new).await.unwrap().unwrap().n, 7);
    assert!(!store
        .regenerate(&SessionId::generate(), &SessionId::generate())
        .await
        .unwrap());
}

pub async fn count_follows_inserts_and_removes(store: Store) {
    let before = store.count().await.unwrap();
    let ids: Vec<SessionId> = (0..5).map(|_| SessionId::generate()).collect();
    for id in &ids {
        store.create(id, &mut |c| c.n = 1).await.unwrap();
    }
    assert_eq!(store.count().await.unwrap(), before + 5);
    store.remove(&ids[0]).await.unwrap();
    assert_eq!(store.count().await.unwrap(), before + 4);
}

/// `store` must have been made with an idle timeout of [`SHORT_IDLE`].
pub async fn expiry_is_honoured_on_read_and_by_sweep(store: Store) {
    let read = SessionId::generate();
    let swept = SessionId::generate();
    store.create(&read, &mut |c| c.n = 1).await.unwrap();
    store.create(&swept, &mut |c| c.n = 1).await.unwrap();
    rocket::tokio::time::sleep(SHORT_IDLE * 2).await;
    assert!(
        store.load(&read).await.unwrap().is_none(),
        "an expired session was served"
    );
    store.sweep().await.unwrap(); // the memory store removes them; Redis has already
    assert_eq!(store.count().await.unwrap(), 0);
    // An update after expiry writes nothing: the session stays gone.
    assert!(store
        .update(&read, &mut |c| c.n += 1)
        .await
        .unwrap()
        .is_none());
    assert!(store.load(&read).await.unwrap().is_none());
}

/// `store` must have been made with an idle timeout of [`SHORT_IDLE`].
pub async fn activity_slides_the_idle_expiry(store: Store) {
    let id = SessionId::generate();
    store.create(&id, &mut |c| c.n = 1).await.unwrap();
    for _ in 0..4 {
        rocket::tokio::time::sleep(SHORT_IDLE / 2).await;
        assert!(
            store.load(&id).await.unwrap().is_some(),
            "an active session expired"
        );
    }
}

/// `store` must have been made with an idle timeout of [`SHORT_IDLE`].
pub async fn peek_reads_without_sliding_the_expiry(store: Store) {
    let id = SessionId::generate();
    store.create(&id, &mut |c| c.n = 9).await.unwrap();
    assert_eq!(store.peek(&id).await.unwrap().unwrap().n, 9);
    assert!(store.peek(&SessionId::generate()).await.unwrap().is_none());
    for _ in 0..4 {
        rocket::tokio::time::sleep(SHORT_IDLE / 2).await;
        store.peek(&id).await.unwrap();
    }
    assert!(
        store.peek(&id).await.unwrap().is_none(),
        "peeking kept the session alive"
    );
    assert!(store.load(&id).await.unwrap().is_none());
}

pub async fn concurrent_updates_of_one_session_are_all_applied(store: Store) {
    let id = SessionId::generate();
    store.create(&id, &mut |c| c.n = 0).await.unwrap();
    let tasks: Vec<_> = (0..200)
        .map(|_| {
            let (store, id) = (store.clone(), id.clone());
            rocket::tokio::spawn(async move {
                rocket::tokio::task::yield_now().await;
                store.update(&id, &mut |c| c.n += 1).await.unwrap();
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(store.load(&id).await.unwrap().unwrap().n, 200);
}

pub async fn concurrent_creations_of_many_sessions_all_land(store: Store) {
    let ids: Vec<SessionId> = (0..100).map(|_| SessionId::generate()).collect();
    let tasks: Vec<_> = ids
        .iter()
        .map(|id| {
            let (store, id) = (store.clone(), id.clone());
            rocket::tokio::spawn(async move { store.create(&id, &mut |c| c.n += 1).await.unwrap() })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    for id in &ids {
        assert_eq!(store.load(id).await.unwrap().unwrap().n, 1);
    }
}

pub async fn an_update_from_a_stale_copy_loses_no_write(store: Store) {
    let id = SessionId::generate();
    store.create(&id, &mut |c| c.n = 1).await.unwrap();
    let seen = store.load_seen(&id).await.unwrap().unwrap();
    let stale = crate::Seen {
        record: seen.record.clone(),
        version: seen.version,
    };
    // From the copy as loaded: written, with the version after it.
    let fresh = store
        .update_seen(&id, seen, &mut |c| c.n += 1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(fresh.record.n, 2);
    // Another write since: the stale copy is not written over it.
    store
        .update(&id, &mut |c| c.note = "other".into())
        .await
        .unwrap();
    let last = store
        .update_seen(&id, stale, &mut |c| c.n += 10)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((last.record.n, last.record.note.as_str()), (12, "other"));
    assert_eq!(*store.load(&id).await.unwrap().unwrap(), *last.record);
    // Nor does a copy bring a destroyed session back.
    let seen = store.load_seen(&id).await.unwrap().unwrap();
    store.remove(&id).await.unwrap();
    assert!(store
        .update_seen(&id, seen, &mut |c| c.n = 0)
        .await
        .unwrap()
        .is_none());
    assert!(store.load(&id).await.unwrap().is_none());
}

pub async fn concurrent_updates_from_one_copy_are_all_applied(store: Store) {
    let id = SessionId::generate();
    store.create(&id, &mut |c| c.n = 0).await.unwrap();
    let seen = store.load_seen(&id).await.unwrap().unwrap();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let (store, id) = (store.clone(), id.clone());
            let copy = crate::Seen {
                record: seen.record.clone(),
                version: seen.version,
            };
            rocket::tokio::spawn(async move {
                store
                    .update_seen(&id, copy, &mut |c| c.n += 1)
                    .await
                    .unwrap();
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(store.load(&id).await.unwrap().unwrap().n, 50);
}

pub async fn ping_answers(store: Store) {
    store.ping().await.unwrap();
}

/// The idle timeout of stores given to the expiry tests.
pub const SHORT_IDLE: Duration = Duration::from_millis(300);
