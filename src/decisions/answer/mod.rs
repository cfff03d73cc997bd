//! The answer for one key, as OFREP says: a value with its reason and variant
//! (and `metadata.why`), or a failure with its error code.
//!
//! Reasons: OFREP 0.3.0's `evaluationSuccess.reason` enum is `STATIC,
//! TARGETING_MATCH, SPLIT, DISABLED, UNKNOWN`; where the contract says `DEFAULT`
//! (a segment the visitor is not in, a slot's or a flag's default) tailor
//! answers `STATIC`, which the protocol allows and its clients validate.

use chrono::Utc;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::i18n::Language;
use crate::personalisation::condition::{Memo, VisitorFacts};
use crate::personalisation::Decision;
use crate::preferences::Preferences;
use crate::web::Choice;

mod experiment;

/// What the answers need to know of the visitor besides the decision.
pub struct Visitor<'p> {
    /// The language answers speak (the context's, else the visitor's).
    pub lang: Language,
    /// The language tailor would pick without a choice.
    pub negotiated: Language,
    /// The visitor's saved preferences (a session's), if any.
    pub prefs: Option<&'p Preferences>,
}

/// A success, as OFREP writes it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Success {
    pub key: String,
    pub value: Value,
    pub reason: &'static str,
    pub variant: String,
    pub metadata: Metadata,
}

/// A flag's metadata: why (in English, as `GET /api/v1/personalisation` says).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Metadata {
    pub why: String,
}

/// A failure of one key.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Failure {
    pub key: String,
    #[serde(rename = "errorCode")]
    pub error_code: &'static str,
    #[serde(rename = "errorDetails")]
    pub error_details: String,
}

/// The answer for one key.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Answer {
    Success(Success),
    Failure(Failure),
}

pub(super) fn success(
    key: &str,
    value: Value,
    reason: &'static str,
    variant: &str,
    why: String,
) -> Answer {
    Answer::Success(Success {
        key: key.to_owned(),
        value,
        reason,
        variant: variant.to_owned(),
        metadata: Metadata { why },
    })
}

/// A key tailor does not answer.
pub fn not_found(key: &str) -> Answer {
    Answer::Failure(Failure {
        key: key.to_owned(),
        error_code: "FLAG_NOT_FOUND",
        error_details: format!("Flag '{key}' was not found"),
    })
}

/// Every key a bulk evaluation answers: the file's flags, then every segment,
/// slot, experiment and preference.
pub fn all_keys(decision: &Decision) -> Vec<String> {
    let rules = decision.rules();
    let mut keys: Vec<String> = rules.flags.keys().cloned().collect();
    keys.extend(rules.segments.keys().map(|s| format!("segment.{s}")));
    let mut slots: Vec<&str> = rules.slots.keys().map(String::as_str).collect();
    for e in rules.experiments.values().filter(|e| !e.slot.is_empty()) {
        if !slots.contains(&e.slot.as_str()) {
            slots.push(&e.slot);
        }
    }
    keys.extend(slots.iter().map(|s| format!("slot.{s}")));
    keys.extend(rules.experiments.keys().map(|e| format!("experiment.{e}")));
    keys.extend(
        ["theme", "language", "timezone"]
            .iter()
            .map(|p| format!("preference.{p}")),
    );
    keys
}

/// Why segment `at` holds, in English ("" when it does not).
fn why_segment(decision: &Decision, facts: &VisitorFacts<'_>, at: usize) -> String {
    if !decision.holds(at) {
        return String::new();
    }
    let rules = decision.rules();
    let mut memo = Memo::titled(&rules.conditions, &rules.titles);
    rules
        .segments
        .values()
        .nth(at)
        .map(|s| s.when.why(Language::En, facts, Utc::now(), &mut memo))
        .unwrap_or_default()
}

/// The answer for `key`.
pub fn answer(
    decision: &Decision,
    facts: &VisitorFacts<'_>,
    visitor: &Visitor<'_>,
    key: &str,
) -> Answer {
    let rules = decision.rules();
    if let Some(flag) = rules.flags.get(key) {
        if let Some(answer) = experiment::on_flag(decision, flag, key) {
            return answer;
        }
        for rule in &flag.rules {
            if decision.holds(rule.at) {
                let why = why_segment(decision, facts, rule.at);
                return success(key, rule.value.clone(), "TARGETING_MATCH", &rule.name, why);
            }
        }
        let why = "no rule matched: the default".to_owned();
        return success(key, flag.default.clone(), "STATIC", "default", why);
    }
    if let Some(name) = key.strip_prefix("segment.") {
        let Some(at) = rules.segments.keys().position(|s| s == name) else {
            return not_found(key);
        };
        let held = decision.holds(at);
        let (reason, variant) = if held {
            ("TARGETING_MATCH", "member")
        } else {
            ("STATIC", "default")
        };
        return success(
            key,
            json!(held),
            reason,
            variant,
            why_segment(decision, facts, at),
        );
    }
    if let Some(name) = key.strip_prefix("slot.") {
        return slot(decision, facts, visitor, key, name);
    }
    if let Some(name) = key.strip_prefix("experiment.") {
        return experiment::experiment(decision, key, name);
    }
    if let Some(name) = key.strip_prefix("preference.") {
        return super::preference::preference(visitor, key, name);
    }
    not_found(key)
}

fn slot(
    decision: &Decision,
    facts: &VisitorFacts<'_>,
    visitor: &Visitor<'_>,
    key: &str,
    name: &str,
) -> Answer {
    let Some((variant, content, choice)) = decision.slot(name) else {
        return not_found(key);
    };
    let lang = visitor.lang;
    let mut value = Map::new();
    value.insert("variant".into(), json!(variant));
    let mut put = |field: &str, text: Option<String>| {
        if let Some(text) = text {
            value.insert(field.into(), json!(text));
        }
    };
    put(
        "title",
        content.title.as_ref().map(|t| t.get(lang).to_string()),
    );
    put(
        "text",
        content.text.as_ref().map(|t| t.get(lang).to_string()),
    );
    put("link", content.link.as_deref().map(str::to_owned));
    put(
        "link_text",
        content.link_text.as_ref().map(|t| t.get(lang).to_string()),
    );
    let rules = decision.rules();
    let (reason, why) = match choice {
        Choice::Experiment(e, _) => {
            let (experiment, running) = rules
                .experiments
                .iter()
                .nth(e)
                .map_or((String::new(), true), |(n, x)| (n.clone(), x.running()));
            if running {
                (
                    "SPLIT",
                    format!(
                        "variant {variant} of experiment {experiment}, drawn at random and kept"
                    ),
                )
            } else {
                (
                    "STATIC",
                    format!("experiment {experiment} stopped: its winner {variant}, for everybody"),
                )
            }
        }
        Choice::Variant(v) => {
            let at = rules.slots.get(name).map(|s| s.variants[v].at);
            (
                "TARGETING_MATCH",
                at.map(|at| why_segment(decision, facts, at))
                    .unwrap_or_default(),
            )
        }
        Choice::Default => ("STATIC", "no variant matched: the default".to_owned()),
    };
    success(key, Value::Object(value), reason, variant, why)
}
