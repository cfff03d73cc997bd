//! The render cache as managed state: lookups, renders on a miss, purges, and the
//! hit and miss counts.

use super::{
    owner_of, Arc, AtomicU64, Metadata, Missed, Ordering, RenderCache, RenderError, Rendered,
};
/// The render cache and its counters, as managed state (the engine itself is
/// `rocket_dyn_templates`').
pub struct Templates {
    pub(super) cache: Option<RenderCache>,
    pub(super) hits: AtomicU64,
    pub(super) misses: AtomicU64,
    /// How many times the engine has loaded the templates (1, then one more per
    /// reload), and the generation the cached pages were rendered with.
    pub(super) loaded: Arc<AtomicU64>,
    pub(super) cached: AtomicU64,
}

impl Templates {
    /// Pages served from the render cache and pages rendered, since launch.
    pub fn cache_counts(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    /// Empties the cache when the engine reloaded the templates since the
    /// cached pages were rendered.
    fn follow_reloads(&self) {
        let loaded = self.loaded.load(Ordering::Acquire);
        if self.cached.load(Ordering::Acquire) != loaded
            && self.cached.swap(loaded, Ordering::AcqRel) != loaded
        {
            if let Some(cache) = &self.cache {
                cache.clear();
            }
        }
    }

    /// The cached page under `key`, counted as a hit.
    pub(super) fn lookup(&self, key: u128) -> Option<Arc<Rendered>> {
        self.follow_reloads();
        let found = self.cache.as_ref()?.get(&key)?;
        self.hits.fetch_add(1, Ordering::Relaxed);
        Some(found)
    }

    /// Drops the cached pages rendered for the sessions tagged `owners` (see
    /// [`owner_of`]): one pass over the cache, whatever the number of owners.
    pub fn purge(&self, owners: &[u64]) {
        if let Some(cache) = &self.cache {
            cache.retain(|_, page| !owners.contains(&page.owner));
        }
    }

    pub(super) fn render_missed(
        &self,
        engine: &Metadata<'_>,
        name: &str,
        missed: Missed,
    ) -> Result<Arc<Rendered>, RenderError> {
        self.misses.fetch_add(1, Ordering::Relaxed);
        let mut context = (*missed.statics).clone().into_json();
        if let (Some(all), serde_json::Value::Object(dynamic)) =
            (context.as_object_mut(), missed.json?)
        {
            all.extend(dynamic);
            if let Some(late) = &missed.late {
                all.insert("slots".into(), late.texts());
            }
        }
        let (_, html) = engine
            .render(name.to_owned(), context)
            .ok_or(RenderError::Engine)?;
        let owner = missed.owner.as_ref().map_or(0, owner_of);
        let rendered = Arc::new(Rendered::new(html, owner));
        if let (Some(cache), Some(key)) = (&self.cache, missed.key) {
            cache.insert(key, rendered.clone());
        }
        Ok(rendered)
    }
}
