//! The shop: the catalogue (`/products`), the cart (`/cart`, `/api/v1/cart`) that
//! follows the visitor from page to page, and checkout. A logged-in user's cart is
//! also saved to their account, so it follows them to other devices.

pub mod model;
mod routes;

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use rocket::fairing::AdHoc;
use serde::{Deserialize, Serialize};

use crate::backend::{Backend, Journal};
use crate::session::StoreError;

pub use model::{format_price, Cart, CartError, CartLine, Catalog, Product, Quantity};

use crate::i18n::Language;

/// The cart as the API and the export show it.
#[derive(Serialize)]
pub struct CartView {
    pub items: Vec<ItemView>,
    pub total_cents: u64,
}

/// One line as the API shows it.
#[derive(Serialize)]
pub struct ItemView {
    pub product: String,
    pub quantity: u32,
    pub unit_price_cents: u64,
}

impl CartView {
    pub fn new(cart: &Cart, catalog: &Catalog) -> Self {
        let items = cart
            .lines
            .iter()
            .map(|l| ItemView {
                product: l.product.clone(),
                quantity: l.quantity,
                unit_price_cents: catalog.find(&l.product).map_or(0, |p| p.price_cents),
            })
            .collect();
        CartView {
            items,
            total_cents: cart.total_cents(catalog),
        }
    }
}

/// A product as a page shows it, in the visitor's language.
#[derive(Serialize)]
pub struct ProductView {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub price: String,
}

impl ProductView {
    pub fn new(product: &Product, lang: Language) -> Self {
        ProductView {
            slug: product.slug.clone(),
            name: product.name(lang).to_owned(),
            description: product.description(lang).to_owned(),
            price: format_price(product.price_cents, lang),
        }
    }
}

/// A placed order.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Order {
    pub number: u64,
    pub username: Option<String>,
    pub lines: Vec<CartLine>,
    pub total_cents: u64,
    pub placed_at: DateTime<Utc>,
}

/// The orders placed, newest first, bounded.
pub struct Orders(Journal<Order>);

impl Orders {
    pub fn new(backend: &Backend, kept: usize) -> Self {
        Orders(Journal::new(backend, "orders", kept))
    }

    /// Records an order and returns its number.
    ///
    /// # Errors
    /// [`StoreError`] when the backend fails.
    pub async fn place(
        &self,
        username: Option<String>,
        cart: &Cart,
        catalog: &Catalog,
    ) -> Result<u64, StoreError> {
        let number = self.0.next_number().await?;
        let order = Order {
            number,
            username,
            lines: cart.lines.clone(),
            total_cents: cart.total_cents(catalog),
            placed_at: Utc::now(),
        };
        self.0.push(order).await?;
        Ok(number)
    }

    /// The orders, newest first.
    ///
    /// # Errors
    /// [`StoreError`] when the backend fails.
    pub async fn newest_first(&self) -> Result<Vec<Order>, StoreError> {
        self.0.newest_first().await
    }
}

/// The catalogue, the cart pages and API, and the orders.
pub fn stage(orders_kept: usize, backend: Backend) -> AdHoc {
    AdHoc::try_on_ignite("Shop", move |rocket| async move {
        let path = PathBuf::from(rocket::fs::relative!("catalog/products.toml"));
        let catalog = match Catalog::load(&path) {
            Ok(catalog) => catalog,
            Err(e) => {
                rocket::error!("the catalogue cannot be loaded: {e}");
                return Err(rocket);
            }
        };
        Ok(rocket
            .manage(Arc::new(catalog))
            .manage(Arc::new(Orders::new(&backend, orders_kept)))
            .mount("/", routes::routes()))
    })
}
