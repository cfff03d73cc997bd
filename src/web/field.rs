//! [`FieldError`]: a field that failed validation, shared by every form and API.

use serde::Serialize;

/// A field that failed validation: the field's name and a reason code, which is
/// also the catalog key `errors.field.<reason>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub reason: &'static str,
}

impl FieldError {
    pub fn new(field: impl Into<String>, reason: &'static str) -> Self {
        FieldError {
            field: field.into(),
            reason,
        }
    }

    /// An English sentence for API clients.
    pub fn message(&self) -> String {
        let what = match self.reason {
            "unknown_theme" => "must be one of light, dark, system, high-contrast",
            "unknown_language" => "must be one of en, es, fr (or null to follow the browser)",
            "unknown_timezone" => "must be an IANA time zone name such as Europe/Madrid",
            "too_long" => "is longer than 60 characters",
            "control_characters" => "must not contain control characters",
            "not_a_string" => "must be a string",
            "not_a_boolean" => "must be true or false",
            "unknown_field" => "is not a preference",
            "not_an_object" => "must be a JSON object",
            _ => "is invalid",
        };
        format!("`{}` {}.", self.field, what)
    }
}
