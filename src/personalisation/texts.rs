//! Texts an operator writes in the rules file, one per language (`en` required):
//! slot contents, segment and experiment titles.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::i18n::Language;

/// A text in each language it has; `en` is always there. Shared, so a page
/// takes it without a copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Texts(BTreeMap<Language, Arc<str>>);

impl Texts {
    /// The text in `lang`, else in English.
    pub fn get(&self, lang: Language) -> Arc<str> {
        self.0
            .get(&lang)
            .or_else(|| self.0.get(&Language::En))
            .cloned()
            .unwrap_or_else(|| Arc::from(""))
    }

    /// `field`'s texts from the file: a table of texts by language code, which
    /// needs its `en`.
    ///
    /// # Errors
    /// An unknown language, or no `en`, naming `field`.
    pub fn read(field: &str, map: BTreeMap<String, String>) -> Result<Texts, String> {
        let mut texts = BTreeMap::new();
        for (code, text) in map {
            let lang = Language::parse(&code)
                .ok_or_else(|| format!("{field}: unknown language {code:?}"))?;
            texts.insert(lang, Arc::from(text));
        }
        if !texts.contains_key(&Language::En) {
            return Err(format!("{field}: a text needs its `en`"));
        }
        Ok(Texts(texts))
    }

    /// A title from the file: one string (its English, shown in every language)
    /// or a table of texts by language.
    ///
    /// # Errors
    /// Anything else, an unknown language, or no `en`, naming `field`.
    pub fn title(field: &str, value: toml::Value) -> Result<Texts, String> {
        match value {
            toml::Value::String(en) => Ok(Texts(BTreeMap::from([(Language::En, Arc::from(en))]))),
            toml::Value::Table(_) => {
                let map: BTreeMap<String, String> = value
                    .try_into()
                    .map_err(|_| format!("{field}: each text is a string"))?;
                Texts::read(field, map)
            }
            _ => Err(format!(
                "{field}: a string, or a table of texts by language ({{ en = \"...\" }})"
            )),
        }
    }
}
