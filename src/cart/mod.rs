//! The shop: the catalogue (`/products`), the cart (`/cart`, `/api/v1/cart`) that
//! follows the visitor from page to page, and checkout. A logged-in user's cart is
//! also saved to their account, so it follows them to other devices.

pub mod model;
mod routes;

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use rocket::fairing::AdHoc;
use serde::Serialize;

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
#[derive(Clone, Debug, Serialize)]
pub struct Order {
    pub number: u64,
    pub username: Option<String>,
    pub lines: Vec<CartLine>,
    pub total_cents: u64,
    pub placed_at: DateTime<Utc>,
}

/// The orders placed, newest kept, oldest dropped beyond the bound.
pub struct Orders {
    kept: usize,
    list: Mutex<(u64, VecDeque<Order>)>,
}

impl Orders {
    pub fn new(kept: usize) -> Self {
        Orders {
            kept: kept.max(1),
            list: Mutex::new((0, VecDeque::new())),
        }
    }

    /// Records an order and returns its number.
    pub fn place(&self, username: Option<String>, cart: &Cart, catalog: &Catalog) -> u64 {
        let mut guard = self.list.lock().unwrap_or_else(|p| p.into_inner());
        guard.0 += 1;
        let number = guard.0;
        let order = Order {
            number,
            username,
            lines: cart.lines.clone(),
            total_cents: cart.total_cents(catalog),
            placed_at: Utc::now(),
        };
        guard.1.push_back(order);
        while guard.1.len() > self.kept {
            guard.1.pop_front();
        }
        number
    }

    /// The orders, newest first.
    pub fn newest_first(&self) -> Vec<Order> {
        let guard = self.list.lock().unwrap_or_else(|p| p.into_inner());
        guard.1.iter().rev().cloned().collect()
    }
}

/// The catalogue, the cart pages and API, and the orders.
pub fn stage(orders_kept: usize) -> AdHoc {
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
            .manage(Arc::new(Orders::new(orders_kept)))
            .mount("/", routes::routes()))
    })
}
