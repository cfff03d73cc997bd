//! Form declarations: each form is declared once (id, fields, kinds, limits) and
//! drafts, validation, templates and the API all read the declaration.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::web::FieldError;

/// What a field holds, and so how it is rendered and validated.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldKind {
    /// One line of text.
    Text,
    /// An email address.
    Email,
    /// Several lines of text.
    TextArea,
    /// One of a fixed list of values (labels are `forms.<form>.options.<field>.<value>`).
    Select { options: &'static [&'static str] },
    /// On or off; submitted as `on` or absent.
    Checkbox,
}

/// One field of a form.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct FieldSpec {
    pub name: &'static str,
    #[serde(flatten)]
    pub kind: FieldKind,
    pub required: bool,
    /// Most characters accepted on submit.
    pub max_chars: usize,
    /// The browser's autocomplete hint.
    pub autocomplete: &'static str,
}

/// A form: its id (the URL segment and draft key) and its fields, in order.
#[derive(Debug, Serialize)]
pub struct FormSpec {
    pub id: &'static str,
    pub fields: &'static [FieldSpec],
}

const fn field(
    name: &'static str,
    kind: FieldKind,
    required: bool,
    max_chars: usize,
    autocomplete: &'static str,
) -> FieldSpec {
    FieldSpec {
        name,
        kind,
        required,
        max_chars,
        autocomplete,
    }
}

/// The request-information form.
pub static CONTACT: FormSpec = FormSpec {
    id: "contact",
    fields: &[
        field("name", FieldKind::Text, true, 100, "name"),
        field("email", FieldKind::Email, true, 254, "email"),
        field("company", FieldKind::Text, false, 100, "organization"),
        field(
            "topic",
            FieldKind::Select {
                options: &["sales", "support", "partnership", "press", "other"],
            },
            true,
            20,
            "off",
        ),
        field("message", FieldKind::TextArea, true, 5000, "off"),
        field(
            "contact_time",
            FieldKind::Select {
                options: &["any", "morning", "afternoon", "evening"],
            },
            false,
            20,
            "off",
        ),
        field("newsletter", FieldKind::Checkbox, false, 2, "off"),
    ],
};

/// A short feedback form: proof that a form is only a declaration and a template.
pub static FEEDBACK: FormSpec = FormSpec {
    id: "feedback",
    fields: &[
        field(
            "rating",
            FieldKind::Select {
                options: &["5", "4", "3", "2", "1"],
            },
            true,
            1,
            "off",
        ),
        field("comments", FieldKind::TextArea, true, 2000, "off"),
        field("email", FieldKind::Email, false, 254, "email"),
    ],
};

/// Every form, in menu order.
pub static FORMS: [&FormSpec; 2] = [&CONTACT, &FEEDBACK];

impl FormSpec {
    /// The form with id `id`; `None` for anything else (`..`, slashes, long ids).
    pub fn find(id: &str) -> Option<&'static FormSpec> {
        FORMS.iter().copied().find(|f| f.id == id)
    }

    /// The field called `name`.
    pub fn field(&self, name: &str) -> Option<&'static FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Validates a submission: every error at once, keyed by field.
    pub fn validate(&self, values: &BTreeMap<String, String>) -> Vec<FieldError> {
        self.fields
            .iter()
            .filter_map(|spec| {
                let value = values.get(spec.name).map(|v| v.trim()).unwrap_or("");
                spec.check(value).err()
            })
            .collect()
    }
}

impl FieldSpec {
    fn check(&self, value: &str) -> Result<(), FieldError> {
        let error = |reason| Err(FieldError::new(self.name, reason));
        if value.is_empty() {
            return if self.required {
                error("required")
            } else {
                Ok(())
            };
        }
        if value.chars().count() > self.max_chars {
            return error("too_long");
        }
        match self.kind {
            FieldKind::Email if !looks_like_email(value) => error("invalid_email"),
            FieldKind::Select { options } if !options.contains(&value) => error("unknown_option"),
            FieldKind::Checkbox if value != "on" => error("unknown_option"),
            FieldKind::Text | FieldKind::Email if value.chars().any(char::is_control) => {
                error("control_characters")
            }
            _ => Ok(()),
        }
    }
}

/// The shape of an address: one `@`, something before it, a dotted domain after
/// it, no spaces. Deliverability is the mail server's business.
pub fn looks_like_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_complete_contact_form_is_valid() {
        let v = values(&[
            ("name", "Ada"),
            ("email", "ada@example.org"),
            ("topic", "sales"),
            ("message", "Hi"),
        ]);
        assert!(CONTACT.validate(&v).is_empty());
    }

    #[test]
    fn every_error_is_reported_with_its_field() {
        let v = values(&[
            ("email", "not-an-address"),
            ("topic", "bribes"),
            ("message", &"x".repeat(5001)),
        ]);
        let errors: Vec<(String, &str)> = CONTACT
            .validate(&v)
            .into_iter()
            .map(|e| (e.field, e.reason))
            .collect();
        assert_eq!(
            errors,
            vec![
                ("name".into(), "required"),
                ("email".into(), "invalid_email"),
                ("topic".into(), "unknown_option"),
                ("message".into(), "too_long"),
            ]
        );
    }

    #[test]
    fn email_shapes() {
        for ok in ["a@b.co", "first.last+tag@sub.example.org"] {
            assert!(looks_like_email(ok), "{ok}");
        }
        for bad in [
            "", "a", "a@", "@b.co", "a@b", "a@@b.co", "a b@c.de", "a@.co", "a@co.",
        ] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }

    #[test]
    fn unknown_and_hostile_ids_are_not_forms() {
        for id in [
            "",
            "..",
            "../contact",
            "contact/..",
            "CONTACT",
            &"a".repeat(1024),
        ] {
            assert!(FormSpec::find(id).is_none(), "{id}");
        }
        assert!(FormSpec::find("feedback").is_some());
    }
}
