//! An order's confirmation page, `/orders/<reference>`: what was ordered, under
//! its public reference, shown only to the session that placed it or the
//! account it belongs to (404 to anyone else, as to a reference that does not
//! exist: references are random, so none can be found by counting).

use crate::web::AppError;
use std::sync::Arc;

use rocket::http::Status;
use rocket::{get, State};
use serde::Serialize;

use super::{format_price, Catalog, Orders};
use crate::accounts::LoggedIn;
use crate::data::orders::Order;
use crate::data::Db;
use crate::i18n::local_time;
use crate::web::template::Template;
use crate::web::Page;

#[derive(Serialize)]
struct LineView {
    name: String,
    quantity: i64,
    unit_price: String,
    subtotal: String,
}

#[derive(Serialize)]
struct OrderView {
    reference: String,
    placed_at: String,
    lines: Vec<LineView>,
    total: String,
}

/// Whether `page`'s visitor may see `order`: their session placed it, or it is
/// their account's.
fn theirs(page: &Page<'_>, order: &Order) -> bool {
    let by_account = page
        .fact::<LoggedIn>()
        .is_some_and(|login| order.account_id == Some(login.id));
    let by_session = page
        .data()
        .and_then(|d| d.part::<Orders>().map(|o| o.0.contains(&order.id)))
        .unwrap_or(false);
    by_account || by_session
}

fn view(page: &Page<'_>, order: Order, catalog: &Catalog) -> OrderView {
    let price = |cents: i64| format_price(u64::try_from(cents).unwrap_or(0), page.lang);
    OrderView {
        reference: order.reference.unwrap_or_default(),
        placed_at: local_time(order.created_at, page.zone),
        lines: order
            .lines
            .iter()
            .map(|l| LineView {
                name: catalog
                    .find(&l.product)
                    .map_or_else(|| l.product.clone(), |p| p.name(page.lang).to_owned()),
                quantity: l.quantity,
                unit_price: price(l.unit_price_cents),
                subtotal: price(l.quantity.saturating_mul(l.unit_price_cents)),
            })
            .collect(),
        total: price(order.total_cents),
    }
}

#[get("/orders/<reference>")]
async fn order(
    page: Page<'_>,
    reference: &str,
    db: &State<Db>,
    catalog: &State<Arc<Catalog>>,
) -> Result<Template, AppError> {
    let well_formed = reference.len() == 16 && reference.bytes().all(|b| b.is_ascii_alphanumeric());
    if !well_formed {
        return Err(Status::NotFound.into());
    }
    let order = db.order_by_reference(reference).await?;
    let order = order.filter(|o| theirs(&page, o)).ok_or(Status::NotFound)?;
    Ok(page.render("order", view(&page, order, catalog)))
}

/// The order page.
pub(super) fn routes() -> Vec<rocket::Route> {
    rocket::routes![order]
}
