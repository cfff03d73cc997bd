//! The personalised places of tailor's pages, as the page context carries them.

use std::sync::Arc;

use serde::Serialize;

/// The places on tailor's pages that rules can fill; `None` shows the page's
/// built-in content. In the page context (the render cache's key) the slots are
/// one short string, the rules' generation and each slot's [`Choice`]
/// (`7:d:-`); their texts reach the template as the top-level `slots` on a
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

/// In the key: the generation, then each slot's choice (`:d`, `:v3`, `:e1.2`) or
/// `:-` when empty: `7:d:-`. Names are not in the key: two contents an operator
/// gave one name still get two keys.
impl Serialize for Slots {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use std::fmt::Write;
        let mut key = String::with_capacity(24);
        let _ = write!(key, "{}", self.generation);
        for slot in [&self.home_hero, &self.cart_note] {
            let _ = match slot.as_ref().map(|view| view.choice) {
                Some(Choice::Default) => write!(key, ":d"),
                Some(Choice::Variant(i)) => write!(key, ":v{i}"),
                Some(Choice::Experiment(e, v)) => write!(key, ":e{e}.{v}"),
                None => write!(key, ":-"),
            };
        }
        serializer.serialize_str(&key)
    }
}

/// Which content of the rules in force a slot shows, by position, so that it
/// names one content within one generation of the rules whatever the
/// operator called it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Choice {
    /// The slot's default.
    #[default]
    Default,
    /// The slot's variant at this index.
    Variant(usize),
    /// The variant at the second index of the experiment at the first.
    Experiment(usize, usize),
}

/// What a slot shows, in the page's language (shared texts: no copy per page).
#[derive(Clone, Debug, Default)]
pub struct SlotView {
    /// The name of what was chosen (`default`, a variant's name).
    pub variant: Arc<str>,
    /// Which content that is (what the render cache's key holds).
    pub choice: Choice,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn key(slots: &Slots) -> String {
        serde_json::to_value(slots)
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn two_contents_of_one_name_have_two_keys() {
        let view = |choice| SlotView {
            variant: Arc::from("promo"),
            choice,
            ..SlotView::default()
        };
        let keys: Vec<String> = [
            Choice::Default,
            Choice::Variant(0),
            Choice::Variant(1),
            Choice::Experiment(0, 1),
            Choice::Experiment(1, 0),
        ]
        .into_iter()
        .map(|choice| {
            key(&Slots {
                home_hero: Some(view(choice)),
                cart_note: None,
                generation: 3,
            })
        })
        .collect();
        let distinct: std::collections::BTreeSet<_> = keys.iter().collect();
        assert_eq!(distinct.len(), keys.len(), "{keys:?}");
        assert_eq!(keys[1], "3:v0:-");
    }
}
