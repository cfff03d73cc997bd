//! What personalisation adds to the privacy page: "why am I seeing this", the
//! groups (segments) the visitor is in and why, in words.

use chrono::Utc;

use super::decide::Decision;
use super::facts::gather;
use crate::privacy::{PrivacyHook, Summary};
use crate::web::Page;

/// Personalisation's privacy hook.
pub struct Why;

#[rocket::async_trait]
impl PrivacyHook for Why {
    fn summarize(&self, page: &Page<'_>, summary: &mut Summary) {
        let Some(decision) = page.fact::<Decision>() else {
            return;
        };
        let data = page.data();
        let mut facts = gather(page.request(), data.as_deref(), page.facts());
        facts.language = Some(page.lang);
        let now = Utc::now();
        summary.groups = decision
            .complete(&facts, now)
            .explain(page.lang, &facts, now);
    }
}
