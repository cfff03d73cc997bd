//! Visits and campaign touches as stored in the session, and the pure rules that
//! make them: bounded history, first/last/recent touches, UTM cleaning, referrer
//! origins, and day grouping for the history page.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use compact_str::CompactString;
use serde::{Deserialize, Serialize};

/// Most characters kept of one UTM value, of a path and of a referrer origin.
pub const MAX_UTM_CHARS: usize = 100;
pub const MAX_PATH_CHARS: usize = 200;
const MAX_ORIGIN_CHARS: usize = 200;

/// The UTM parameters, in display order.
pub const UTM_KEYS: [&str; 6] = [
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "utm_id",
];

/// One page view. Stored as `{path, at, referrer}` in JSON, as a triple in the
/// binary record form (see `part.rs`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visit {
    /// Inline up to 24 bytes, which is nearly every path: no allocation.
    pub path: CompactString,
    pub at: DateTime<Utc>,
    /// The origin (`https://example.com`) of the referring page, if any.
    pub referrer: Option<Box<str>>,
}

/// A landing from a campaign link.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Touch {
    pub source: Option<String>,
    pub medium: Option<String>,
    pub campaign: Option<String>,
    pub term: Option<String>,
    pub content: Option<String>,
    pub id: Option<String>,
    pub landing_path: String,
    pub referrer: Option<String>,
    pub at: DateTime<Utc>,
}

/// The campaign part of a session.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Campaigns {
    /// Kept for the life of the session. (Boxed, like `last_touch`: most sessions
    /// have none, and an empty box costs 8 bytes where a touch costs 200.)
    pub first_touch: Option<Box<Touch>>,
    /// Replaced by every new touch.
    pub last_touch: Option<Box<Touch>>,
    /// The most recent touches, oldest first, bounded.
    pub touches: Vec<Touch>,
}

impl Campaigns {
    /// Records a touch; returns what changed for the operators' counters.
    pub fn record(&mut self, touch: Touch, keep: usize) -> TouchChange {
        let same = |a: &Option<String>, b: &Option<String>| match (a, b) {
            (Some(a), Some(b)) => a.to_lowercase() == b.to_lowercase(),
            (None, None) => true,
            _ => false,
        };
        let earlier = self.credited();
        let new_values = [
            !earlier.iter().any(|t| same(&t.campaign, &touch.campaign)),
            !earlier.iter().any(|t| same(&t.source, &touch.source)),
            !earlier.iter().any(|t| same(&t.medium, &touch.medium)),
        ];
        let first = self.first_touch.is_none();
        if first {
            self.first_touch = Some(Box::new(touch.clone()));
        }
        let previous_last = self.last_touch.replace(Box::new(touch.clone())).map(|t| *t);
        self.touches.push(touch);
        let excess = self.touches.len().saturating_sub(keep.max(1));
        self.touches.drain(..excess);
        TouchChange {
            first,
            previous_last,
            new_values,
        }
    }

    /// The touches a conversion is credited to: the first touch, then the
    /// recent ones in time order, each touch once.
    pub fn credited(&self) -> Vec<&Touch> {
        let mut out: Vec<&Touch> = self.first_touch.as_deref().into_iter().collect();
        for touch in &self.touches {
            if !out.contains(&touch) {
                out.push(touch);
            }
        }
        out
    }
}

/// What recording a touch changed: whether it was the session's first, the last
/// touch it replaced, and which of its values the session had no touch of.
pub struct TouchChange {
    pub first: bool,
    pub previous_last: Option<Touch>,
    /// Whether the touch's campaign, source and medium (in that order) are new
    /// to the session's recorded touches.
    pub new_values: [bool; 3],
}

/// Appends a visit, keeping the newest `keep`.
pub fn push_visit(visits: &mut Vec<Visit>, visit: Visit, keep: usize) {
    // A first visit gets room for itself only (most sessions never get a second);
    // later ones grow the list by doubling.
    visits.reserve_exact(usize::from(visits.capacity() == 0));
    visits.push(visit);
    let excess = visits.len().saturating_sub(keep);
    visits.drain(..excess);
}

/// A UTM value as stored: trimmed, control characters removed, capped; `None` if empty.
pub fn clean(value: &str) -> Option<String> {
    let text: String = value
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>();
    let text: String = text.trim().chars().take(MAX_UTM_CHARS).collect();
    let text = text.trim_end().to_owned();
    (!text.is_empty()).then_some(text)
}

/// The touch a landing makes, from its decoded query pairs: the first non-empty
/// value of each UTM key. `None` when no UTM key has a value.
pub fn touch_from_query<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    landing_path: &str,
    referrer: Option<String>,
    at: DateTime<Utc>,
) -> Option<Touch> {
    let mut values: BTreeMap<&str, String> = BTreeMap::new();
    for (key, value) in pairs {
        if let Some(key) = UTM_KEYS.iter().find(|k| k.eq_ignore_ascii_case(key)) {
            if !values.contains_key(key) {
                if let Some(v) = clean(value) {
                    values.insert(key, v);
                }
            }
        }
    }
    if values.is_empty() {
        return None;
    }
    let mut take = |key| values.remove(key);
    Some(Touch {
        source: take("utm_source"),
        medium: take("utm_medium"),
        campaign: take("utm_campaign"),
        term: take("utm_term"),
        content: take("utm_content"),
        id: take("utm_id"),
        landing_path: cap(landing_path, MAX_PATH_CHARS),
        referrer,
        at,
    })
}

