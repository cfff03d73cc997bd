//! The launch's own settings, read and checked before any stage attaches: the
//! `session` and `data` tables, the data directory's permissions, the secret key
//! (configured, or generated once and kept in the data directory), and the
//! server's headers.

use rocket::{Build, Rocket};

use super::{data_dir, with_secret_key, Settings};

/// Reads and checks the settings the launch needs, settles the secret key and
/// manages [`Settings`] for the stages.
///
/// # Errors
/// The rocket back, with the first wrong setting logged: the launch stops.
#[allow(clippy::result_large_err)]
pub fn settle(rocket: Rocket<Build>) -> Result<Rocket<Build>, Rocket<Build>> {
    let settings = match Settings::from_figment(rocket.figment()) {
        Ok(settings) => settings,
        Err(e) => {
            rocket::error!("{e}");
            return Err(rocket);
        }
    };
    if let Err(e) = data_dir::secure(&settings.session.data_dir) {
        rocket::error!("{e}");
        return Err(rocket);
    }
    let figment = match with_secret_key(rocket.figment().clone(), &settings.session.data_dir) {
        Ok(figment) => figment,
        Err(e) => {
            rocket::error!("{e}");
            return Err(rocket);
        }
    };
    // Rocket believes `X-Real-IP` from anyone; tailor finds the client itself
    // (`limits::client_address`), from the peer or a trusted proxy's hop.
    let figment = if settings.session.trusted_proxies.is_empty() {
        figment.merge(("ip_header", false))
    } else {
        figment
    };
    // No `Server: Rocket` header unless the operator names one: it tells an
    // attacker what runs here, and costs a header write on every response.
    let ident_set = figment
        .find_metadata("ident")
        .is_some_and(|m| !m.name.contains("default"));
    let figment = if ident_set {
        figment
    } else {
        figment.merge(("ident", false))
    };
    // Stateless form tokens are sealed with the app's secret key (a configured
    // one, or the generated one), so they stay good across instances and restarts.
    let form_key = figment
        .extract_inner::<String>("secret_key")
        .ok()
        .and_then(|k| super::parse_key(k.trim()))
        .unwrap_or_else(cookie::Key::generate);
    let edge = crate::http::Edge {
        trusted_proxies: settings.session.trusted_proxies.clone(),
        cookie_secure: settings.session.cookie_secure,
        form_key,
    };
    Ok(rocket.configure(figment).manage(settings).manage(edge))
}
