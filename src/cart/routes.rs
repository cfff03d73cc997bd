//! Shop pages: `/products`, `/products/<slug>`, `/cart` and the cart forms.

use crate::web::AppError;
use std::sync::Arc;

use crate::web::template::Template;
use rocket::form::Form;
use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{get, post, Route, State};
use serde::Serialize;

use super::{
    change_cart, format_price, place_order, CartError, Catalog, Orders, ProductView, Quantity,
};
use crate::accounts::Accounts;
use crate::conversions::Conversion;
use crate::data::Db;
use crate::record::SessionData;
use crate::web::{FormOutcome, Page};

#[derive(Serialize)]
struct ProductsView {
    products: Vec<ProductView>,
}

#[get("/products")]
async fn products(page: Page<'_>, catalog: &State<Arc<Catalog>>) -> Result<Template, AppError> {
    // Each product has an "Add to cart" form, whose token needs the session.
    page.ensure_session().await?;
    let products = catalog
        .products
        .iter()
        .map(|p| ProductView::new(p, page.lang))
        .collect();
    Ok(page.render("products", ProductsView { products }))
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
) -> Result<Template, AppError> {
    let product = catalog.find(slug).ok_or(Status::NotFound)?;
    page.ensure_session().await?;
    let in_cart = super::visitor_cart(&page)
        .lines
        .iter()
        .find(|l| l.product == product.slug)
        .map_or(0, |l| l.quantity);
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
    let cart = super::visitor_cart(page);
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
async fn cart(page: Page<'_>, catalog: &State<Arc<Catalog>>) -> Result<Template, AppError> {
    if !super::visitor_cart(&page).lines.is_empty() {
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

fn refused(page: &Page<'_>, catalog: &Catalog, status: Status, key: &'static str) -> FormOutcome {
    FormOutcome::Invalid((status, cart_page(page, catalog, Some(key))))
}

/// The form again, refused with 422 and the catalog key of the problem.
fn unprocessable(page: &Page<'_>, catalog: &Catalog, key: &'static str) -> FormOutcome {
    refused(page, catalog, Status::UnprocessableEntity, key)
}

/// A line form's product and quantity (1 when left out), or the 422 page for a
/// quantity that is not one; 404 for an unknown product.
fn line<'c>(
    page: &Page<'_>,
    form: &LineForm,
    catalog: &'c Catalog,
) -> Result<Result<(&'c str, Quantity), FormOutcome>, AppError> {
    match checked(form, catalog, true) {
        Ok((slug, Some(quantity))) => Ok(Ok((slug, quantity))),
        Ok((_, None)) | Err(Status::UnprocessableEntity) => {
            Ok(Err(unprocessable(page, catalog, "quantity")))
        }
        Err(status) => Err(status.into()),
    }
}

/// Changes the visitor's cart (the account's while logged in).
async fn change<T: Send>(
    page: &Page<'_>,
    accounts: &Accounts,
    change: impl FnMut(&mut super::Cart) -> T + Send,
) -> Result<T, AppError> {
    let login = page.fact::<crate::accounts::LoggedIn>();
    let (out, _) = change_cart(&page.session, login, accounts, change).await?;
    Ok(out)
}

#[post("/cart/add", data = "<form>")]
async fn add(
    page: Page<'_>,
    form: Form<LineForm>,
    catalog: &State<Arc<Catalog>>,
    accounts: &State<Accounts>,
) -> Result<FormOutcome, AppError> {
    page.check_csrf(form.csrf_token.as_deref())?;
    let (slug, quantity) = match line(&page, &form, catalog)? {
        Ok(line) => line,
        Err(refusal) => return Ok(refusal),
    };
    match change(&page, accounts, |c| c.add(slug, quantity)).await? {
        Ok(()) => {
            page.session
                .update(|d: &mut SessionData| d.flash("success", "flash.cart_added"))
                .await?;
            Ok(FormOutcome::Redirect(Redirect::to("/cart")))
        }
        Err(CartError::TooMany) => Ok(unprocessable(&page, catalog, "too_many")),
    }
}

#[post("/cart/update", data = "<form>")]
async fn update(
    page: Page<'_>,
    form: Form<LineForm>,
    catalog: &State<Arc<Catalog>>,
    accounts: &State<Accounts>,
) -> Result<FormOutcome, AppError> {
    page.check_csrf(form.csrf_token.as_deref())?;
    // Updating needs a quantity: an empty one is not "1".
    if form.quantity.as_deref().is_none_or(|q| q.trim().is_empty()) {
        return Ok(unprocessable(&page, catalog, "quantity"));
    }
    let (slug, quantity) = match line(&page, &form, catalog)? {
        Ok(line) => line,
        Err(refusal) => return Ok(refusal),
    };
    change(&page, accounts, |c| c.set(slug, quantity)).await?;
    Ok(FormOutcome::Redirect(Redirect::to("/cart")))
}

#[post("/cart/remove", data = "<form>")]
async fn remove(
    page: Page<'_>,
    form: Form<LineForm>,
    catalog: &State<Arc<Catalog>>,
    accounts: &State<Accounts>,
) -> Result<Redirect, AppError> {
    page.check_csrf(form.csrf_token.as_deref())?;
    let (slug, _) = checked(&form, catalog, false)?;
    change(&page, accounts, |c| c.remove(slug)).await?;
    Ok(Redirect::to("/cart"))
}

#[derive(rocket::FromForm)]
struct TokenForm {
    csrf_token: Option<String>,
}

#[post("/cart/checkout", data = "<form>")]
async fn checkout(
    page: Page<'_>,
    form: Form<TokenForm>,
    catalog: &State<Arc<Catalog>>,
    accounts: &State<Accounts>,
    db: &State<Db>,
) -> Result<FormOutcome, AppError> {
    page.check_csrf(form.csrf_token.as_deref())?;
    let rows = crate::conversions::rows(&page, Conversion::Checkout);
    let login = page.fact::<crate::accounts::LoggedIn>();
    let placed = place_order(&page.session, login, (db, accounts), catalog, &rows).await?;
    let Some(order) = placed else {
        return Ok(unprocessable(&page, catalog, "empty"));
    };
    page.session
        .update(|d: &mut SessionData| {
            d.part_mut::<Orders>().note(order);
            d.flash("success", "flash.order_placed");
        })
        .await?;
    // Its confirmation page, under its public reference (an order placed before
    // references existed has one since the migration; none: the cart).
    let next = match db.order_reference(order).await? {
        Some(reference) => format!("/orders/{reference}"),
        None => "/cart".to_owned(),
    };
    Ok(FormOutcome::Redirect(Redirect::to(next)))
}

/// The shop's pages.
pub fn routes() -> Vec<Route> {
    rocket::routes![products, product, cart, add, update, remove, checkout]
}
