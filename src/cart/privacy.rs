//! What the cart adds to the export: the visitor's cart (the account's while
//! logged in, which the account's object holds too) and their orders.

use crate::web::AppError;
use std::sync::Arc;

use rocket::http::Status;
use serde_json::json;

use super::{cart_of, Cart, CartView, Catalog, Orders};
use crate::accounts::privacy::login_of;
use crate::data::Db;
use crate::privacy::{Export, PrivacyHook, Visitor};

/// The cart's privacy hook.
pub struct CartRights;

#[rocket::async_trait]
impl PrivacyHook for CartRights {
    async fn export(&self, visitor: &Visitor<'_, '_>, export: &mut Export) -> Result<(), AppError> {
        let rocket = visitor.rocket();
        let (Some(catalog), Some(db)) = (rocket.state::<Arc<Catalog>>(), rocket.state::<Db>())
        else {
            return Err(Status::ServiceUnavailable.into());
        };
        let login = login_of(visitor).await?;
        let cart = cart_of(Some(visitor.data), login.as_ref());
        export.put("cart", CartView::new(&cart, catalog));
        if let Some(login) = &login {
            let theirs = CartView::new(login.account.cart.get::<Cart>(), catalog);
            export.account().insert("cart".into(), json!(theirs));
        }
        let ids = visitor.data.part::<Orders>().map_or(&[][..], |o| &o.0);
        let orders = db.orders_of(ids, login.map(|l| l.id)).await?;
        let orders: Vec<_> = orders
            .iter()
            .map(|order| {
                json!({
                    "id": order.id,
                    "created_at": order.created_at,
                    "items": order.lines,
                    "total_cents": order.total_cents,
                })
            })
            .collect();
        export.put("orders", orders);
        Ok(())
    }
}
