//! Conversions: an order placed, a contact form sent. A conversion is an event of
//! the feature that makes it (the cart, the forms); the features that count
//! conversions (tracking, experiments, or one added from outside) register a
//! [`ConversionHook`] and say what the conversion adds to the durable data, which
//! the maker writes in the same SQL transaction as the order or the submission,
//! so neither is ever counted without the other.

use std::sync::Arc;

use crate::data::counters::Increments;
use crate::data::experiments::Converted;
use crate::data::orders::Credit;
use crate::web::hooks::{hooks_of, registry};
use crate::web::Page;

/// A conversion worth counting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conversion {
    /// The contact form was submitted.
    Contact,
    /// An order was placed.
    Checkout,
}

/// What a conversion adds to the durable data.
#[derive(Debug, Default)]
pub struct ConversionRows {
    /// Counter increments (the campaign report's).
    pub counts: Increments,
    /// The touches an order is credited to.
    pub credit: Credit,
    /// The experiments' conversions (counted once per participant and goal).
    pub experiments: Vec<Converted>,
}

/// A feature that counts conversions.
pub trait ConversionHook: Send + Sync + 'static {
    /// Adds to `rows` what conversion `kind` by `page`'s visitor counts.
    fn converted(&self, page: &Page<'_>, kind: Conversion, rows: &mut ConversionRows);
}

/// Registers `hook` on `rocket`'s conversion hooks.
///
/// # Panics
/// Without the hooks' registry (see [`registry`]).
pub fn add_conversion_hook<P: rocket::Phase>(
    rocket: &rocket::Rocket<P>,
    hook: impl ConversionHook,
) {
    registry(rocket)
        .list::<dyn ConversionHook>()
        .add(0, Arc::new(hook));
}

/// What conversion `kind` by `page`'s visitor adds to the durable data (every
/// conversion hook's share), for the maker's transaction.
pub fn rows(page: &Page<'_>, kind: Conversion) -> ConversionRows {
    let mut rows = ConversionRows::default();
    for hook in hooks_of::<dyn ConversionHook>(page.rocket()) {
        hook.converted(page, kind, &mut rows);
    }
    rows
}
