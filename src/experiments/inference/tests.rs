//! The intervals proved by simulation (seeded, no network): A/A experiments
//! read daily for 30 days, the power to find a real difference, and a check
//! that the A/A bound can fail.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::*;

/// A binomial draw by inversion (Kachitvichyanukul and Schmeiser's BINV): exact,
/// and fast for the small `n·p` of conversion rates.
fn binomial(rng: &mut StdRng, n: u64, p: f64) -> u64 {
    let q = 1.0 - p;
    let s = p / q;
    let a = (n + 1) as f64 * s;
    let mut r = q.powf(n as f64);
    let mut u: f64 = rng.gen();
    let mut x = 0;
    while u > r && x < n {
        u -= r;
        x += 1;
        r *= a / x as f64 - s;
    }
    x
}

const DAYS: usize = 30;
const PER_ARM_PER_DAY: u64 = 500;

/// Runs `runs` two-arm experiments of rates `p0` (control) and `p1` for 30
/// days, reading `interval` at the end of every day; returns the share of runs
/// where some day's interval left out 0, and the share where it lay above 0.
fn simulate(
    seed: u64,
    runs: usize,
    p0: f64,
    p1: f64,
    interval: impl Fn(u64, u64, u64, u64) -> Option<Diff>,
) -> (f64, f64) {
    let mut rng = StdRng::seed_from_u64(seed);
    let (mut found, mut above) = (0, 0);
    for _ in 0..runs {
        let (mut c0, mut c1, mut n) = (0, 0, 0);
        let (mut f, mut a) = (false, false);
        for _ in 0..DAYS {
            c0 += binomial(&mut rng, PER_ARM_PER_DAY, p0);
            c1 += binomial(&mut rng, PER_ARM_PER_DAY, p1);
            n += PER_ARM_PER_DAY;
            if let Some(d) = interval(c1, n, c0, n) {
                f |= d.excludes_zero();
                a |= d.low > 0.0;
            }
        }
        found += usize::from(f);
        above += usize::from(a);
    }
    (found as f64 / runs as f64, above as f64 / runs as f64)
}

/// A 50/50 experiment of two arms planned for the default 10,000 participants.
fn plan(method: Method) -> Plan {
    Plan {
        method,
        alpha: alpha(2),
        planned: 10_000.0,
    }
}

const RUNS: usize = 2_000;

#[test]
fn read_daily_the_sequential_interval_keeps_an_a_a_experiment_under_five_percent() {
    let sequential = plan(Method::Sequential);
    let (rate, _) = simulate(1, RUNS, 0.05, 0.05, |c1, n1, c0, n0| {
        difference(&sequential, c1, n1, c0, n0)
    });
    assert!(
        rate <= 0.05,
        "sequential, read daily: {:.1} % of {RUNS} A/A experiments declared a winner",
        rate * 100.0
    );
    // The Wald interval read the same way is the reason for the default.
    let fixed = plan(Method::Fixed);
    let (fixed_rate, _) = simulate(1, RUNS, 0.05, 0.05, |c1, n1, c0, n0| {
        difference(&fixed, c1, n1, c0, n0)
    });
    assert!(
        fixed_rate > 0.05,
        "fixed, read daily: {:.1} % (expected well over 5 %)",
        fixed_rate * 100.0
    );
    println!(
        "A/A, read daily for {DAYS} days, {RUNS} runs: sequential {:.1} %, fixed {:.1} %",
        rate * 100.0,
        fixed_rate * 100.0
    );
}

#[test]
fn the_sequential_interval_finds_five_against_six_percent() {
    let sequential = plan(Method::Sequential);
    let (_, power) = simulate(2, RUNS, 0.05, 0.06, |c1, n1, c0, n0| {
        difference(&sequential, c1, n1, c0, n0)
    });
    assert!(
        power >= 0.75,
        "5 % against 6 %, 500 per arm per day, 30 days: found in {:.1} % of {RUNS} runs (at least 75 % expected)",
        power * 100.0
    );
    println!(
        "5 % against 6 %: the sequential interval finds it in {:.1} % of runs",
        power * 100.0
    );
}

