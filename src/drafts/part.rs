//! Drafts' parts of the session record: the drafts, the ids of the forms the
//! session sent, and what it last sent of each form.

use std::collections::BTreeMap;
use std::ops::{Deref, DerefMut};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tailor_session::parts::{self, Part};

use super::model::Draft;
use crate::record::keep_id;

/// The drafts of one session, by form id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Drafts(pub BTreeMap<String, Draft>);

impl Deref for Drafts {
    type Target = BTreeMap<String, Draft>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl DerefMut for Drafts {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl Part for Drafts {
    const NAME: &'static str = "drafts";

    fn worth_keeping(&self) -> bool {
        !self.is_empty()
    }

    fn footprint(&self) -> usize {
        self.iter()
            .map(|(form, d)| {
                let fields: usize = d.fields.iter().map(|(k, v)| k.len() + v.len() + 48).sum();
                form.len() + fields + 96
            })
            .sum()
    }
}

/// Ids of the forms this session sent (newest last), so the export finds them for
/// a visitor without an account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Submissions(pub Vec<i64>);

impl Submissions {
    /// Remembers submission `id`.
    pub fn note(&mut self, id: i64) {
        keep_id(&mut self.0, id);
    }
}

impl Part for Submissions {
    const NAME: &'static str = "submissions";

    fn worth_keeping(&self) -> bool {
        !self.0.is_empty()
    }

    fn footprint(&self) -> usize {
        24 + self.0.capacity() * 8
    }
}

/// What this session last sent of each form, so that a second tab on the same
/// draft, or a post sent again (a reload, a double click), sends nothing twice.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sent(pub BTreeMap<String, SentForm>);

/// A form as it was last sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentForm {
    /// The version of the draft it was (0: no draft); the form's next draft
    /// numbers on from it.
    pub version: u64,
    /// A digest of its trimmed fields ([`digest`]).
    pub digest: u64,
    pub at: DateTime<Utc>,
}

/// How long the same words sent again count as the same submission.
const SAME_WORDS_FOR_SECS: i64 = 600;

impl Sent {
    /// Whether `form` was sent already as the draft of `version` or a later one
    /// (a tab of a draft that was sent; drafts number on after a sending), or
    /// with the same words `digest` in the last ten minutes.
    pub fn already(&self, form: &str, version: u64, digest: u64, now: DateTime<Utc>) -> bool {
        self.0.get(form).is_some_and(|sent| {
            (version > 0 && version <= sent.version)
                || (digest == sent.digest
                    && now - sent.at < chrono::Duration::seconds(SAME_WORDS_FOR_SECS))
        })
    }

    /// The version `form`'s next draft numbers on from.
    pub fn floor(&self, form: &str) -> u64 {
        self.0.get(form).map_or(0, |s| s.version)
    }
}

/// A digest of `fields` of `form`, the same in every process (a fixed-key SipHash).
pub fn digest(form: &str, fields: &BTreeMap<String, String>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = siphasher::sip::SipHasher13::new();
    form.hash(&mut hasher);
    for (name, value) in fields {
        name.hash(&mut hasher);
        value.trim().hash(&mut hasher);
    }
    hasher.finish()
}

impl Part for Sent {
    const NAME: &'static str = "sent";

    fn footprint(&self) -> usize {
        self.0.len() * 64
    }
}

/// Registers drafts' parts.
pub fn register() {
    parts::register::<Drafts>();
    parts::register::<Submissions>();
    parts::register::<Sent>();
}
