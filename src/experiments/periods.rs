//! An experiment's figures by period: each version's splits of the weights
//! (epochs). The report's intervals and split check use the current period
//! only (the rules' version and split): mixing splits biases the difference and
//! raises false alarms. Earlier periods keep their figures, shown under it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::data::epochs::EpochRow;
use crate::data::experiments::ExperimentRow;
use crate::personalisation::rules::Experiment;

/// One version's split, and its counters.
#[derive(Debug)]
pub struct Period<'r> {
    pub version: i64,
    pub rows: Vec<&'r ExperimentRow>,
    /// The split as noted (`control 50, bold 50`), if it was.
    pub weights: Option<String>,
    /// When the split was first in force, if noted.
    pub since: Option<DateTime<Utc>>,
}

/// Experiment `name`'s periods: the current one, then the earlier ones, latest
/// first. Counters from before epochs were kept (epoch 0) belong to their
/// version's first noted split, else (the current version) to the current one.
pub fn periods<'r>(
    name: &str,
    rows: &[&'r ExperimentRow],
    epochs: &[EpochRow],
    defined: Option<&Experiment>,
) -> (Period<'r>, Vec<Period<'r>>) {
    let noted: Vec<&EpochRow> = epochs.iter().filter(|e| e.experiment == name).collect();
    let current = defined.map(|e| (i64::from(e.version), i64::from(e.epoch)));
    let first_of = |version: i64| {
        noted
            .iter()
            .filter(|e| e.version == version)
            .min_by_key(|e| e.first_at())
            .map(|e| e.epoch)
    };
    let mut by_key: BTreeMap<(i64, i64), Vec<&'r ExperimentRow>> = BTreeMap::new();
    for &row in rows {
        let epoch = match row.epoch {
            0 => first_of(row.version)
                .or(current.filter(|c| c.0 == row.version).map(|c| c.1))
                .unwrap_or(0),
            e => e,
        };
        by_key.entry((row.version, epoch)).or_default().push(row);
    }
    let since = |key: (i64, i64)| {
        noted
            .iter()
            .find(|e| (e.version, e.epoch) == key)
            .map(|e| e.first_at())
    };
    // Gone from the file: its latest version's latest period is the current one.
    let latest = by_key
        .keys()
        .copied()
        .max_by_key(|k| (k.0, since(*k)))
        .unwrap_or((1, 0));
    let current = current.unwrap_or(latest);
    let period = |key: (i64, i64), rows: Vec<&'r ExperimentRow>| Period {
        version: key.0,
        rows,
        weights: noted
            .iter()
            .find(|e| (e.version, e.epoch) == key)
            .map(|e| e.weights.clone()),
        since: since(key),
    };
    let now = period(current, by_key.remove(&current).unwrap_or_default());
    let mut earlier: Vec<Period<'r>> = by_key
        .into_iter()
        .map(|(key, rows)| period(key, rows))
        .collect();
    earlier.sort_by_key(|p| std::cmp::Reverse((p.version, p.since)));
    (now, earlier)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(version: i64, epoch: i64, variant: &str, participants: i64) -> ExperimentRow {
        ExperimentRow {
            experiment: "e".into(),
            version,
            epoch,
            variant: variant.into(),
            participants,
            ..ExperimentRow::default()
        }
    }

    fn at(day: u32) -> DateTime<Utc> {
        chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 12, day, 0, 0, 0).unwrap()
    }

    #[test]
    fn each_split_is_its_own_period_and_old_counters_join_the_first_split() {
        let rows = [
            row(1, 0, "control", 5),
            row(1, 11, "control", 7),
            row(1, 22, "control", 9),
            row(2, 33, "control", 1),
        ];
        let refs: Vec<&ExperimentRow> = rows.iter().collect();
        let epochs = [
            EpochRow::new("e", 1, 11, "control 50, bold 50".into(), at(1)),
            EpochRow::new("e", 1, 22, "control 10, bold 90".into(), at(3)),
            EpochRow::new("e", 2, 33, "control 50, bold 50".into(), at(5)),
        ];
        // No rules: the latest version's latest split is current.
        let (now, earlier) = periods("e", &refs, &epochs, None);
        let epoch = |p: &Period<'_>| p.rows.iter().map(|r| r.epoch).max();
        assert_eq!((now.version, epoch(&now), now.rows.len()), (2, Some(33), 1));
        let keys: Vec<_> = earlier
            .iter()
            .map(|p| (p.version, epoch(p), p.rows.len()))
            .collect();
        assert_eq!(
            keys,
            [(1, Some(22), 1), (1, Some(11), 2)],
            "latest first; epoch 0 joins 11"
        );
        assert_eq!(earlier[0].since, Some(at(3)));
        assert_eq!(earlier[0].weights.as_deref(), Some("control 10, bold 90"));
        // Nothing noted: old counters are the current version's current split.
        let old = [row(1, 0, "control", 5)];
        let refs: Vec<&ExperimentRow> = old.iter().collect();
        let (now, earlier) = periods("e", &refs, &[], None);
        assert_eq!((now.version, now.rows.len()), (1, 1));
        assert!(earlier.is_empty());
    }
}
