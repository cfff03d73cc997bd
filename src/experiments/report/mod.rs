//! The experiments report: per experiment and variant, participants, exposures,
//! and for each goal the conversions, the rate (conversions / participants) and,
//! for every variant but `control`, the difference to control with the interval
//! of the experiment's method ([`super::inference`]), marked "not enough data"
//! while either has fewer than [`ENOUGH`] participants; and the sample-ratio
//! check of the split.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::inference::{difference, srm_p, SRM_P};
use super::periods::periods;
use crate::data::epochs::EpochRow;
use crate::data::experiments::ExperimentRow;
use crate::personalisation::rules::{Experiment, Goal, Method, Rules, Status};

mod csv;
mod plans;

pub use csv::csv;
use plans::Plans;

pub use super::inference::Diff;

/// Participants a variant and control each need before their difference is
/// shown as a finding.
pub const ENOUGH: u64 = 100;

/// One goal of one variant.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GoalCells {
    pub goal: String,
    pub conversions: u64,
    pub rate: f64,
    /// `None` for control.
    pub diff: Option<Diff>,
    /// This variant and control both have [`ENOUGH`] participants.
    pub enough_data: bool,
}

/// One variant of an experiment.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VariantReport {
    pub variant: String,
    pub participants: u64,
    pub exposures: u64,
    pub goals: Vec<GoalCells>,
    /// In the rules in force (a removed variant's past counts stay).
    pub current: bool,
}

/// One experiment.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExperimentReport {
    pub experiment: String,
    /// The slot it runs on; `None` when gone from the file (or on a flag).
    pub slot: Option<String>,
    /// The flag of the operator's site it runs on.
    pub flag: Option<String>,
    pub goals: Vec<String>,
    pub variants: Vec<VariantReport>,
    pub method: Method,
    /// Participants the experiment is planned for.
    pub planned_participants: u64,
    /// The p-value of the split against the weights (`None`: too few to tell,
    /// or the experiment is gone from the file).
    pub srm_p: Option<f64>,
    /// The split does not match the weights (`srm_p` below [`SRM_P`]).
    pub srm: bool,
    /// `running`, `paused` or `stopped` (an experiment gone from the file:
    /// `running`, its heading says it ended).
    pub status: &'static str,
    /// A stopped experiment's winner.
    pub winner: Option<String>,
    /// The version in force (the figures above are its current split's).
    pub version: i64,
    /// When the weights last changed within this version (its split's start).
    pub changed_on: Option<DateTime<Utc>>,
    /// Stored assignments of this version whose variant changed (must be 0).
    pub flips: u64,
    /// Earlier splits and versions, latest first: their figures, kept.
    pub earlier: Vec<Earlier>,
}

/// An earlier period of an experiment: a version's split, with its figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Earlier {
    pub version: i64,
    /// The split (`control 50, bold 50`), if it was noted.
    pub weights: Option<String>,
    /// When the split was first in force, if noted.
    pub since: Option<DateTime<Utc>>,
    pub variants: Vec<VariantReport>,
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn conversions(row: &ExperimentRow, goal: &str) -> u64 {
    count(match goal {
        "checkout" => row.checkout,
        "contact" => row.contact,
        other => row.goals.get(other).copied().unwrap_or(0),
    })
}

/// The report from the stored counters and the rules in force: every
/// experiment of either, its variants in the file's order (control first), then
/// removed ones.
pub fn report(rows: &[ExperimentRow], epochs: &[EpochRow], rules: &Rules) -> Vec<ExperimentReport> {
    let mut by_experiment: BTreeMap<&str, Vec<&ExperimentRow>> = BTreeMap::new();
    for row in rows {
        by_experiment.entry(&row.experiment).or_default().push(row);
    }
    for name in rules.experiments.keys() {
        by_experiment.entry(name).or_default();
    }
    by_experiment
        .into_iter()
        .map(|(name, rows)| experiment_report(name, &rows, rules, epochs))
        .collect()
}

