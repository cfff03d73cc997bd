//! Decisions for the operator's own site: tailor answers "what should this
//! visitor see" for another site of the operator over OpenFeature's Remote
//! Evaluation Protocol (OFREP 0.3.0), from the same facts, rules and
//! assignments as tailor's own pages (`personalisation`'s decision,
//! `experiments`' draws): the browser calls with the visitor's session cookie
//! from an allowed origin (browser mode), or the operator's backend with a key
//! and its own id for the visitor, kept as a subject (server mode).
//!
//! A composition of other features, as `pages` is: it reads their parts and
//! decisions; nothing imports it.

mod answer;
mod caller;
mod context;
mod conversions;
mod evaluate;
mod events;
pub mod keys;
mod ofrep;
mod preference;
mod purge;
mod reply;
pub mod settings;
mod visitors;

use rocket::fairing::AdHoc;

pub use settings::{DecisionSettings, KeyConfig};

/// The decisions' settings and keys, as managed state.
pub struct Decisions {
    pub settings: DecisionSettings,
    /// The HMAC key of subjects.
    subject_key: Vec<u8>,
    /// The key of the bulk answers' ETags.
    etag_key: Vec<u8>,
}

/// The OFREP endpoints, CORS for the allowed origins, the subjects' key.
pub fn stage() -> AdHoc {
    AdHoc::try_on_ignite("Decisions", |rocket| async move {
        let Some(settings) = crate::config::read(&rocket, DecisionSettings::from_figment) else {
            return Err(rocket);
        };
        let data_dir = rocket
            .figment()
            .extract_inner::<std::path::PathBuf>("session.data_dir")
            .unwrap_or_else(|_| "data".into());
        let subject_key = match keys::subject_key(settings.subject_key.as_deref(), &data_dir) {
            Ok(key) => key,
            Err(e) => {
                rocket::error!("invalid configuration: {e}");
                return Err(rocket);
            }
        };
        // The ETags' key is derived from the subjects' (every instance sharing it
        // answers the same ETag for the same answer).
        let etag_key = keys::mac(&subject_key, b"tailor ofrep etag").to_vec();
        let idle_days = settings.subject_idle_days;
        let decisions = Decisions {
            settings,
            subject_key,
            etag_key,
        };
        Ok(rocket
            .manage(decisions)
            .attach(caller::Cors)
            .attach(purge::Purge { idle_days })
            .mount("/", ofrep::routes()))
    })
}
