//! What features add to every page, without `web` knowing them: each registers a
//! [`PageHook`] in its stage ([`add_page_hook`]), kept in the one [`Registry`],
//! and the [`Page`](super::Page) guard runs them all, by their
//! [`phase`](PageHook::phase).
//!
//! A hook reads the request and the record before the page (the login is checked,
//! the language chosen, the visit planned) and leaves what it found as a typed
//! [`Facts`] entry for the page's handler and the later hooks; it may ask for the
//! page's one housekeeping write and do its share in it (drafts past their age
//! dropped); and it fills its part of the layout (the cart's count, the consent
//! banner).

use std::any::Any;
use std::sync::Arc;

use rocket::http::Status;
use rocket::Request;

pub use super::registry::{hooks_of, registry, Hooks, Registry};
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

    /// The fact of type `T` to change.
    pub fn get_mut<T: Any + Send + Sync>(&mut self) -> Option<&mut T> {
        self.0.iter_mut().find_map(|f| f.downcast_mut::<T>())
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

/// When a page hook runs: the phases in this order, hooks of one phase in the
/// order they were registered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum PagePhase {
    /// Who the visitor is: a login that ends renews the session before others
    /// read it.
    Identify,
    /// What the visitor chose and sends: language, zone, privacy signals, drafts
    /// past their age, the cart's count.
    #[default]
    Choices,
    /// What this view may record, and whether it needs a session (tracking).
    Plan,
    /// What the rules decide for this visitor.
    Decide,
    /// What follows from the decision (the experiments' assignments).
    Follow,
}

/// A feature's share of every page.
#[rocket::async_trait]
pub trait PageHook: Send + Sync + 'static {
    /// When this hook runs.
    fn phase(&self) -> PagePhase {
        PagePhase::Choices
    }

    /// Reads the request and the record before the page.
    ///
    /// # Errors
    /// A status and a session error, which answer the request instead of the page.
    fn prepare(
        &self,
        _request: &Request<'_>,
        _page: &mut Prepare<'_, '_>,
    ) -> Result<(), (Status, SessionError)> {
        Ok(())
    }

    /// Whether the hook must wait on something (a database read) before this
    /// page: then the guard calls [`PageHook::prepare_async`] instead of
    /// `prepare`. (A plain `prepare` costs no boxed future on every page.)
    fn is_async(&self, _request: &Request<'_>, _page: &Prepare<'_, '_>) -> bool {
        false
    }

    /// `prepare`, for a hook that waits.
    ///
    /// # Errors
    /// As `prepare`.
    async fn prepare_async(
        &self,
        request: &Request<'_>,
        page: &mut Prepare<'_, '_>,
    ) -> Result<(), (Status, SessionError)> {
        self.prepare(request, page)
    }

    /// Whether this record needs the page's housekeeping write (`facts`: what
    /// the hooks found).
    fn needs_write(&self, _request: &Request<'_>, _data: &SessionData, _facts: &Facts) -> bool {
        false
    }

    /// This hook's share of the housekeeping write (which also takes the flash).
    fn housekeep(&self, _request: &Request<'_>, _data: &mut SessionData, _facts: &Facts) {}

    /// After the write, when the visitor has a session.
    fn after(&self, _request: &Request<'_>, _id: &SessionId, _facts: &mut Facts) {}

    /// Fills this hook's part of the layout.
    fn layout(&self, _facts: &Facts, _data: Option<&SessionData>, _layout: &mut PageContext) {}
}

/// Registers `hook` on `rocket`'s page hooks, in its phase.
///
/// # Panics
/// Without the registry (see [`registry`]).
pub fn add_page_hook<P: rocket::Phase>(rocket: &rocket::Rocket<P>, hook: impl PageHook) {
    let list = registry(rocket).list::<dyn PageHook>();
    list.add(hook.phase() as i32, Arc::new(hook));
}

/// What a feature's pages are called, for lists of pages (the history, "recently
/// viewed"): a product's name, a form's title.
pub trait PageTitle: Send + Sync + 'static {
    /// The title of the page at `path` in `lang`, if it is one of this feature's.
    fn title(&self, path: &str, lang: Language) -> Option<String>;
}

/// Registers `hook` on `rocket`'s page titles.
///
/// # Panics
/// Without the registry (see [`registry`]).
pub fn add_page_title<P: rocket::Phase>(rocket: &rocket::Rocket<P>, hook: impl PageTitle) {
    registry(rocket)
        .list::<dyn PageTitle>()
        .add(0, Arc::new(hook));
}
