//! Conditions: what a segment's `when` says, parsed from the rules file into a
//! tree, and evaluated against a visitor's [`VisitorFacts`].

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

mod facts;
mod glob;
mod parse;
mod words;

pub use facts::{
    Fact, FactKind, FactSpec, FactTest, TouchFacts, VisitFacts, VisitLog, VisitorFacts,
};
pub use glob::Glob;
pub use parse::parse;

use crate::i18n::Language;

/// A range of counts; either bound optional.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Range {
    pub min: Option<u64>,
    pub max: Option<u64>,
}

impl Range {
    fn holds(self, n: u64) -> bool {
        self.min.is_none_or(|min| n >= min) && self.max.is_none_or(|max| n <= max)
    }
}

/// What a touch must match: every field given equals (one of) its values,
/// without regard to case.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TouchMatch {
    pub source: Option<Vec<String>>,
    pub medium: Option<Vec<String>>,
    pub campaign: Option<Vec<String>>,
}

/// Whether `have` is `want` (lower-cased at load) without regard to case, with
/// no allocation for the usual ASCII value.
fn same_folded(have: &str, want: &str) -> bool {
    if have.is_ascii() {
        have.eq_ignore_ascii_case(want)
    } else {
        have.to_lowercase() == want
    }
}

impl TouchMatch {
    fn holds(&self, touch: Option<&TouchFacts<'_>>) -> bool {
        let Some(touch) = touch else {
            return false;
        };
        let field = |want: &Option<Vec<String>>, have: Option<&str>| match want {
            None => true,
            Some(values) => have.is_some_and(|h| values.iter().any(|v| same_folded(h, v))),
        };
        field(&self.source, touch.source)
            && field(&self.medium, touch.medium)
            && field(&self.campaign, touch.campaign)
    }
}

/// One condition of a segment.
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    /// A segment by name, and its index among the rules' segments (set at load).
    Segment {
        name: String,
        at: usize,
    },
    FirstTouch(TouchMatch),
    LastTouch(TouchMatch),
    Visits(Range),
    /// Separate visits: page views apart by 30 minutes or more count apart.
    Sessions(Range),
    Visited {
        path: Glob,
        min: u64,
    },
    Referrer(Vec<String>),
    DaysSinceFirstVisit(Range),
    Language(Vec<Language>),
    /// A fact a feature offers, by its name (checked against what the features
    /// offer at launch: [`Condition::check_facts`]).
    Fact {
        name: String,
        test: FactTest,
    },
    /// An attribute of the evaluation's context (the operator's own data about
    /// the visitor, sent with an OFREP evaluation): one of `equals`, or a number
    /// within `min`..=`max`. Ignored in browser mode unless `from_browser`.
    Attribute(AttributeMatch),
}

/// What an `attribute` condition asks of one context attribute.
#[derive(Clone, Debug, PartialEq)]
pub struct AttributeMatch {
    pub name: String,
    pub equals: Option<Vec<String>>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Whether a browser may say it (a visitor can forge what a browser sends).
    pub from_browser: bool,
}

impl AttributeMatch {
    fn holds(&self, facts: &VisitorFacts<'_>) -> bool {
        if facts.from_browser && !self.from_browser {
            return false;
        }
        let Some(value) = facts.attributes.and_then(|a| a.get(&self.name)) else {
            return false;
        };
        if let Some(list) = &self.equals {
            let text = match value {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Bool(_) | serde_json::Value::Number(_) => value.to_string(),
                _ => return false,
            };
            return list.contains(&text);
        }
        value.as_f64().is_some_and(|n| {
            self.min.is_none_or(|min| n >= min) && self.max.is_none_or(|max| n <= max)
        })
    }
}

/// The segments a visitor is in, as far as evaluated (memoised: a segment used by
/// several others is evaluated once). `results[i]`: 0 not yet, 1 no (or being
/// evaluated), 2 yes.
pub struct Memo<'r> {
    pub segments: &'r [Condition],
    pub results: Vec<u8>,
    /// The segments' titles, for the words of `why` (else their names).
    pub titles: &'r [Option<crate::personalisation::texts::Texts>],
}

impl<'r> Memo<'r> {
    pub fn new(segments: &'r [Condition]) -> Self {
        Memo {
            segments,
            results: vec![0; segments.len()],
            titles: &[],
        }
    }

    /// A memo whose words name segments by their `titles`.
    pub fn titled(
        segments: &'r [Condition],
        titles: &'r [Option<crate::personalisation::texts::Texts>],
    ) -> Self {
        Memo {
            titles,
            ..Memo::new(segments)
        }
    }
}

