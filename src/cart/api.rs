//! The cart API: `GET /api/v1/cart`, `POST /api/v1/cart/items`,
//! `PUT` and `DELETE /api/v1/cart/items/<product>`.

use crate::web::AppError;
use std::sync::Arc;

use crate::web::Json;
use rocket::http::Status;
use rocket::{delete, get, post, put, Route, State};

use super::{change_cart, Cart, CartView, Catalog, Quantity};
use crate::accounts::{Accounts, Login};
use crate::record::SessionData;
use crate::web::{ApiError, ApiJson, SameOrigin};
use tailor_session::Session;

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

/// The body of `POST /api/v1/cart/items`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddBody {
    product: String,
    #[serde(default = "one")]
    quantity: u64,
}

/// The body of `PUT /api/v1/cart/items/<product>`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetBody {
    quantity: u64,
}

fn one() -> u64 {
    1
}

fn bad_quantity(_: super::model::QuantityOutOfRange) -> ApiError {
    ApiError::new(
        Status::UnprocessableEntity,
        "invalid_value",
        "`quantity` must be a whole number from 1 to 99.",
    )
    .field("quantity")
}

/// The visitor's cart: the account's while logged in, else the session's.
fn visitor_cart(session: &Session<'_, SessionData>, login: &Login) -> Cart {
    super::cart_of(session.data().as_deref(), login.0.as_ref())
}

#[get("/api/v1/cart")]
fn api_cart(
    session: Session<'_, SessionData>,
    login: Login,
    catalog: &State<Arc<Catalog>>,
) -> Json<CartView> {
    Json(CartView::new(&visitor_cart(&session, &login), catalog))
}

#[post("/api/v1/cart/items", data = "<body>")]
async fn api_add(
    session: Session<'_, SessionData>,
    login: Login,
    body: ApiJson<AddBody>,
    catalog: &State<Arc<Catalog>>,
    accounts: &State<Accounts>,
) -> Result<Json<CartView>, AppError> {
    let slug = product_slug(catalog, &body.0.product)?;
    let quantity = Quantity::try_from(body.0.quantity).map_err(bad_quantity)?;
    let (added, cart) = change_cart(&session, login.0.as_ref(), accounts, |c| {
        c.add(&slug, quantity)
    })
    .await?;
    added.map_err(|_| {
        ApiError::new(
            Status::UnprocessableEntity,
            "too_many",
            "A cart line holds at most 99 units.",
        )
        .field("quantity")
    })?;
    Ok(Json(CartView::new(&cart, catalog)))
}

#[put("/api/v1/cart/items/<product>", data = "<body>")]
async fn api_set(
    product: &str,
    session: Session<'_, SessionData>,
    login: Login,
    body: ApiJson<SetBody>,
    catalog: &State<Arc<Catalog>>,
    accounts: &State<Accounts>,
) -> Result<Json<CartView>, AppError> {
    let slug = product_slug(catalog, product)?;
    let quantity = Quantity::try_from(body.0.quantity).map_err(bad_quantity)?;
    let (_, cart) = change_cart(&session, login.0.as_ref(), accounts, |c| {
        c.set(&slug, quantity)
    })
    .await?;
    Ok(Json(CartView::new(&cart, catalog)))
}

#[delete("/api/v1/cart/items/<product>")]
async fn api_remove(
    product: &str,
    session: Session<'_, SessionData>,
    login: Login,
    _origin: SameOrigin,
    catalog: &State<Arc<Catalog>>,
    accounts: &State<Accounts>,
) -> Result<Json<CartView>, AppError> {
    let slug = product_slug(catalog, product)?;
    let mut cart = visitor_cart(&session, &login);
    if cart.lines.iter().any(|l| l.product == slug) {
        cart = change_cart(&session, login.0.as_ref(), accounts, |c| c.remove(&slug))
            .await?
            .1;
    }
    Ok(Json(CartView::new(&cart, catalog)))
}

/// The cart API's routes.
pub fn routes() -> Vec<Route> {
    rocket::routes![api_cart, api_add, api_set, api_remove]
}
