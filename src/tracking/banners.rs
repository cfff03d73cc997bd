//! Campaign banners from the campaigns file (`campaigns.toml`): a banner per
//! language, shown on the home page to visitors whose last touch matches.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::model::Touch;
use crate::i18n::Language;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    campaign: Vec<CampaignBanner>,
}

/// One campaign's banner.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignBanner {
    /// Matches the last touch's `utm_campaign` (case-insensitive).
    pub campaign: String,
    /// When set, the last touch's `utm_source` must match too.
    #[serde(default)]
    pub source: Option<String>,
    /// Where the banner's link goes (a path on this site).
    #[serde(default)]
    pub link: Option<String>,
    /// The banner text by language code.
    pub banner: BTreeMap<String, String>,
}

impl CampaignBanner {
    /// Whether a visitor whose last touch is `touch` should see this banner.
    pub fn matches(&self, touch: &Touch) -> bool {
        // Without regard to case, as the report counts them (every letter folded).
        let same = |want: &str, got: &Option<String>| {
            got.as_deref()
                .is_some_and(|g| g.to_lowercase() == want.to_lowercase())
        };
        same(&self.campaign, &touch.campaign)
            && self
                .source
                .as_deref()
                .is_none_or(|s| same(s, &touch.source))
    }

    /// The banner in `lang`.
    pub fn text(&self, lang: Language) -> &str {
        self.banner
            .get(lang.code())
            .map(String::as_str)
            .unwrap_or_default()
    }
}

/// Reads and checks the campaigns file: every banner in every language, links local.
///
/// # Errors
/// A sentence naming the file and the problem; the launch stops on it.
pub fn load(path: &Path) -> Result<Vec<CampaignBanner>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let file: File = toml::from_str(&text)
        .map_err(|e| format!("{} is not a valid campaigns file: {e}", path.display()))?;
    for banner in &file.campaign {
        if let Some(lang) = Language::ALL
            .iter()
            .find(|l| banner.text(**l).trim().is_empty())
        {
            return Err(format!(
                "{}: campaign {:?} has no banner in {:?}",
                path.display(),
                banner.campaign,
                lang.code()
            ));
        }
        if banner
            .link
            .as_deref()
            .is_some_and(|l| !l.starts_with('/') || l.starts_with("//"))
        {
            return Err(format!(
                "{}: campaign {:?} links off the site",
                path.display(),
                banner.campaign
            ));
        }
    }
    Ok(file.campaign)
}
