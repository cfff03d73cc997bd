//! Reading what a slot shows: texts by language (`en` required) and safe links.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Content, ContentFile, Texts};

fn texts(field: &str, map: Option<BTreeMap<String, String>>) -> Result<Option<Texts>, String> {
    map.map(|map| Texts::read(field, map)).transpose()
}

/// A link a slot may show: a local path, or an `https` URL.
fn safe_link(link: &str) -> bool {
    let local = link.starts_with('/') && !link.starts_with("//") && !link.contains('\\');
    let https = link
        .strip_prefix("https://")
        .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'));
    (local || https) && !link.chars().any(|c| c.is_control() || c.is_whitespace())
}

pub(super) fn content(file: ContentFile) -> Result<Content, String> {
    if let Some(link) = &file.link {
        if !safe_link(link) {
            return Err(format!(
                "link {link:?} is neither a local path nor an https URL"
            ));
        }
    }
    Ok(Content {
        title: texts("title", file.title)?,
        text: texts("text", file.text)?,
        link: file.link.map(Arc::from),
        link_text: texts("link_text", file.link_text)?,
    })
}

/// The slots tailor's pages offer, with the path of the page that shows each.
pub const PAGE_SLOTS: [(&str, &str); 2] = [("home.hero", "/"), ("cart.note", "/cart")];

/// Whether the page at `path` shows slot `slot`.
pub fn shows(path: &str, slot: &str) -> bool {
    PAGE_SLOTS.iter().any(|(s, p)| *s == slot && *p == path)
}
