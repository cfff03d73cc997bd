//! The personalised places of tailor's pages, as the page context carries them.

use std::sync::Arc;

use serde::Serialize;

/// The places on tailor's pages that rules can fill; `None` shows the page's
/// built-in content. In the page context (the render cache's key) the slots are
/// one short string, the rules' generation and each slot's variant name
/// (`7:7.default:-`); their texts reach the template as the top-level `slots` on a
/// cache miss only ([`Slots::texts`]), which is what templates read.
#[derive(Clone, Debug, Default)]
pub struct Slots {
    /// The home page's lead (`home.hero`).
    pub home_hero: Option<SlotView>,
    /// A note on the cart page (`cart.note`).
    pub cart_note: Option<SlotView>,
    /// The rules' generation the slots were chosen under (a reload changes it,
    /// and with it the render cache's key).
    pub generation: u64,
}

impl Slots {
    /// Whether any slot is filled.
    pub fn is_set(&self) -> bool {
        self.home_hero.is_some() || self.cart_note.is_some()
    }

    /// Whether no slot is filled (the page does not depend on the rules).
    pub fn is_unset(&self) -> bool {
        !self.is_set()
    }

    /// Every slot with its texts, for the template.
    pub fn texts(&self) -> serde_json::Value {
        let full =
            |s: &Option<SlotView>| s.as_ref().map_or(serde_json::Value::Null, SlotView::texts);
        serde_json::json!({
            "home_hero": full(&self.home_hero),
            "cart_note": full(&self.cart_note),
        })
    }
}

/// In the key: the generation, then each slot as `:LEN.NAME` (its variant's
/// name, prefixed by its length, so no name can pass for another choice) or
/// `:-` when empty: `7:7.default:-`.
impl Serialize for Slots {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use std::fmt::Write;
        let mut key = String::with_capacity(32);
        let _ = write!(key, "{}", self.generation);
        for slot in [&self.home_hero, &self.cart_note] {
            match slot {
                Some(view) => {
                    let _ = write!(key, ":{}.{}", view.variant.len(), view.variant);
                }
                None => key.push_str(":-"),
            }
        }
        serializer.serialize_str(&key)
    }
}

/// What a slot shows, in the page's language (shared texts: no copy per page).
#[derive(Clone, Debug, Default)]
pub struct SlotView {
    /// The name of what was chosen (`default`, a variant's name).
    pub variant: Arc<str>,
    pub title: Option<Arc<str>>,
    pub text: Option<Arc<str>>,
    pub link: Option<Arc<str>>,
    pub link_text: Option<Arc<str>>,
}

impl SlotView {
    /// The slot with its texts.
    pub fn texts(&self) -> serde_json::Value {
        serde_json::json!({
            "variant": &*self.variant,
            "title": self.title.as_deref(),
            "text": self.text.as_deref(),
            "link": self.link.as_deref(),
            "link_text": self.link_text.as_deref(),
        })
    }
}
