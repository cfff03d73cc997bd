//! The answers that depend on an experiment: `experiment.<name>`, and a flag an
//! experiment runs on (the visitor's variant while it runs; a stopped
//! experiment's winner for everybody).

use serde_json::json;

use super::{not_found, success, Answer};
use crate::personalisation::rules::{Experiment, ExperimentVariant, Flag, Status};
use crate::personalisation::Decision;

/// The variant of the experiment on `slot` or `flag` the visitor takes part in
/// (other than `control`): its experiment's name, index and the variant's.
fn split(decision: &Decision, hits: impl Fn(&Experiment) -> bool) -> Option<(&str, usize, usize)> {
    let rules = decision.rules();
    decision.taking().iter().find_map(|t| {
        let (name, e) = rules.experiments.iter().nth(t.experiment)?;
        (hits(e) && e.variants[t.variant].name != "control").then_some((
            name.as_str(),
            t.experiment,
            t.variant,
        ))
    })
}

/// The winner of a stopped experiment `hits` (other than `control`, which
/// leaves the flag to its rules): the experiment's name and the variant.
fn stopped(
    decision: &Decision,
    hits: impl Fn(&Experiment) -> bool,
) -> Option<(&str, &ExperimentVariant)> {
    decision.rules().experiments.iter().find_map(|(name, e)| {
        let Status::Stopped { winner } = e.status else {
            return None;
        };
        let variant = &e.variants[winner];
        (hits(e) && variant.name != "control").then_some((name.as_str(), variant))
    })
}

/// The answer for flag `key` from an experiment running on it, if any.
pub(super) fn on_flag(decision: &Decision, flag: &Flag, key: &str) -> Option<Answer> {
    let rules = decision.rules();
    if let Some((name, e, v)) = split(decision, |e| e.flag.as_deref() == Some(key)) {
        let variant = &rules.experiments.values().nth(e).map(|x| &x.variants[v]);
        if let Some(variant) = variant {
            let value = variant
                .value
                .clone()
                .unwrap_or_else(|| flag.default.clone());
            let why = format!(
                "variant {} of experiment {name}, drawn at random and kept",
                variant.name
            );
            return Some(success(key, value, "SPLIT", &variant.name, why));
        }
    }
    if let Some((name, winner)) = stopped(decision, |e| e.flag.as_deref() == Some(key)) {
        let value = winner.value.clone().unwrap_or_else(|| flag.default.clone());
        let why = format!(
            "experiment {name} stopped: its winner {}, for everybody",
            winner.name
        );
        return Some(success(key, value, "STATIC", &winner.name, why));
    }
    None
}

/// The answer for `experiment.<name>`.
pub(super) fn experiment(decision: &Decision, key: &str, name: &str) -> Answer {
    let rules = decision.rules();
    let Some((at, experiment)) = rules
        .experiments
        .iter()
        .enumerate()
        .find(|(_, (n, _))| *n == name)
        .map(|(i, (_, e))| (i, e))
    else {
        return not_found(key);
    };
    match decision.taking().iter().find(|t| t.experiment == at) {
        Some(t) => {
            let variant = &experiment.variants[t.variant].name;
            let why = format!("variant {variant}, drawn at random and kept");
            success(key, json!(variant), "SPLIT", variant, why)
        }
        None if !experiment.running() => {
            let shown = experiment
                .for_everybody()
                .map_or("control", |v| v.name.as_str());
            let why = match experiment.status {
                Status::Paused => "paused: everybody sees control".to_owned(),
                _ => format!("stopped: its winner {shown}, for everybody"),
            };
            success(key, json!(shown), "STATIC", shown, why)
        }
        None => success(
            key,
            json!("control"),
            "DISABLED",
            "control",
            "not taking part".to_owned(),
        ),
    }
}
