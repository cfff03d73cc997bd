//! The experiments report: per experiment and variant, participants, exposures,
//! and for each goal the conversions, the rate (conversions / participants) and,
//! for every variant but `control`, the difference to control with a 95 %
//! interval (unpooled two-proportion Wald interval), marked "not enough data"
//! while either has fewer than [`ENOUGH`] participants.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::admin::{csv_cell, csv_line};
use crate::data::experiments::ExperimentRow;
use crate::personalisation::rules::{Goal, Rules};

/// Participants a variant and control each need before their difference is
/// shown as a finding.
pub const ENOUGH: u64 = 100;

/// z for a two-sided 95 % interval.
const Z95: f64 = 1.96;

/// The difference of a variant's rate to control's, with its 95 % interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Diff {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
}

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
    pub slot: Option<String>,
    pub goals: Vec<String>,
    pub variants: Vec<VariantReport>,
}

/// The difference `(c1 / n1) - (c0 / n0)` with its unpooled Wald interval;
/// `None` when either has no participant.
pub fn wald(c1: u64, n1: u64, c0: u64, n0: u64) -> Option<Diff> {
    if n1 == 0 || n0 == 0 {
        return None;
    }
    let (p1, p0) = (c1 as f64 / n1 as f64, c0 as f64 / n0 as f64);
    let se = (p1 * (1.0 - p1) / n1 as f64 + p0 * (1.0 - p0) / n0 as f64).sqrt();
    let estimate = p1 - p0;
    Some(Diff {
        estimate,
        low: estimate - Z95 * se,
        high: estimate + Z95 * se,
    })
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
pub fn report(rows: &[ExperimentRow], rules: &Rules) -> Vec<ExperimentReport> {
    let mut by_experiment: BTreeMap<&str, Vec<&ExperimentRow>> = BTreeMap::new();
    for row in rows {
        by_experiment.entry(&row.experiment).or_default().push(row);
    }
    for name in rules.experiments.keys() {
        by_experiment.entry(name).or_default();
    }
    by_experiment
        .into_iter()
        .map(|(name, rows)| experiment_report(name, &rows, rules))
        .collect()
}

fn experiment_report(name: &str, rows: &[&ExperimentRow], rules: &Rules) -> ExperimentReport {
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
    let empty = ExperimentRow::default();
    let row_of = |variant: &str| {
        rows.iter()
            .find(|r| r.variant == variant)
            .copied()
            .unwrap_or(&empty)
    };
    let control = row_of("control");
    let variants = names
        .into_iter()
        .map(|(variant, current)| {
            let row = row_of(&variant);
            let (n, n0) = (count(row.participants), count(control.participants));
            let goals = goals
                .iter()
                .map(|goal| {
                    let c = conversions(row, goal);
                    let is_control = variant == "control";
                    GoalCells {
                        goal: goal.clone(),
                        conversions: c,
                        rate: if n == 0 { 0.0 } else { c as f64 / n as f64 },
                        diff: (!is_control)
                            .then(|| wald(c, n, conversions(control, goal), n0))
                            .flatten(),
                        enough_data: n >= ENOUGH && n0 >= ENOUGH,
                    }
                })
                .collect();
            VariantReport {
                variant,
                participants: n,
                exposures: count(row.exposures),
                goals,
                current,
            }
        })
        .collect();
    ExperimentReport {
        experiment: name.to_owned(),
        slot: defined.map(|e| e.slot.clone()),
        goals,
        variants,
    }
}

/// The report as CSV: one row per experiment, variant and goal.
pub fn csv(report: &[ExperimentReport]) -> String {
    let mut out = String::from(
        "experiment,variant,participants,exposures,goal,conversions,rate,diff_low,diff_high,enough_data\r\n",
    );
    for e in report {
        for v in &e.variants {
            if v.goals.is_empty() {
                // No goal: the counts alone, the goal's cells empty.
                let cells = [
                    csv_cell(&e.experiment),
                    csv_cell(&v.variant),
                    v.participants.to_string(),
                    v.exposures.to_string(),
                ];
                let mut cells = cells.to_vec();
                cells.extend(std::iter::repeat_n(String::new(), 6));
                out.push_str(&csv_line(&cells));
            }
            for g in &v.goals {
                // No interval without enough data: empty cells, as the page says.
                let interval = g.diff.filter(|_| g.enough_data);
                let (low, high) = interval.map_or((String::new(), String::new()), |d| {
                    (format!("{:.4}", d.low), format!("{:.4}", d.high))
                });
                let cells = [
                    csv_cell(&e.experiment),
                    csv_cell(&v.variant),
                    v.participants.to_string(),
                    v.exposures.to_string(),
                    csv_cell(&g.goal),
                    g.conversions.to_string(),
                    format!("{:.4}", g.rate),
                    low,
                    high,
                    g.enough_data.to_string(),
                ];
                out.push_str(&csv_line(&cells));
            }
        }
    }
    out
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
            diff: wald(3, 10, 1, 10),
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
                goals: vec!["contact".to_owned()],
                variants: vec![variant("bold", enough)],
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
            goals: Vec::new(),
            variants: vec![VariantReport {
                variant: "bold".into(),
                participants: 4,
                exposures: 9,
                goals: Vec::new(),
                current: true,
            }],
        }];
        let out = csv(&report);
        assert_eq!(
            out.lines().nth(1),
            Some("\"e\",\"bold\",4,9,,,,,,"),
            "{out}"
        );
    }

    #[test]
    fn the_wald_interval_matches_a_worked_example() {
        // 30/200 against 20/200: diff 0.05, se = sqrt(.15*.85/200 + .1*.9/200).
        let d = wald(30, 200, 20, 200).unwrap();
        let se = (0.15_f64 * 0.85 / 200.0 + 0.1 * 0.9 / 200.0).sqrt();
        assert!((d.estimate - 0.05).abs() < 1e-12);
        assert!((d.low - (0.05 - 1.96 * se)).abs() < 1e-12);
        assert!((d.high - (0.05 + 1.96 * se)).abs() < 1e-12);
        assert_eq!(wald(1, 0, 1, 10), None);
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
        }
    }

    #[test]
    fn removed_variants_keep_their_counts_and_small_samples_are_marked() {
        let rows = [
            row("control", 120, 12),
            row("bold", 99, 20),
            row("old", 5, 1),
        ];
        let report = report(&rows, &Rules::default());
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
        assert!(csv.starts_with("experiment,variant,participants,exposures,goal,conversions,rate,diff_low,diff_high,enough_data\r\n"));
        assert!(csv.contains("\"hero-copy\",\"bold\",99,297,\"contact\",20,0.2020,"));
    }
}
