//! What the rules read of a visitor: the facts the features offer, and the
//! visits as a log walked only by the conditions that need them.

use chrono::{DateTime, Utc};

use super::Glob;
use crate::i18n::Language;

/// A touch as the rules see it: its UTM values (borrowed from the record).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TouchFacts<'a> {
    pub source: Option<&'a str>,
    pub medium: Option<&'a str>,
    pub campaign: Option<&'a str>,
}

/// A visit as the rules see it (borrowed from the record).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VisitFacts<'a> {
    pub path: &'a str,
    /// The referring origin, if any.
    pub referrer: Option<&'a str>,
    pub at: DateTime<Utc>,
}

/// The recorded visits as the rules read them, offered by the feature that keeps
/// them: walked only by a condition that asks, never copied.
pub trait VisitLog: Send + Sync {
    /// How many visits.
    fn count(&self) -> u64;
    /// Calls `f` with each visit (path, referring origin), oldest first, until
    /// it answers false.
    fn each(&self, f: &mut dyn FnMut(&str, Option<&str>) -> bool);
    /// Calls `f` with each visit's time, oldest first.
    fn times(&self, f: &mut dyn FnMut(DateTime<Utc>));
}

/// A plain list of visits (tests, and any feature that holds them so).
impl VisitLog for Vec<VisitFacts<'_>> {
    fn count(&self) -> u64 {
        self.len() as u64
    }

    fn each(&self, f: &mut dyn FnMut(&str, Option<&str>) -> bool) {
        for v in self {
            if !f(v.path, v.referrer) {
                return;
            }
        }
    }

    fn times(&self, f: &mut dyn FnMut(DateTime<Utc>)) {
        for v in self {
            f(v.at);
        }
    }
}

/// The inactivity that ends a visit of several pages (Google Analytics' session).
pub const VISIT_GAP: chrono::Duration = chrono::Duration::minutes(30);

/// What the rules may read of a visitor; each feature fills its share through a
/// facts hook. Tracking data (visits, touches, referrers) is empty for a visitor
/// who may not be tracked on this request.
#[derive(Default)]
pub struct VisitorFacts<'a> {
    /// Recorded visits, this request's included, oldest first: read only by
    /// the conditions that need them (none for a visitor not tracked).
    pub visits: Option<Box<dyn VisitLog + 'a>>,
    pub first_touch: Option<TouchFacts<'a>>,
    pub last_touch: Option<TouchFacts<'a>>,
    /// Referring origins of the recorded touches.
    pub touch_referrers: Vec<&'a str>,
    /// When the session was created (now for a visitor without one).
    pub first_visit: Option<DateTime<Utc>>,
    pub language: Option<Language>,
    /// The theme's code.
    pub theme: Option<&'static str>,
    pub logged_in: bool,
    /// Units in the cart.
    pub cart_items: u64,
    /// Form ids with a saved draft.
    pub drafts: Vec<&'a str>,
    /// The visitor may be tracked on this request (preference, consent, GPC, DNT).
    pub tracking: bool,
    /// The evaluation context's attributes (an OFREP evaluation), for this
    /// evaluation only, never stored.
    pub attributes: Option<&'a serde_json::Map<String, serde_json::Value>>,
    /// The attributes come from a browser (which can forge them): only
    /// conditions that say `from_browser = true` read them.
    pub from_browser: bool,
}

impl VisitorFacts<'_> {
    /// Recorded visits.
    pub fn visit_count(&self) -> u64 {
        self.visits.as_ref().map_or(0, |v| v.count())
    }

    /// Separate visits among the recorded page views: a view 30 minutes or more
    /// after the one before starts a new one ([`VISIT_GAP`]).
    pub fn sessions(&self) -> u64 {
        let (mut n, mut last): (u64, Option<DateTime<Utc>>) = (0, None);
        if let Some(visits) = &self.visits {
            visits.times(&mut |at| {
                if last.is_none_or(|l| at - l >= VISIT_GAP) {
                    n += 1;
                }
                last = Some(at);
            });
        }
        n
    }

    /// Recorded visits whose path matches `path`, counted up to `enough`.
    pub fn visits_matching(&self, path: &Glob, enough: u64) -> u64 {
        let mut n = 0;
        if let Some(visits) = &self.visits {
            visits.each(&mut |p, _| {
                n += u64::from(path.matches(p));
                n < enough
            });
        }
        n
    }

    /// Whether some recorded visit or touch came from one of `origins`.
    pub(super) fn referred_from(&self, origins: &[String]) -> bool {
        let from = |r: &str| origins.iter().any(|o| o.eq_ignore_ascii_case(r));
        let mut found = self.touch_referrers.iter().any(|r| from(r));
        if let (false, Some(visits)) = (found, &self.visits) {
            visits.each(&mut |_, referrer| {
                found = referrer.is_some_and(from);
                !found
            });
        }
        found
    }
}
