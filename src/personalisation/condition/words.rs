//! Conditions in words: why a segment holds, for the API and the privacy page.

use chrono::{DateTime, Utc};

use super::{Condition, Memo, VisitorFacts};
use crate::i18n::Language;

impl Condition {
    /// Why the condition holds, in words (for `why` and the privacy page); only
    /// meaningful when it holds.
    pub fn why(&self, facts: &VisitorFacts<'_>, now: DateTime<Utc>, memo: &mut Memo<'_>) -> String {
        match self {
            Condition::All(list) => list
                .iter()
                .map(|c| c.why(facts, now, memo))
                .collect::<Vec<_>>()
                .join(", and "),
            Condition::Any(list) => list
                .iter()
                .find(|c| c.holds(facts, now, memo))
                .map(|c| c.why(facts, now, memo))
                .unwrap_or_default(),
            Condition::Not(c) => format!("not ({})", c.describe()),
            Condition::Segment { name, .. } => format!("in segment {name}"),
            Condition::FirstTouch(m) => m.words("first touch"),
            Condition::LastTouch(m) => m.words("last touch"),
            Condition::Visits(range) => {
                format!("{} visits ({})", facts.visits.len(), range.words())
            }
            Condition::Visited { path, min } => {
                let n = facts.visits.iter().filter(|v| path.matches(v.path)).count();
                format!("{n} visits of {} (at least {min})", path.as_str())
            }
            Condition::Referrer(origins) => format!("came from {}", origins.join(" or ")),
            Condition::DaysSinceFirstVisit(range) => {
                let since = facts.first_visit.unwrap_or(now);
                let days = (now - since).num_days().max(0);
                format!("first visit {days} days ago ({})", range.words())
            }
            Condition::Language(_) => format!(
                "language is {}",
                facts.language.map_or("unknown", Language::code)
            ),
            Condition::Theme(_) => format!("theme is {}", facts.theme.unwrap_or("unknown")),
            Condition::LoggedIn(true) => "logged in".into(),
            Condition::LoggedIn(false) => "not logged in".into(),
            Condition::CartItems(range) => {
                format!("{} items in the cart ({})", facts.cart_items, range.words())
            }
            Condition::Draft(form) => format!("a saved draft of {form}"),
        }
    }

    /// The condition in words, whether or not it holds.
    fn describe(&self) -> String {
        match self {
            Condition::Segment { name, .. } => format!("in segment {name}"),
            Condition::FirstTouch(m) => m.words("first touch"),
            Condition::LastTouch(m) => m.words("last touch"),
            Condition::LoggedIn(true) => "logged in".into(),
            Condition::LoggedIn(false) => "not logged in".into(),
            Condition::Draft(form) => format!("a saved draft of {form}"),
            other => format!("{other:?}").to_lowercase(),
        }
    }
}
