//! Languages, `Accept-Language` negotiation (RFC 4647 lookup) and the translation
//! catalogs.
//!
//! Catalogs are Fluent files under `locales/<lang>/`, compiled into the binary
//! ([`fluent`]). Templates read them as `tr.section.key`, or format one with
//! arguments through the Tera function `t`; Tera fails on an unknown key, and
//! tests check that every key a template uses exists, and that every language has
//! every message with the same variables, so a missing translation is a test
//! failure, never a blank.

pub mod fluent;
mod money;
mod zone;

pub use money::{decimal, format_price};
pub use zone::{local_time, Timezone};

use std::sync::OnceLock;

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use rocket::request::{FromRequest, Outcome, Request};
use serde::{Deserialize, Serialize};

/// A language tailor speaks.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    rocket::FromFormField,
)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[field(value = "en")]
    En,
    #[field(value = "es")]
    Es,
    #[field(value = "fr")]
    Fr,
}

/// Longest `Accept-Language` header read, and most ranges considered.
const MAX_HEADER: usize = 4096;
const MAX_RANGES: usize = 32;

impl Language {
    /// Every supported language, in menu order.
    pub const ALL: [Language; 3] = [Language::En, Language::Es, Language::Fr];

    /// The BCP 47 tag.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Es => "es",
            Language::Fr => "fr",
        }
    }

    /// Parses a tag as stored or submitted (`en`, `es`, any case).
    pub fn parse(tag: &str) -> Option<Language> {
        Language::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(tag))
    }

    /// This language's messages.
    pub fn messages(self) -> &'static fluent::Catalog {
        static CATALOGS: OnceLock<[fluent::Catalog; 3]> = OnceLock::new();
        let all = CATALOGS.get_or_init(|| {
            [
                fluent::Catalog::load("en", &[include_str!("../../locales/en/main.ftl")]),
                fluent::Catalog::load("es", &[include_str!("../../locales/es/main.ftl")]),
                fluent::Catalog::load("fr", &[include_str!("../../locales/fr/main.ftl")]),
            ]
        });
        &all[self as usize]
    }

    /// This language's catalog, as the templates read it.
    pub fn catalog(self) -> &'static serde_json::Value {
        self.messages().tree()
    }

    /// Message `key` (`time.minutes`) with the number `n`, plural rules applied.
    pub fn count(self, key: &str, n: i64) -> String {
        self.messages()
            .format(key, [("n", fluent::Arg::Number(n as f64))])
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
        self.date(day)
    }

    /// A date in words: "7 December 2026".
    pub fn date(self, day: NaiveDate) -> String {
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
            60..=3599 => ("time.minutes", seconds / 60),
            3600..=86_399 => ("time.hours", seconds / 3600),
            86_400..=172_799 => return self.text("time.yesterday").to_owned(),
            _ => ("time.days", seconds / 86_400),
        };
        self.count(key, n)
    }
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
        let lang = crate::http::header(request, "Accept-Language")
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
    fn every_language_has_every_message_with_the_same_variables() {
        let english = Language::En.messages().variables();
        assert!(english.len() > 300, "{} messages", english.len());
        for lang in [Language::Es, Language::Fr] {
            assert_eq!(
                lang.messages().variables(),
                english,
                "{lang:?} differs from English in its messages or their variables"
            );
            assert_eq!(catalog_keys(lang), catalog_keys(Language::En));
        }
    }

    #[test]
    fn plurals_follow_each_language() {
        let caption = |lang: Language, n| lang.count("cart.caption", n);
        assert_eq!(caption(Language::En, 1), "1 item");
        assert_eq!(caption(Language::En, 2), "2 items");
        assert_eq!(caption(Language::En, 0), "0 items");
        assert_eq!(caption(Language::Es, 1), "1 artículo");
        assert_eq!(caption(Language::Es, 3), "3 artículos");
        // French counts 0 and 1 as singular (CLDR "one").
        assert_eq!(caption(Language::Fr, 0), "0 article");
        assert_eq!(caption(Language::Fr, 1), "1 article");
        assert_eq!(caption(Language::Fr, 2), "2 articles");
        assert_eq!(Language::En.count("nope.nothing", 1), "??");
    }

    #[test]
    fn variables_are_plain_text_without_isolation_marks() {
        let greeting = Language::En
            .messages()
            .format("home.greeting", [("name", fluent::Arg::Text("Zoë".into()))]);
        assert_eq!(greeting, "Hello, Zoë!");
        assert_eq!(Language::Fr.text("home.greeting"), "Bonjour, {name}\u{a0}!");
    }

    #[test]
    fn french_puts_a_no_break_space_before_double_punctuation_and_curls_apostrophes() {
        let text = include_str!("../../locales/fr/main.ftl");
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            for mark in [" :", " ;", " !", " ?"] {
                assert!(
                    !line.contains(mark),
                    "a breaking space before {mark:?}: {line}"
                );
            }
            assert!(!line.contains('\''), "a straight apostrophe: {line}");
        }
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
            "templates/admin",
            "templates/forms",
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
            // Templates read `tr.section.key` or call `t(key="section.key")`; Rust
            // code names keys as "flash.key" literals.
            let patterns: &[(&str, usize)] = if file.extension().is_some_and(|e| e == "rs") {
                &[("\"flash.", 1)]
            } else {
                &[("tr.", 3), ("key=\"", 5)]
            };
            for (pattern, skip) in patterns {
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
        assert_eq!(ago(Language::Fr, 60), "il y a 1 minute");
        assert_eq!(ago(Language::Fr, 7200), "il y a 2 heures");
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
        assert_eq!(negotiate("de-DE, es;q=0.4, en;q=0.9"), Some(Language::En));
        assert_eq!(negotiate("fr-CA, en;q=0.5"), Some(Language::Fr));
        assert_eq!(negotiate("en;q=0, es;q=0.1"), Some(Language::Es));
        assert_eq!(negotiate("de, it"), None);
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
        let many = format!("{}, es", "de;q=0.9, ".repeat(1000));
        assert_eq!(negotiate(&many), None);
        let unicode = "é".repeat(5000);
        assert_eq!(negotiate(&unicode), None);
    }
}
