//! The facts the rules read, each offered by the feature that holds it through a
//! [`FactsHook`]: personalisation imports no feature.

use std::sync::Arc;

use rocket::{Phase, Request, Rocket};

use super::condition::{FactSpec, VisitorFacts};
use crate::record::SessionData;
use crate::web::hooks::{hooks_of, registry};
use crate::web::Facts;

/// A feature's share of what the rules may read of a visitor.
pub trait FactsHook: Send + Sync + 'static {
    /// The facts this feature offers the rules by name (a condition naming
    /// another stops the launch).
    fn offers(&self) -> &'static [FactSpec] {
        &[]
    }

    /// Adds what this feature knows of the visitor with record `data` (none for a
    /// visitor without a session) on `request`; `page` holds what the page hooks
    /// found (the login, tracking's plan).
    fn facts<'a>(
        &self,
        request: &Request<'_>,
        data: Option<&'a SessionData>,
        page: &'a Facts,
        out: &mut VisitorFacts<'a>,
    );
}

/// Registers `hook`.
///
/// # Panics
/// Without the hooks' registry (see [`crate::web::hooks::registry`]).
pub fn add_facts_hook<P: Phase>(rocket: &Rocket<P>, hook: impl FactsHook) {
    registry(rocket)
        .list::<dyn FactsHook>()
        .add(0, Arc::new(hook));
}

/// Every fact the features offer the rules by name.
pub fn offered<P: Phase>(rocket: &Rocket<P>) -> Vec<FactSpec> {
    registry(rocket)
        .list::<dyn FactsHook>()
        .added()
        .iter()
        .flat_map(|h| h.offers().iter().copied())
        .collect()
}

/// Everything the features say of the visitor.
pub fn gather<'a>(
    request: &Request<'_>,
    data: Option<&'a SessionData>,
    page: &'a Facts,
) -> VisitorFacts<'a> {
    let mut out = VisitorFacts {
        first_visit: data.map(|d| d.created_at),
        ..VisitorFacts::default()
    };
    for hook in hooks_of::<dyn FactsHook>(request.rocket()) {
        hook.facts(request, data, page, &mut out);
    }
    out
}
