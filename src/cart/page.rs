//! What the cart adds to every page: the count of units for the navigation bar.

use super::Cart;
use crate::accounts::LoggedIn;
use crate::record::SessionData;
use crate::web::{ContextPiece, Facts, PageContext, PageHook};

/// The cart's piece of every page: `page.cart.count`, units in the cart, for the
/// navigation bar.
#[derive(serde::Serialize)]
pub struct CartSummary {
    pub count: u32,
}

impl ContextPiece for CartSummary {
    const NAME: &'static str = "cart";
}

/// The cart's page hook.
pub struct CountHook;

#[rocket::async_trait]
impl PageHook for CountHook {
    fn layout(&self, facts: &Facts, data: Option<&SessionData>, layout: &mut PageContext) {
        let count = match facts.get::<LoggedIn>() {
            Some(login) => login.account.cart.get::<Cart>().count(),
            None => data.and_then(|d| d.part::<Cart>()).map_or(0, Cart::count),
        };
        layout.put(CartSummary { count });
    }
}

/// The shop's pages' titles: a product's name, "Your order".
pub struct ShopTitles(pub std::sync::Arc<super::Catalog>);

impl crate::web::PageTitle for ShopTitles {
    fn title(&self, path: &str, lang: crate::i18n::Language) -> Option<String> {
        if path.starts_with("/orders/") {
            return Some(lang.text("orders.title").to_owned());
        }
        let product = self.0.find(path.strip_prefix("/products/")?)?;
        Some(product.name(lang).to_owned())
    }
}