/// An experiment's variants: the file's, control first, then those only
/// counted (removed: not current, unless the experiment is gone from the file).
fn names(defined: Option<&Experiment>, rows: &[&ExperimentRow]) -> Vec<(String, bool)> {
    let mut names: Vec<(String, bool)> = defined
        .map(|e| {
            let mut v: Vec<_> = e.variants.iter().map(|v| (v.name.clone(), true)).collect();
            v.sort_by_key(|(n, _)| n != "control");
            v
        })
        .unwrap_or_default();
    for row in rows {
        if !names.iter().any(|(n, _)| *n == row.variant) {
            names.push((row.variant.clone(), defined.is_none()));
        }
    }
    names
}

/// Each variant's figures in one period's `rows`: with their difference to
/// control when `plans` say how (the current period), else counts and rates.
fn figures(
    names: &[(String, bool)],
    rows: &[&ExperimentRow],
    goals: &[String],
    plans: Option<&Plans<'_>>,
) -> Vec<VariantReport> {
    let empty = ExperimentRow::default();
    let row_of = |variant: &str| {
        rows.iter()
            .find(|r| r.variant == variant)
            .copied()
            .unwrap_or(&empty)
    };
    let control = row_of("control");
    names
        .iter()
        .filter(|(variant, current)| *current || rows.iter().any(|r| r.variant == *variant))
        .map(|(variant, current)| {
            let row = row_of(variant);
            let (n, n0) = (count(row.participants), count(control.participants));
            let plan = plans
                .filter(|_| variant != "control")
                .and_then(|p| p.of(variant));
            let goals = goals
                .iter()
                .map(|goal| {
                    let c = conversions(row, goal);
                    let diff = plan
                        .and_then(|plan| difference(&plan, c, n, conversions(control, goal), n0));
                    GoalCells {
                        goal: goal.clone(),
                        conversions: c,
                        rate: if n == 0 { 0.0 } else { c as f64 / n as f64 },
                        diff,
                        enough_data: n >= ENOUGH && n0 >= ENOUGH,
                    }
                })
                .collect();
            VariantReport {
                variant: variant.clone(),
                participants: n,
                exposures: count(row.exposures),
                goals,
                current: *current,
            }
        })
        .collect()
}

