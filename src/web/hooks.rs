//! What features add to every page, without `web` knowing them: each registers a
//! [`PageHook`] in its stage ([`PageHooks::add`]), and the [`Page`](super::Page)
//! guard runs them all, in their [`order`](PageHook::order).
//!
//! A hook reads the request and the record before the page (the login is checked,
//! the language chosen, the visit planned) and leaves what it found as a typed
//! [`Facts`] entry for the page's handler and the later hooks; it may ask for the
//! page's one housekeeping write and do its share in it (drafts past their age
//! dropped); and it fills its part of the layout (the cart's count, the consent
//! banner).

use std::any::Any;
use std::sync::{Arc, Mutex, OnceLock};

use rocket::http::Status;
use rocket::Request;

use super::PageContext;
use crate::i18n::{Language, Timezone};
use crate::record::SessionData;
use tailor_session::{Session, SessionError, SessionId};

/// Typed values the hooks leave for the page (at most one per type).
#[derive(Default)]
pub struct Facts(Vec<Box<dyn Any + Send + Sync>>);

impl Facts {
    /// The fact of type `T`, if a hook left one.
    pub fn get<T: Any + Send + Sync>(&self) -> Option<&T> {
        self.0.iter().find_map(|f| f.downcast_ref::<T>())
    }

    /// Leaves `fact`, replacing one of its type.
    pub fn insert<T: Any + Send + Sync>(&mut self, fact: T) {
        match self.0.iter_mut().find_map(|f| f.downcast_mut::<T>()) {
            Some(slot) => *slot = fact,
            None => self.0.push(Box::new(fact)),
        }
    }
}

/// The page being prepared, as the hooks see it.
pub struct Prepare<'a, 'r> {
    pub session: &'a Session<'r, SessionData>,
    /// The page's language: `Accept-Language`'s until a hook says otherwise.
    pub lang: Language,
    /// The zone the page shows times in.
    pub zone: Timezone,
    /// A hook needs the visitor to have a session after this request (to record
    /// the visit, or for the consent banner's token).
    pub needs_session: bool,
    /// The visitor has no session and must not get one from a page (opt-in mode,
    /// before the choice): forms carry stateless tokens, bound to their action.
    pub stateless: bool,
    pub facts: Facts,
}

/// A feature's share of every page.
#[rocket::async_trait]
pub trait PageHook: Send + Sync + 'static {
    /// Hooks run in ascending order; equal orders in registration order.
    fn order(&self) -> i32 {
        0
    }

    /// Reads the request and the record before the page.
    ///
    /// # Errors
    /// A status and a session error, which answer the request instead of the page.
    async fn prepare(
        &self,
        _request: &Request<'_>,
        _page: &mut Prepare<'_, '_>,
    ) -> Result<(), (Status, SessionError)> {
        Ok(())
    }

    /// Whether this record needs the page's housekeeping write.
    fn needs_write(&self, _request: &Request<'_>, _data: &SessionData) -> bool {
        false
    }

    /// This hook's share of the housekeeping write (which also takes the flash).
    fn housekeep(&self, _request: &Request<'_>, _data: &mut SessionData) {}

    /// After the write, when the visitor has a session.
    fn after(&self, _request: &Request<'_>, _id: &SessionId, _facts: &Facts) {}

    /// Fills this hook's part of the layout.
    fn layout(&self, _facts: &Facts, _data: Option<&SessionData>, _layout: &mut PageContext) {}
}

/// The registered page hooks (managed state). Features add theirs at ignite; the
/// list is fixed at liftoff.
#[derive(Default)]
pub struct PageHooks {
    adding: Mutex<Vec<Arc<dyn PageHook>>>,
    fixed: OnceLock<Box<[Arc<dyn PageHook>]>>,
}

impl PageHooks {
    /// Registers `hook`.
    ///
    /// # Panics
    /// After liftoff: hooks are fixed then.
    pub fn add(&self, hook: impl PageHook) {
        assert!(
            self.fixed.get().is_none(),
            "page hooks are added before liftoff"
        );
        self.adding
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Arc::new(hook));
    }

    /// The hooks, in order (fixed on first use).
    pub fn all(&self) -> &[Arc<dyn PageHook>] {
        self.fixed.get_or_init(|| {
            let mut hooks =
                std::mem::take(&mut *self.adding.lock().unwrap_or_else(|e| e.into_inner()));
            hooks.sort_by_key(|h| h.order());
            hooks.into_boxed_slice()
        })
    }
}

/// Registers `hook` on `rocket`'s page hooks.
///
/// # Panics
/// When the web stage has not run yet (it manages the list).
pub fn add_page_hook<P: rocket::Phase>(rocket: &rocket::Rocket<P>, hook: impl PageHook) {
    rocket
        .state::<PageHooks>()
        .expect("the web stage runs before the features' stages")
        .add(hook);
}
