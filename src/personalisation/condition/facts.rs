//! What the rules read of a visitor: the facts the features offer, and the
//! visits as a log walked only by the conditions that need them.

use chrono::{DateTime, Utc};

use super::{Glob, Range};
use crate::i18n::Language;

/// What a condition asks of a feature's fact: the value's shape in the rules file
/// says which (`true`, `{ min, max }`, a string or a list of strings).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FactTest {
    Is(bool),
    Within(Range),
    OneOf(Vec<String>),
}

impl FactTest {
    /// Whether `fact` passes (a fact no feature set is false, 0, no words).
    pub(super) fn holds(&self, fact: Option<&Fact<'_>>) -> bool {
        match (self, fact) {
            (FactTest::Is(wanted), f) => matches!(f, Some(Fact::Flag(true))) == *wanted,
            (FactTest::Within(range), f) => range.holds(match f {
                Some(Fact::Count(n)) => *n,
                _ => 0,
            }),
            (FactTest::OneOf(list), Some(Fact::Words(have))) => {
                have.iter().any(|h| list.iter().any(|w| w == h))
            }
            (FactTest::OneOf(_), _) => false,
        }
    }

    /// Whether this test suits a fact of `kind`.
    pub(super) fn check(&self, name: &str, kind: FactKind) -> Result<(), String> {
        match (self, kind) {
            (FactTest::Is(_), FactKind::Flag) | (FactTest::Within(_), FactKind::Count) => Ok(()),
            (FactTest::OneOf(list), FactKind::Words(allowed)) => {
                match list
                    .iter()
                    .find(|w| !allowed.is_empty() && !allowed.contains(&w.as_str()))
                {
                    Some(unknown) => Err(format!("unknown {name} {unknown:?}")),
                    None => Ok(()),
                }
            }
            (_, FactKind::Flag) => Err(format!("{name} is true or false")),
            (_, FactKind::Count) => Err(format!("{name} takes {{ min, max }}")),
            (_, FactKind::Words(_)) => Err(format!("{name} takes a string or a list of strings")),
        }
    }
}

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
    /// Calls `f` with each visit's time in milliseconds since the Unix epoch,
    /// oldest first (plain numbers: the `sessions` condition compares a hundred
    /// of them on every page).
    fn times(&self, f: &mut dyn FnMut(i64));
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

    fn times(&self, f: &mut dyn FnMut(i64)) {
        for v in self {
            f(v.at.timestamp_millis());
        }
    }
}

/// The inactivity that ends a visit of several pages (Google Analytics' session).
pub const VISIT_GAP: chrono::Duration = chrono::Duration::minutes(30);

/// A fact a feature offers the rules under a name (a `when` key of its own).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fact<'a> {
    /// Yes or no (`logged_in = true`).
    Flag(bool),
    /// A number (`cart_items = { min = 1 }`).
    Count(u64),
    /// Words the visitor has, one or several (`theme = "dark"`, `draft = "contact"`).
    Words(Vec<&'a str>),
}

/// What kind of fact a feature offers under a name: what the rules file's
/// conditions on it are checked against at launch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FactKind {
    /// Tested with `true` or `false`.
    Flag,
    /// Tested with `{ min, max }`.
    Count,
    /// Tested with a string or a list of strings; the words a condition may name
    /// (empty: any).
    Words(&'static [&'static str]),
}

/// A fact's name and kind, as a feature offers it
/// ([`crate::personalisation::FactsHook::offers`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FactSpec {
    pub name: &'static str,
    pub kind: FactKind,
}

/// What the rules may read of a visitor; each feature fills its share through a
/// facts hook: the visits and touches (the rules' own vocabulary) and, by name,
/// the facts the features offer. Tracking data (visits, touches, referrers) is empty for a visitor
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
    /// The features' facts, by name (a feature's own: `cart_items`, `theme`).
    pub named: Vec<(&'static str, Fact<'a>)>,
    /// The visitor may be tracked on this request (preference, consent, GPC, DNT).
    pub tracking: bool,
    /// The evaluation context's attributes (an OFREP evaluation), for this
    /// evaluation only, never stored.
    pub attributes: Option<&'a serde_json::Map<String, serde_json::Value>>,
    /// The attributes come from a browser (which can forge them): only
    /// conditions that say `from_browser = true` read them.
    pub from_browser: bool,
}

impl<'a> VisitorFacts<'a> {
    /// Sets the fact called `name`.
    pub fn set(&mut self, name: &'static str, fact: Fact<'a>) {
        match self.named.iter_mut().find(|(n, _)| *n == name) {
            Some((_, slot)) => *slot = fact,
            None => self.named.push((name, fact)),
        }
    }

    /// The fact called `name`, if a feature set it.
    pub fn fact(&self, name: &str) -> Option<&Fact<'a>> {
        self.named.iter().find(|(n, _)| *n == name).map(|(_, f)| f)
    }

    /// Recorded visits.
    pub fn visit_count(&self) -> u64 {
        self.visits.as_ref().map_or(0, |v| v.count())
    }

    /// Separate visits among the recorded page views: a view 30 minutes or more
    /// after the one before starts a new one ([`VISIT_GAP`]).
    pub fn sessions(&self) -> u64 {
        let gap = VISIT_GAP.num_milliseconds();
        let (mut n, mut last): (u64, Option<i64>) = (0, None);
        if let Some(visits) = &self.visits {
            visits.times(&mut |at| {
                if last.is_none_or(|l| at - l >= gap) {
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
