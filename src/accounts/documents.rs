//! An account's documents (preferences, cart), changed for the features that
//! own them: atomically in the database, then in this process's cache.

use super::{Account, AccountId, Accounts, AuthState, DataError, Doc, Part, Session, SessionData};
use crate::web::AppError;
impl Accounts {
    /// Changes the preferences of account `id` (atomically) and mirrors them in the
    /// session as its part `P`, with the version they now have. Returns the new
    /// preferences; `None` when the account is gone.
    ///
    /// # Errors
    /// [`AppError`] when the database or the session store fails.
    pub async fn change_preferences<P: Part>(
        &self,
        session: &Session<'_, SessionData>,
        id: AccountId,
        change: impl FnOnce(&mut P),
    ) -> Result<Option<P>, AppError> {
        let Some(((), prefs, version)) = self.db.change_preferences(id, change).await? else {
            return Ok(None);
        };
        self.revise_doc(id, prefs.clone(), |a, doc| {
            a.preferences = doc;
            a.prefs_version = version;
        });
        session
            .update(|d: &mut SessionData| {
                d.set_part(prefs.clone());
                if let Some(user) = d.existing_mut::<AuthState>() {
                    user.prefs_version = user.prefs_version.max(version);
                }
            })
            .await?;
        Ok(Some(prefs))
    }

    /// Applies `change` to the cart of account `id` in the database (atomically)
    /// and returns its result and the new cart.
    ///
    /// # Errors
    /// [`DataError`] when the database fails; `Ok(None)` when the account is gone.
    pub async fn change_cart<C: Part, R>(
        &self,
        id: AccountId,
        change: impl FnOnce(&mut C) -> R,
    ) -> Result<Option<(R, C)>, DataError> {
        let changed = self.db.change_cart(id, change).await?;
        if let Some((_, cart)) = &changed {
            self.cart_is(id, cart.clone());
        }
        Ok(changed)
    }

    /// Notes that the cart of account `id` is now `cart` (after a checkout, say).
    pub fn cart_is<C: Part>(&self, id: AccountId, cart: C) {
        self.revise_doc(id, cart, |a, doc| a.cart = doc);
    }

    /// Puts `value` as a document of the cached account `id` (or forgets the
    /// account, when the document cannot be made: the next read fetches it).
    fn revise_doc<T: Part>(&self, id: AccountId, value: T, put: impl FnOnce(&mut Account, Doc)) {
        match Doc::of(value) {
            Ok(doc) => self.revise(id, |a| put(a, doc)),
            Err(_) => {
                self.cache.remove(&id);
            }
        }
    }
}
