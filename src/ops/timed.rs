//! [`TimedStore`]: any session store, its every operation timed into
//! `tailor_store_operation_duration_seconds{operation}`.

use std::sync::Arc;
use std::time::Instant;

use tailor_session::store::{Mutation, Result};
use tailor_session::{Record, Seen, SessionId, SessionStore};

use super::metrics::{Histograms, Metrics, OperationLabels};

/// A session store whose every operation is timed into
/// `tailor_store_operation_duration_seconds`.
pub struct TimedStore<R> {
    inner: Arc<dyn SessionStore<R>>,
    histograms: Histograms<OperationLabels>,
}

impl<R> std::fmt::Debug for TimedStore<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TimedStore")
            .field("inner", &self.inner)
            .finish_non_exhaustive()
    }
}

impl<R: Record> TimedStore<R> {
    pub fn new(inner: Arc<dyn SessionStore<R>>, metrics: &Metrics) -> Self {
        TimedStore {
            inner,
            histograms: metrics.store.clone(),
        }
    }

    async fn timed<T>(
        &self,
        operation: &'static str,
        run: impl std::future::Future<Output = T>,
    ) -> T {
        let started = Instant::now();
        let out = run.await;
        self.histograms
            .get_or_create(&OperationLabels { operation })
            .observe(started.elapsed().as_secs_f64());
        out
    }
}

#[rocket::async_trait]
impl<R: Record> SessionStore<R> for TimedStore<R> {
    async fn load(&self, id: &SessionId) -> Result<Option<Arc<R>>> {
        self.timed("load", self.inner.load(id)).await
    }

    async fn peek(&self, id: &SessionId) -> Result<Option<Arc<R>>> {
        self.timed("peek", self.inner.peek(id)).await
    }

    async fn create(&self, id: &SessionId, mutate: Mutation<'_, R>) -> Result<Arc<R>> {
        self.timed("create", self.inner.create(id, mutate)).await
    }

    async fn update(&self, id: &SessionId, mutate: Mutation<'_, R>) -> Result<Option<Arc<R>>> {
        self.timed("update", self.inner.update(id, mutate)).await
    }

    async fn load_seen(&self, id: &SessionId) -> Result<Option<Seen<R>>> {
        self.timed("load", self.inner.load_seen(id)).await
    }

    async fn update_seen(
        &self,
        id: &SessionId,
        seen: Seen<R>,
        mutate: Mutation<'_, R>,
    ) -> Result<Option<Seen<R>>> {
        self.timed("update", self.inner.update_seen(id, seen, mutate))
            .await
    }

    async fn remove(&self, id: &SessionId) -> Result<()> {
        self.timed("remove", self.inner.remove(id)).await
    }

    async fn regenerate(&self, old: &SessionId, new: &SessionId) -> Result<bool> {
        self.timed("regenerate", self.inner.regenerate(old, new))
            .await
    }

    async fn count(&self) -> Result<usize> {
        self.timed("count", self.inner.count()).await
    }

    async fn sweep(&self) -> Result<usize> {
        self.timed("sweep", self.inner.sweep()).await
    }

    async fn ping(&self) -> Result<()> {
        self.timed("ping", self.inner.ping()).await
    }
}
