//! How each variant of an experiment is compared to control: the method, the
//! error rate split over the comparisons, the planned participants of the two
//! arms compared.

use super::super::inference::{alpha, Plan};
use crate::personalisation::rules::{Experiment, Method, PLANNED_PARTICIPANTS};

/// How each variant of an experiment is compared to control.
pub(super) struct Plans<'a> {
    experiment: Option<&'a Experiment>,
    pub(super) method: Method,
    alpha: f64,
    /// Participants planned for the whole experiment.
    pub(super) planned: f64,
    /// Variants (an experiment gone from the file: those with counts).
    variants: usize,
}

impl<'a> Plans<'a> {
    pub(super) fn new(experiment: Option<&'a Experiment>, seen: usize) -> Self {
        let variants = experiment.map_or(seen, |e| e.variants.len());
        Plans {
            experiment,
            method: experiment.map_or(Method::Sequential, |e| e.method),
            alpha: alpha(variants),
            planned: experiment.map_or(PLANNED_PARTICIPANTS, |e| e.planned_participants) as f64,
            variants,
        }
    }

    /// Variant `name`'s comparison to control: the planned participants of the
    /// two arms are their share of the weights (of an experiment gone from the
    /// file: equal shares). `None` for a variant removed from the file.
    pub(super) fn of(&self, name: &str) -> Option<Plan> {
        let share = match self.experiment {
            Some(e) => {
                let weight = |n: &str| e.variants.iter().find(|v| v.name == n).map(|v| v.weight);
                let total: u32 = e.variants.iter().map(|v| v.weight).sum();
                f64::from(weight(name)? + weight("control")?) / f64::from(total)
            }
            None => 2.0 / self.variants.max(2) as f64,
        };
        Some(Plan {
            method: self.method,
            alpha: self.alpha,
            planned: self.planned * share,
        })
    }
}