impl Condition {
    /// Whether the condition holds for `facts` at `now`.
    pub fn holds(&self, facts: &VisitorFacts<'_>, now: DateTime<Utc>, memo: &mut Memo<'_>) -> bool {
        match self {
            Condition::All(list) => list.iter().all(|c| c.holds(facts, now, memo)),
            Condition::Any(list) => list.iter().any(|c| c.holds(facts, now, memo)),
            Condition::Not(c) => !c.holds(facts, now, memo),
            Condition::Segment { at, .. } => segment_holds(*at, facts, now, memo),
            Condition::FirstTouch(m) => m.holds(facts.first_touch.as_ref()),
            Condition::LastTouch(m) => m.holds(facts.last_touch.as_ref()),
            Condition::Visits(range) => range.holds(facts.visit_count()),
            Condition::Sessions(range) => range.holds(facts.sessions()),
            Condition::Visited { path, min } => facts.visits_matching(path, *min) >= *min,
            Condition::Referrer(origins) => facts.referred_from(origins),
            Condition::DaysSinceFirstVisit(range) => {
                let since = facts.first_visit.unwrap_or(now);
                range.holds((now - since).num_days().max(0) as u64)
            }
            Condition::Language(list) => facts.language.is_some_and(|l| list.contains(&l)),
            Condition::Fact { name, test } => test.holds(facts.fact(name)),
            Condition::Attribute(m) => m.holds(facts),
        }
    }

    /// Checks every feature fact this condition names against what the features
    /// offer (`known`).
    ///
    /// # Errors
    /// An unknown name, or a test that does not suit the fact.
    pub fn check_facts(&self, known: &[FactSpec]) -> Result<(), String> {
        match self {
            Condition::All(list) | Condition::Any(list) => {
                list.iter().try_for_each(|c| c.check_facts(known))
            }
            Condition::Not(c) => c.check_facts(known),
            Condition::Fact { name, test } => match known.iter().find(|f| f.name == name) {
                Some(spec) => test.check(name, spec.kind),
                None => Err(format!("unknown condition {name:?}")),
            },
            _ => Ok(()),
        }
    }

    /// The segments this condition names.
    pub fn names(&self, out: &mut Vec<String>) {
        match self {
            Condition::All(list) | Condition::Any(list) => list.iter().for_each(|c| c.names(out)),
            Condition::Not(c) => c.names(out),
            Condition::Segment { name, .. } => out.push(name.clone()),
            _ => {}
        }
    }
}

/// Whether the segment at `at` holds (memoised; an unknown one never does).
pub fn segment_holds(
    at: usize,
    facts: &VisitorFacts<'_>,
    now: DateTime<Utc>,
    memo: &mut Memo<'_>,
) -> bool {
    match memo.results.get(at) {
        None => false,
        Some(2) => true,
        Some(1) => false,
        Some(_) => {
            // Cycles are refused at load; marking first guards against one anyway.
            memo.results[at] = 1;
            let holds = memo.segments[at].holds(facts, now, memo);
            memo.results[at] = if holds { 2 } else { 1 };
            holds
        }
    }
}

