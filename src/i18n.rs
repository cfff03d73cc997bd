//! Languages, `Accept-Language` negotiation (RFC 4647 lookup) and the translation
//! catalogs.
//!
//! Catalogs are TOML files under `locales/<lang>/main.toml`, compiled into the
//! binary. Templates read them as `tr.section.key`; Tera fails on an unknown key,
//! and a test checks that every key a template uses exists in every catalog, so a
//! missing translation is a test failure, never a blank.

use std::sync::OnceLock;

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use rocket::request::{FromRequest, Outcome, Request};
use serde::{Deserialize, Serialize};

/// A language tailor speaks.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, rocket::FromFormField,
)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[field(value = "en")]
    En,
    #[field(value = "es")]
    Es,
}

/// Longest `Accept-Language` header read, and most ranges considered.
const MAX_HEADER: usize = 4096;
const MAX_RANGES: usize = 32;

impl Language {
    /// Every supported language, in menu order.
    pub const ALL: [Language; 2] = [Language::En, Language::Es];

    /// The BCP 47 tag.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Es => "es",
        }
    }

    /// Parses a tag as stored or submitted (`en`, `es`, any case).
    pub fn parse(tag: &str) -> Option<Language> {
        Language::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(tag))
    }

    /// This language's catalog, as the templates read it.
    pub fn catalog(self) -> &'static serde_json::Value {
        static CATALOGS: OnceLock<[serde_json::Value; 2]> = OnceLock::new();
        let all = CATALOGS.get_or_init(|| [load(EN), load(ES)]);
        &all[self as usize]
    }

    /// Looks up a dotted key (`flash.saved`) in this language's catalog.
    pub fn text(self, key: &str) -> &'static str {
        key.split('.')
            .try_fold(self.catalog(), |node, part| node.get(part))
            .and_then(|v| v.as_str())
            .unwrap_or("??")
    }

    /// A day heading: "Today", "Yesterday", else the date in words.
    pub fn day_label(self, day: NaiveDate, today: NaiveDate) -> String {
        if day == today {
            return self.text("time.today").to_owned();
        }
        if today.pred_opt() == Some(day) {
            return self.text("time.yesterday_day").to_owned();
        }
        let month = self.text(&format!("time.month_{}", day.month()));
        self.text("time.date")
            .replace("{day}", &day.day().to_string())
            .replace("{month}", month)
            .replace("{year}", &day.year().to_string())
    }

    /// How long ago `then` was, in words: "just now", "3 minutes ago", "yesterday".
    pub fn ago(self, then: DateTime<Utc>, now: DateTime<Utc>) -> String {
        let seconds = (now - then).num_seconds().max(0);
        let (key, n) = match seconds {
            0..=59 => return self.text("time.just_now").to_owned(),
            60..=3599 => ("minutes", seconds / 60),
            3600..=86_399 => ("hours", seconds / 3600),
            86_400..=172_799 => return self.text("time.yesterday").to_owned(),
            _ => ("days", seconds / 86_400),
        };
        let form = if n == 1 { "one" } else { "other" };
        self.text(&format!("time.{key}_{form}"))
            .replace("{n}", &n.to_string())
    }
}

const EN: &str = include_str!("../locales/en/main.toml");
const ES: &str = include_str!("../locales/es/main.toml");

fn load(text: &str) -> serde_json::Value {
    // The catalogs are compiled in and checked by the tests below.
    toml::from_str(text).unwrap_or_else(|e| panic!("a translation catalog is not valid TOML: {e}"))
}

/// RFC 4647 "lookup": the first supported language among the ranges, by quality
/// (ties keep header order), each range truncated from the right until it matches.
/// Malformed ranges and qualities are skipped; `q=0` excludes.
pub fn negotiate(header: &str) -> Option<Language> {
    let header = &header[..floor_char_boundary(header, MAX_HEADER)];
    let mut ranges: Vec<(u16, &str)> = header
        .split(',')
        .take(MAX_RANGES)
        .filter_map(parse_range)
        .filter(|(q, _)| *q > 0)
        .collect();
    ranges.sort_by_key(|r| std::cmp::Reverse(r.0));
    ranges.into_iter().find_map(|(_, range)| lookup(range))
}

fn floor_char_boundary(s: &str, max: usize) -> usize {
    if s.len() <= max {
        return s.len();
    }
    (0..=max)
        .rev()
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(0)
}

/// `es-ES;q=0.8` → (800, "es-ES"); quality in thousandths.
fn parse_range(item: &str) -> Option<(u16, &str)> {
    let mut parts = item.split(';');
    let range = parts.next()?.trim();
    if range.is_empty() || range.len() > 64 {
        return None;
    }
    let mut q = 1000;
    for param in parts {
        let (name, value) = param.split_once('=')?;
        if name.trim().eq_ignore_ascii_case("q") {
            q = parse_quality(value.trim())?;
        }
    }
    Some((q, range))
}

fn parse_quality(value: &str) -> Option<u16> {
    let ok = value.len() <= 5
        && value.starts_with(['0', '1'])
        && value.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    let q: f32 = if ok { value.parse().ok()? } else { return None };
    (0.0..=1.0)
        .contains(&q)
        .then(|| (q * 1000.0).round() as u16)
}

