//! What the cart plugs into the others' hooks: every page (the count of units for
//! the navigation bar; the shop's page titles), the rules' facts (`cart_items`),
//! login (the visitor's cart moves into the account's), and the export (the cart
//! and the orders).

use super::{cart_of, Cart, CartOrigin, CartView, Catalog, Orders};
use crate::accounts::plugs::login_of;
use crate::accounts::{Account, AccountHook, LoggedIn, LoginEvent};
use crate::data::Db;
use crate::personalisation::{Fact, FactKind, FactSpec, FactsHook, VisitorFacts};
use crate::privacy::{Export, PrivacyHook, Visitor};
use crate::record::SessionData;
use crate::web::{AppError, ContextPiece, Facts, PageContext, PageHook};
use rocket::http::Status;
use rocket::Request;
use serde_json::json;
use std::sync::Arc;

/// The cart's piece of every page: `page.cart.count`, units in the cart, for the
/// navigation bar.
#[derive(serde::Serialize)]
pub struct CartSummary {
    pub count: u32,
}

impl ContextPiece for CartSummary {
    const NAME: &'static str = "cart";
}

/// The cart's page hook.
pub struct CountHook;

#[rocket::async_trait]
impl PageHook for CountHook {
    fn layout(&self, facts: &Facts, data: Option<&SessionData>, layout: &mut PageContext) {
        let count = match facts.get::<LoggedIn>() {
            Some(login) => login.account.cart.get::<Cart>().count(),
            None => data.and_then(|d| d.part::<Cart>()).map_or(0, Cart::count),
        };
        layout.put(CartSummary { count });
    }
}

/// The shop's pages' titles: a product's name, "Your order".
pub struct ShopTitles(pub std::sync::Arc<super::Catalog>);

impl crate::web::PageTitle for ShopTitles {
    fn title(&self, path: &str, lang: crate::i18n::Language) -> Option<String> {
        if path.starts_with("/orders/") {
            return Some(lang.text("orders.title").to_owned());
        }
        let product = self.0.find(path.strip_prefix("/products/")?)?;
        Some(product.name(lang).to_owned())
    }
}

/// The cart's facts hook.
pub struct CartFacts;

impl FactsHook for CartFacts {
    /// `cart_items = { min, max }`: units in the cart.
    fn offers(&self) -> &'static [FactSpec] {
        &[FactSpec {
            name: "cart_items",
            kind: FactKind::Count,
        }]
    }

    fn facts<'a>(
        &self,
        _: &Request<'_>,
        data: Option<&'a SessionData>,
        page: &'a Facts,
        out: &mut VisitorFacts<'a>,
    ) {
        let units = match page.get::<LoggedIn>() {
            Some(login) => login.account.cart.get::<Cart>().count(),
            None => data.and_then(|d| d.part::<Cart>()).map_or(0, Cart::count),
        };
        out.set("cart_items", Fact::Count(u64::from(units)));
    }
}

/// The cart's account hook.
pub struct CartAtLogin;

#[rocket::async_trait]
impl AccountHook for CartAtLogin {
    /// The visitor's cart moves into the account's (the session keeps no copy, so
    /// logging in again merges nothing twice). A copy of this account's cart, left
    /// by a login that ran out, adds only what the visitor put in since; any other
    /// cart adds all it holds.
    async fn logged_in(&self, event: &LoginEvent<'_, '_>) -> Result<(), AppError> {
        let account = event.account.id;
        let (anonymous, origin) = event
            .session
            .update(|d: &mut SessionData| {
                (
                    d.take_part::<Cart>().unwrap_or_default(),
                    d.take_part::<CartOrigin>(),
                )
            })
            .await?;
        let added = match &origin {
            Some(origin) if origin.account == account => anonymous.beyond(&origin.cart),
            _ => anonymous.clone(),
        };
        if added.lines.is_empty() {
            return Ok(());
        }
        let merged = event
            .accounts
            .change_cart(account, |c: &mut Cart| c.merge(&added));
        if let Err(e) = merged.await {
            // Back in the session as it was; the login is undone.
            let restored = event.session.update(|d: &mut SessionData| {
                d.part_mut::<Cart>().merge(&anonymous);
                if let Some(origin) = origin.clone() {
                    d.set_part(origin);
                }
            });
            if let Err(lost) = restored.await {
                tailor_session::log_error_chain(&lost);
            }
            return Err(e.into());
        }
        Ok(())
    }

    /// A login that ran out leaves a copy of the account's cart, marked as the
    /// account's, so logging in again adds only what was added since. A record
    /// from before accounts had ids mirrored the account's cart into the session:
    /// that copy goes (the account has it).
    fn login_ended(&self, data: &mut SessionData, account: Option<&Account>, legacy: bool) {
        if legacy {
            data.take_part::<Cart>();
        }
        match account {
            Some(account) => {
                let cart = account.cart.get::<Cart>().clone();
                data.set_part(cart.clone());
                data.set_part(CartOrigin {
                    account: account.id,
                    cart,
                });
            }
            None => {
                data.take_part::<CartOrigin>();
            }
        }
    }
}

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
