//! Reading orders: the operators' pages and CSV, and a visitor's export.

use super::{on, AccountId, Db, LineRow, Order, OrderLine, OrderRow, Result};
use crate::data::push_ids;

const SELECT_ORDERS: &str = "SELECT o.id, o.reference, o.account_id, a.username, o.created_at, o.total_cents, \
    o.first_campaign, o.first_source, o.first_medium, o.last_campaign, o.last_source, o.last_medium \
    FROM orders o LEFT JOIN accounts a ON a.id = o.account_id";

impl Db {
    /// How many orders there are.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn order_count(&self) -> Result<i64> {
        Ok(on!(self.reads(), p => {
            sqlx::query_scalar("SELECT COUNT(*) FROM orders").fetch_one(p).await
        })?)
    }

    /// Orders newest first, `limit` of them after skipping `offset`.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn orders_page(&self, offset: i64, limit: i64) -> Result<Vec<Order>> {
        let rows: Vec<OrderRow> = on!(self.reads(), p => {
            let sql = sqlx::AssertSqlSafe(format!("{SELECT_ORDERS} ORDER BY o.id DESC LIMIT $1 OFFSET $2"));
            sqlx::query_as(sql).bind(limit).bind(offset).fetch_all(p).await
        })?;
        self.with_lines(rows).await
    }

    /// Orders with an id below `before` (all when `None`), newest first, at most
    /// `limit`: a CSV export reads the whole table this way, a batch at a time.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn orders_before(&self, before: Option<i64>, limit: i64) -> Result<Vec<Order>> {
        let rows: Vec<OrderRow> = on!(self.reads(), p => {
            let sql = sqlx::AssertSqlSafe(format!("{SELECT_ORDERS} WHERE o.id < $1 ORDER BY o.id DESC LIMIT $2"));
            sqlx::query_as(sql).bind(before.unwrap_or(i64::MAX)).bind(limit).fetch_all(p).await
        })?;
        self.with_lines(rows).await
    }

    /// The order whose public reference is `reference`, if any.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn order_by_reference(&self, reference: &str) -> Result<Option<Order>> {
        let rows: Vec<OrderRow> = on!(self.reads(), p => {
            let sql = sqlx::AssertSqlSafe(format!("{SELECT_ORDERS} WHERE o.reference = $1"));
            sqlx::query_as(sql).bind(reference).fetch_all(p).await
        })?;
        Ok(self.with_lines(rows).await?.pop())
    }

    /// The public reference of order `id`, if it has one.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn order_reference(&self, id: i64) -> Result<Option<String>> {
        Ok(on!(self.reads(), p => {
            sqlx::query_scalar("SELECT reference FROM orders WHERE id = $1")
                .bind(id)
                .fetch_optional(p)
                .await
        })?
        .flatten())
    }

    /// The orders with these ids or of this account, newest first.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails.
    pub async fn orders_of(&self, ids: &[i64], account: Option<AccountId>) -> Result<Vec<Order>> {
        if ids.is_empty() && account.is_none() {
            return Ok(Vec::new());
        }
        let account = account.map(|a| a.to_string());
        let rows: Vec<OrderRow> = on!(self.reads(), p => {
            let mut query = sqlx::QueryBuilder::new(SELECT_ORDERS);
            query.push(" WHERE o.account_id = ").push_bind(account.clone());
            if !ids.is_empty() {
                query.push(" OR o.id IN ");
                push_ids(&mut query, ids);
            }
            query.push(" ORDER BY o.id DESC");
            query.build_query_as().fetch_all(p).await
        })?;
        self.with_lines(rows).await
    }

    async fn with_lines(&self, rows: Vec<OrderRow>) -> Result<Vec<Order>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let lines: Vec<LineRow> = on!(self.reads(), p => {
            let mut query = sqlx::QueryBuilder::new(
                "SELECT order_id, product, quantity, unit_price_cents FROM order_lines WHERE order_id IN ",
            );
            push_ids(&mut query, &ids);
            query.push(" ORDER BY order_id, position");
            query.build_query_as().fetch_all(p).await
        })?;
        let mut by_order: std::collections::HashMap<i64, Vec<OrderLine>> = Default::default();
        for line in lines {
            by_order.entry(line.order_id).or_default().push(OrderLine {
                product: line.product,
                quantity: line.quantity,
                unit_price_cents: line.unit_price_cents,
            });
        }
        Ok(rows
            .into_iter()
            .map(|row| {
                let lines = by_order.remove(&row.id).unwrap_or_default();
                row.into_order(lines)
            })
            .collect())
    }
}