/// A string cut to `max` characters.
pub fn cap(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// The origin of a `Referer` header (`https://host[:port]`); `None` for anything
/// that is not an http(s) URL.
pub fn referrer_origin(header: &str) -> Option<String> {
    let header = header.trim();
    let (scheme, rest) = header.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let ok = !host.is_empty()
        && host.len() <= MAX_ORIGIN_CHARS
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c));
    ok.then(|| {
        format!(
            "{}://{}",
            scheme.to_ascii_lowercase(),
            host.to_ascii_lowercase()
        )
    })
}

/// The most visited paths, most first (ties by path), at most `n`.
pub fn top_paths(visits: &[Visit], n: usize) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for v in visits {
        *counts.entry(&v.path).or_default() += 1;
    }
    let mut list: Vec<(String, usize)> =
        counts.into_iter().map(|(p, c)| (p.to_owned(), c)).collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list.truncate(n);
    list
}

/// The newest distinct paths, newest first, at most `n`, leaving out `skip`.
pub fn recent_paths<'v>(visits: &'v [Visit], n: usize, skip: &[&str]) -> Vec<&'v str> {
    let mut out: Vec<&str> = Vec::with_capacity(n.min(visits.len()));
    let mut previous = None;
    for v in visits.iter().rev() {
        let path = v.path.as_str();
        // A run of views of one page (reloads, say) is decided once.
        if previous == Some(path) {
            continue;
        }
        previous = Some(path);
        if !skip.contains(&path) && !out.contains(&path) {
            out.push(path);
            if out.len() == n {
                break;
            }
        }
    }
    out
}

/// Visits grouped by local day, newest day first, newest visit first within a day.
pub fn by_day(visits: &[Visit], zone: chrono_tz::Tz) -> Vec<(NaiveDate, Vec<&Visit>)> {
    let mut days: Vec<(NaiveDate, Vec<&Visit>)> = Vec::new();
    for v in visits.iter().rev() {
        let day = v.at.with_timezone(&zone).date_naive();
        match days.last_mut() {
            Some((d, list)) if *d == day => list.push(v),
            _ => days.push((day, vec![v])),
        }
    }
    days
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(campaign: &str) -> Touch {
        Touch {
            campaign: Some(campaign.into()),
            landing_path: "/".into(),
            at: Utc::now(),
            ..Touch::default()
        }
    }

    #[test]
    fn first_touch_stays_last_is_replaced_recent_are_bounded() {
        let mut c = Campaigns::default();
        assert!(c.record(touch("a"), 2).first);
        let change = c.record(touch("b"), 2);
        assert!(!change.first);
        assert_eq!(change.previous_last.unwrap().campaign.as_deref(), Some("a"));
        c.record(touch("c"), 2);
        assert_eq!(c.first_touch.unwrap().campaign.as_deref(), Some("a"));
        assert_eq!(c.last_touch.unwrap().campaign.as_deref(), Some("c"));
        let recent: Vec<_> = c
            .touches
            .iter()
            .map(|t| t.campaign.clone().unwrap())
            .collect();
        assert_eq!(recent, ["b", "c"]);
    }

    #[test]
    fn utm_values_are_trimmed_capped_and_the_first_non_empty_wins() {
        let long = "x".repeat(10 * 1024);
        let pairs = [
            ("utm_source", "  "),
            ("utm_source", " news\u{7}letter "),
            ("utm_source", "later"),
            ("UTM_Campaign", long.as_str()),
            ("utm_medium", ""),
            ("other", "1"),
        ];
        let t = touch_from_query(pairs, "/", None, Utc::now()).unwrap();
        assert_eq!(t.source.as_deref(), Some("newsletter"));
        assert_eq!(t.campaign.unwrap().chars().count(), MAX_UTM_CHARS);
        assert_eq!(t.medium, None);
        assert!(
            touch_from_query([("utm_source", " "), ("q", "x")], "/", None, Utc::now()).is_none()
        );
    }

    #[test]
    fn referrers_reduce_to_their_origin() {
        assert_eq!(
            referrer_origin("https://News.Example.com/a/b?q=1#x").as_deref(),
            Some("https://news.example.com")
        );
        assert_eq!(
            referrer_origin("http://user:pw@host:8080/p").as_deref(),
            Some("http://host:8080")
        );
        for bad in [
            "",
            "javascript:alert(1)",
            "https://",
            "ftp://x.y/",
            "https://<script>/",
            "/relative",
        ] {
            assert_eq!(referrer_origin(bad), None, "{bad}");
        }
    }

    #[test]
    fn recent_paths_are_distinct_newest_first_across_runs() {
        let mut visits = Vec::new();
        for path in ["/a", "/b", "/b", "/a", "/c", "/c", "/", "/c"] {
            let visit = Visit {
                path: path.into(),
                at: Utc::now(),
                referrer: None,
            };
            push_visit(&mut visits, visit, 100);
        }
        assert_eq!(recent_paths(&visits, 5, &[]), ["/c", "/", "/a", "/b"]);
        assert_eq!(recent_paths(&visits, 5, &["/"]), ["/c", "/a", "/b"]);
        assert_eq!(recent_paths(&visits, 2, &["/"]), ["/c", "/a"]);
    }

    #[test]
    fn history_is_bounded_and_summarised() {
        let mut visits = Vec::new();
        for i in 0..130 {
            let path = if i % 3 == 0 { "/a" } else { "/b" };
            push_visit(
                &mut visits,
                Visit {
                    path: path.into(),
                    at: Utc::now(),
                    referrer: None,
                },
                100,
            );
        }
        assert_eq!(visits.len(), 100);
        assert_eq!(top_paths(&visits, 5)[0].0, "/b");
        assert_eq!(recent_paths(&visits, 5, &["/b"]), ["/a"]);
    }
}