fn experiment_report(
    name: &str,
    rows: &[&ExperimentRow],
    rules: &Rules,
    epochs: &[EpochRow],
) -> ExperimentReport {
    let defined = rules.experiments.get(name);
    let goals: Vec<String> = match defined {
        Some(e) => e.goals.iter().map(|g| g.code().to_owned()).collect(),
        None => {
            // An experiment gone from the file: every goal it has counts of.
            let mut goals = vec![
                Goal::Contact.code().to_owned(),
                Goal::Checkout.code().to_owned(),
            ];
            for row in rows {
                goals.extend(
                    row.goals
                        .keys()
                        .filter(|g| !goals.contains(g))
                        .cloned()
                        .collect::<Vec<_>>(),
                );
            }
            goals
        }
    };
    let (now, earlier) = periods(name, rows, epochs, defined);
    let names = names(defined, rows);
    let plans = Plans::new(defined, names.len());
    let variants = figures(&names, &now.rows, &goals, Some(&plans));
    let row_of = |variant: &str| now.rows.iter().find(|r| r.variant == variant).copied();
    let srm_p = defined.and_then(|e| {
        let participants: Vec<u64> = e
            .variants
            .iter()
            .map(|v| row_of(&v.name).map_or(0, |r| count(r.participants)))
            .collect();
        let weights: Vec<u32> = e.variants.iter().map(|v| v.weight).collect();
        srm_p(&participants, &weights)
    });
    ExperimentReport {
        experiment: name.to_owned(),
        slot: defined.map(|e| e.slot.clone()).filter(|s| !s.is_empty()),
        flag: defined.and_then(|e| e.flag.clone()),
        goals: goals.clone(),
        variants,
        method: plans.method,
        planned_participants: plans.planned as u64,
        srm_p,
        srm: srm_p.is_some_and(|p| p < SRM_P),
        status: match defined.map(|e| e.status) {
            Some(Status::Paused) => "paused",
            Some(Status::Stopped { .. }) => "stopped",
            _ => "running",
        },
        winner: defined.and_then(|e| match e.status {
            Status::Stopped { winner } => Some(e.variants[winner].name.clone()),
            _ => None,
        }),
        version: now.version,
        // Weights changed: an earlier split of this version has figures.
        changed_on: now
            .since
            .filter(|_| earlier.iter().any(|p| p.version == now.version)),
        flips: rows
            .iter()
            .filter(|r| r.version == now.version)
            .map(|r| count(r.flips))
            .sum(),
        earlier: earlier
            .iter()
            .map(|p| Earlier {
                version: p.version,
                weights: p.weights.clone(),
                since: p.since,
                variants: figures(&names, &p.rows, &goals, None),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_enough_data_the_csv_leaves_the_interval_empty() {
        let goal = |enough_data| GoalCells {
            goal: "contact".into(),
            conversions: 3,
            rate: 0.3,
            diff: Some(Diff {
                estimate: 0.2,
                low: -0.1,
                high: 0.5,
            }),
            enough_data,
        };
        let variant = |name: &str, enough| VariantReport {
            variant: name.into(),
            participants: 10,
            exposures: 20,
            goals: vec![goal(enough)],
            current: true,
        };
        let report = |enough| {
            vec![ExperimentReport {
                experiment: "e".into(),
                slot: Some("home.hero".into()),
                flag: None,
                goals: vec!["contact".to_owned()],
                variants: vec![variant("bold", enough)],
                method: Method::Sequential,
                planned_participants: 10_000,
                srm_p: None,
                srm: false,
                status: "running",
                winner: None,
                version: 1,
                changed_on: None,
                flips: 0,
                earlier: Vec::new(),
            }]
        };
        let thin = csv(&report(false));
        assert!(thin.contains(",0.3000,,,false"), "{thin}");
        let enough = csv(&report(true));
        assert!(!enough.contains(",,,"), "{enough}");
    }

    #[test]
    fn an_experiment_without_goals_still_has_its_counts_in_the_csv() {
        let report = [ExperimentReport {
            experiment: "e".into(),
            slot: None,
            flag: None,
            goals: Vec::new(),
            variants: vec![VariantReport {
                variant: "bold".into(),
                participants: 4,
                exposures: 9,
                goals: Vec::new(),
                current: true,
            }],
            method: Method::Fixed,
            planned_participants: 10_000,
            srm_p: Some(0.25),
            srm: false,
            status: "running",
            winner: None,
            version: 1,
            changed_on: None,
            flips: 0,
            earlier: Vec::new(),
        }];
        let out = csv(&report);
        assert_eq!(
            out.lines().nth(1),
            Some("\"e\",\"bold\",4,9,,,,,,,fixed,0.250000,1"),
            "{out}"
        );
    }

    fn row(variant: &str, participants: i64, contact: i64) -> ExperimentRow {
        ExperimentRow {
            experiment: "hero-copy".into(),
            variant: variant.into(),
            participants,
            exposures: participants * 3,
            contact,
            checkout: 0,
            goals: Default::default(),
            version: 1,
            epoch: 0,
            flips: 0,
        }
    }

    #[test]
    fn removed_variants_keep_their_counts_and_small_samples_are_marked() {
        let rows = [
            row("control", 120, 12),
            row("bold", 99, 20),
            row("old", 5, 1),
        ];
        let report = report(&rows, &[], &Rules::default());
        let e = &report[0];
        let names: Vec<_> = e.variants.iter().map(|v| v.variant.as_str()).collect();
        assert_eq!(names, ["control", "bold", "old"]);
        let bold = &e.variants[1].goals[0];
        assert_eq!(bold.goal, "contact");
        assert!(!bold.enough_data, "99 participants are not enough");
        assert!(bold.diff.is_some());
        assert_eq!(
            e.variants[0].goals[0].diff, None,
            "control has no difference"
        );
        let csv = csv(&report);
        assert!(csv.starts_with(csv::CSV_HEADER));
        assert!(csv.contains("\"hero-copy\",\"bold\",99,297,\"contact\",20,0.2020,"));
    }
}
