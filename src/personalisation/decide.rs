//! Deciding, once per request, which segments a visitor is in and what each slot
//! shows them. The decision holds indices into the rules in force (shared), so
//! making it copies no text.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::condition::{segment_holds, Memo, VisitorFacts};
use super::rules::{shows, Content, Rules, Status, Texts};
use crate::i18n::Language;
use crate::web::Choice;

/// What the rules decided for one request.
#[derive(Clone, Debug, Default)]
pub struct Decision {
    /// The rules' generation the decision was made under.
    pub generation: u64,
    rules: Arc<Rules>,
    /// Whether the visitor is in each segment, in the rules' order, as the
    /// evaluation's memo has it (2: yes; 0 or 1: no, or not evaluated in the
    /// decision's scope).
    held: Vec<u8>,
    /// For each slot of the file (in its order), the variant shown; `None`: the
    /// default.
    chosen: Vec<Option<usize>>,
    /// The visitor may be tracked on this request (experiments count only them).
    pub tracking: bool,
    /// The experiments the visitor takes part in on this request.
    taking: Vec<Taking>,
}

/// An experiment a visitor takes part in on this request: indices into the
/// rules' experiments and the experiment's variants, and the participant number
/// its conversions count under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Taking {
    pub experiment: usize,
    pub variant: usize,
    pub participant: i64,
    /// The split the participant was drawn under (their counts go there).
    pub epoch: u32,
}

impl Decision {
    /// Every segment the visitor is in, sorted.
    pub fn segments(&self) -> impl Iterator<Item = &str> {
        self.rules
            .segments
            .keys()
            .zip(&self.held)
            .filter(|(_, held)| **held == 2)
            .map(|(name, _)| name.as_str())
    }

    /// The rules the decision was made under.
    pub fn rules(&self) -> &Arc<Rules> {
        &self.rules
    }

    /// Whether the visitor is in the segment at index `at`.
    pub fn holds(&self, at: usize) -> bool {
        self.held.get(at) == Some(&2)
    }

    /// The experiments the visitor takes part in on this request.
    pub fn taking(&self) -> &[Taking] {
        &self.taking
    }

    /// Notes that the visitor takes part in an experiment on this request (its
    /// variant other than `control` then fills the experiment's slot).
    pub fn take_part(&mut self, taking: Taking) {
        self.taking.push(taking);
    }

    /// What slot `name` shows: the experiment's variant the visitor takes part
    /// in (other than `control`), else the slot's variant (or `default`): its
    /// name, its content and which of the rules' contents it is. `None` when
    /// neither the file nor an experiment fills it.
    pub fn slot(&self, name: &str) -> Option<(&str, &Content, Choice)> {
        for t in &self.taking {
            let experiment = self.rules.experiments.values().nth(t.experiment)?;
            let variant = &experiment.variants[t.variant];
            if experiment.slot == name && variant.name != "control" {
                let choice = Choice::Experiment(t.experiment, t.variant);
                return Some((variant.name.as_str(), &variant.content, choice));
            }
        }
        // A stopped experiment's winner, for everybody.
        for (e, experiment) in self.rules.experiments.values().enumerate() {
            let Status::Stopped { winner } = experiment.status else {
                continue;
            };
            let variant = &experiment.variants[winner];
            if experiment.slot == name && variant.name != "control" {
                let choice = Choice::Experiment(e, winner);
                return Some((variant.name.as_str(), &variant.content, choice));
            }
        }
        let (i, slot) = self
            .rules
            .slots
            .iter()
            .enumerate()
            .find(|(_, (n, _))| n.as_str() == name)
            .map(|(i, (_, slot))| (i, slot))?;
        Some(match self.chosen.get(i).copied().flatten() {
            Some(v) => {
                let variant = &slot.variants[v];
                (variant.name.as_str(), &variant.content, Choice::Variant(v))
            }
            None => ("default", &slot.default, Choice::Default),
        })
    }
}

