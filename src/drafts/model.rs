//! Drafts as stored in the session, and the rules of saving one: versions,
//! size and count limits, expiry. Pure functions over the record, so the HTML form
//! and the API share them and the session's atomic `update` runs them.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::forms::FormSpec;

/// A partly filled form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub fields: BTreeMap<String, String>,
    /// Starts at 1 and grows by one with every save.
    pub version: u64,
    pub updated_at: DateTime<Utc>,
}

pub use super::part::Drafts;

/// The limits of drafts (the `[drafts]` settings).
#[derive(Clone, Debug)]
pub struct DraftLimits {
    /// Most bytes of a draft's fields, serialised as JSON.
    pub max_bytes: usize,
    /// Most drafts per session.
    pub max_drafts: usize,
    /// A draft untouched this long is dropped.
    pub max_age: Duration,
}

/// Why a save was refused; the stored draft is unchanged in every case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveError {
    /// `version` was given and is not the stored one: here is the stored draft.
    Conflict(Option<Draft>),
    /// The fields are larger than `max_bytes`.
    TooLarge,
    /// The session already holds `max_drafts` other drafts.
    TooMany,
}

/// Saves `fields` as the draft of `form`, unless `version` is given and is not the
/// current one (a missing draft has version 0). A new draft numbers on from
/// `floor` (the version of the form's draft last sent), so a version names one
/// draft for the life of the session.
///
/// # Errors
/// [`SaveError`]; nothing is changed then.
pub fn save(
    drafts: &mut Drafts,
    form: &FormSpec,
    fields: &BTreeMap<String, String>,
    version: Option<u64>,
    limits: &DraftLimits,
    now: DateTime<Utc>,
    floor: u64,
) -> Result<Draft, SaveError> {
    let current = drafts.get(form.id).filter(|d| !is_expired(d, limits, now));
    let current_version = current.map_or(0, |d| d.version);
    if version.is_some_and(|v| v != current_version) {
        return Err(SaveError::Conflict(current.cloned()));
    }
    if serialized_len(fields) > limits.max_bytes {
        return Err(SaveError::TooLarge);
    }
    if current.is_none() && drafts.keys().filter(|k| *k != form.id).count() >= limits.max_drafts {
        return Err(SaveError::TooMany);
    }
    let draft = Draft {
        fields: fields.clone(),
        version: current_version.max(floor) + 1,
        updated_at: now,
    };
    drafts.insert(form.id.to_owned(), draft.clone());
    Ok(draft)
}

fn serialized_len(fields: &BTreeMap<String, String>) -> usize {
    serde_json::to_vec(fields).map_or(usize::MAX, |v| v.len())
}

/// Whether a draft is past its age.
pub fn is_expired(draft: &Draft, limits: &DraftLimits, now: DateTime<Utc>) -> bool {
    now - draft.updated_at > limits.max_age
}

/// Removes expired drafts; returns the ids of the forms whose draft was dropped.
pub fn drop_expired(drafts: &mut Drafts, limits: &DraftLimits, now: DateTime<Utc>) -> Vec<String> {
    let expired: Vec<String> = drafts
        .iter()
        .filter(|(_, d)| is_expired(d, limits, now))
        .map(|(k, _)| k.clone())
        .collect();
    for id in &expired {
        drafts.remove(id);
    }
    expired
}

/// The first words of a draft, for lists: the longest field's first `words` words.
pub fn excerpt(draft: &Draft, words: usize) -> String {
    let longest = draft
        .fields
        .values()
        .filter(|v| v != &"on")
        .max_by_key(|v| v.chars().count());
    let text: Vec<&str> = longest
        .map(|v| v.split_whitespace().collect())
        .unwrap_or_default();
    let mut out = text
        .iter()
        .take(words)
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    if text.len() > words {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::forms::{CONTACT, FEEDBACK};
    use super::*;

    fn limits() -> DraftLimits {
        DraftLimits {
            max_bytes: 100,
            max_drafts: 1,
            max_age: Duration::days(30),
        }
    }

    fn fields(message: &str) -> BTreeMap<String, String> {
        [("message".to_string(), message.to_string())]
            .into_iter()
            .collect()
    }

    #[test]
    fn versions_grow_and_a_stale_version_conflicts() {
        let mut drafts = Drafts::default();
        let now = Utc::now();
        let first = save(&mut drafts, &CONTACT, &fields("a"), None, &limits(), now, 0).unwrap();
        assert_eq!(first.version, 1);
        let second = save(
            &mut drafts,
            &CONTACT,
            &fields("b"),
            Some(1),
            &limits(),
            now,
            0,
        )
        .unwrap();
        assert_eq!(second.version, 2);
        let stale = save(
            &mut drafts,
            &CONTACT,
            &fields("c"),
            Some(1),
            &limits(),
            now,
            0,
        );
        assert_eq!(stale, Err(SaveError::Conflict(Some(second.clone()))));
        assert_eq!(drafts["contact"], second);
        // No version: the save wins.
        assert_eq!(
            save(&mut drafts, &CONTACT, &fields("d"), None, &limits(), now, 0)
                .unwrap()
                .version,
            3
        );
    }

    #[test]
    fn limits_refuse_and_change_nothing() {
        let mut drafts = Drafts::default();
        let now = Utc::now();
        save(
            &mut drafts,
            &CONTACT,
            &fields("small"),
            None,
            &limits(),
            now,
            0,
        )
        .unwrap();
        let before = drafts.clone();
        assert_eq!(
            save(
                &mut drafts,
                &CONTACT,
                &fields(&"x".repeat(200)),
                None,
                &limits(),
                now,
                0
            ),
            Err(SaveError::TooLarge)
        );
        assert_eq!(
            save(
                &mut drafts,
                &FEEDBACK,
                &fields("b"),
                None,
                &limits(),
                now,
                0
            ),
            Err(SaveError::TooMany)
        );
        assert_eq!(drafts, before);
    }

    #[test]
    fn old_drafts_expire() {
        let mut drafts = Drafts::default();
        let then = Utc::now() - Duration::days(31);
        save(
            &mut drafts,
            &CONTACT,
            &fields("old"),
            None,
            &limits(),
            then,
            0,
        )
        .unwrap();
        assert_eq!(
            drop_expired(&mut drafts, &limits(), Utc::now()),
            vec!["contact".to_string()]
        );
        assert!(drafts.is_empty());
    }

    #[test]
    fn excerpts_take_the_first_words_of_the_longest_field() {
        let draft = Draft {
            fields: fields("one two three four"),
            version: 1,
            updated_at: Utc::now(),
        };
        assert_eq!(excerpt(&draft, 3), "one two three…");
        assert_eq!(excerpt(&draft, 10), "one two three four");
    }
}
