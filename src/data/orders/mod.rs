//! Orders: their lines at the price paid, the account that placed them (none for a
//! visitor without one, or once the account is deleted), and the campaign credit
//! (the first and last touch's campaign, source and medium) for the operators.

use chrono::{DateTime, Utc};
use serde::{de::DeserializeOwned, Serialize};
use sqlx::FromRow;

use super::counters::{upsert_counts, CounterDelta, CounterKey, MAX_ROWS_PER_STATEMENT};
use super::experiments::{count_conversions, Converted};
use super::{for_update, from_millis, millis, on, AccountId, Db, Dialect, Result};

mod read;

/// One line of an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, FromRow)]
pub struct OrderLine {
    pub product: String,
    pub quantity: i64,
    pub unit_price_cents: i64,
}

/// The campaign, source and medium of a touch (each may be missing).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TouchLabel {
    pub campaign: Option<String>,
    pub source: Option<String>,
    pub medium: Option<String>,
}

/// Which touches an order is credited to; `None` is a direct visit.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Credit {
    pub first: Option<TouchLabel>,
    pub last: Option<TouchLabel>,
}

/// A placed order.
#[derive(Clone, Debug, Serialize)]
pub struct Order {
    pub id: i64,
    /// The order's public reference (16 characters from an unambiguous
    /// alphabet): what the visitor sees and its confirmation page's link hold.
    pub reference: Option<String>,
    pub account_id: Option<AccountId>,
    /// The account's username, while the account exists.
    pub username: Option<String>,
    pub created_at: DateTime<Utc>,
    pub total_cents: i64,
    pub lines: Vec<OrderLine>,
    pub credit: Credit,
}

#[derive(FromRow)]
struct OrderRow {
    id: i64,
    reference: Option<String>,
    account_id: Option<String>,
    username: Option<String>,
    created_at: i64,
    total_cents: i64,
    first_campaign: Option<String>,
    first_source: Option<String>,
    first_medium: Option<String>,
    last_campaign: Option<String>,
    last_source: Option<String>,
    last_medium: Option<String>,
}

#[derive(FromRow)]
struct LineRow {
    order_id: i64,
    product: String,
    quantity: i64,
    unit_price_cents: i64,
}

fn label(
    campaign: Option<String>,
    source: Option<String>,
    medium: Option<String>,
) -> Option<TouchLabel> {
    (campaign.is_some() || source.is_some() || medium.is_some()).then_some(TouchLabel {
        campaign,
        source,
        medium,
    })
}

impl OrderRow {
    fn into_order(self, lines: Vec<OrderLine>) -> Order {
        Order {
            id: self.id,
            reference: self.reference,
            account_id: self.account_id.as_deref().and_then(AccountId::parse),
            username: self.username,
            created_at: from_millis(self.created_at),
            total_cents: self.total_cents,
            lines,
            credit: Credit {
                first: label(self.first_campaign, self.first_source, self.first_medium),
                last: label(self.last_campaign, self.last_source, self.last_medium),
            },
        }
    }
}

/// An order to place.
pub struct NewOrder<'a> {
    pub account: Option<AccountId>,
    pub lines: &'a [OrderLine],
    pub credit: &'a Credit,
    pub created_at: DateTime<Utc>,
    /// The conversion it counts for the campaign report, written in the order's
    /// transaction (empty when the visitor may not be tracked).
    pub counts: &'a [(CounterKey, CounterDelta)],
    /// The experiments' conversions it counts (once per participant and goal).
    pub experiments: &'a [Converted],
    /// The key of the session cart it orders (unique: a cart is ordered once).
    pub cart_key: Option<&'a str>,
}

impl NewOrder<'_> {
    fn total_cents(&self) -> i64 {
        self.lines
            .iter()
            .map(|l| l.quantity.saturating_mul(l.unit_price_cents))
            .fold(0i64, i64::saturating_add)
    }
}

/// A new order reference: 16 characters of Crockford's base32 (no I, L, O or
/// U), 80 random bits.
pub fn new_reference() -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    (0..16)
        .map(|_| ALPHABET[rand::random::<usize>() % 32] as char)
        .collect()
}

