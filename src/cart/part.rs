//! The cart's parts of the session record: the cart, the orders the session
//! placed, and where a cart copied from an account came from.

use std::mem::size_of;

use serde::{Deserialize, Serialize};
use tailor_session::parts::{self, Part};

use super::model::{Cart, CartLine};
use crate::data::AccountId;
use crate::record::keep_id;

impl Part for Cart {
    const NAME: &'static str = "cart";

    fn worth_keeping(&self) -> bool {
        !self.lines.is_empty()
    }

    fn footprint(&self) -> usize {
        size_of::<Self>() + self.lines.capacity() * (size_of::<CartLine>() + 16)
    }
}

/// Ids of the orders this session placed (newest last).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Orders(pub Vec<i64>);

impl Orders {
    /// Remembers order `id`.
    pub fn note(&mut self, id: i64) {
        keep_id(&mut self.0, id);
    }
}

impl Part for Orders {
    const NAME: &'static str = "orders";

    fn worth_keeping(&self) -> bool {
        !self.0.is_empty()
    }

    fn footprint(&self) -> usize {
        24 + self.0.capacity() * 8
    }
}

/// When a login ended by timeout, the account's cart was copied into the
/// session: which account, and what the copy held. Logging in to that account
/// again merges only what was added since, never the copy itself.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartOrigin {
    pub account: AccountId,
    pub cart: Cart,
}

impl Part for CartOrigin {
    const NAME: &'static str = "cart_origin";

    fn worth_keeping(&self) -> bool {
        true
    }
}

/// Registers the cart's parts.
pub fn register() {
    parts::register::<Cart>();
    parts::register::<Orders>();
    parts::register::<CartOrigin>();
}
