//! The preferences' part of the session record.

use tailor_session::parts::{self, Part};

use super::model::Preferences;

impl Part for Preferences {
    const NAME: &'static str = "preferences";

    /// Every preference is the visitor's choice.
    fn worth_keeping(&self) -> bool {
        *self != Preferences::default()
    }

    fn footprint(&self) -> usize {
        std::mem::size_of::<Self>()
            + self.display_name.as_ref().map_or(0, |n| n.as_str().len())
            + self.consent.as_ref().map_or(0, |c| {
                c.id.len() + c.version.as_ref().map_or(0, |v| v.len())
            })
    }
}

/// Registers the preferences' part.
pub fn register() {
    parts::register::<Preferences>();
}