impl Decision {
    /// Each segment the visitor is in, by its title (else its name), with why;
    /// then each experiment they take part in, with what that means.
    pub fn explain(
        &self,
        lang: Language,
        facts: &VisitorFacts<'_>,
        now: DateTime<Utc>,
    ) -> Vec<(String, String)> {
        let mut memo = Memo::titled(&self.rules.conditions, &self.rules.titles);
        let title = |title: Option<&Texts>, name: &str| {
            title.map_or_else(|| name.to_owned(), |t| t.get(lang).to_string())
        };
        let mut reasons: Vec<(String, String)> = self
            .rules
            .segments
            .iter()
            .zip(&self.held)
            .filter(|(_, held)| **held == 2)
            .map(|((name, segment), _)| {
                let why = segment.when.why(lang, facts, now, &mut memo);
                (title(segment.title.as_ref(), name), why)
            })
            .collect();
        for t in &self.taking {
            let Some((name, experiment)) = self.rules.experiments.iter().nth(t.experiment) else {
                continue;
            };
            let versions = experiment.variants.len() as f64;
            let args = [("versions", crate::i18n::fluent::Arg::Number(versions))];
            let why = lang.messages().format("why.experiment", args);
            reasons.push((title(experiment.title.as_ref(), name), why));
        }
        reasons
    }
}

/// The API's answer (`GET /api/v1/personalisation`).
#[derive(Serialize)]
pub struct DecisionView {
    pub segments: Vec<String>,
    pub experiments: BTreeMap<String, String>,
    pub slots: BTreeMap<String, String>,
    pub why: BTreeMap<String, String>,
}

impl DecisionView {
    /// The decision in the API's words, with why (worked out only here).
    pub fn new(decision: &Decision, facts: &VisitorFacts<'_>, now: DateTime<Utc>) -> Self {
        let rules = &decision.rules;
        let mut memo = Memo::titled(&rules.conditions, &rules.titles);
        let why = rules
            .segments
            .iter()
            .zip(&decision.held)
            .filter(|(_, held)| **held == 2)
            .map(|((name, segment), _)| {
                (
                    name.clone(),
                    segment.when.why(Language::En, facts, now, &mut memo),
                )
            })
            .collect();
        DecisionView {
            segments: decision.segments().map(str::to_owned).collect(),
            experiments: decision
                .taking
                .iter()
                .filter_map(|t| {
                    let (name, experiment) = rules.experiments.iter().nth(t.experiment)?;
                    Some((name.clone(), experiment.variants[t.variant].name.clone()))
                })
                .collect(),
            slots: rules
                .slots
                .keys()
                .filter_map(|name| Some((name.clone(), decision.slot(name)?.0.to_owned())))
                .collect(),
            why,
        }
    }
}

/// What a decision covers: every segment and slot (the API, the privacy page),
/// or what the page at a path needs (the slots it shows and the experiments'
/// audiences), evaluating only the segments those read.
#[derive(Clone, Copy, Debug)]
pub enum Scope<'p> {
    All,
    Page(&'p str),
}

impl Scope<'_> {
    fn covers(self, slot: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Page(path) => shows(path, slot),
        }
    }
}

/// Decides for `facts` under `rules`, as far as `scope` needs.
pub fn decide(
    rules: &Arc<Rules>,
    generation: u64,
    facts: &VisitorFacts<'_>,
    now: DateTime<Utc>,
    scope: Scope<'_>,
) -> Decision {
    let mut memo = Memo::new(&rules.conditions);
    if let Scope::All = scope {
        for at in 0..rules.conditions.len() {
            segment_holds(at, facts, now, &mut memo);
        }
    }
    // The first variant whose segment holds: the later ones are not evaluated.
    let chosen = rules
        .slots
        .iter()
        .map(|(name, slot)| {
            if !scope.covers(name) {
                return None;
            }
            slot.variants
                .iter()
                .position(|v| segment_holds(v.at, facts, now, &mut memo))
        })
        .collect();
    for experiment in rules.experiments.values() {
        if let Some(at) = experiment.audience_at {
            segment_holds(at, facts, now, &mut memo);
        }
    }
    Decision {
        generation,
        rules: rules.clone(),
        held: std::mem::take(&mut memo.results),
        chosen,
        tracking: facts.tracking,
        taking: Vec::new(),
    }
}

impl Decision {
    /// The whole decision (every segment and slot) for the same visitor, with
    /// the experiments they take part in: for the API and the privacy page.
    pub fn complete(&self, facts: &VisitorFacts<'_>, now: DateTime<Utc>) -> Decision {
        let mut full = decide(&self.rules, self.generation, facts, now, Scope::All);
        full.taking.clone_from(&self.taking);
        full
    }
}
