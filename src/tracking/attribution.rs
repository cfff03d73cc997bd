//! Attribution models: how a conversion is credited to a session's touches.
//! Every conversion is credited under every model when it happens; the shared
//! models' credit is kept in thousandths, so switching model in the report needs
//! no reprocessing.

use serde::Serialize;

/// How a conversion is credited to the session's touches: wholly to the first
/// or the last, in equal shares (`linear`), or 40 % first, 40 % last and 20 %
/// shared by those between (`position`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Model {
    FirstTouch,
    LastTouch,
    Linear,
    Position,
}

impl Model {
    /// The name used in the report, its CSV and the catalog.
    pub fn code(self) -> &'static str {
        match self {
            Model::FirstTouch => "first_touch",
            Model::LastTouch => "last_touch",
            Model::Linear => "linear",
            Model::Position => "position",
        }
    }

    /// The model `?model=` names (`first` and `last` accepted).
    pub fn parse(name: &str) -> Option<Model> {
        match name {
            "first_touch" | "first" => Some(Model::FirstTouch),
            "last_touch" | "last" => Some(Model::LastTouch),
            "linear" => Some(Model::Linear),
            "position" => Some(Model::Position),
            _ => None,
        }
    }

    /// Its conversions are shares, stored in thousandths (the others' are whole
    /// conversions, each credited to one touch).
    pub fn fractional(self) -> bool {
        matches!(self, Model::Linear | Model::Position)
    }

    /// A conversion count as the report shows it: whole, or with two decimals
    /// under a fractional model (`n` in thousandths).
    pub fn shown(self, n: u64) -> String {
        if self.fractional() {
            let hundredths = (n + 5) / 10;
            format!("{}.{:02}", hundredths / 100, hundredths % 100)
        } else {
            n.to_string()
        }
    }

    /// Each of `n` touches' share of a conversion, in thousandths (summing to
    /// 1000), for a fractional model.
    pub fn shares(self, n: usize) -> Vec<i64> {
        let split = |total: i64, parts: usize| -> Vec<i64> {
            let parts = parts.max(1) as i64;
            (0..parts)
                .map(|i| total / parts + i64::from(i < total % parts))
                .collect()
        };
        match (self, n) {
            (_, 0) => Vec::new(),
            (Model::Position, 1) => vec![1000],
            (Model::Position, 2) => vec![500, 500],
            (Model::Position, n) => {
                let mut shares = vec![400];
                shares.extend(split(200, n - 2));
                shares.push(400);
                shares
            }
            (_, n) => split(1000, n),
        }
    }
}

/// Every model, in the report's order.
pub const ALL_MODELS: [Model; 4] = [
    Model::FirstTouch,
    Model::LastTouch,
    Model::Linear,
    Model::Position,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_follow_each_model_and_sum_to_one_conversion() {
        assert_eq!(Model::Linear.shares(0), Vec::<i64>::new());
        assert_eq!(Model::Linear.shares(1), [1000]);
        assert_eq!(Model::Linear.shares(3), [334, 333, 333]);
        assert_eq!(Model::Position.shares(1), [1000]);
        assert_eq!(Model::Position.shares(2), [500, 500]);
        assert_eq!(Model::Position.shares(3), [400, 200, 400]);
        assert_eq!(Model::Position.shares(5), [400, 67, 67, 66, 400]);
        for n in 1..=40 {
            for model in [Model::Linear, Model::Position] {
                assert_eq!(model.shares(n).iter().sum::<i64>(), 1000, "{model:?} {n}");
            }
        }
    }

    #[test]
    fn names_and_their_short_forms() {
        assert_eq!(Model::parse("first"), Some(Model::FirstTouch));
        assert_eq!(Model::parse("last_touch"), Some(Model::LastTouch));
        assert_eq!(Model::parse("position"), Some(Model::Position));
        assert_eq!(Model::parse("Linear"), None);
        assert_eq!(Model::parse(""), None);
        assert_eq!(Model::Linear.shown(333), "0.33");
        assert_eq!(Model::Position.shown(2995), "3.00");
        assert_eq!(Model::FirstTouch.shown(3), "3");
        for m in ALL_MODELS {
            assert_eq!(Model::parse(m.code()), Some(m));
        }
    }
}
