//! The checks of the rules file that look across items: segments that exist
//! and form no cycle, names that stand for one content each.

use std::collections::{BTreeMap, BTreeSet};

use super::{Experiment, Rules};

/// No variant of an experiment shares its name with a variant of the slot it
/// runs on: the API and the report name what a visitor sees by variant name, and
/// one name must not stand for two contents.
pub(super) fn distinct_from_slot(
    rules: &Rules,
    name: &str,
    experiment: &Experiment,
) -> Result<(), String> {
    let Some(slot) = rules.slots.get(&experiment.slot) else {
        return Ok(());
    };
    for v in &experiment.variants {
        if let Some(i) = slot.variants.iter().position(|s| s.name == v.name) {
            return Err(format!(
                "experiments.{name}: variant {:?} has the name of slots.\"{}\".variants[{i}] ({}); \
                 an experiment's variants and its slot's variants need distinct names",
                v.name, experiment.slot, v.name
            ));
        }
    }
    Ok(())
}

/// The index of segment `name`.
pub(super) fn known_segment(rules: &Rules, name: &str) -> Result<usize, String> {
    rules
        .segments
        .keys()
        .position(|k| k == name)
        .ok_or_else(|| format!("unknown segment {name:?}"))
}

/// Every segment a condition names exists, and no segment depends on itself.
pub(super) fn check_segments(rules: &Rules) -> Result<(), String> {
    let mut uses: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (name, segment) in &rules.segments {
        let mut named = Vec::new();
        segment.when.names(&mut named);
        for other in &named {
            known_segment(rules, other).map_err(|e| format!("segments.{name}.when: {e}"))?;
        }
        uses.insert(name, named);
    }
    // Depth-first search: a segment met again on the path is a cycle.
    fn visit<'a>(
        name: &'a str,
        uses: &'a BTreeMap<&str, Vec<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Result<(), String> {
        if done.contains(name) {
            return Ok(());
        }
        if let Some(at) = path.iter().position(|p| *p == name) {
            let cycle = path[at..].join(" → ");
            return Err(format!(
                "segments.{name}: a cycle of segments: {cycle} → {name}"
            ));
        }
        path.push(name);
        for next in uses.get(name).into_iter().flatten() {
            visit(next, uses, path, done)?;
        }
        path.pop();
        done.insert(name);
        Ok(())
    }
    let mut done = BTreeSet::new();
    for name in uses.keys() {
        visit(name, &uses, &mut Vec::new(), &mut done)?;
    }
    Ok(())
}

impl Rules {
    /// Checks every segment's conditions on the features' facts against what the
    /// features offer (`known`).
    ///
    /// # Errors
    /// The first unknown fact, or a test that does not suit its fact, naming the
    /// segment.
    pub fn check_facts(
        &self,
        known: &[crate::personalisation::condition::FactSpec],
    ) -> Result<(), String> {
        for (name, segment) in &self.segments {
            let at = format!("segments.{name}.when");
            segment
                .when
                .check_facts(known)
                .map_err(|e| format!("{at}: {e}"))?;
        }
        Ok(())
    }
}
