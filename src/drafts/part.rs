//! Drafts' parts of the session record: the drafts, and the ids of the forms the
//! session sent.

use std::collections::BTreeMap;
use std::ops::{Deref, DerefMut};

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

/// Registers drafts' parts.
pub fn register() {
    parts::register::<Drafts>();
    parts::register::<Submissions>();
}
