//! A rendered page as the cache keeps it: its HTML split where the form tokens
//! go, and its weight.

use super::{secret_placeholder, Arc};
/// A rendered page: its text and where the secret placeholder occurs in it
/// (found once, when the page is rendered, not on every request), with the form
/// action that follows it when the page's forms take stateless tokens.
pub(super) struct Rendered {
    pub(super) html: Arc<str>,
    pub(super) secret_at: Vec<SecretAt>,
    /// The tag of the session the page was rendered for (0: none).
    pub(super) owner: u64,
}

/// One placeholder: where it starts, how many bytes it (and its action suffix)
/// take, and the action id of a `|action` suffix.
pub(super) struct SecretAt {
    at: usize,
    len: usize,
    action: Option<Box<str>>,
}

/// What replaces the placeholder: the session's CSRF token, or a stateless
/// token for each form's action (a visitor without a session).
#[derive(Clone)]
pub enum Secret {
    Token(String),
    Stateless(Arc<crate::web::tokens::FormTokens>),
}

impl Secret {
    fn for_action(&self, action: Option<&str>) -> String {
        match self {
            Secret::Token(token) => token.clone(),
            Secret::Stateless(tokens) => tokens.issue(action.unwrap_or_default()),
        }
    }
}

impl Rendered {
    pub(super) fn new(html: String, owner: u64) -> Self {
        let placeholder = secret_placeholder().len();
        let secret_at = html
            .match_indices(secret_placeholder())
            .map(|(at, _)| {
                let rest = &html[at + placeholder..];
                let action = rest.strip_prefix('|').map(|after| {
                    let end = after
                        .find(|c: char| !(c.is_ascii_alphanumeric() || "~_-.".contains(c)))
                        .unwrap_or(after.len());
                    &after[..end]
                });
                SecretAt {
                    at,
                    len: placeholder + action.map_or(0, |a| a.len() + 1),
                    action: action.map(Into::into),
                }
            })
            .collect();
        Rendered {
            html: html.into(),
            secret_at,
            owner,
        }
    }

    /// The page with the secret in place of each placeholder.
    pub(super) fn with_secret(&self, secret: &Secret) -> String {
        let mut page = String::with_capacity(self.html.len() + self.secret_at.len() * 64);
        let mut from = 0;
        for place in &self.secret_at {
            page.push_str(&self.html[from..place.at]);
            page.push_str(&secret.for_action(place.action.as_deref()));
            from = place.at + place.len;
        }
        page.push_str(&self.html[from..]);
        page
    }
}

#[derive(Clone)]
pub(super) struct ByteWeighter;

impl quick_cache::Weighter<u128, Arc<Rendered>> for ByteWeighter {
    fn weight(&self, _: &u128, page: &Arc<Rendered>) -> u64 {
        (16 + page.html.len() + 40 * page.secret_at.len() + 72) as u64
    }
}

pub(super) type RenderCache = quick_cache::sync::Cache<u128, Arc<Rendered>, ByteWeighter>;
