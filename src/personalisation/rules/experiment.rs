//! Reading an experiment: its slot, audience, goals and weighted variants.

use std::collections::BTreeSet;

use super::content::content;
use super::{
    known_segment, Experiment, ExperimentFile, ExperimentVariant, Goal, Rules, PAGE_SLOTS,
};

pub(super) fn experiment(rules: &Rules, value: toml::Value) -> Result<Experiment, String> {
    let file: ExperimentFile = value.try_into().map_err(|e| e.to_string())?;
    if !rules.slots.contains_key(&file.slot) && !PAGE_SLOTS.iter().any(|(s, _)| *s == file.slot) {
        return Err(format!("unknown slot {:?}", file.slot));
    }
    let audience_at = match &file.audience {
        Some(audience) => Some(known_segment(rules, audience)?),
        None => None,
    };
    let goals = file
        .goals
        .iter()
        .map(|g| match g.as_str() {
            "contact" => Ok(Goal::Contact),
            "checkout" => Ok(Goal::Checkout),
            other => Err(format!("unknown goal {other:?} (contact, checkout)")),
        })
        .collect::<Result<Vec<_>, _>>()?;
    if file.variants.len() < 2 {
        return Err("an experiment needs at least two variants".into());
    }
    let mut names = BTreeSet::new();
    let mut variants = Vec::new();
    for v in file.variants {
        if v.name == "default" {
            return Err(
                "a variant may not be named \"default\" (the name of the slot's own default)"
                    .into(),
            );
        }
        if !names.insert(v.name.clone()) {
            return Err(format!("two variants are named {:?}", v.name));
        }
        let weight = u32::try_from(v.weight)
            .ok()
            .filter(|w| *w > 0)
            .ok_or_else(|| format!("variant {:?}: weight must be a positive number", v.name))?;
        let content = content(v.content).map_err(|e| format!("variant {:?}: {e}", v.name))?;
        variants.push(ExperimentVariant {
            name: v.name,
            weight,
            content,
        });
    }
    if !names.contains("control") {
        return Err("an experiment needs a variant named \"control\"".into());
    }
    let title = match file.title {
        Some(value) => Some(super::Texts::title("title", value)?),
        None => None,
    };
    Ok(Experiment {
        title,
        slot: file.slot,
        audience: file.audience,
        audience_at,
        goals,
        variants,
    })
}

impl Experiment {
    /// The index of variant `name`.
    pub fn variant(&self, name: &str) -> Option<usize> {
        self.variants.iter().position(|v| v.name == name)
    }
}
