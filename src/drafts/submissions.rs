//! Submitted forms, kept in a bounded journal (oldest dropped first) that operators
//! read at `/admin/submissions`. They outlive the sessions that made them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::backend::Journal;

/// One submitted form.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Submission {
    pub form: String,
    pub fields: BTreeMap<String, String>,
    pub submitted_at: DateTime<Utc>,
}

/// The submissions, newest first.
pub type Submissions = Journal<Submission>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Backend;

    #[rocket::async_test]
    async fn the_journal_is_bounded_and_newest_first() {
        let subs = Submissions::new(&Backend::Memory, "submissions", 2);
        for i in 0..3 {
            let fields = [("n".to_string(), i.to_string())].into_iter().collect();
            subs.push(Submission {
                form: "contact".into(),
                fields,
                submitted_at: Utc::now(),
            })
            .await
            .unwrap();
        }
        let kept: Vec<String> = subs
            .newest_first()
            .await
            .unwrap()
            .iter()
            .map(|s| s.fields["n"].clone())
            .collect();
        assert_eq!(kept, ["2", "1"]);
    }
}
