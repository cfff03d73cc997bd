//! Conversions in experiments: counted for the variant each experiment's
//! participant has when converting (once per participant and goal, by the
//! database, in the order's or submission's transaction).

use crate::conversions::{Conversion, ConversionHook, ConversionRows};
use crate::data::experiments::Converted;
use crate::personalisation::rules::Goal;
use crate::personalisation::Decision;
use crate::web::Page;

/// Experiments count a conversion for the variant each experiment's participant
/// has when converting (once per participant and goal, by the database).
pub struct ExperimentConversions;

impl ConversionHook for ExperimentConversions {
    fn converted(&self, page: &Page<'_>, kind: Conversion, rows: &mut ConversionRows) {
        let Some(decision) = page.fact::<Decision>() else {
            return;
        };
        let goal = match kind {
            Conversion::Contact => Goal::Contact,
            Conversion::Checkout => Goal::Checkout,
        };
        let rules = decision.rules();
        for t in decision.taking() {
            let Some((name, experiment)) = rules.experiments.iter().nth(t.experiment) else {
                continue;
            };
            if experiment.goals.contains(&goal) {
                rows.experiments.push(Converted {
                    experiment: name.clone(),
                    version: i64::from(experiment.version),
                    epoch: i64::from(t.epoch),
                    variant: experiment.variants[t.variant].name.clone(),
                    participant: t.participant,
                    goal: goal.code().to_owned(),
                });
            }
        }
    }
}
