//! Conditions in words: why a segment holds, in the visitor's language (the
//! catalogs' `why` messages), for the API and the privacy page.

use chrono::{DateTime, Utc};

use super::{Condition, Fact, FactTest, Memo, Range, TouchMatch, VisitorFacts};
use crate::i18n::fluent::Arg;
use crate::i18n::Language;

/// Message `key` of the `why` section in `lang`, with `args`.
fn say(lang: Language, key: &str, args: &[(&str, Arg<'_>)]) -> String {
    lang.messages().format(
        &format!("why.{key}"),
        args.iter().map(|(k, v)| (*k, v.clone())),
    )
}

fn n(value: usize) -> Arg<'static> {
    Arg::Number(value as f64)
}

fn text(s: &str) -> Arg<'static> {
    Arg::Text(s.to_owned().into())
}

/// Why a condition on a feature's fact holds: message `why.<name>` (with `n` and
/// `range` for a count, `value` for words), or `why.not_<name>` for a flag
/// wanted false.
fn fact_why(lang: Language, name: &str, test: &FactTest, have: Option<&Fact<'_>>) -> String {
    match test {
        FactTest::Is(true) => say(lang, name, &[]),
        FactTest::Is(false) => say(lang, &format!("not_{name}"), &[]),
        FactTest::Within(range) => {
            let count = match have {
                Some(Fact::Count(n)) => *n,
                _ => 0,
            };
            let args = [
                ("n", Arg::Number(count as f64)),
                ("range", text(&range.say(lang))),
            ];
            say(lang, name, &args)
        }
        FactTest::OneOf(list) => {
            let words: &[&str] = match have {
                Some(Fact::Words(words)) => words,
                _ => &[],
            };
            let value = words
                .iter()
                .find(|w| list.iter().any(|l| l == *w))
                .map_or_else(|| list.join(&say(lang, "or", &[])), |w| (*w).to_owned());
            say(lang, name, &[("value", text(&value))])
        }
    }
}

impl Range {
    fn say(self, lang: Language) -> String {
        let num = |v: u64| Arg::Number(v as f64);
        match (self.min, self.max) {
            (Some(min), Some(max)) => say(lang, "between", &[("min", num(min)), ("max", num(max))]),
            (Some(min), None) => say(lang, "at_least", &[("min", num(min))]),
            (None, Some(max)) => say(lang, "at_most", &[("max", num(max))]),
            (None, None) => say(lang, "any_number", &[]),
        }
    }
}

impl TouchMatch {
    fn say(&self, lang: Language, which: &str) -> String {
        let or = say(lang, "or", &[]);
        let touch = say(lang, which, &[]);
        let mut parts = Vec::new();
        for (field, values) in [
            ("source", &self.source),
            ("medium", &self.medium),
            ("campaign", &self.campaign),
        ] {
            if let Some(values) = values {
                let args = [
                    ("touch", Arg::Text(touch.as_str().into())),
                    ("field", Arg::Text(say(lang, field, &[]).into())),
                    ("values", Arg::Text(values.join(&or).into())),
                ];
                parts.push(say(lang, "field_is", &args));
            }
        }
        parts.join(&say(lang, "and", &[]))
    }
}

impl Condition {
    /// Why the condition holds, in `lang` (for `why` and the privacy page); only
    /// meaningful when it holds.
    pub fn why(
        &self,
        lang: Language,
        facts: &VisitorFacts<'_>,
        now: DateTime<Utc>,
        memo: &mut Memo<'_>,
    ) -> String {
        let text = |s: &str| Arg::Text(s.to_owned().into());
        match self {
            Condition::All(list) => list
                .iter()
                .map(|c| c.why(lang, facts, now, memo))
                .collect::<Vec<_>>()
                .join(&say(lang, "and", &[])),
            Condition::Any(list) => list
                .iter()
                .find(|c| c.holds(facts, now, memo))
                .map(|c| c.why(lang, facts, now, memo))
                .unwrap_or_default(),
            Condition::Not(c) => {
                let what = c.describe(lang, facts, now, memo);
                say(lang, "not", &[("what", text(&what))])
            }
            Condition::Segment { name, at } => {
                let title = memo.titles.get(*at).and_then(Option::as_ref);
                let name = title.map_or_else(|| name.clone(), |t| t.get(lang).to_string());
                say(lang, "in_segment", &[("name", text(&name))])
            }
            Condition::FirstTouch(m) => m.say(lang, "first_touch"),
            Condition::LastTouch(m) => m.say(lang, "last_touch"),
            Condition::Visits(range) => say(
                lang,
                "visits",
                &[
                    ("n", n(facts.visit_count() as usize)),
                    ("range", text(&range.say(lang))),
                ],
            ),
            Condition::Sessions(range) => say(
                lang,
                "sessions",
                &[
                    ("n", n(facts.sessions() as usize)),
                    ("range", text(&range.say(lang))),
                ],
            ),
            Condition::Visited { path, min } => {
                let count = facts.visits_matching(path, u64::MAX) as usize;
                let args = [
                    ("n", n(count)),
                    ("path", text(path.as_str())),
                    ("min", Arg::Number(*min as f64)),
                ];
                say(lang, "visited", &args)
            }
            Condition::Referrer(origins) => {
                let origins = origins.join(&say(lang, "or", &[]));
                say(lang, "referrer", &[("origins", text(&origins))])
            }
            Condition::DaysSinceFirstVisit(range) => {
                let since = facts.first_visit.unwrap_or(now);
                let days = (now - since).num_days().max(0) as usize;
                say(
                    lang,
                    "days",
                    &[("days", n(days)), ("range", text(&range.say(lang)))],
                )
            }
            Condition::Language(_) => {
                let code = facts.language.map_or("?", Language::code);
                say(lang, "language", &[("language", text(code))])
            }
            Condition::Fact { name, test } => fact_why(lang, name, test, facts.fact(name)),
            Condition::Attribute(m) => {
                let value = facts
                    .attributes
                    .and_then(|a| a.get(&m.name))
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                    .unwrap_or_default();
                let args = [("name", text(&m.name)), ("value", text(&value))];
                say(lang, "attribute", &args)
            }
        }
    }

    /// The condition in words, whether or not it holds (what `not` negates).
    fn describe(
        &self,
        lang: Language,
        facts: &VisitorFacts<'_>,
        now: DateTime<Utc>,
        memo: &mut Memo<'_>,
    ) -> String {
        let mut each = |list: &[Condition], joint: &str| {
            let words: Vec<String> = list
                .iter()
                .map(|c| c.describe(lang, facts, now, memo))
                .collect();
            words.join(&say(lang, joint, &[]))
        };
        match self {
            Condition::All(list) => each(list, "and"),
            Condition::Any(list) => each(list, "or"),
            other => other.why(lang, facts, now, memo),
        }
    }
}
