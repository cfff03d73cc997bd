//! Submitted forms, kept in a bounded list (oldest dropped first) that operators
//! read at `/admin/submissions`. They outlive the sessions that made them.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::Serialize;

/// One submitted form.
#[derive(Clone, Debug, Serialize)]
pub struct Submission {
    pub form: &'static str,
    pub fields: BTreeMap<String, String>,
    pub submitted_at: DateTime<Utc>,
}

/// The bounded list of submissions.
pub struct Submissions {
    kept: usize,
    list: Mutex<VecDeque<Submission>>,
}

impl Submissions {
    /// A list keeping the newest `kept` submissions.
    pub fn new(kept: usize) -> Self {
        Submissions {
            kept: kept.max(1),
            list: Mutex::new(VecDeque::new()),
        }
    }

    /// Records a submission, dropping the oldest beyond the bound.
    pub fn push(&self, submission: Submission) {
        let mut list = self.list.lock().unwrap_or_else(|p| p.into_inner());
        list.push_back(submission);
        while list.len() > self.kept {
            list.pop_front();
        }
    }

    /// The submissions, newest first.
    pub fn newest_first(&self) -> Vec<Submission> {
        let list = self.list.lock().unwrap_or_else(|p| p.into_inner());
        list.iter().rev().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_bounded_and_newest_first() {
        let subs = Submissions::new(2);
        for i in 0..3 {
            let fields = [("n".to_string(), i.to_string())].into_iter().collect();
            subs.push(Submission {
                form: "contact",
                fields,
                submitted_at: Utc::now(),
            });
        }
        let kept: Vec<String> = subs
            .newest_first()
            .iter()
            .map(|s| s.fields["n"].clone())
            .collect();
        assert_eq!(kept, ["2", "1"]);
    }
}