#[test]
fn an_interval_twenty_percent_too_narrow_fails_the_a_a_bound() {
    let sequential = plan(Method::Sequential);
    let narrow = |c1, n1, c0, n0| {
        difference(&sequential, c1, n1, c0, n0).map(|d| {
            let half = (d.high - d.low) / 2.0 * 0.8;
            Diff {
                estimate: d.estimate,
                low: d.estimate - half,
                high: d.estimate + half,
            }
        })
    };
    let (rate, _) = simulate(3, RUNS, 0.05, 0.05, narrow);
    assert!(
        rate > 0.05,
        "an interval 20 % too narrow declared only {:.1} % of A/A runs a winner: the bound cannot fail",
        rate * 100.0
    );
    println!("A/A, an interval 20 % too narrow: {:.1} %", rate * 100.0);
}

#[test]
fn the_confidence_sequence_matches_its_formula() {
    // α = 0.05, N = 10,000, n = 1,000: ρ² = (2 ln 20 + ln(1 + 2 ln 20)) / 10,000.
    let l = 2.0 * 20f64.ln();
    let rho2 = (l + (1.0 + l).ln()) / 10_000.0;
    let expected = ((1.0 + 1.0 / (1_000.0 * rho2)) * ((1.0 + 1_000.0 * rho2).ln() + l)).sqrt();
    let got = sequential_factor(1_000.0, 10_000.0, 0.05);
    assert!((got - expected).abs() < 1e-12, "{got} against {expected}");
    // Wider than the fixed interval's 1.96 everywhere, tightest near the plan.
    for n in [100.0, 1_000.0, 10_000.0, 100_000.0] {
        assert!(sequential_factor(n, 10_000.0, 0.05) > 1.96);
    }
    // The worked example of the fixed interval.
    let d = difference(&plan(Method::Fixed), 30, 200, 20, 200).unwrap();
    let se = (0.15_f64 * 0.85 / 200.0 + 0.1 * 0.9 / 200.0).sqrt();
    assert!((d.estimate - 0.05).abs() < 1e-12);
    assert!((d.high - d.estimate - 1.959_964 * se).abs() < 1e-6);
    assert_eq!(difference(&plan(Method::Fixed), 1, 0, 1, 10), None);
}

#[test]
fn more_variants_split_the_error_rate() {
    assert_eq!(alpha(2), 0.05);
    assert!((alpha(4) - 0.05 / 3.0).abs() < 1e-15);
    assert_eq!(alpha(1), 0.05);
}

#[test]
fn a_split_far_from_its_weights_is_flagged_and_chance_is_not() {
    let p = srm_p(&[5_200, 4_800], &[50, 50]).unwrap();
    assert!(p < SRM_P, "5,200 / 4,800: p = {p}");
    assert!((p - 6.3e-5).abs() < 0.5e-5, "p = {p}");
    let p = srm_p(&[5_100, 4_900], &[50, 50]).unwrap();
    assert!(p >= SRM_P, "5,100 / 4,900: p = {p}");
    let p = srm_p(&[505, 495], &[50, 50]).unwrap();
    assert!(p >= SRM_P, "505 / 495: p = {p}");
    // Unequal weights are what the split is checked against.
    let p = srm_p(&[1_000, 9_000], &[10, 90]).unwrap();
    assert!(p > 0.5, "1,000 / 9,000 at 10/90: p = {p}");
    assert!(srm_p(&[5_000, 5_000], &[10, 90]).unwrap() < SRM_P);
    // Too few to tell.
    assert_eq!(srm_p(&[3, 1], &[50, 50]), None);
    assert_eq!(srm_p(&[0, 0], &[50, 50]), None);
}