/// Writes `order` and its lines inside transaction `$tx`; evaluates to its id.
macro_rules! insert_order {
    ($tx:expr, $order:expr) => {{
        let order = $order;
        let none = TouchLabel::default();
        let first = order.credit.first.as_ref().unwrap_or(&none);
        let last = order.credit.last.as_ref().unwrap_or(&none);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO orders (account_id, created_at, total_cents, first_campaign, \
             first_source, first_medium, last_campaign, last_source, last_medium, cart_key, \
             reference) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(order.account.map(|a| a.to_string()))
        .bind(millis(order.created_at))
        .bind(order.total_cents())
        .bind(&first.campaign)
        .bind(&first.source)
        .bind(&first.medium)
        .bind(&last.campaign)
        .bind(&last.source)
        .bind(&last.medium)
        .bind(order.cart_key)
        .bind(new_reference())
        .fetch_one(&mut *$tx)
        .await?;
        // All lines in one statement (a cart holds at most a catalogue's worth).
        if !order.lines.is_empty() {
            let mut lines = sqlx::QueryBuilder::new(
                "INSERT INTO order_lines (order_id, position, product, quantity, unit_price_cents) ",
            );
            lines.push_values(order.lines.iter().enumerate(), |mut row, (position, line)| {
                row.push_bind(id)
                    .push_bind(position as i64)
                    .push_bind(&line.product)
                    .push_bind(line.quantity)
                    .push_bind(line.unit_price_cents);
            });
            lines.build().execute(&mut *$tx).await?;
        }
        let counts: Vec<_> = order.counts.iter().map(|(k, d)| (k, d)).collect();
        for chunk in counts.chunks(MAX_ROWS_PER_STATEMENT) {
            upsert_counts!(&mut *$tx, chunk)?;
        }
        count_conversions!($tx, order.experiments);
        id
    }};
}

impl Db {
    /// Places an order and counts its conversion (one transaction); returns its id
    /// and whether it is new. An order of a `cart_key` already ordered is not
    /// placed again: its first order's id comes back, with `false`.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails; nothing was written then.
    pub async fn place_order(&self, order: NewOrder<'_>) -> Result<(i64, bool)> {
        let placed: std::result::Result<i64, sqlx::Error> = on!(self.writes(), p => {
            async {
                let mut tx = p.begin_write().await?;
                let id = insert_order!(tx, &order);
                tx.commit().await?;
                Ok(id)
            }
            .await
        });
        match (placed, order.cart_key) {
            (Ok(id), _) => Ok((id, true)),
            (Err(sqlx::Error::Database(e)), Some(key)) if e.is_unique_violation() => {
                let first: i64 = on!(self.writes(), p => {
                    sqlx::query_scalar("SELECT id FROM orders WHERE cart_key = $1")
                        .bind(key)
                        .fetch_one(p)
                        .await
                })?;
                Ok((first, false))
            }
            (Err(e), _) => Err(e.into()),
        }
    }

    /// Places an order of the account's cart, counts its conversion and empties
    /// the cart, in one transaction: `price` turns the cart into lines; no lines, no order. Returns
    /// the order's id, or `None` when the cart was empty or the account is gone.
    ///
    /// # Errors
    /// [`DataError`](super::DataError) when the database fails; nothing was written then.
    pub async fn checkout_account<C>(
        &self,
        account: AccountId,
        price: impl FnOnce(&C) -> Vec<OrderLine>,
        credit: &Credit,
        counts: &[(CounterKey, CounterDelta)],
        experiments: &[Converted],
        created_at: DateTime<Utc>,
    ) -> Result<Option<i64>>
    where
        C: Serialize + DeserializeOwned + Default,
    {
        on!(self.writes(), p => {
            let mut tx = p.begin_write().await?;
            let select = format!("SELECT cart FROM accounts WHERE id = $1{}", for_update(p));
            let stored: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(select))
                .bind(account.to_string())
                .fetch_optional(&mut *tx)
                .await?;
            let Some(stored) = stored else { return Ok(None) };
            let cart: C = serde_json::from_str::<Option<C>>(&stored)?.unwrap_or_default();
            let lines = price(&cart);
            if lines.is_empty() {
                return Ok(None);
            }
            let order = NewOrder {
                account: Some(account),
                lines: &lines,
                credit,
                created_at,
                counts,
                experiments,
                cart_key: None,
            };
            let id = insert_order!(tx, &order);
            sqlx::query("UPDATE accounts SET cart = $2 WHERE id = $1")
                .bind(account.to_string())
                .bind(serde_json::to_string(&C::default())?)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(Some(id))
        })
    }
}