fn lookup(range: &str) -> Option<Language> {
    let mut tag = range;
    loop {
        if let Some(lang) = Language::parse(tag) {
            return Some(lang);
        }
        tag = &tag[..tag.rfind('-')?];
        // A singleton subtag (the "x" of "x-private") goes with what followed it.
        if let Some(i) = tag.rfind('-').filter(|i| tag.len() - i == 2) {
            tag = &tag[..i];
        }
    }
}

/// The visitor's language from their request alone (no saved preference).
pub struct Negotiated(pub Language);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Negotiated {
    type Error = std::convert::Infallible;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let lang = request
            .headers()
            .get_one("Accept-Language")
            .and_then(negotiate)
            .unwrap_or(Language::En);
        Outcome::Success(Negotiated(lang))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(value: &serde_json::Value, prefix: &str, out: &mut BTreeSet<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    let p = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    keys(v, &p, out);
                }
            }
            _ => {
                out.insert(prefix.to_owned());
            }
        }
    }

    fn catalog_keys(lang: Language) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        keys(lang.catalog(), "", &mut out);
        out
    }

    #[test]
    fn every_catalog_has_the_same_keys() {
        assert_eq!(catalog_keys(Language::En), catalog_keys(Language::Es));
    }

    #[test]
    fn no_catalog_entry_is_blank() {
        for lang in Language::ALL {
            for key in catalog_keys(lang) {
                assert!(
                    !lang.text(&key).trim().is_empty(),
                    "{key} is blank in {lang:?}"
                );
            }
        }
    }

    #[test]
    fn every_key_a_template_or_module_uses_exists() {
        let known = catalog_keys(Language::En);
        let mut used = BTreeSet::new();
        let mut files = Vec::new();
        for dir in [
            "templates",
            "templates/partials",
            "src",
            "src/preferences",
            "src/web",
        ] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                if entry.path().is_file() && !entry.path().ends_with("i18n.rs") {
                    files.push(entry.path());
                }
            }
        }
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            // Templates read `tr.section.key`; Rust code names keys as "flash.key" literals.
            let pattern = if file.extension().is_some_and(|e| e == "rs") {
                "\"flash."
            } else {
                "tr."
            };
            let skip = if pattern == "tr." { 3 } else { 1 };
            let mut rest = text.as_str();
            while let Some(i) = rest.find(pattern) {
                let boundary = i == 0 || !rest.as_bytes()[i - 1].is_ascii_alphanumeric();
                let key: String = rest[i + skip..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
                    .collect();
                let key = key.trim_end_matches('.').to_owned();
                if boundary && key.contains('.') {
                    used.insert((file.display().to_string(), key));
                }
                rest = &rest[i + skip..];
            }
        }
        assert!(used.len() > 20, "the scan found too few keys: {used:?}");
        for (file, key) in used {
            // A section (indexed by a variable, as `tr.errors.field[reason]`) counts too.
            let section = format!("{key}.");
            let found = known.contains(&key) || known.iter().any(|k| k.starts_with(&section));
            assert!(found, "{file} uses tr.{key}, missing from the catalogs");
        }
    }

    #[test]
    fn ages_read_naturally_in_both_languages() {
        let now = Utc::now();
        let ago = |lang: Language, secs: i64| lang.ago(now - chrono::Duration::seconds(secs), now);
        assert_eq!(ago(Language::En, 5), "just now");
        assert_eq!(ago(Language::En, 60), "1 minute ago");
        assert_eq!(ago(Language::En, 185), "3 minutes ago");
        assert_eq!(ago(Language::Es, 185), "hace 3 minutos");
        assert_eq!(ago(Language::En, 7200), "2 hours ago");
        assert_eq!(ago(Language::Es, 90_000), "ayer");
        assert_eq!(ago(Language::En, 5 * 86_400), "5 days ago");
        assert_eq!(ago(Language::En, -30), "just now");
    }

    #[test]
    fn day_labels_are_localized() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let label = |lang: Language, d: u32| {
            lang.day_label(NaiveDate::from_ymd_opt(2026, 11, d).unwrap(), today)
        };
        assert_eq!(label(Language::En, 25), "Today");
        assert_eq!(label(Language::Es, 24), "Ayer");
        assert_eq!(label(Language::En, 3), "3 November 2026");
        assert_eq!(label(Language::Es, 3), "3 de noviembre de 2026");
    }

    #[test]
    fn negotiation_follows_quality_and_truncation() {
        assert_eq!(negotiate("es-ES"), Some(Language::Es));
        assert_eq!(negotiate("es-419,en;q=0.5"), Some(Language::Es));
        assert_eq!(negotiate("fr-FR, es;q=0.4, en;q=0.9"), Some(Language::En));
        assert_eq!(negotiate("en;q=0, es;q=0.1"), Some(Language::Es));
        assert_eq!(negotiate("fr, de"), None);
        assert_eq!(negotiate("*"), None);
        assert_eq!(negotiate("ES"), Some(Language::Es));
    }

    #[test]
    fn odd_headers_do_not_break_negotiation() {
        assert_eq!(negotiate("es;q=abc, en;q=0.2"), Some(Language::En));
        assert_eq!(negotiate("es;q=7, en;q=-1"), None);
        assert_eq!(negotiate(";;;,,,=q"), None);
        assert_eq!(negotiate(""), None);
        let long = format!("{}es", "x-".repeat(4096));
        assert_eq!(negotiate(&long), None);
        let many = format!("{}, es", "fr;q=0.9, ".repeat(1000));
        assert_eq!(negotiate(&many), None);
        let unicode = "é".repeat(5000);
        assert_eq!(negotiate(&unicode), None);
    }
}
