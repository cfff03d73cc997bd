//! The cart at login and when a login ends (an accounts hook): the visitor's cart
//! moves into the account's at login, and a login that runs out leaves its visitor
//! a copy of the account's cart.

use super::{Cart, CartOrigin};
use crate::accounts::{Account, AccountHook, LoginEvent};
use crate::record::SessionData;
use crate::web::AppError;

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
