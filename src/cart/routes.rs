//! Shop pages (`/products`, `/products/<slug>`, `/cart`, the cart forms) and the
//! cart API (`/api/v1/cart`).

use std::sync::Arc;

use crate::web::template::Template;
use rocket::form::Form;
use rocket::http::Status;
use rocket::response::Redirect;
use rocket::serde::json::Json;
use rocket::{delete, get, post, put, Route, State};
use serde::Serialize;
use serde_json::Value;

use super::{format_price, Cart, CartError, CartView, Catalog, Orders, ProductView, Quantity};
use crate::accounts::{current_user, Accounts};
use crate::record::SessionData;
use crate::session::{Session, SessionError};
use crate::tracking::{self, CampaignStats, Conversion};
use crate::web::{ApiError, ApiJson, FormOutcome, Page, SameOrigin};

#[derive(Serialize)]
struct ProductsView {
    products: Vec<ProductView>,
}

#[get("/products")]
fn products(page: Page<'_>, catalog: &State<Arc<Catalog>>) -> Template {
    let products = catalog
        .products
        .iter()
        .map(|p| ProductView::new(p, page.lang))
        .collect();
    page.render("products", ProductsView { products })
}

#[derive(Serialize)]
struct ProductPage {
    product: ProductView,
    in_cart: u32,
}

#[get("/products/<slug>")]
async fn product(
    page: Page<'_>,
    slug: &str,
    catalog: &State<Arc<Catalog>>,
) -> Result<Template, Status> {
    let product = catalog.find(slug).ok_or(Status::NotFound)?;
    page.ensure_session().await?;
    let in_cart = page.data().map_or(0, |d| {
        d.cart()
            .lines
            .iter()
            .find(|l| l.product == product.slug)
            .map_or(0, |l| l.quantity)
    });
    Ok(page.render(
        "product",
        ProductPage {
            product: ProductView::new(product, page.lang),
            in_cart,
        },
    ))
}

#[derive(Serialize)]
struct LineView {
    product: ProductView,
    quantity: u32,
    subtotal: String,
}

#[derive(Serialize)]
struct CartPage {
    lines: Vec<LineView>,
    count: u32,
    total: String,
    /// A catalog key (`cart.errors.*`) when a change was refused.
    error: Option<&'static str>,
}

fn cart_page(page: &Page<'_>, catalog: &Catalog, error: Option<&'static str>) -> Template {
    let cart = page.data().map(|d| d.cart().clone()).unwrap_or_default();
    let lines = cart
        .lines
        .iter()
        .filter_map(|l| {
            let p = catalog.find(&l.product)?;
            Some(LineView {
                product: ProductView::new(p, page.lang),
                quantity: l.quantity,
                subtotal: format_price(p.price_cents * u64::from(l.quantity), page.lang),
            })
        })
        .collect();
    let view = CartPage {
        lines,
        count: cart.count(),
        total: format_price(cart.total_cents(catalog), page.lang),
        error,
    };
    page.render("cart", view)
}

#[get("/cart")]
async fn cart(page: Page<'_>, catalog: &State<Arc<Catalog>>) -> Result<Template, Status> {
    if page.data().is_some_and(|d| !d.cart().lines.is_empty()) {
        page.ensure_session().await?;
    }
    Ok(cart_page(&page, catalog, None))
}

#[derive(rocket::FromForm)]
struct LineForm {
    csrf_token: Option<String>,
    product: Option<String>,
    quantity: Option<String>,
}

/// What a cart form asks for, checked: the product exists, the quantity is 1..=99.
fn checked<'c>(
    form: &LineForm,
    catalog: &'c Catalog,
    need_quantity: bool,
) -> Result<(&'c str, Option<Quantity>), Status> {
    let product = form
        .product
        .as_deref()
        .and_then(|slug| catalog.find(slug))
        .ok_or(Status::NotFound)?;
    let quantity = match form.quantity.as_deref() {
        None | Some("") if !need_quantity => None,
        None | Some("") => Quantity::new(1),
        Some(text) => Some(Quantity::parse(text).ok_or(Status::UnprocessableEntity)?),
    };
    Ok((product.slug.as_str(), quantity))
}

