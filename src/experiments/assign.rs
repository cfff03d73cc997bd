//! Drawing a variant: by weight, from the participant number, so the draw is
//! random across visitors (the number is random) and the same for a visitor
//! every time it is made.

use crate::personalisation::rules::Experiment;

/// The index of the variant participant `participant` of experiment `name`
/// draws, by the variants' weights.
pub fn draw(experiment: &Experiment, name: &str, participant: i64) -> usize {
    let total: u64 = experiment
        .variants
        .iter()
        .map(|v| u64::from(v.weight))
        .sum();
    let mut point = mix(name, participant) % total.max(1);
    for (i, variant) in experiment.variants.iter().enumerate() {
        let weight = u64::from(variant.weight);
        if point < weight {
            return i;
        }
        point -= weight;
    }
    0
}

/// A well-spread 64-bit value of the experiment's name and the participant
/// (FNV-1a of the name, then SplitMix64's finaliser).
fn mix(name: &str, participant: i64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut z = h ^ participant as u64;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::personalisation::rules::{Content, ExperimentVariant};

    fn experiment(weights: &[u32]) -> Experiment {
        Experiment {
            title: None,
            slot: "home.hero".into(),
            flag: None,
            audience: None,
            audience_at: None,
            goals: Vec::new(),
            variants: weights
                .iter()
                .enumerate()
                .map(|(i, w)| ExperimentVariant {
                    name: if i == 0 {
                        "control".into()
                    } else {
                        format!("v{i}")
                    },
                    weight: *w,
                    content: Content::default(),
                    value: None,
                })
                .collect(),
            method: Default::default(),
            planned_participants: 10_000,
            status: Default::default(),
            version: 1,
            epoch: 1,
        }
    }

    #[test]
    fn weights_hold_within_three_percent_over_100000_draws() {
        for weights in [&[50, 50][..], &[50, 30, 20], &[1, 9], &[70, 10, 10, 10]] {
            let e = experiment(weights);
            let mut seen = vec![0u32; weights.len()];
            for _ in 0..100_000 {
                seen[draw(&e, "hero-copy", rand::random())] += 1;
            }
            let total: u32 = weights.iter().sum();
            for (i, w) in weights.iter().enumerate() {
                let expected = 100_000.0 * f64::from(*w) / f64::from(total);
                let off = (f64::from(seen[i]) - expected).abs() / expected;
                assert!(
                    off <= 0.03,
                    "{weights:?}: variant {i} drawn {} times, expected {expected}",
                    seen[i]
                );
            }
        }
    }

    #[test]
    fn a_visitor_draws_the_same_variant_every_time() {
        let e = experiment(&[34, 33, 33]);
        for _ in 0..1000 {
            let participant = rand::random();
            let first = draw(&e, "hero-copy", participant);
            assert!((0..10).all(|_| draw(&e, "hero-copy", participant) == first));
        }
    }

    #[test]
    fn experiments_draw_independently() {
        // The same participant in two experiments is not always in the same arm.
        let e = experiment(&[50, 50]);
        let differ = (0..1000)
            .filter(|_| {
                let p = rand::random();
                draw(&e, "a", p) != draw(&e, "b", p)
            })
            .count();
        assert!((400..600).contains(&differ), "{differ}");
    }
}
