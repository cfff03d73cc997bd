//! How sure the report may be: the interval of a variant's difference to
//! control, and the sample-ratio check of an experiment's split.
//!
//! The default interval is a confidence sequence (the asymptotic normal-mixture
//! one of Waudby-Smith et al., 2021; Howard et al., 2021): it stays valid however
//! often the report is read, which a daily-read Wald interval does not (an A/A
//! experiment read daily for 30 days "wins" about a quarter of the time). The
//! Wald interval stays available for an experiment read once, at its planned
//! size. Both split the error rate over the comparisons to control (Bonferroni:
//! α = 0.05 / (k − 1) for k variants).

use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};

use crate::personalisation::rules::Method;

/// The family-wise error rate of an experiment's comparisons.
const ALPHA: f64 = 0.05;

/// Below this p-value the split is taken not to match the weights.
pub const SRM_P: f64 = 0.001;

/// Expected participants each variant needs before the split is checked (the
/// chi-square approximation's usual condition).
const SRM_MIN_EXPECTED: f64 = 5.0;

/// A difference of rates (variant − control) and its interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Diff {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
}

impl Diff {
    /// Whether the interval leaves out 0: a difference found.
    pub fn excludes_zero(&self) -> bool {
        self.low > 0.0 || self.high < 0.0
    }
}

/// The error rate of each comparison of an experiment with `variants` arms.
pub fn alpha(variants: usize) -> f64 {
    ALPHA / variants.saturating_sub(1).max(1) as f64
}

/// What one comparison needs besides the counts: its method, its error rate,
/// and (for the sequential interval) the participants the two arms compared
/// are planned to reach.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Plan {
    pub method: Method,
    pub alpha: f64,
    pub planned: f64,
}

/// The difference `c1 / n1 − c0 / n0` with its interval; `None` while either arm
/// has no participant.
pub fn difference(plan: &Plan, c1: u64, n1: u64, c0: u64, n0: u64) -> Option<Diff> {
    if n1 == 0 || n0 == 0 {
        return None;
    }
    let (p1, p0) = (c1 as f64 / n1 as f64, c0 as f64 / n0 as f64);
    // The unpooled standard error of the difference.
    let se = (p1 * (1.0 - p1) / n1 as f64 + p0 * (1.0 - p0) / n0 as f64).sqrt();
    let half = se
        * match plan.method {
            Method::Fixed => z(plan.alpha),
            Method::Sequential => sequential_factor((n1 + n0) as f64, plan.planned, plan.alpha),
        };
    let estimate = p1 - p0;
    Some(Diff {
        estimate,
        low: estimate - half,
        high: estimate + half,
    })
}

/// z such that a normal variable falls outside ±z with probability `alpha`.
fn z(alpha: f64) -> f64 {
    Normal::standard().inverse_cdf(1.0 - alpha / 2.0)
}

/// The confidence sequence's half-width in standard errors after `n`
/// participants, tuned to be tightest at `planned`:
/// √((1 + 1/(nρ²)) · (ln(1 + nρ²) + 2 ln(1/α))), with
/// ρ² = (2 ln(1/α) + ln(1 + 2 ln(1/α))) / planned.
pub fn sequential_factor(n: f64, planned: f64, alpha: f64) -> f64 {
    let l = 2.0 * (1.0 / alpha).ln();
    let rho2 = (l + (1.0 + l).ln()) / planned.max(1.0);
    let nr = n * rho2;
    ((1.0 + 1.0 / nr) * ((1.0 + nr).ln() + l)).sqrt()
}

/// The p-value of a chi-square goodness-of-fit of the participants per
/// variant against the variants' weights; `None` while a variant expects fewer
/// than 5 participants (too few to tell).
pub fn srm_p(participants: &[u64], weights: &[u32]) -> Option<f64> {
    if participants.len() != weights.len() || participants.len() < 2 {
        return None;
    }
    let total: f64 = participants.iter().map(|&n| n as f64).sum();
    let weight: f64 = weights.iter().map(|&w| f64::from(w)).sum();
    let mut chi2 = 0.0;
    for (&n, &w) in participants.iter().zip(weights) {
        let expected = total * f64::from(w) / weight;
        if expected < SRM_MIN_EXPECTED {
            return None;
        }
        chi2 += (n as f64 - expected).powi(2) / expected;
    }
    let dof = (participants.len() - 1) as f64;
    ChiSquared::new(dof).ok().map(|d| d.sf(chi2))
}

#[cfg(test)]
mod tests;
