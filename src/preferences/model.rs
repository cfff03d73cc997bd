//! The preference values, their parsing and the patch that changes them.

use serde::{Deserialize, Serialize};

use crate::i18n::Language;
pub use crate::i18n::Timezone;
pub use crate::web::FieldError;

/// A colour theme. `System` follows the browser's `prefers-color-scheme`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Theme {
    Light,
    Dark,
    #[default]
    System,
    HighContrast,
}

impl Theme {
    /// Every theme, in menu order.
    pub const ALL: [Theme; 4] = [
        Theme::Light,
        Theme::Dark,
        Theme::System,
        Theme::HighContrast,
    ];

    /// The value used in forms, JSON and `data-theme`.
    pub fn code(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::System => "system",
            Theme::HighContrast => "high-contrast",
        }
    }

    /// Parses the value of a form or JSON field.
    pub fn parse(text: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.code() == text)
    }
}

/// The name the home page greets the visitor with: 1 to 60 characters, trimmed,
/// no control characters. A boxed `str` (16 bytes, not 24): it sits in every
/// session's preferences.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DisplayName(Box<str>);

impl DisplayName {
    pub const MAX_CHARS: usize = 60;

    /// Parses a submitted name; blank means "no name" (`Ok(None)`).
    ///
    /// # Errors
    /// [`FieldError`] when it is too long or has control characters.
    pub fn parse(text: &str) -> Result<Option<DisplayName>, FieldError> {
        let name = text.trim();
        if name.is_empty() {
            return Ok(None);
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(FieldError::new("display_name", "too_long"));
        }
        if name.chars().any(char::is_control) {
            return Err(FieldError::new("display_name", "control_characters"));
        }
        if name.chars().any(is_bidi_control) {
            return Err(FieldError::new("display_name", "bidi_controls"));
        }
        if !name.chars().any(is_visible) {
            return Err(FieldError::new("display_name", "invisible"));
        }
        Ok(Some(DisplayName(name.into())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Characters that reorder the text around them (embeddings, overrides,
/// isolates, marks): in a name they make "Hello, Bob" render as something else.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether a character shows as something: not white space, not a format
/// character (zero-width spaces and joiners, soft hyphen, tags), not one of the
/// blank "letters" Unicode has (Hangul fillers, braille blank).
fn is_visible(c: char) -> bool {
    let invisible = c.is_whitespace()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{0600}'..='\u{0605}'
                | '\u{06DD}'
                | '\u{070F}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{2800}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
        );
    !invisible
}

impl TryFrom<String> for DisplayName {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        DisplayName::parse(&s)
            .ok()
            .flatten()
            .ok_or("invalid display name")
    }
}

impl From<DisplayName> for String {
    fn from(n: DisplayName) -> String {
        n.0.into()
    }
}

/// One visitor's preferences as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    pub theme: Theme,
    /// `None`: not chosen, negotiated from `Accept-Language` on every request.
    pub language: Option<Language>,
    pub timezone: Timezone,
    /// `None`: no choice made; the consent mode decides (on in opt-out, off in opt-in).
    pub tracking: Option<bool>,
    pub display_name: Option<DisplayName>,
    /// The consent ledger's id for this visitor and the policy version of their
    /// last choice.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent: Option<super::consent::ConsentMark>,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            theme: Theme::System,
            language: None,
            timezone: Timezone::default(),
            tracking: None,
            display_name: None,
            consent: None,
        }
    }
}

/// A change to some preferences; `None` leaves a field as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PreferencesPatch {
    pub theme: Option<Theme>,
    pub language: Option<Option<Language>>,
    pub timezone: Option<Timezone>,
    pub tracking: Option<bool>,
    pub display_name: Option<Option<DisplayName>>,
    /// Set with a tracking choice, once it is in the consent ledger.
    pub consent: Option<super::consent::ConsentMark>,
}

impl PreferencesPatch {
    /// A patch making the tracking choice `accept` and nothing else.
    pub fn tracking(accept: bool) -> Self {
        PreferencesPatch {
            tracking: Some(accept),
            ..PreferencesPatch::default()
        }
    }

