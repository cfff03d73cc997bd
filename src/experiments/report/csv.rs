//! The experiments report as CSV.

use super::{ExperimentReport, VariantReport};
use crate::admin::{csv_cell, csv_line};
use crate::personalisation::rules::Method;

/// The report's CSV header.
pub(super) const CSV_HEADER: &str = "experiment,variant,participants,exposures,goal,conversions,rate,diff_low,diff_high,enough_data,method,srm_p,version\r\n";

/// The report as CSV: one row per experiment, variant and goal (a variant of an
/// experiment without goals: one row, the goal's cells empty): the current
/// split of the current version first, then each earlier period's figures
/// (their version; no interval, method or split check).
pub fn csv(report: &[ExperimentReport]) -> String {
    let mut out = String::from(CSV_HEADER);
    for e in report {
        // The experiment's own cells, the same on each of its current rows.
        let method = match e.method {
            Method::Sequential => "sequential",
            Method::Fixed => "fixed",
        };
        let srm = e.srm_p.map_or(String::new(), |p| format!("{p:.6}"));
        let now = [method.to_owned(), srm, e.version.to_string()];
        let blocks = std::iter::once((&e.variants, now)).chain(e.earlier.iter().map(|p| {
            (
                &p.variants,
                [String::new(), String::new(), p.version.to_string()],
            )
        }));
        for (variants, tail) in blocks {
            csv_block(&mut out, &e.experiment, variants, &tail);
        }
    }
    out
}

/// One period's rows of the CSV.
fn csv_block(out: &mut String, experiment: &str, variants: &[VariantReport], tail: &[String; 3]) {
    for v in variants {
        let counts = [
            csv_cell(experiment),
            csv_cell(&v.variant),
            v.participants.to_string(),
            v.exposures.to_string(),
        ];
        let goals = v.goals.iter().map(|g| {
            // No interval without enough data: empty cells, as the page says.
            let interval = g.diff.filter(|_| g.enough_data);
            let (low, high) = interval.map_or((String::new(), String::new()), |d| {
                (format!("{:.4}", d.low), format!("{:.4}", d.high))
            });
            [
                csv_cell(&g.goal),
                g.conversions.to_string(),
                format!("{:.4}", g.rate),
                low,
                high,
                g.enough_data.to_string(),
            ]
        });
        let no_goal = v
            .goals
            .is_empty()
            .then(|| std::array::from_fn(|_| String::new()));
        for goal in goals.chain(no_goal) {
            let mut cells = counts.to_vec();
            cells.extend(goal);
            cells.extend(tail.iter().cloned());
            out.push_str(&csv_line(&cells));
        }
    }
}
