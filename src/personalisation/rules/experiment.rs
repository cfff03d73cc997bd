//! Reading an experiment: its slot, audience, goals and weighted variants.

use std::collections::BTreeSet;

use serde::Deserialize;

use super::content::content;
use super::{
    known_segment, ContentFile, Experiment, ExperimentVariant, Goal, Method, Rules, Status,
    PAGE_SLOTS,
};

/// Participants an experiment is planned for when the file does not say.
pub const PLANNED_PARTICIPANTS: u64 = 10_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExperimentFile {
    title: Option<toml::Value>,
    slot: Option<String>,
    flag: Option<String>,
    audience: Option<String>,
    #[serde(default)]
    goals: Vec<String>,
    variants: Vec<ExperimentVariantFile>,
    method: Option<String>,
    planned_participants: Option<i64>,
    status: Option<String>,
    winner: Option<String>,
    version: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExperimentVariantFile {
    name: String,
    weight: i64,
    value: Option<toml::Value>,
    #[serde(flatten)]
    content: ContentFile,
}

fn method(file: &ExperimentFile) -> Result<Method, String> {
    match file.method.as_deref() {
        None | Some("sequential") => Ok(Method::Sequential),
        Some("fixed") => Ok(Method::Fixed),
        Some(other) => Err(format!(
            "method {other:?}: \"sequential\" (the default) or \"fixed\""
        )),
    }
}

/// The experiment's status; `variants` are its variants' names in order.
fn status(
    (status, winner): (Option<String>, Option<String>),
    variants: &[String],
) -> Result<Status, String> {
    let status = match (status.as_deref(), &winner) {
        (None | Some("running"), None) => Status::Running,
        (Some("paused"), None) => Status::Paused,
        (Some("stopped"), Some(winner)) => Status::Stopped {
            winner: variants
                .iter()
                .position(|v| v == winner)
                .ok_or_else(|| format!("winner {winner:?} is not one of its variants"))?,
        },
        (Some("stopped"), None) => {
            return Err("a stopped experiment names its winner (winner = \"<variant>\")".into())
        }
        (None | Some("running" | "paused"), Some(_)) => {
            return Err("winner is for a stopped experiment (status = \"stopped\")".into())
        }
        (Some(other), _) => {
            return Err(format!(
                "status {other:?}: \"running\" (the default), \"paused\" or \"stopped\""
            ))
        }
    };
    Ok(status)
}

fn planned(file: &ExperimentFile) -> Result<u64, String> {
    match file.planned_participants {
        None => Ok(PLANNED_PARTICIPANTS),
        Some(n) => u64::try_from(n)
            .ok()
            .filter(|n| (100..=1_000_000_000).contains(n))
            .ok_or_else(|| "planned_participants must be between 100 and 1000000000".into()),
    }
}

pub(super) fn experiment(rules: &Rules, value: toml::Value) -> Result<Experiment, String> {
    let mut file: ExperimentFile = value.try_into().map_err(|e| e.to_string())?;
    let wanted = (file.status.take(), file.winner.take());
    let (method, planned_participants) = (method(&file)?, planned(&file)?);
    let version = match file.version {
        None => 1,
        Some(v) => u32::try_from(v)
            .ok()
            .filter(|v| (1..=1_000_000).contains(v))
            .ok_or("version must be a whole number from 1 to 1000000")?,
    };
    let flag = match (&file.slot, &file.flag) {
        (Some(slot), None) => {
            if !rules.slots.contains_key(slot) && !PAGE_SLOTS.iter().any(|(s, _)| s == slot) {
                return Err(format!("unknown slot {slot:?}"));
            }
            None
        }
        (None, Some(flag)) => Some(
            rules
                .flags
                .get(flag)
                .ok_or_else(|| format!("unknown flag {flag:?}"))?,
        ),
        _ => return Err("an experiment runs on one slot or one flag".into()),
    };
    let audience_at = match &file.audience {
        Some(audience) => Some(known_segment(rules, audience)?),
        None => None,
    };
    let goals = file
        .goals
        .iter()
        .map(|g| {
            Goal::named(g, rules).ok_or_else(|| {
                format!("unknown goal {g:?} (contact, checkout, or a [goals.*] section)")
            })
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
        let control = v.name == "control";
        let value = match (flag, v.value) {
            (Some(_), None) if control => None,
            (Some(_), Some(_)) if control => {
                return Err(
                    "variant \"control\" is the flag without the experiment: no value".into(),
                )
            }
            (Some(flag), Some(value)) => Some(
                super::flags::typed(value, flag.kind)
                    .map_err(|e| format!("variant {:?}: {e}", v.name))?,
            ),
            (Some(_), None) => return Err(format!("variant {:?} needs a value", v.name)),
            (None, Some(_)) => {
                return Err(format!(
                    "variant {:?}: a value is for an experiment on a flag",
                    v.name
                ))
            }
            (None, None) => None,
        };
        variants.push(ExperimentVariant {
            name: v.name,
            weight,
            content,
            value,
        });
    }
    if !names.contains("control") {
        return Err("an experiment needs a variant named \"control\"".into());
    }
    let order: Vec<String> = variants.iter().map(|v| v.name.clone()).collect();
    let status = status(wanted, &order)?;
    let title = match file.title {
        Some(value) => Some(super::Texts::title("title", value)?),
        None => None,
    };
    Ok(Experiment {
        title,
        slot: file.slot.unwrap_or_default(),
        flag: file.flag,
        audience: file.audience,
        audience_at,
        goals,
        variants,
        method,
        planned_participants,
        status,
        version,
        epoch: 0,
    }
    .with_epoch())
}

impl Experiment {
    /// The split of the weights, as the report shows it: `control 50, bold 50`.
    pub fn split(&self) -> String {
        let parts: Vec<String> = self
            .variants
            .iter()
            .map(|v| format!("{} {}", v.name, v.weight))
            .collect();
        parts.join(", ")
    }

    /// This experiment with its epoch: FNV-1a (32 bits) of its split, never 0.
    fn with_epoch(mut self) -> Self {
        let mut h: u32 = 0x811c_9dc5;
        for b in self.split().bytes() {
            h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
        }
        self.epoch = h.max(1);
        self
    }

    /// Whether visitors are assigned and counted.
    pub fn running(&self) -> bool {
        self.status == Status::Running
    }

    /// What everybody sees instead of their variant: `control` while paused, the
    /// winner once stopped; `None` while running.
    pub fn for_everybody(&self) -> Option<&ExperimentVariant> {
        match self.status {
            Status::Running => None,
            Status::Paused => self.variants.iter().find(|v| v.name == "control"),
            Status::Stopped { winner } => self.variants.get(winner),
        }
    }

    /// The index of variant `name`.
    pub fn variant(&self, name: &str) -> Option<usize> {
        self.variants.iter().position(|v| v.name == name)
    }
}