/// Applies a change to the cart and, for a logged-in user, to their account's cart.
async fn change_cart<T: Send>(
    session: &Session<'_, SessionData>,
    accounts: &Accounts,
    change: impl FnMut(&mut Cart) -> T + Send,
) -> Result<T, crate::session::SessionError> {
    let mut change = change;
    let out = session
        .update(|d: &mut SessionData| change(d.cart_mut()))
        .await?;
    accounts.remember(session.data().as_deref()).await;
    Ok(out)
}

fn refused(page: &Page<'_>, catalog: &Catalog, status: Status, key: &'static str) -> FormOutcome {
    FormOutcome::Invalid((status, cart_page(page, catalog, Some(key))))
}

#[post("/cart/add", data = "<form>")]
async fn add(
    page: Page<'_>,
    form: Form<LineForm>,
    catalog: &State<Arc<Catalog>>,
    accounts: &State<Accounts>,
) -> Result<FormOutcome, Status> {
    page.check_csrf(form.csrf_token.as_deref())?;
    let (slug, quantity) = match checked(&form, catalog, true) {
        Ok((slug, Some(q))) => (slug, q),
        Ok((_, None)) | Err(Status::UnprocessableEntity) => {
            return Ok(refused(
                &page,
                catalog,
                Status::UnprocessableEntity,
                "quantity",
            ))
        }
        Err(status) => return Err(status),
    };
    match change_cart(&page.session, accounts, |c| c.add(slug, quantity)).await? {
        Ok(()) => {
            page.session
                .update(|d: &mut SessionData| d.flash("success", "flash.cart_added"))
                .await?;
            Ok(FormOutcome::Redirect(Redirect::to("/cart")))
        }
        Err(CartError::TooMany) => Ok(refused(
            &page,
            catalog,
            Status::UnprocessableEntity,
            "too_many",
        )),
    }
}

#[post("/cart/update", data = "<form>")]
async fn update(
    page: Page<'_>,
    form: Form<LineForm>,
    catalog: &State<Arc<Catalog>>,
    accounts: &State<Accounts>,
) -> Result<FormOutcome, Status> {
    page.check_csrf(form.csrf_token.as_deref())?;
    if form.quantity.as_deref().is_none_or(|q| q.trim().is_empty()) {
        return Ok(refused(
            &page,
            catalog,
            Status::UnprocessableEntity,
            "quantity",
        ));
    }
    match checked(&form, catalog, true) {
        Ok((slug, Some(quantity))) => {
            change_cart(&page.session, accounts, |c| c.set(slug, quantity)).await?;
            Ok(FormOutcome::Redirect(Redirect::to("/cart")))
        }
        Ok((_, None)) | Err(Status::UnprocessableEntity) => Ok(refused(
            &page,
            catalog,
            Status::UnprocessableEntity,
            "quantity",
        )),
        Err(status) => Err(status),
    }
}

#[post("/cart/remove", data = "<form>")]
async fn remove(
    page: Page<'_>,
    form: Form<LineForm>,
    catalog: &State<Arc<Catalog>>,
    accounts: &State<Accounts>,
) -> Result<Redirect, Status> {
    page.check_csrf(form.csrf_token.as_deref())?;
    let (slug, _) = checked(&form, catalog, false)?;
    change_cart(&page.session, accounts, |c| c.remove(slug)).await?;
    Ok(Redirect::to("/cart"))
}

#[derive(rocket::FromForm)]
struct TokenForm {
    csrf_token: Option<String>,
}

#[post("/cart/checkout", data = "<form>")]
#[allow(clippy::too_many_arguments)]
async fn checkout(
    page: Page<'_>,
    form: Form<TokenForm>,
    catalog: &State<Arc<Catalog>>,
    accounts: &State<Accounts>,
    orders: &State<Arc<Orders>>,
    stats: &State<Arc<CampaignStats>>,
) -> Result<FormOutcome, Status> {
    page.check_csrf(form.csrf_token.as_deref())?;
    let before = page.data();
    let cart = change_cart(&page.session, accounts, std::mem::take).await?;
    if cart.lines.is_empty() {
        return Ok(refused(
            &page,
            catalog,
            Status::UnprocessableEntity,
            "empty",
        ));
    }
    let username = before
        .as_deref()
        .and_then(|d| current_user(d, accounts))
        .map(|u| u.username.clone());
    orders
        .place(username, &cart, catalog)
        .await
        .map_err(SessionError::from)?;
    tracking::convert(
        page.tracking_allowed(),
        before.as_deref(),
        stats,
        Conversion::Checkout,
    )
    .await;
    page.session
        .update(|d: &mut SessionData| d.flash("success", "flash.order_placed"))
        .await?;
    Ok(FormOutcome::Redirect(Redirect::to("/cart")))
}

