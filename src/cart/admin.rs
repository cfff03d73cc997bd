//! Orders for operators: `/admin/orders` (newest first, 50 a page) and
//! `/admin/orders.csv` (all of them), read from the database.

use crate::web::AppError;
use std::sync::Arc;

use rocket::response::stream::TextStream;
use rocket::{get, Route, State};
use serde::Serialize;

use super::{format_price, Catalog};
use crate::admin::{csv_cell, csv_download, csv_line, Admin, Csv, Paging, CSV_BATCH, PAGE_SIZE};
use crate::data::orders::{Order, TouchLabel};
use crate::data::Db;
use crate::i18n::local_time;
use crate::web::template::Template;
use crate::web::Page;

#[derive(Serialize)]
struct OrderRow {
    id: i64,
    placed_at: String,
    /// The account's username; `None` for a visitor without one or a deleted account.
    username: Option<String>,
    items: Vec<(String, i64)>,
    total: String,
    first: Option<String>,
    last: Option<String>,
}

#[derive(Serialize)]
struct OrdersView {
    orders: Vec<OrderRow>,
    paging: Paging,
}

/// "campaign · source · medium", the parts that are set.
fn touch_text(touch: &TouchLabel) -> String {
    [&touch.campaign, &touch.source, &touch.medium]
        .into_iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join(" · ")
}

fn row(order: Order, page: &Page<'_>, catalog: &Catalog) -> OrderRow {
    let name = |slug: &str| {
        catalog
            .find(slug)
            .map_or_else(|| slug.to_owned(), |p| p.name(page.lang).to_owned())
    };
    OrderRow {
        id: order.id,
        placed_at: local_time(order.created_at, page.zone),
        username: order.username,
        items: order
            .lines
            .iter()
            .map(|l| (name(&l.product), l.quantity))
            .collect(),
        total: format_price(u64::try_from(order.total_cents).unwrap_or(0), page.lang),
        first: order.credit.first.as_ref().map(touch_text),
        last: order.credit.last.as_ref().map(touch_text),
    }
}

#[get("/admin/orders?<page>")]
async fn admin_orders(
    _admin: Admin,
    page: Option<&str>,
    view: Page<'_>,
    db: &State<Db>,
    catalog: &State<Arc<Catalog>>,
) -> Result<Template, AppError> {
    let paging = Paging::new(page, db.order_count().await?);
    let orders = db
        .orders_page(paging.offset(), PAGE_SIZE)
        .await?
        .into_iter()
        .map(|o| row(o, &view, catalog))
        .collect();
    Ok(view.render("admin/orders", OrdersView { orders, paging }))
}

const HEADER: [&str; 11] = [
    "id",
    "placed_at",
    "username",
    "items",
    "total_cents",
    "first_campaign",
    "first_source",
    "first_medium",
    "last_campaign",
    "last_source",
    "last_medium",
];

fn csv_row(order: &Order) -> String {
    let items = order
        .lines
        .iter()
        .map(|l| format!("{} x{} @{}", l.product, l.quantity, l.unit_price_cents))
        .collect::<Vec<_>>()
        .join("; ");
    let none = TouchLabel::default();
    let first = order.credit.first.as_ref().unwrap_or(&none);
    let last = order.credit.last.as_ref().unwrap_or(&none);
    let text = |v: &Option<String>| csv_cell(v.as_deref().unwrap_or(""));
    csv_line(&[
        order.id.to_string(),
        csv_cell(&order.created_at.to_rfc3339()),
        text(&order.username),
        csv_cell(&items),
        order.total_cents.to_string(),
        text(&first.campaign),
        text(&first.source),
        text(&first.medium),
        text(&last.campaign),
        text(&last.source),
        text(&last.medium),
    ])
}

#[get("/admin/orders.csv")]
async fn admin_orders_csv(
    _admin: Admin,
    db: &State<Db>,
) -> Result<Csv<TextStream![String]>, AppError> {
    let db = db.inner().clone();
    let read = move |before| {
        let db = db.clone();
        async move { db.orders_before(before, CSV_BATCH).await }
    };
    csv_download("tailor-orders.csv", &HEADER, read, |o: &Order| {
        (o.id, csv_row(o))
    })
    .await
}

/// The operators' order pages.
pub fn routes() -> Vec<Route> {
    rocket::routes![admin_orders, admin_orders_csv]
}