    /// Applies the patch.
    pub fn apply(&self, prefs: &mut Preferences) {
        if let Some(theme) = self.theme {
            prefs.theme = theme;
        }
        if let Some(language) = self.language {
            prefs.language = language;
        }
        if let Some(timezone) = self.timezone {
            prefs.timezone = timezone;
        }
        if let Some(tracking) = self.tracking {
            prefs.tracking = Some(tracking);
        }
        if let Some(name) = &self.display_name {
            prefs.display_name = name.clone();
        }
        if let Some(mark) = &self.consent {
            prefs.consent = Some(mark.clone());
        }
    }
}

/// The body of `PUT /api/v1/preferences`: any subset of the fields; `null` for
/// `language` follows the browser again, for `display_name` removes the name.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreferencesBody {
    #[serde(default)]
    theme: Option<String>,
    #[serde(default, deserialize_with = "present")]
    language: Option<Option<String>>,
    #[serde(default)]
    timezone: Option<String>,
    #[serde(default)]
    tracking: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    display_name: Option<Option<String>>,
}

/// A field that is present, maybe as `null` (absent stays `None` by `default`).
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

impl TryFrom<PreferencesBody> for PreferencesPatch {
    type Error = FieldError;

    /// Checks each value given: the first [`FieldError`] names its field.
    fn try_from(body: PreferencesBody) -> Result<Self, FieldError> {
        Ok(PreferencesPatch {
            theme: body.theme.as_deref().map(parse_theme).transpose()?,
            language: match body.language {
                Some(Some(tag)) => Some(Some(parse_language(&tag)?)),
                Some(None) => Some(None),
                None => None,
            },
            timezone: body.timezone.as_deref().map(parse_timezone).transpose()?,
            tracking: body.tracking,
            display_name: match body.display_name {
                Some(Some(name)) => Some(DisplayName::parse(&name)?),
                Some(None) => Some(None),
                None => None,
            },
            consent: None,
        })
    }
}

pub fn parse_theme(text: &str) -> Result<Theme, FieldError> {
    Theme::parse(text).ok_or_else(|| FieldError::new("theme", "unknown_theme"))
}

pub fn parse_language(text: &str) -> Result<Language, FieldError> {
    Language::parse(text).ok_or_else(|| FieldError::new("language", "unknown_language"))
}

pub fn parse_timezone(text: &str) -> Result<Timezone, FieldError> {
    Timezone::parse(text).ok_or_else(|| FieldError::new("timezone", "unknown_timezone"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_patch_reads_every_field() {
        let patch = patch(json!({
            "theme": "high-contrast", "language": "es", "timezone": "Europe/Madrid",
            "tracking": false, "display_name": "  Ada  "
        }))
        .unwrap();
        let mut prefs = Preferences::default();
        patch.apply(&mut prefs);
        assert_eq!(prefs.theme, Theme::HighContrast);
        assert_eq!(prefs.language, Some(Language::Es));
        assert_eq!(prefs.timezone.name(), "Europe/Madrid");
        assert_eq!(prefs.tracking, Some(false));
        assert_eq!(prefs.display_name.unwrap().as_str(), "Ada");
    }

    fn patch(body: serde_json::Value) -> Result<PreferencesPatch, FieldError> {
        let body: PreferencesBody = serde_json::from_value(body).expect("a well-formed body");
        PreferencesPatch::try_from(body)
    }

    #[test]
    fn bad_values_name_their_field() {
        let cases = [
            (json!({"theme": "purple"}), "theme"),
            (json!({"language": "de"}), "language"),
            (json!({"timezone": "Mars/Olympus"}), "timezone"),
            (json!({"display_name": "x".repeat(61)}), "display_name"),
            (json!({"display_name": "a\u{0}b"}), "display_name"),
        ];
        for (body, field) in cases {
            assert_eq!(patch(body.clone()).unwrap_err().field, field, "{body}");
        }
    }

    #[test]
    fn null_and_absent_differ() {
        assert_eq!(patch(json!({})).unwrap(), PreferencesPatch::default());
        let cleared = patch(json!({"language": null, "display_name": null})).unwrap();
        assert_eq!(
            cleared.language,
            Some(None),
            "null follows the browser again"
        );
        assert_eq!(cleared.display_name, Some(None), "null removes the name");
        assert!(serde_json::from_value::<PreferencesBody>(json!({"colour": "red"})).is_err());
    }

    #[test]
    fn sixty_characters_of_emoji_are_a_valid_name() {
        let name = "😀".repeat(60);
        assert_eq!(DisplayName::parse(&name).unwrap().unwrap().as_str(), name);
        assert_eq!(DisplayName::parse("   ").unwrap(), None);
    }
}
