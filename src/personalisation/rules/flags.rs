//! Reading the sections the operator's own site asks about: `[flags.<name>]` (a
//! typed default and per-segment rules) and `[goals.<name>]` (conversions it
//! reports).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::{known_segment, Rules, Texts};

/// A flag's type: its default's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagKind {
    Boolean,
    String,
    Number,
    Object,
}

impl FlagKind {
    fn of(value: &Value) -> Option<FlagKind> {
        match value {
            Value::Bool(_) => Some(FlagKind::Boolean),
            Value::String(_) => Some(FlagKind::String),
            Value::Number(_) => Some(FlagKind::Number),
            Value::Object(_) => Some(FlagKind::Object),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            FlagKind::Boolean => "a boolean",
            FlagKind::String => "a string",
            FlagKind::Number => "a number",
            FlagKind::Object => "a table",
        }
    }
}

/// A rule of a flag: its value for a segment's visitors.
#[derive(Clone, Debug, PartialEq)]
pub struct FlagRule {
    /// The variant name an evaluation reports (the rule's `name`, else its
    /// segment's).
    pub name: String,
    pub segment: String,
    /// The segment's index.
    pub at: usize,
    pub value: Value,
}

/// A flag of the operator's site.
#[derive(Clone, Debug, PartialEq)]
pub struct Flag {
    pub kind: FlagKind,
    pub default: Value,
    /// The first whose segment holds gives the value.
    pub rules: Vec<FlagRule>,
}

/// A conversion the operator's site reports.
#[derive(Clone, Debug, PartialEq)]
pub struct GoalDef {
    pub title: Option<Texts>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FlagFile {
    default: toml::Value,
    #[serde(default)]
    rules: Vec<RuleFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    name: Option<String>,
    segment: String,
    value: toml::Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GoalFile {
    title: Option<toml::Value>,
}

/// A name the operator's site asks for: letters, digits, `-` and `_` (no `.`,
/// which the built-in keys `segment.<name>` and the like use).
pub(super) fn plain_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{name:?}: a name is 1 to 64 letters, digits, - and _ (no dot)"
        ))
    }
}

/// A value of the file as JSON, checked to be of `kind`.
pub(super) fn typed(value: toml::Value, kind: FlagKind) -> Result<Value, String> {
    let json = serde_json::to_value(value).map_err(|e| e.to_string())?;
    match FlagKind::of(&json) {
        Some(k) if k == kind => Ok(json),
        _ => Err(format!(
            "the value must be {}, as the default is",
            kind.name()
        )),
    }
}

pub(super) fn flag(rules: &Rules, value: toml::Value) -> Result<Flag, String> {
    let file: FlagFile = value.try_into().map_err(|e| e.to_string())?;
    let default = serde_json::to_value(file.default).map_err(|e| e.to_string())?;
    let kind = FlagKind::of(&default)
        .ok_or("default is a boolean, a string, a number or a table (not a list or a date)")?;
    let mut out = Vec::new();
    for (i, rule) in file.rules.into_iter().enumerate() {
        let at = known_segment(rules, &rule.segment).map_err(|e| format!("rules[{i}]: {e}"))?;
        let name = rule.name.unwrap_or_else(|| rule.segment.clone());
        if name == "default" || out.iter().any(|r: &FlagRule| r.name == name) {
            return Err(format!("rules[{i}]: the name {name:?} is taken"));
        }
        let value = typed(rule.value, kind).map_err(|e| format!("rules[{i}]: {e}"))?;
        out.push(FlagRule {
            name,
            segment: rule.segment,
            at,
            value,
        });
    }
    Ok(Flag {
        kind,
        default,
        rules: out,
    })
}

impl Rules {
    /// What goal `code` is called in `lang`: tailor's own two from the catalog,
    /// the operator's by their title in the rules file (else their name).
    pub fn goal_label(&self, code: &str, lang: crate::i18n::Language) -> String {
        match code {
            "contact" | "checkout" => lang.text(&format!("admin.experiments.{code}")).to_owned(),
            other => self
                .goals
                .get(other)
                .and_then(|g| g.title.as_ref())
                .map_or_else(|| other.to_owned(), |t| t.get(lang).to_string()),
        }
    }
}

pub(super) fn goal(name: &str, value: toml::Value) -> Result<GoalDef, String> {
    if ["contact", "checkout"].contains(&name) {
        return Err("contact and checkout are built in".into());
    }
    plain_name(name)?;
    let file: GoalFile = value.try_into().map_err(|e| e.to_string())?;
    let title = file.title.map(|t| Texts::title("title", t)).transpose()?;
    Ok(GoalDef { title })
}

/// The flags and goals of `file`'s sections into `rules`.
///
/// # Errors
/// The first problem, naming the item.
pub(super) fn read(
    rules: &mut Rules,
    flags: BTreeMap<String, toml::Value>,
    goals: BTreeMap<String, toml::Value>,
) -> Result<(), String> {
    for (name, value) in flags {
        let at = format!("flags.{name}");
        plain_name(&name).map_err(|e| format!("{at}: {e}"))?;
        let flag = flag(rules, value).map_err(|e| format!("{at}: {e}"))?;
        rules.flags.insert(name, flag);
    }
    for (name, value) in goals {
        let goal = goal(&name, value).map_err(|e| format!("goals.{name}: {e}"))?;
        rules.goals.insert(name, goal);
    }
    Ok(())
}
