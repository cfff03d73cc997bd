//! The shop: the catalogue (`/products`), the cart (`/cart`, `/api/v1/cart`) that
//! follows the visitor from page to page, and checkout. A logged-in user's cart is
//! the account's (in the database), so it follows them to other devices; orders
//! are placed in the database, with the operators' page at `/admin/orders`.

mod admin;
mod api;
pub mod model;
mod orders;
pub mod part;
mod plugs;
mod routes;

use crate::web::AppError;
use std::path::PathBuf;
use std::sync::Arc;

use rocket::fairing::AdHoc;
use serde::Serialize;

use crate::accounts::{Accounts, LoggedIn};
use crate::conversions::ConversionRows;
use crate::data::orders::{NewOrder, OrderLine};
use crate::data::Db;
use crate::record::SessionData;
use crate::web::Page;
use tailor_session::Session;

pub use model::{format_price, Cart, CartError, CartLine, Catalog, Product, Quantity};
pub use part::{CartOrigin, Orders};

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

/// The order lines of `cart` at today's prices (lines of products no longer in
/// the catalogue are left out).
pub fn order_lines(cart: &Cart, catalog: &Catalog) -> Vec<OrderLine> {
    cart.lines
        .iter()
        .filter_map(|l| {
            let product = catalog.find(&l.product)?;
            Some(OrderLine {
                product: product.slug.clone(),
                quantity: i64::from(l.quantity),
                unit_price_cents: i64::try_from(product.price_cents).unwrap_or(i64::MAX),
            })
        })
        .collect()
}

/// Applies `change` to the visitor's cart (the account's while logged in, else the
/// session's) atomically, and returns its result and the new cart.
///
/// # Errors
/// [`AppError`] when the database or the session store fails; nothing changed.
pub async fn change_cart<T: Send>(
    session: &Session<'_, SessionData>,
    login: Option<&LoggedIn>,
    accounts: &Accounts,
    mut change: impl FnMut(&mut Cart) -> T + Send,
) -> Result<(T, Cart), AppError> {
    if let Some(login) = login {
        // Boxed: the database's future is large and visitors without an account
        // never await it (see `preferences::change`).
        if let Some(done) = Box::pin(accounts.change_cart(login.id, &mut change)).await? {
            return Ok(done);
        }
        // The account went meanwhile; the visitor is logged out on their next
        // request and keeps this change in their session.
    }
    let changed = session
        .update(|d: &mut SessionData| {
            let out = change(d.part_mut::<Cart>());
            (out, d.part_or_default::<Cart>())
        })
        .await?;
    Ok(changed)
}

/// Places an order of the visitor's cart, counts its conversion (`counts`, in the
/// same transaction) and empties the cart. The account's cart is ordered and
/// emptied in one transaction; a visitor's session cart is ordered first and
/// emptied after, under a key that makes a second order of it impossible.
/// Returns the order's id, `None` when the cart is empty.
///
/// # Errors
/// [`AppError`] when the database or the session store fails: no order was
/// placed and the cart is as it was, or (the store failing after the order) the
/// order is placed and the cart still holds it, and ordering it again places
/// nothing new.
pub async fn place_order(
    session: &Session<'_, SessionData>,
    login: Option<&LoggedIn>,
    (db, accounts): (&Db, &Accounts),
    catalog: &Catalog,
    rows: &ConversionRows,
) -> Result<Option<i64>, AppError> {
    let (credit, counts) = (&rows.credit, &rows.counts);
    let now = chrono::Utc::now();
    if let Some(login) = login {
        let price = |cart: &Cart| order_lines(cart, catalog);
        let placed = db
            .checkout_account(login.id, price, credit, counts, &rows.experiments, now)
            .await?;
        if placed.is_some() {
            accounts.cart_is(login.id, Cart::default());
        }
        return Ok(placed);
    }
    if session.data().is_none_or(|d| d.part::<Cart>().is_none()) {
        return Ok(None);
    }
    // The visitor's cart: it gets a key (once), the order is written with it, and
    // only then do the ordered lines leave the cart. A second checkout of the same
    // cart (a double click, a retry after the cart could not be emptied) finds the
    // key taken and places nothing new; a failure leaves the cart as it was.
    let cart = session
        .update(|d: &mut SessionData| {
            let cart = d.part_mut::<Cart>();
            if !cart.lines.is_empty() && cart.key.is_none() {
                cart.key = Some(tailor_session::random_token(16));
            }
            cart.clone()
        })
        .await?;
    let lines = order_lines(&cart, catalog);
    let Some(key) = cart.key.as_deref().filter(|_| !lines.is_empty()) else {
        return Ok(None);
    };
    let order = NewOrder {
        account: None,
        lines: &lines,
        credit,
        created_at: now,
        counts,
        experiments: &rows.experiments,
        cart_key: Some(key),
    };
    let (id, _) = db.place_order(order).await?;
    session
        .update(|d: &mut SessionData| {
            let current = d.part_mut::<Cart>();
            if current.key.as_deref() == Some(key) {
                // What was added meanwhile stays; what was ordered goes.
                *current = current.beyond(&cart);
            }
        })
        .await?;
    Ok(Some(id))
}

/// The cart of a visitor with record `data`: the account's while logged in, else
/// the session's.
pub fn cart_of(data: Option<&SessionData>, login: Option<&LoggedIn>) -> Cart {
    match login {
        Some(login) => login.account.cart.get::<Cart>().clone(),
        None => data
            .and_then(|d| d.part::<Cart>().cloned())
            .unwrap_or_default(),
    }
}

/// The catalogue's products among `paths` (`/products/<slug>`), at most `n`, in
/// the order of `paths`, as `page` shows them.
pub fn products_among(page: &Page<'_>, paths: &[&str], n: usize) -> Vec<ProductView> {
    let Some(catalog) = page.state::<Arc<Catalog>>() else {
        return Vec::new();
    };
    paths
        .iter()
        .filter_map(|path| catalog.find(path.strip_prefix("/products/")?))
        .take(n)
        .map(|p| ProductView::new(p, page.lang))
        .collect()
}

/// The cart of a page's visitor.
pub fn visitor_cart(page: &Page<'_>) -> Cart {
    cart_of(page.data().as_deref(), page.fact::<LoggedIn>())
}

/// Where the catalogue is.
pub fn catalog_path() -> PathBuf {
    PathBuf::from(rocket::fs::relative!("catalog/products.toml"))
}

/// The catalogue, the cart pages and API, and the orders.
pub fn stage() -> AdHoc {
    // Before any record is read (snapshots load at ignite).
    part::register();
    AdHoc::try_on_ignite("Shop", move |rocket| async move {
        let catalog = match Catalog::load(&catalog_path()) {
            Ok(catalog) => catalog,
            Err(e) => {
                rocket::error!("the catalogue cannot be loaded: {e}");
                return Err(rocket);
            }
        };
        let catalog = Arc::new(catalog);
        crate::web::add_page_hook(&rocket, plugs::CountHook);
        crate::web::add_page_title(&rocket, plugs::ShopTitles(catalog.clone()));
        crate::personalisation::add_facts_hook(&rocket, plugs::CartFacts);
        crate::privacy::add_privacy_hook(&rocket, plugs::CartRights);
        crate::accounts::add_account_hook(
            &rocket,
            crate::accounts::LoginPhase::MayUndo,
            plugs::CartAtLogin,
        );
        Ok(rocket
            .manage(catalog)
            .mount("/", routes::routes())
            .mount("/", orders::routes())
            .mount("/", api::routes())
            .mount("/", admin::routes()))
    })
}
