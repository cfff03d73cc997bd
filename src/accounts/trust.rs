//! The device cookie (OWASP's "device cookies"): a successful login leaves, in
//! that browser, a sealed cookie naming the account (by id) and a random nonce.
//! It proves that this browser logged in to that account before, so failures
//! from elsewhere (a per-account or per-address lock) do not lock it out; it has
//! its own failure limit, and is void once its account is deleted (a new account
//! of the same name has another id). It is kept across logout.

use rocket::http::{Cookie, CookieJar, SameSite};

use crate::data::AccountId;

/// The cookie's name (under `__Host-` when cookies are secure).
const NAME: &str = "tailor_device";

/// How long a device stays trusted.
const LIFETIME_DAYS: i64 = 365;

fn name(secure: bool) -> String {
    if secure {
        format!("__Host-{NAME}")
    } else {
        NAME.to_owned()
    }
}

/// The account and nonce of this browser's device cookie, if it has a valid one.
pub fn device(cookies: &CookieJar<'_>, secure: bool) -> Option<(AccountId, String)> {
    let cookie = cookies.get_private(&name(secure))?;
    let (account, nonce) = cookie.value().split_once('.')?;
    let nonce_ok = (16..=64).contains(&nonce.len())
        && nonce
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    Some((AccountId::parse(account)?, nonce.to_owned())).filter(|_| nonce_ok)
}

/// The nonce this browser's device cookie has for `account`, if it has one.
pub fn nonce_for(cookies: &CookieJar<'_>, secure: bool, account: AccountId) -> Option<String> {
    device(cookies, secure)
        .filter(|(id, _)| *id == account)
        .map(|(_, nonce)| nonce)
}

/// Marks this browser as one that logged in to `account` (keeping its nonce when
/// it already was).
pub fn remember(cookies: &CookieJar<'_>, secure: bool, account: AccountId) {
    let nonce =
        nonce_for(cookies, secure, account).unwrap_or_else(|| tailor_session::random_token(18));
    let max_age = rocket::time::Duration::days(LIFETIME_DAYS);
    let cookie = Cookie::build((name(secure), format!("{account}.{nonce}")))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .secure(secure)
        .max_age(max_age)
        .expires(rocket::time::OffsetDateTime::now_utc() + max_age);
    cookies.add_private(cookie);
}
