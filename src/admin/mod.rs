//! Operator pages behind HTTP Basic auth with the configured `admin.user` and
//! `admin.password` (plain, or an argon2 PHC hash). Without credentials configured
//! the operator pages do not exist (404); a wrong or missing credential is 401.
//!
//! Also what every operator report shares: pages of [`PAGE_SIZE`] rows newest
//! first ([`Paging`]) and CSV downloads safe to open in a spreadsheet ([`Csv`],
//! [`csv_cell`]).

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rocket::fairing::AdHoc;
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use subtle::ConstantTimeEq;

mod csv;
pub mod settings;

use crate::hashing::{HashPool, Lane};
use crate::limits::{ClientKey, Limiter};
pub use csv::{csv_cell, csv_download, csv_line, Csv, CSV_BATCH};
pub use settings::AdminSettings;

/// The realm browsers show in their login prompt.
pub use crate::web::OPERATOR_REALM as REALM;

/// Proof that the request carries the operator's credentials.
pub struct Admin;

/// Failed operator logins from one address within [`FAILURE_WINDOW`] before the
/// address is refused (429).
const MAX_FAILURES: u64 = 10;
const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);

/// How long a successful check is remembered: the same credentials are then not
/// hashed again, so a hashing storm does not lock the operators out.
const REMEMBERED_FOR: Duration = Duration::from_secs(5 * 60);

/// Credentials remembered at most (each a 64-bit MAC and a time).
const MAX_REMEMBERED: usize = 64;

/// The operators' credentials and what is remembered of their checks.
pub struct Operators {
    settings: AdminSettings,
    /// A per-process key: SipHash-1-3 keyed with it is the MAC of a credential,
    /// so the plain password is never kept.
    mac_key: std::collections::hash_map::RandomState,
    remembered: Mutex<HashMap<u64, Instant>>,
}

impl Operators {
    fn new(settings: AdminSettings) -> Self {
        Operators {
            settings,
            mac_key: std::collections::hash_map::RandomState::new(),
            remembered: Mutex::new(HashMap::new()),
        }
    }

    fn mac(&self, user: &str, password: &str) -> u64 {
        self.mac_key.hash_one((user, password))
    }

    fn was_accepted(&self, mac: u64) -> bool {
        let remembered = self.remembered.lock().unwrap_or_else(|p| p.into_inner());
        remembered
            .get(&mac)
            .is_some_and(|at| at.elapsed() < REMEMBERED_FOR)
    }

    fn remember(&self, mac: u64) {
        let mut remembered = self.remembered.lock().unwrap_or_else(|p| p.into_inner());
        remembered.retain(|_, at| at.elapsed() < REMEMBERED_FOR);
        if remembered.len() < MAX_REMEMBERED {
            remembered.insert(mac, Instant::now());
        }
    }
}

impl AdminSettings {
    /// Whether `user` / `password` are the configured credentials. Both are always
    /// checked, in constant time, or by argon2's verifier on the hashing pool for
    /// a PHC hash.
    async fn accepts(
        &self,
        user: &str,
        password: &str,
        pool: &HashPool,
    ) -> Result<bool, crate::hashing::Busy> {
        let (Some(expected_user), Some(expected)) = (&self.user, &self.password) else {
            return Ok(false);
        };
        let user_ok: bool = user.as_bytes().ct_eq(expected_user.as_bytes()).into();
        let password_ok = if expected.starts_with("$argon2") {
            let (password, expected) = (password.to_owned(), Some(expected.clone()));
            pool.verify_password(password, expected, Lane::Common)
                .await?
        } else {
            password.as_bytes().ct_eq(expected.as_bytes()).into()
        };
        Ok(user_ok & password_ok)
    }

    fn configured(&self) -> bool {
        self.user.as_deref().is_some_and(|u| !u.is_empty())
            && self.password.as_deref().is_some_and(|p| !p.is_empty())
    }
}