impl Condition {
    /// Sets the index of every segment this condition names.
    ///
    /// # Errors
    /// The name of a segment that does not exist.
    pub fn resolve(&mut self, index: &BTreeMap<String, usize>) -> Result<(), String> {
        match self {
            Condition::All(list) | Condition::Any(list) => {
                list.iter_mut().try_for_each(|c| c.resolve(index))
            }
            Condition::Not(c) => c.resolve(index),
            Condition::Segment { name, at } => {
                *at = *index
                    .get(name.as_str())
                    .ok_or_else(|| format!("unknown segment {name:?}"))?;
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use toml::Value;

    fn cond(text: &str) -> Condition {
        let value: Value =
            toml::from_str::<toml::Table>(&format!("c = {text}")).unwrap()["c"].clone();
        parse(&value).unwrap()
    }

    fn error(text: &str) -> String {
        let value: Value =
            toml::from_str::<toml::Table>(&format!("c = {text}")).unwrap()["c"].clone();
        parse(&value).unwrap_err()
    }

    fn holds(c: &Condition, facts: &VisitorFacts<'_>) -> bool {
        let mut memo = Memo::new(&[]);
        c.holds(facts, Utc::now(), &mut memo)
    }

    fn visit<'a>(path: &'a str, referrer: Option<&'a str>) -> VisitFacts<'a> {
        VisitFacts {
            path,
            referrer,
            at: Utc::now(),
        }
    }

    #[test]
    fn separate_visits_are_thirty_minutes_apart() {
        let start = Utc::now() - chrono::Duration::hours(5);
        let at = |minutes: i64| VisitFacts {
            path: "/",
            referrer: None,
            at: start + chrono::Duration::minutes(minutes),
        };
        // One visit of six pages in a minute, then another two hours later.
        let visits = vec![at(0), at(0), at(1), at(1), at(1), at(1), at(121)];
        let facts = VisitorFacts {
            visits: Some(Box::new(visits)),
            ..VisitorFacts::default()
        };
        assert_eq!(facts.sessions(), 2);
        assert!(holds(&cond("{ sessions = { min = 2 } }"), &facts));
        assert!(!holds(&cond("{ sessions = { min = 3 } }"), &facts));
        let first_only = VisitorFacts {
            visits: Some(Box::new(vec![at(0), at(10), at(29)])),
            ..VisitorFacts::default()
        };
        assert_eq!(first_only.sessions(), 1, "a minute into the first visit");
        assert!(!holds(&cond("{ sessions = { min = 2 } }"), &first_only));
        assert_eq!(VisitorFacts::default().sessions(), 0);
    }

    fn touch<'a>(source: &'a str, campaign: &'a str) -> TouchFacts<'a> {
        TouchFacts {
            source: Some(source),
            medium: None,
            campaign: Some(campaign),
        }
    }

    #[test]
    fn touches_match_every_field_given_without_regard_to_case() {
        let facts = VisitorFacts {
            first_touch: Some(touch("google", "spring")),
            last_touch: Some(touch("newsletter", "spring-sale")),
            ..VisitorFacts::default()
        };
        assert!(holds(
            &cond(r#"{ last_touch = { source = "Newsletter" } }"#),
            &facts
        ));
        assert!(holds(
            &cond(r#"{ last_touch = { source = ["x", "newsletter"], campaign = "spring-sale" } }"#),
            &facts
        ));
        assert!(!holds(
            &cond(r#"{ last_touch = { source = "newsletter", campaign = "other" } }"#),
            &facts
        ));
        assert!(holds(
            &cond(r#"{ first_touch = { source = "google" } }"#),
            &facts
        ));
        assert!(!holds(
            &cond(r#"{ first_touch = { source = "google" } }"#),
            &VisitorFacts::default()
        ));
        assert!(error(r#"{ last_touch = { } }"#).contains("at least one"));
        assert!(error(r#"{ last_touch = { sauce = "x" } }"#).contains("unknown key"));
    }

    #[test]
    fn visits_visited_and_referrers_count_what_was_recorded() {
        let facts = VisitorFacts {
            visits: Some(Box::new(vec![
                visit("/", Some("https://news.example")),
                visit("/products/silk-tie", None),
                visit("/products/wool-scarf", None),
            ])),
            touch_referrers: vec!["https://ads.example"],
            ..VisitorFacts::default()
        };
        assert!(holds(&cond("{ visits = { min = 3 } }"), &facts));
        assert!(!holds(&cond("{ visits = { min = 4 } }"), &facts));
        assert!(holds(&cond("{ visits = { max = 3 } }"), &facts));
        assert!(holds(
            &cond(r#"{ visited = { path = "/products/*", min = 2 } }"#),
            &facts
        ));
        assert!(!holds(
            &cond(r#"{ visited = { path = "/products/*", min = 3 } }"#),
            &facts
        ));
        assert!(holds(&cond(r#"{ visited = { path = "/" } }"#), &facts));
        assert!(holds(
            &cond(r#"{ referrer = "https://NEWS.example/" }"#),
            &facts
        ));
        assert!(holds(
            &cond(r#"{ referrer = ["https://x.example", "https://ads.example"] }"#),
            &facts
        ));
        assert!(!holds(
            &cond(r#"{ referrer = "https://other.example" }"#),
            &facts
        ));
        assert!(error(r#"{ referrer = "news.example" }"#).contains("origin"));
        assert!(error("{ visits = { min = 5, max = 2 } }").contains("above"));
        assert!(error("{ visits = { min = -1 } }").contains("whole number"));
        assert!(error(r#"{ visited = { path = "products" } }"#).contains("start with /"));
    }

    #[test]
    fn the_visitors_own_settings_and_holdings() {
        let mut facts = VisitorFacts {
            first_visit: Some(Utc::now() - chrono::Duration::days(10)),
            language: Some(Language::Es),
            ..VisitorFacts::default()
        };
        facts.set("theme", Fact::Words(vec!["dark"]));
        facts.set("logged_in", Fact::Flag(true));
        facts.set("cart_items", Fact::Count(2));
        facts.set("draft", Fact::Words(vec!["contact"]));
        assert!(holds(
            &cond("{ days_since_first_visit = { min = 7 } }"),
            &facts
        ));
        assert!(!holds(
            &cond("{ days_since_first_visit = { max = 7 } }"),
            &facts
        ));
        assert!(holds(&cond(r#"{ language = ["en", "es"] }"#), &facts));
        assert!(!holds(&cond(r#"{ language = "fr" }"#), &facts));
        assert!(holds(&cond(r#"{ theme = "dark" }"#), &facts));
        assert!(holds(&cond("{ logged_in = true }"), &facts));
        assert!(!holds(&cond("{ logged_in = false }"), &facts));
        assert!(holds(
            &cond("{ cart_items = { min = 1, max = 2 } }"),
            &facts
        ));
        assert!(holds(&cond(r#"{ draft = "contact" }"#), &facts));
        assert!(!holds(&cond(r#"{ draft = "other" }"#), &facts));
        assert!(error(r#"{ language = "xx" }"#).contains("unknown language"));
        assert!(!holds(
            &cond("{ logged_in = true }"),
            &VisitorFacts::default()
        ));
        assert!(holds(
            &cond("{ logged_in = false }"),
            &VisitorFacts::default()
        ));
    }

    /// What features offer, as the app's own do.
    const OFFERED: [FactSpec; 3] = [
        FactSpec {
            name: "theme",
            kind: FactKind::Words(&["light", "dark"]),
        },
        FactSpec {
            name: "logged_in",
            kind: FactKind::Flag,
        },
        FactSpec {
            name: "cart_items",
            kind: FactKind::Count,
        },
    ];

    #[test]
    fn conditions_on_facts_are_checked_against_what_the_features_offer() {
        let check = |text: &str| cond(text).check_facts(&OFFERED);
        assert!(check(r#"{ theme = ["dark", "light"] }"#).is_ok());
        assert!(check("{ not = { cart_items = { min = 1 } } }").is_ok());
        let e = |text: &str| check(text).unwrap_err();
        assert!(e(r#"{ theme = "pink" }"#).contains("unknown theme \"pink\""));
        assert!(e(r#"{ whatever = true }"#).contains("unknown condition \"whatever\""));
        assert!(e(r#"{ any = [ { wishlist = { min = 1 } } ] }"#).contains("unknown condition"));
        assert!(e("{ logged_in = { min = 1 } }").contains("true or false"));
        assert!(e("{ cart_items = true }").contains("min, max"));
        assert!(e("{ theme = true }").contains("a string or a list"));
    }

    #[test]
    fn all_any_not_and_segments_combine() {
        let mut facts = VisitorFacts::default();
        facts.set("cart_items", Fact::Count(1));
        assert!(holds(
            &cond("{ any = [ { cart_items = { min = 5 } }, { cart_items = { min = 1 } } ] }"),
            &facts
        ));
        assert!(!holds(
            &cond("{ all = [ { cart_items = { min = 5 } }, { cart_items = { min = 1 } } ] }"),
            &facts
        ));
        assert!(holds(&cond("{ not = { logged_in = true } }"), &facts));
        let segments = [cond("{ cart_items = { min = 1 } }")];
        let mut memo = Memo::new(&segments);
        let index: BTreeMap<String, usize> = [("shopper".to_owned(), 0)].into();
        let mut shopper = cond(r#"{ segment = "shopper" }"#);
        shopper.resolve(&index).unwrap();
        assert!(shopper.holds(&facts, Utc::now(), &mut memo));
        assert!(cond(r#"{ segment = "nobody" }"#).resolve(&index).is_err());
        assert!(error("{ visits = { min = 1 }, logged_in = true }").contains("exactly one key"));
        assert!(error("{ whatever = 1 }").contains("unknown condition"));
        assert!(error("{ any = 3 }").contains("list"));
    }

    #[test]
    fn why_says_what_held() {
        let facts = VisitorFacts {
            visits: Some(Box::new(vec![VisitFacts::default(); 3])),
            last_touch: Some(touch("newsletter", "x")),
            ..VisitorFacts::default()
        };
        let mut memo = Memo::new(&[]);
        let now = Utc::now();
        assert_eq!(
            cond("{ visits = { min = 3 } }").why(Language::En, &facts, now, &mut memo),
            "3 visits (at least 3)"
        );
        assert_eq!(
            cond(r#"{ last_touch = { source = "newsletter" } }"#).why(
                Language::En,
                &facts,
                now,
                &mut memo
            ),
            "last touch source is newsletter"
        );
        // What `not` negates is said in words too, whatever its kind.
        let negated =
            cond("{ not = { any = [ { visits = { min = 5 } }, { logged_in = true } ] } }");
        assert_eq!(
            negated.why(Language::En, &facts, now, &mut memo),
            "not (3 visits (at least 5) or logged in)"
        );
    }
}
