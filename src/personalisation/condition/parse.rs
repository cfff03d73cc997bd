//! Reading a condition from the rules file: an inline table with one key.

use toml::Value;

use super::{AttributeMatch, Condition, FactTest, Glob, Range, TouchMatch};
use crate::i18n::Language;

/// Parses a condition: an inline table with exactly one key.
///
/// # Errors
/// What is wrong, in words.
pub fn parse(value: &Value) -> Result<Condition, String> {
    let table = value
        .as_table()
        .ok_or("a condition is a table with one key, like { visits = { min = 3 } }")?;
    let mut entries = table.iter();
    let (Some((key, value)), None) = (entries.next(), entries.next()) else {
        return Err(format!(
            "a condition has exactly one key (this one has {})",
            table.len()
        ));
    };
    let list = |value: &Value| -> Result<Vec<Condition>, String> {
        let array = value
            .as_array()
            .ok_or_else(|| format!("{key} takes a list of conditions"))?;
        array.iter().map(parse).collect()
    };
    Ok(match key.as_str() {
        "all" => Condition::All(list(value)?),
        "any" => Condition::Any(list(value)?),
        "not" => Condition::Not(Box::new(parse(value)?)),
        "segment" => Condition::Segment {
            name: string(key, value)?,
            at: usize::MAX,
        },
        "first_touch" => Condition::FirstTouch(touch(key, value)?),
        "last_touch" => Condition::LastTouch(touch(key, value)?),
        "visits" => Condition::Visits(range(key, value, &[])?),
        "sessions" => Condition::Sessions(range(key, value, &[])?),
        "visited" => {
            let table = value.as_table().ok_or("visited takes { path, min }")?;
            only(key, table, &["path", "min"])?;
            let path = table
                .get("path")
                .and_then(Value::as_str)
                .ok_or("visited needs a path (a string)")?;
            if !path.starts_with('/') {
                return Err(format!("visited.path must start with / (not {path:?})"));
            }
            let min = match table.get("min") {
                None => 1,
                Some(v) => count(key, "min", v)?,
            };
            Condition::Visited {
                path: Glob::new(path).map_err(|e| format!("visited.path {path:?}: {e}"))?,
                min,
            }
        }
        "referrer" => Condition::Referrer(
            strings(key, value)?
                .into_iter()
                .map(|origin| {
                    let lower = origin.to_ascii_lowercase();
                    if lower.starts_with("https://") || lower.starts_with("http://") {
                        Ok(lower.trim_end_matches('/').to_owned())
                    } else {
                        Err(format!(
                            "referrer {origin:?} is not an origin like https://example.com"
                        ))
                    }
                })
                .collect::<Result<_, _>>()?,
        ),
        "days_since_first_visit" => Condition::DaysSinceFirstVisit(range(key, value, &[])?),
        "language" => Condition::Language(
            strings(key, value)?
                .iter()
                .map(|code| {
                    Language::parse(code).ok_or_else(|| format!("unknown language {code:?}"))
                })
                .collect::<Result<_, _>>()?,
        ),
        "attribute" => Condition::Attribute(attribute(value)?),
        // A feature's fact: its name is checked once the features have said
        // what they offer (`Condition::check_facts`).
        other => Condition::Fact {
            name: other.to_owned(),
            test: fact_test(other, value)?,
        },
    })
}

/// The test of a feature's fact, by the value's shape.
fn fact_test(key: &str, value: &Value) -> Result<FactTest, String> {
    match value {
        Value::Boolean(wanted) => Ok(FactTest::Is(*wanted)),
        Value::Table(_) => Ok(FactTest::Within(range(key, value, &[])?)),
        Value::String(_) | Value::Array(_) => Ok(FactTest::OneOf(strings(key, value)?)),
        _ => Err(format!("unknown condition {key:?}")),
    }
}