/// `user:password` from an `Authorization: Basic ...` header.
fn basic_credentials(header: &str) -> Option<(String, String)> {
    let (scheme, encoded) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") || encoded.len() > 1024 {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (user, password) = decoded.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Admin {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let Some(operators) = request
            .rocket()
            .state::<Operators>()
            .filter(|o| o.settings.configured())
        else {
            return Outcome::Error((Status::NotFound, ()));
        };
        let Some((user, password)) =
            crate::http::header(request, "Authorization").and_then(basic_credentials)
        else {
            return Outcome::Error((Status::Unauthorized, ()));
        };
        let mac = operators.mac(&user, &password);
        if operators.was_accepted(mac) {
            return Outcome::Success(Admin);
        }
        let limiter = request.rocket().state::<std::sync::Arc<Limiter>>();
        let ClientKey(address) = ClientKey::of(request);
        let key = format!("admin:address:{address}");
        // Counted before the check (taken back if it passes), so parallel
        // guesses cannot all pass a count none of them has made yet.
        if let Some(limiter) = limiter {
            let counted = limiter.note(&key, FAILURE_WINDOW).await;
            if let Some(window) = counted.filter(|w| w.count > MAX_FAILURES) {
                limiter.refund(&key).await;
                crate::web::retry_later(request, window.retry_after_secs());
                return Outcome::Error((Status::TooManyRequests, ()));
            }
        }
        let checked = match request.rocket().state::<std::sync::Arc<HashPool>>() {
            Some(pool) => operators.settings.accepts(&user, &password, pool).await,
            None => Err(crate::hashing::Busy),
        };
        if let (Some(limiter), true) = (limiter, checked != Ok(false)) {
            limiter.refund(&key).await;
        }
        match checked {
            Ok(true) => {
                operators.remember(mac);
                Outcome::Success(Admin)
            }
            Ok(false) => Outcome::Error((Status::Unauthorized, ())),
            Err(crate::hashing::Busy) => {
                crate::web::retry_later(request, crate::hashing::RETRY_AFTER_SECS);
                Outcome::Error((Status::ServiceUnavailable, ()))
            }
        }
    }
}

/// Rows on one page of an operator report.
pub const PAGE_SIZE: i64 = 50;

/// Which page of a report is shown, and the links around it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Paging {
    /// 1-based.
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    pub prev: Option<i64>,
    pub next: Option<i64>,
}

impl Paging {
    /// Page `asked` (any text; a number out of range shows the nearest page) of
    /// `total` rows.
    pub fn new(asked: Option<&str>, total: i64) -> Self {
        let pages = ((total.max(0) + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
        let page = asked
            .and_then(|a| a.trim().parse::<i64>().ok())
            .unwrap_or(1)
            .clamp(1, pages);
        Paging {
            page,
            pages,
            total,
            prev: (page > 1).then(|| page - 1),
            next: (page < pages).then(|| page + 1),
        }
    }

    /// Rows to skip before this page.
    pub fn offset(&self) -> i64 {
        (self.page - 1) * PAGE_SIZE
    }
}

/// The operator credentials, for the guards of operator pages.
pub fn stage() -> AdHoc {
    AdHoc::try_on_ignite("Operators", |rocket| async {
        match crate::config::read(&rocket, AdminSettings::from_figment) {
            Some(settings) => Ok(rocket.manage(Operators::new(settings))),
            None => Err(rocket),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    use argon2::Argon2;

    fn settings(password: &str) -> AdminSettings {
        AdminSettings {
            user: Some("ops".into()),
            password: Some(password.into()),
        }
    }

    #[rocket::async_test]
    async fn plain_and_hashed_passwords_are_checked() {
        let pool = HashPool::new(1, 1);
        assert_eq!(
            settings("s3cret").accepts("ops", "s3cret", &pool).await,
            Ok(true)
        );
        assert_eq!(
            settings("s3cret").accepts("ops", "s3cre", &pool).await,
            Ok(false)
        );
        assert_eq!(
            settings("s3cret").accepts("op", "s3cret", &pool).await,
            Ok(false)
        );
        let salt = SaltString::generate(&mut OsRng);
        let hash = Argon2::default()
            .hash_password(b"hunter2", &salt)
            .unwrap()
            .to_string();
        assert_eq!(
            settings(&hash).accepts("ops", "hunter2", &pool).await,
            Ok(true)
        );
        assert_eq!(
            settings(&hash).accepts("ops", &hash, &pool).await,
            Ok(false)
        );
    }

    #[test]
    fn csv_cells_cannot_become_formulas() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        for risky in ["+1", "-1", "@SUM(A1)", "\tx"] {
            assert!(csv_cell(risky).starts_with("\"'"), "{risky}");
        }
        assert_eq!(csv_cell("plain, text"), "\"plain, text\"");
    }

    #[test]
    fn pages_are_clamped() {
        assert_eq!(Paging::new(None, 0).pages, 1);
        let p = Paging::new(Some("2"), 120);
        assert_eq!(
            (p.page, p.pages, p.prev, p.next, p.offset()),
            (2, 3, Some(1), Some(3), 50)
        );
        assert_eq!(Paging::new(Some("99"), 120).page, 3);
        assert_eq!(Paging::new(Some("-4"), 120).page, 1);
        assert_eq!(Paging::new(Some("abc"), 120).page, 1);
    }

    #[test]
    fn basic_headers_parse() {
        let header = format!("Basic {}", STANDARD.encode("ops:pa:ss"));
        assert_eq!(
            basic_credentials(&header),
            Some(("ops".into(), "pa:ss".into()))
        );
        assert_eq!(basic_credentials("Bearer abc"), None);
        assert_eq!(basic_credentials("Basic !!!"), None);
    }
}
