//! The clauses on log parts ([`crate::parts::LogPart`]): a store that keeps logs
//! apart still loses no entry and no write, and keeps a log's bound.

use serde::{Deserialize, Serialize};

use super::{Counter, Store};
use crate::parts::{LogPart, Part};
use crate::SessionId;

impl Counter {
    /// The views logged, oldest first.
    pub fn views(&self) -> &[u32] {
        self.parts.get::<Views>().map_or(&[], |v| &v.0)
    }

    /// Logs view `n`, keeping the last `keep`.
    pub fn view(&mut self, n: u32, keep: usize) {
        let views = &mut self.parts.get_mut::<Views>().0;
        views.push(n);
        views.drain(..views.len().saturating_sub(keep));
    }
}

/// A log part: the views of [`Counter`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Views(pub Vec<u32>);

impl Part for Views {
    const NAME: &'static str = "views";
}

impl LogPart for Views {
    type Entry = u32;
    fn entries(&self) -> &[u32] {
        &self.0
    }
    fn from_entries(entries: Vec<u32>) -> Self {
        Views(entries)
    }
}

pub async fn concurrent_log_appends_and_writes_are_all_applied(store: Store) {
    let id = SessionId::generate();
    store.create(&id, &mut |c| c.view(0, 1000)).await.unwrap();
    let seen = store.load_seen(&id).await.unwrap().unwrap();
    // 200 at once: views logged from one copy (as a page's recorder does), and
    // writes of the rest from fresh reads (as a preference form does).
    let tasks: Vec<_> = (1..=200u32)
        .map(|i| {
            let (store, id) = (store.clone(), id.clone());
            let copy = crate::Seen {
                record: seen.record.clone(),
                version: seen.version,
            };
            rocket::tokio::spawn(async move {
                if i % 2 == 0 {
                    store.update_seen(&id, copy, &mut |c| c.view(i, 1000)).await
                } else {
                    store.update(&id, &mut |c| c.n += 1).await.map(|_| None)
                }
                .unwrap();
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let record = store.load(&id).await.unwrap().unwrap();
    assert_eq!(record.n, 100);
    let mut views = record.views().to_vec();
    views.sort_unstable();
    assert_eq!(views, (0..=200).step_by(2).collect::<Vec<u32>>());
}

pub async fn a_log_keeps_its_bound_and_is_cleared_moved_and_removed(store: Store) {
    let id = SessionId::generate();
    store
        .create(&id, &mut |c| (1..=5).for_each(|i| c.view(i, 5)))
        .await
        .unwrap();
    let tasks: Vec<_> = (6..=25u32)
        .map(|i| {
            let (store, id) = (store.clone(), id.clone());
            rocket::tokio::spawn(async move { store.update(&id, &mut |c| c.view(i, 5)).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let views = store.load(&id).await.unwrap().unwrap().views().to_vec();
    assert_eq!(views.len(), 5, "{views:?}");
    assert!(
        views.iter().all(|v| *v > 5),
        "the oldest went first: {views:?}"
    );
    // Cleared: gone, and a later view starts afresh.
    store
        .update(&id, &mut |c| drop(c.parts.remove::<Views>()))
        .await
        .unwrap();
    assert!(store.load(&id).await.unwrap().unwrap().views().is_empty());
    store.update(&id, &mut |c| c.view(30, 5)).await.unwrap();
    // Moved with the session.
    let new = SessionId::generate();
    assert!(store.regenerate(&id, &new).await.unwrap());
    assert_eq!(store.load(&new).await.unwrap().unwrap().views(), [30]);
    // Removed with it: the id made again holds none.
    store.remove(&new).await.unwrap();
    let again = store.create(&new, &mut |c| c.n = 1).await.unwrap();
    assert!(again.views().is_empty());
    assert!(store.load(&new).await.unwrap().unwrap().views().is_empty());
    // A long log, written at once (tailor allows 10,000 visits).
    store
        .update(&new, &mut |c| (0..10_000).for_each(|i| c.view(i, 10_000)))
        .await
        .unwrap();
    let views = store.load(&new).await.unwrap().unwrap().views().to_vec();
    assert_eq!(views, (0..10_000).collect::<Vec<u32>>());
}
