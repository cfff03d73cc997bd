//! The consent stage: the policy in force (`tracking.consent`,
//! `tracking.policy_version`, `tracking.policy_date`, checked at launch), the one
//! decision of whether a visitor may be tracked ([`TrackingConsent`], which
//! tracking and the decision endpoints read), the signals' and the choices'
//! ledger, the counts, and the routes.

use std::sync::Arc;

use rocket::fairing::AdHoc;
use rocket::figment::Figment;
use serde::Deserialize;

use super::{ConsentPolicy, ConsentRights, ConsentSignals, Tally, TallyFlusher};
use crate::config::{invalid, ConfigError};
use crate::privacy::{ConsentState, TrackingConsent};
use crate::record::SessionData;
use crate::web::PrivacySignals;

/// `tracking.consent`: whether tracking waits for the visitor's consent.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ConsentMode {
    /// Tracking until the visitor says no (with a notice).
    #[default]
    OptOut,
    /// Nothing recorded until the visitor says yes (with a banner).
    OptIn,
}

/// The consent keys of the `[<profile>.tracking]` table.
struct ConsentSettings {
    policy: ConsentPolicy,
    ledger_days: u64,
}

/// One key of the `tracking` table, or its default when absent.
fn key<T: serde::de::DeserializeOwned>(
    figment: &Figment,
    name: &str,
    default: T,
) -> Result<T, ConfigError> {
    match figment.extract_inner::<T>(&format!("tracking.{name}")) {
        Ok(value) => Ok(value),
        Err(e) if e.missing() => Ok(default),
        Err(e) => Err(Box::new(e).into()),
    }
}

impl ConsentSettings {
    fn from_figment(figment: &Figment) -> Result<Self, ConfigError> {
        let mode: ConsentMode = key(figment, "consent", ConsentMode::OptOut)?;
        let version: String = key(figment, "policy_version", "1".to_owned())?;
        let date: Option<String> = key(figment, "policy_date", None)?;
        let ledger_days: u64 = key(figment, "consent_ledger_days", 1825)?;
        let cookieless_counts: bool = key(figment, "cookieless_counts", false)?;
        if version.is_empty()
            || version.chars().count() > 40
            || !version
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
        {
            return Err(invalid(
                "tracking.policy_version",
                "must be 1 to 40 letters, digits, '.', '-' or '_'",
            ));
        }
        if let Some(date) = &date {
            if chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_err() || date.len() != 10 {
                return Err(invalid(
                    "tracking.policy_date",
                    "must be a date written YYYY-MM-DD",
                ));
            }
        }
        if !(1..=36_500).contains(&ledger_days) {
            return Err(invalid(
                "tracking.consent_ledger_days",
                "must be between 1 and 36500",
            ));
        }
        if cookieless_counts && mode != ConsentMode::OptIn {
            return Err(invalid(
                "tracking.cookieless_counts",
                "counts the visitors who have not chosen yet: it needs tracking.consent = \"opt-in\"",
            ));
        }
        let policy = ConsentPolicy {
            version,
            date,
            opt_in: mode == ConsentMode::OptIn,
            cookieless_counts,
        };
        Ok(ConsentSettings {
            policy,
            ledger_days,
        })
    }
}

/// The owner of the tracking decision: the policy in force, and the day's
/// counts of visitors asked.
struct Owner {
    policy: ConsentPolicy,
    tally: Arc<Tally>,
}

/// The one decision: the visitor's choice under the policy in force (a refusal
/// under an older version still stands, a grant no longer counts), the mode's
/// default without one, and GPC or DNT over both.
impl TrackingConsent for Owner {
    fn state(&self, data: Option<&SessionData>, signals: PrivacySignals) -> ConsentState<'_> {
        let policy = &self.policy;
        let prefs = data.and_then(|d| d.part::<super::Preferences>());
        let preference = prefs.map_or(!policy.opt_in, |p| p.tracking_on(policy));
        let asked = prefs.map_or(policy.opt_in, |p| p.asked_again(policy));
        ConsentState {
            preference,
            allowed: preference && !signals.refuses(),
            ask: asked && !signals.refuses(),
            undecided: prefs.and_then(|p| p.tracking).is_none(),
            opt_in: policy.opt_in,
            policy_changed: prefs.is_some_and(|p| p.tracking.is_some()),
            policy_date: policy.date.as_deref(),
        }
    }

    fn asked(&self) {
        self.tally.asked();
    }
}

/// Consent: its settings, the decision, the signals' hook, the export's share,
/// the counts and the ledger's purge, the banner's and the operators' routes.
pub fn stage() -> AdHoc {
    AdHoc::try_on_ignite("Consent", |rocket| async {
        let Some(settings) = crate::config::read(&rocket, ConsentSettings::from_figment) else {
            return Err(rocket);
        };
        crate::web::add_page_hook(&rocket, ConsentSignals);
        crate::privacy::add_privacy_hook(&rocket, ConsentRights);
        let tally = Arc::new(Tally::default());
        let owner: Arc<dyn TrackingConsent> = Arc::new(Owner {
            policy: settings.policy.clone(),
            tally: tally.clone(),
        });
        Ok(rocket
            .manage(settings.policy)
            .manage(owner)
            .manage(tally)
            .attach(TallyFlusher {
                ledger_days: settings.ledger_days,
            })
            .mount("/", super::routes()))
    })
}
