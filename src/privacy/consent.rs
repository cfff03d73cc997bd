//! Whether a visitor may be tracked: one decision, made by the owner of the
//! visitor's choice (preferences' consent, which registers a
//! [`TrackingConsent`]) and read by everything that records or asks (tracking,
//! the decision endpoints) through [`consent_of`], without knowing how the choice
//! is kept.

use std::sync::Arc;

use crate::record::SessionData;
use crate::web::PrivacySignals;

/// What a visitor chose about being tracked, and what follows for this request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ConsentState<'a> {
    /// Their choice under the policy in force, or the mode's default.
    pub preference: bool,
    /// They may be tracked on this request: the preference, and no GPC or DNT.
    pub allowed: bool,
    /// They must be asked (again): opt-in with no choice under the policy in
    /// force, or a choice made under another version; never while GPC or DNT
    /// refuses.
    pub ask: bool,
    /// They never chose.
    pub undecided: bool,
    /// Tracking waits for consent (`tracking.consent = "opt-in"`).
    pub opt_in: bool,
    /// They chose, under another version of the policy.
    pub policy_changed: bool,
    /// The day the policy in force took effect, when set.
    pub policy_date: Option<&'a str>,
}

/// The owner of the tracking choice: says what a visitor's record and a
/// request's signals mean for tracking.
pub trait TrackingConsent: Send + Sync + 'static {
    /// The state of the visitor with record `data` (none: no session yet), with
    /// this request's `signals`.
    fn state(&self, data: Option<&SessionData>, signals: PrivacySignals) -> ConsentState<'_>;

    /// A visitor was asked (the banner or the notice shown): counted for the
    /// operators' consent report.
    fn asked(&self) {}
}

/// Notes that a visitor was asked (see [`TrackingConsent::asked`]).
pub fn asked<P: rocket::Phase>(rocket: &rocket::Rocket<P>) {
    if let Some(owner) = rocket.state::<Arc<dyn TrackingConsent>>() {
        owner.asked();
    }
}

/// The tracking consent of the visitor with record `data` on a request with
/// `signals`; without an owner attached, opt-out: allowed unless GPC or DNT.
pub fn consent_of<'r, P: rocket::Phase>(
    rocket: &'r rocket::Rocket<P>,
    data: Option<&SessionData>,
    signals: PrivacySignals,
) -> ConsentState<'r> {
    match rocket.state::<Arc<dyn TrackingConsent>>() {
        Some(owner) => owner.state(data, signals),
        None => ConsentState {
            preference: true,
            allowed: !signals.refuses(),
            undecided: true,
            ..ConsentState::default()
        },
    }
}