fn unknown_product() -> ApiError {
    ApiError::new(
        Status::NotFound,
        "unknown_product",
        "There is no product with this id.",
    )
}

/// The catalogue's slug for `product`, or 404 `unknown_product`.
fn product_slug(catalog: &Catalog, product: &str) -> Result<String, ApiError> {
    catalog
        .find(product)
        .map(|p| p.slug.clone())
        .ok_or_else(unknown_product)
}

fn bad_quantity() -> ApiError {
    ApiError::new(
        Status::UnprocessableEntity,
        "invalid_value",
        "`quantity` must be a whole number from 1 to 99.",
    )
    .field("quantity")
}

/// Reads a JSON object that may hold only `allowed` keys.
fn object<'v>(
    body: &'v Value,
    allowed: &[&str],
) -> Result<&'v serde_json::Map<String, Value>, ApiError> {
    let invalid = |field: &str, message: &str| {
        ApiError::new(Status::UnprocessableEntity, "invalid_value", message)
            .field(field.chars().take(64).collect::<String>())
    };
    let map = body
        .as_object()
        .ok_or_else(|| invalid("body", "The body must be a JSON object."))?;
    if let Some(key) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(invalid(key, "This field is not accepted here."));
    }
    Ok(map)
}

#[get("/api/v1/cart")]
fn api_cart(session: Session<'_, SessionData>, catalog: &State<Arc<Catalog>>) -> Json<CartView> {
    let cart = session.data().map(|d| d.cart().clone()).unwrap_or_default();
    Json(CartView::new(&cart, catalog))
}

#[post("/api/v1/cart/items", data = "<body>")]
async fn api_add(
    session: Session<'_, SessionData>,
    body: ApiJson,
    catalog: &State<Arc<Catalog>>,
    accounts: &State<Accounts>,
) -> Result<Json<CartView>, ApiError> {
    let map = object(&body.0, &["product", "quantity"])?;
    let slug = match map.get("product") {
        Some(Value::String(s)) => product_slug(catalog, s)?,
        _ => {
            return Err(ApiError::new(
                Status::UnprocessableEntity,
                "invalid_value",
                "`product` must be a product id.",
            )
            .field("product"))
        }
    };
    let quantity = map
        .get("quantity")
        .map_or(Quantity::new(1), Quantity::from_json)
        .ok_or_else(bad_quantity)?;
    let added = change_cart(&session, accounts, |c| c.add(&slug, quantity)).await?;
    added.map_err(|_| {
        ApiError::new(
            Status::UnprocessableEntity,
            "too_many",
            "A cart line holds at most 99 units.",
        )
        .field("quantity")
    })?;
    Ok(api_cart(session, catalog))
}

#[put("/api/v1/cart/items/<product>", data = "<body>")]
async fn api_set(
    product: &str,
    session: Session<'_, SessionData>,
    body: ApiJson,
    catalog: &State<Arc<Catalog>>,
    accounts: &State<Accounts>,
) -> Result<Json<CartView>, ApiError> {
    let slug = product_slug(catalog, product)?;
    let map = object(&body.0, &["quantity"])?;
    let quantity = map
        .get("quantity")
        .and_then(Quantity::from_json)
        .ok_or_else(bad_quantity)?;
    change_cart(&session, accounts, |c| c.set(&slug, quantity)).await?;
    Ok(api_cart(session, catalog))
}

#[delete("/api/v1/cart/items/<product>")]
async fn api_remove(
    product: &str,
    session: Session<'_, SessionData>,
    _origin: SameOrigin,
    catalog: &State<Arc<Catalog>>,
    accounts: &State<Accounts>,
) -> Result<Json<CartView>, ApiError> {
    let slug = product_slug(catalog, product)?;
    if session
        .data()
        .is_some_and(|d| d.cart().lines.iter().any(|l| l.product == slug))
    {
        change_cart(&session, accounts, |c| c.remove(&slug)).await?;
    }
    Ok(api_cart(session, catalog))
}

/// The shop's routes.
pub fn routes() -> Vec<Route> {
    rocket::routes![
        products, product, cart, add, update, remove, checkout, api_cart, api_add, api_set,
        api_remove
    ]
}
