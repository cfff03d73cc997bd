//! Global Privacy Control and Do Not Track in the ledger: a visitor with a
//! session who sends one gets one event per session (source `gpc` or `dnt`, choice
//! `refused`), not one per request; a browser without a session is only counted,
//! per day ([`Tally`]: no row, no cookie, no session). The [`Tally`] also counts
//! the times the banner or the policy notice is shown; the [`TallyFlusher`] adds
//! it to the database every ten seconds and at shutdown, and deletes the ledger's
//! events past `tracking.consent_ledger_days` every hour.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{NaiveDate, Utc};
use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::Status;
use rocket::{Orbit, Request, Rocket};
use serde::{Deserialize, Serialize};
use tailor_session::parts::{self, Part};
use tailor_session::{log_error_chain, SessionError};

use super::{event, new_consent_id, Choice, ConsentMark, ConsentPolicy, Source};
use crate::data::consent::DailyCounts;
use crate::data::Db;
use crate::preferences::Preferences;
use crate::record::SessionData;
use crate::web::{PageHook, Prepare, PrivacySignals};

const FLUSH_EVERY: Duration = Duration::from_secs(10);
const PURGE_EVERY: u64 = 360; // flushes: an hour

/// The session's signals already in the ledger (session only: a new session
/// records them again).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignalsNoted(pub bool);

impl Part for SignalsNoted {
    const NAME: &'static str = "signals_noted";
}

/// Registers the part.
pub fn register() {
    parts::register::<SignalsNoted>();
}

/// Counts without rows, per UTC day, until flushed (at most two days in memory).
#[derive(Default)]
pub struct Tally(Mutex<BTreeMap<NaiveDate, DailyCounts>>);

impl Tally {
    fn add(&self, f: impl FnOnce(&mut DailyCounts)) {
        if let Ok(mut days) = self.0.lock() {
            f(days.entry(Utc::now().date_naive()).or_default());
        }
    }

    /// The banner or the policy notice was shown.
    pub fn asked(&self) {
        self.add(|c| c.asked += 1);
    }

    /// A browser without a session sent `signals`.
    pub fn sessionless(&self, signals: PrivacySignals) {
        self.add(|c| {
            if signals.gpc {
                c.gpc_sessionless += 1;
            } else if signals.dnt {
                c.dnt_sessionless += 1;
            }
        });
    }

    /// What is counted and not yet flushed, taken.
    fn take(&self) -> BTreeMap<NaiveDate, DailyCounts> {
        self.0
            .lock()
            .map(|mut d| std::mem::take(&mut *d))
            .unwrap_or_default()
    }

    /// Adds what is counted to the database (put back if it fails).
    pub async fn flush(&self, db: &Db, version: &str) {
        for (day, counts) in self.take() {
            if let Err(e) = db.add_consent_counts(day, version, &counts).await {
                e.report();
                if let Ok(mut days) = self.0.lock() {
                    let kept = days.entry(day).or_default();
                    kept.asked += counts.asked;
                    kept.gpc_sessionless += counts.gpc_sessionless;
                    kept.dnt_sessionless += counts.dnt_sessionless;
                }
            }
        }
    }
}

/// The signal a request sends, GPC first.
fn source(signals: PrivacySignals) -> Option<Source> {
    if signals.gpc {
        Some(Source::Gpc)
    } else if signals.dnt {
        Some(Source::Dnt)
    } else {
        None
    }
}

/// The consent's page hook.
pub struct ConsentSignals;

#[rocket::async_trait]
impl PageHook for ConsentSignals {
    /// A browser without a session is counted, nothing more.
    fn prepare(
        &self,
        request: &Request<'_>,
        page: &mut Prepare<'_, '_>,
    ) -> Result<(), (Status, SessionError)> {
        if page.session.exists() {
            return Ok(()); // Seen by `is_async`.
        }
        let signals = PrivacySignals::of(request);
        if signals.refuses() {
            if let Some(tally) = request.rocket().state::<Arc<Tally>>() {
                tally.sessionless(signals);
            }
        }
        Ok(())
    }

    /// A visitor with a session whose signal is not yet in the ledger.
    fn is_async(&self, request: &Request<'_>, page: &Prepare<'_, '_>) -> bool {
        page.session
            .data()
            .is_some_and(|d| d.part::<SignalsNoted>().is_none_or(|n| !n.0))
            && PrivacySignals::of(request).refuses()
    }

    async fn prepare_async(
        &self,
        request: &Request<'_>,
        page: &mut Prepare<'_, '_>,
    ) -> Result<(), (Status, SessionError)> {
        let rocket = request.rocket();
        let (Some(db), Some(policy), Some(source)) = (
            rocket.state::<Db>(),
            rocket.state::<ConsentPolicy>(),
            source(PrivacySignals::of(request)),
        ) else {
            return Ok(());
        };
        let prefs = page
            .session
            .data()
            .and_then(|d| d.part::<Preferences>().cloned())
            .unwrap_or_default();
        let mark = ConsentMark {
            id: prefs.consent_id().map_or_else(new_consent_id, Into::into),
            version: prefs.consent.as_ref().and_then(|c| c.version.clone()),
        };
        let row = event(&mark.id, Choice::Refused, source, policy, page.lang);
        // The page does not wait on the ledger: a failure is logged and the signal
        // recorded on a later request.
        if let Err(e) = db.record_consent(&row).await {
            e.report();
            return Ok(());
        }
        // Noted at once (not in the page's housekeeping write): the decision
        // endpoints prepare the same hooks and write nothing else.
        let noted = page.session.update(|data: &mut SessionData| {
            data.set_part(SignalsNoted(true));
            let prefs = data.part_mut::<Preferences>();
            if prefs.consent.is_none() {
                prefs.consent = Some(mark.clone());
            }
        });
        if let Err(e) = noted.await {
            log_error_chain(&e);
        }
        Ok(())
    }
}

/// Flushes the [`Tally`] and purges the ledger past its keeping.
pub struct TallyFlusher {
    pub ledger_days: u64,
}

#[rocket::async_trait]
impl Fairing for TallyFlusher {
    fn info(&self) -> Info {
        Info {
            name: "Consent counts and retention",
            kind: Kind::Liftoff | Kind::Shutdown,
        }
    }

    async fn on_liftoff(&self, rocket: &Rocket<Orbit>) {
        let (Some(db), Some(policy)) = (
            rocket.state::<Db>().cloned(),
            rocket.state::<ConsentPolicy>().cloned(),
        ) else {
            return;
        };
        let Some(tally) = rocket.state::<Arc<Tally>>().cloned() else {
            return;
        };
        let keep = chrono::Duration::days(i64::try_from(self.ledger_days).unwrap_or(36_500));
        let tick = async move |n: u64| {
            if n.is_multiple_of(PURGE_EVERY) {
                match db.purge_consent(Utc::now() - keep).await {
                    Ok(0) => {}
                    Ok(n) => rocket::info!("consent: purged {n} rows past their keeping"),
                    Err(e) => e.report(),
                }
            }
            tally.flush(&db, &policy.version).await;
        };
        rocket::tokio::spawn(crate::ops::every(rocket.shutdown(), FLUSH_EVERY, tick));
    }

    async fn on_shutdown(&self, rocket: &Rocket<Orbit>) {
        let (Some(db), Some(policy), Some(tally)) = (
            rocket.state::<Db>(),
            rocket.state::<ConsentPolicy>(),
            rocket.state::<Arc<Tally>>(),
        ) else {
            return;
        };
        tally.flush(db, &policy.version).await;
    }
}
