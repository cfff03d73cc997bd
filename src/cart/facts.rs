//! What the cart offers the personalisation rules: the units in the visitor's
//! cart (the account's while logged in).

use rocket::Request;

use super::Cart;
use crate::accounts::LoggedIn;
use crate::personalisation::{Fact, FactKind, FactSpec, FactsHook, VisitorFacts};
use crate::record::SessionData;
use crate::web::Facts;

/// The cart's facts hook.
pub struct CartFacts;

impl FactsHook for CartFacts {
    /// `cart_items = { min, max }`: units in the cart.
    fn offers(&self) -> &'static [FactSpec] {
        &[FactSpec {
            name: "cart_items",
            kind: FactKind::Count,
        }]
    }

    fn facts<'a>(
        &self,
        _: &Request<'_>,
        data: Option<&'a SessionData>,
        page: &'a Facts,
        out: &mut VisitorFacts<'a>,
    ) {
        let units = match page.get::<LoggedIn>() {
            Some(login) => login.account.cart.get::<Cart>().count(),
            None => data.and_then(|d| d.part::<Cart>()).map_or(0, Cart::count),
        };
        out.set("cart_items", Fact::Count(u64::from(units)));
    }
}