/// `{ name, equals }` (a string or a list of strings) or `{ name, min, max }`
/// (numbers), and `from_browser`.
fn attribute(value: &Value) -> Result<AttributeMatch, String> {
    let key = "attribute";
    let table = value
        .as_table()
        .ok_or("attribute takes { name, equals } or { name, min, max }")?;
    only(
        key,
        table,
        &["name", "equals", "min", "max", "from_browser"],
    )?;
    let name = table
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty() && n.len() <= 64)
        .ok_or("attribute needs a name (a string of 1 to 64 characters)")?
        .to_owned();
    if name == "targetingKey" {
        return Err("attribute targetingKey is the visitor's id, not an attribute".into());
    }
    let number = |field: &str| {
        table
            .get(field)
            .map(|v| {
                v.as_float()
                    .or_else(|| v.as_integer().map(|i| i as f64))
                    .ok_or_else(|| format!("attribute.{field} is a number"))
            })
            .transpose()
    };
    let equals = table
        .get("equals")
        .map(|v| strings("attribute.equals", v))
        .transpose()?;
    let (min, max) = (number("min")?, number("max")?);
    match (&equals, min, max) {
        (None, None, None) => return Err("attribute needs equals, or min and/or max".into()),
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
            return Err("attribute takes equals or min/max, not both".into())
        }
        (None, Some(min), Some(max)) if min > max => {
            return Err(format!("attribute.min {min} is above max {max}"))
        }
        _ => {}
    }
    let from_browser = match table.get("from_browser") {
        None => false,
        Some(v) => v
            .as_bool()
            .ok_or("attribute.from_browser is true or false")?,
    };
    Ok(AttributeMatch {
        name,
        equals,
        min,
        max,
        from_browser,
    })
}

fn string(key: &str, value: &Value) -> Result<String, String> {
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("{key} takes a string"))
}

/// A string or a list of strings.
fn strings(key: &str, value: &Value) -> Result<Vec<String>, String> {
    match value {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(list) if !list.is_empty() => list.iter().map(|v| string(key, v)).collect(),
        _ => Err(format!("{key} takes a string or a list of strings")),
    }
}

fn only(key: &str, table: &toml::Table, allowed: &[&str]) -> Result<(), String> {
    match table.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(unknown) => Err(format!("unknown key {unknown:?} in {key}")),
        None => Ok(()),
    }
}

fn count(key: &str, field: &str, value: &Value) -> Result<u64, String> {
    value
        .as_integer()
        .and_then(|n| u64::try_from(n).ok())
        .ok_or_else(|| format!("{key}.{field} is a whole number, 0 or more"))
}

fn range(key: &str, value: &Value, _extra: &[&str]) -> Result<Range, String> {
    let table = value
        .as_table()
        .ok_or_else(|| format!("{key} takes {{ min, max }}"))?;
    only(key, table, &["min", "max"])?;
    let bound = |field: &str| table.get(field).map(|v| count(key, field, v)).transpose();
    let range = Range {
        min: bound("min")?,
        max: bound("max")?,
    };
    if let (Some(min), Some(max)) = (range.min, range.max) {
        if min > max {
            return Err(format!("{key}: min {min} is above max {max}"));
        }
    }
    Ok(range)
}

fn touch(key: &str, value: &Value) -> Result<TouchMatch, String> {
    let table = value
        .as_table()
        .ok_or_else(|| format!("{key} takes {{ source, medium, campaign }}"))?;
    only(key, table, &["source", "medium", "campaign"])?;
    let field = |name: &str| -> Result<Option<Vec<String>>, String> {
        table
            .get(name)
            .map(|v| {
                strings(&format!("{key}.{name}"), v)
                    .map(|list| list.into_iter().map(|s| s.to_lowercase()).collect())
            })
            .transpose()
    };
    let matched = TouchMatch {
        source: field("source")?,
        medium: field("medium")?,
        campaign: field("campaign")?,
    };
    if matched == TouchMatch::default() {
        return Err(format!(
            "{key} needs at least one of source, medium, campaign"
        ));
    }
    Ok(matched)
}
