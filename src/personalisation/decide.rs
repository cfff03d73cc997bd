//! Deciding, once per request, which segments a visitor is in and what each slot
//! shows them.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::condition::{segment_holds, Memo, VisitorFacts};
use super::rules::{Content, Rules};

/// What a slot shows a visitor: the name of what was chosen, and its content.
#[derive(Clone, Debug)]
pub struct Chosen {
    /// A slot variant's name, or `default`.
    pub variant: String,
    pub content: Content,
}

/// What the rules decided for one request.
#[derive(Clone, Debug, Default)]
pub struct Decision {
    /// The rules' generation the decision was made under.
    pub generation: u64,
    /// Every segment the visitor is in, sorted.
    pub segments: Vec<String>,
    /// Why, in words, by segment.
    pub why: BTreeMap<String, String>,
    /// What each slot the file defines shows.
    pub slots: BTreeMap<String, Chosen>,
}

/// The API's answer (`GET /api/v1/personalisation`).
#[derive(Serialize)]
pub struct DecisionView {
    pub segments: Vec<String>,
    pub experiments: BTreeMap<String, String>,
    pub slots: BTreeMap<String, String>,
    pub why: BTreeMap<String, String>,
}

impl From<&Decision> for DecisionView {
    fn from(decision: &Decision) -> Self {
        DecisionView {
            segments: decision.segments.clone(),
            experiments: BTreeMap::new(),
            slots: decision
                .slots
                .iter()
                .map(|(name, chosen)| (name.clone(), chosen.variant.clone()))
                .collect(),
            why: decision.why.clone(),
        }
    }
}

/// Decides for `facts` under `rules`.
pub fn decide(
    rules: &Arc<Rules>,
    generation: u64,
    facts: &VisitorFacts<'_>,
    now: DateTime<Utc>,
) -> Decision {
    let mut memo = Memo {
        segments: &rules.conditions,
        results: BTreeMap::new(),
    };
    let mut segments = Vec::new();
    let mut why = BTreeMap::new();
    for (name, segment) in &rules.segments {
        if segment_holds(name, facts, now, &mut memo) {
            segments.push(name.clone());
            why.insert(name.clone(), segment.when.why(facts, now, &mut memo));
        }
    }
    let slots = rules
        .slots
        .iter()
        .map(|(name, slot)| {
            let chosen = slot
                .variants
                .iter()
                .find(|v| segments.binary_search(&v.segment).is_ok())
                .map_or_else(
                    || Chosen {
                        variant: "default".into(),
                        content: slot.default.clone(),
                    },
                    |v| Chosen {
                        variant: v.name.clone(),
                        content: v.content.clone(),
                    },
                );
            (name.clone(), chosen)
        })
        .collect();
    Decision {
        generation,
        segments,
        why,
        slots,
    }
}
