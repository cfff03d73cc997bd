//! Operator pages behind HTTP Basic auth with the configured `admin.user` and
//! `admin.password` (plain, or an argon2 PHC hash). Without credentials configured
//! the operator pages do not exist (404); a wrong or missing credential is 401.

use argon2::{Argon2, PasswordHash, PasswordVerifier};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rocket::fairing::AdHoc;
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use subtle::ConstantTimeEq;

use crate::config::AdminSettings;

/// The realm browsers show in their login prompt.
pub const REALM: &str = "Basic realm=\"tailor operators\", charset=\"UTF-8\"";

/// Proof that the request carries the operator's credentials.
pub struct Admin;

impl AdminSettings {
    /// Whether `user` / `password` are the configured credentials. Both are always
    /// checked, in constant time (or by argon2's verifier for a hash).
    fn accepts(&self, user: &str, password: &str) -> bool {
        let (Some(expected_user), Some(expected)) = (&self.user, &self.password) else {
            return false;
        };
        let user_ok: bool = user.as_bytes().ct_eq(expected_user.as_bytes()).into();
        let password_ok = match PasswordHash::new(expected) {
            Ok(hash) if expected.starts_with("$argon2") => Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok(),
            _ => password.as_bytes().ct_eq(expected.as_bytes()).into(),
        };
        user_ok & password_ok
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
        let Some(settings) = request
            .rocket()
            .state::<AdminSettings>()
            .filter(|s| s.configured())
        else {
            return Outcome::Error((Status::NotFound, ()));
        };
        let given = request
            .headers()
            .get_one("Authorization")
            .and_then(basic_credentials);
        match given {
            Some((user, password)) if settings.accepts(&user, &password) => Outcome::Success(Admin),
            _ => Outcome::Error((Status::Unauthorized, ())),
        }
    }
}

/// The operator credentials, for the guards of operator pages.
pub fn stage(settings: AdminSettings) -> AdHoc {
    AdHoc::on_ignite("Operators", |rocket| async { rocket.manage(settings) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};

    fn settings(password: &str) -> AdminSettings {
        AdminSettings {
            user: Some("ops".into()),
            password: Some(password.into()),
        }
    }

    #[test]
    fn plain_and_hashed_passwords_are_checked() {
        assert!(settings("s3cret").accepts("ops", "s3cret"));
        assert!(!settings("s3cret").accepts("ops", "s3cre"));
        assert!(!settings("s3cret").accepts("op", "s3cret"));
        let salt = SaltString::generate(&mut OsRng);
        let hash = Argon2::default()
            .hash_password(b"hunter2", &salt)
            .unwrap()
            .to_string();
        assert!(settings(&hash).accepts("ops", "hunter2"));
        assert!(!settings(&hash).accepts("ops", &hash));
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
