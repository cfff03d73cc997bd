//! The `preference.*` keys: the visitor's choice (`TARGETING_MATCH`), else the
//! default tailor would use (`STATIC`).

use serde_json::json;

use super::answer::{not_found, success, Answer, Visitor};

/// The answer for `preference.<name>`.
pub(super) fn preference(visitor: &Visitor<'_>, key: &str, name: &str) -> Answer {
    let prefs = visitor.prefs;
    let (value, chosen) = match name {
        "theme" => {
            let theme = prefs.map(|p| p.theme).unwrap_or_default();
            (theme.code().to_owned(), theme != Default::default())
        }
        "language" => match prefs.and_then(|p| p.language) {
            Some(lang) => (lang.code().to_owned(), true),
            None => (visitor.negotiated.code().to_owned(), false),
        },
        "timezone" => {
            let zone = prefs.map(|p| p.timezone).unwrap_or_default();
            (zone.name().to_owned(), zone != Default::default())
        }
        _ => return not_found(key),
    };
    if chosen {
        success(
            key,
            json!(value),
            "TARGETING_MATCH",
            &value,
            "the visitor's choice".to_owned(),
        )
    } else {
        let why = "not chosen: what tailor's pages use".to_owned();
        success(key, json!(value), "STATIC", "default", why)
    }
}
