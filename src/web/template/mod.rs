//! Page rendering with Tera through `rocket_dyn_templates`, behind a render cache.
//!
//! `rocket_dyn_templates` owns the engine: it loads `template_dir` (default: the
//! project's `templates/`), and in debug builds reloads a template that changed.
//! [`stage`] registers tailor's part in `Template::custom` (the check below; it
//! runs again on every reload, and a reload that fails it is discarded) and counts
//! the engine's generations: the render cache is emptied when the templates change.
//!
//! A page's context has two parts: the static part of its template and language
//! (the catalog sections, the navigation), shared by every render, and the
//! per-request part. Rendering is a pure function of the two, so the rendered
//! page is cached under a keyed 128-bit hash of the template's name, the variant
//! (the language) and the typed per-request context ([`key`]): a request whose
//! context is the same as an earlier one gets the earlier page without running
//! Tera, and without the context being written as JSON (that happens on a miss
//! only). Each cached page carries the tag of the session it was rendered for;
//! "forget me" and account deletion purge those pages ([`Templates::purge`]).
//!
//! A visitor's CSRF token is the one part of a context that is unique to a
//! session and present on most pages; it is rendered as a per-process random
//! placeholder ([`secret_placeholder`]) and spliced into the page on the way out,
//! so visitors whose pages differ only in their token share one rendering.
//!
//! Templates are `templates/**/*.html.tera`, named without the extension
//! (`base`, `partials/nav`, `forms/contact`), autoescaped as HTML. They must not
//! call Tera's `now`, `get_random` or `get_env`: a page is a function of its
//! context (a template that does is refused at launch, and on reload).

use std::borrow::Cow;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use rocket::fairing::AdHoc;
use rocket::futures::FutureExt;
use rocket::http::{ContentType, Status};
use rocket::request::{Outcome, Request};
use rocket::response::{self, Responder};
use rocket_dyn_templates::Metadata;
use serde::Serialize;

/// Default size of the render cache, in bytes of keys and pages.
pub const DEFAULT_CACHE_BYTES: u64 = 32 << 20;

use crate::web::context::Slots;
use crate::web::with_body;

mod cache;
mod encode;
mod engine;
mod key;
mod rendered;

pub use cache::Templates;
pub use engine::stage;
pub use key::owner_of;
pub use rendered::Secret;
use rendered::{ByteWeighter, RenderCache, Rendered};

/// Why a page could not be rendered (the engine logs its own errors).
#[derive(Debug, thiserror::Error)]
enum RenderError {
    #[error("the page context is not valid JSON")]
    Context(#[from] serde_json::Error),
    #[error("the template engine could not render the page")]
    Engine,
}

/// The stand-in for a visitor's secret (the CSRF token) in a page context:
/// random per process, in URL-safe base64 (which HTML escaping leaves as is),
/// replaced by the real value before the page is sent.
pub fn secret_placeholder() -> &'static str {
    static PLACEHOLDER: OnceLock<String> = OnceLock::new();
    PLACEHOLDER.get_or_init(|| format!("secret{}", tailor_session::random_token(16)))
}

/// A page the cache did not have: what rendering it takes.
struct Missed {
    statics: Arc<tera::Context>,
    /// The cache key; `None` when the context could not be keyed (not cached).
    key: Option<u128>,
    /// The per-request context, written as JSON only now that it is needed.
    json: Result<serde_json::Value, serde_json::Error>,
    /// What a render needs but the key need not hold (the slots' texts, which
    /// their variant names and the rules' generation in the key determine):
    /// added to the context only on a miss.
    late: Option<Box<Slots>>,
    /// When the session the page is rendered for was created, if any (its
    /// [`owner_of`] tag is worked out on a miss only).
    owner: Option<chrono::DateTime<chrono::Utc>>,
}

enum Body {
    Plain(Result<serde_json::Value, serde_json::Error>),
    Hit(Arc<Rendered>),
    Missed(Missed),
}

/// A page to render: the template's name and its context.
pub struct Template {
    name: Cow<'static, str>,
    body: Body,
    /// The secret spliced into a cached or rendered page.
    secret: Option<Secret>,
}

impl Template {
    /// Template `name` with `context` (serialised now, rendered when responding),
    /// not cached.
    pub fn render(name: impl Into<Cow<'static, str>>, context: impl Serialize) -> Self {
        Template {
            name: name.into(),
            body: Body::Plain(serde_json::to_value(context)),
            secret: None,
        }
    }

    /// Template `name` with `statics` (the same for every render of this template
    /// in `variant`) and `dynamic`, through the render cache of `templates`: the
    /// page is looked up now, and `dynamic` written as JSON only if it is missing.
    /// `dynamic` holds [`secret_placeholder`] where `secret` goes; `owner` tags the
    /// page for [`Templates::purge`].
    pub fn cached(
        name: impl Into<Cow<'static, str>>,
        variant: &str,
        statics: Arc<tera::Context>,
        dynamic: impl Serialize,
        render: Rendering<'_>,
    ) -> Self {
        let name = name.into();
        // No cache (a zero size), no key.
        let cache = render.templates.filter(|t| t.cache.is_some());
        let key = cache.and_then(|_| key::key_of(&name, variant, &dynamic));
        if let Some(found) = key.zip(cache).and_then(|(k, t)| t.lookup(k)) {
            return Template {
                name,
                body: Body::Hit(found),
                secret: render.secret,
            };
        }
        Template {
            name,
            body: Body::Missed(Missed {
                statics,
                key,
                json: serde_json::to_value(dynamic),
                late: render.late,
                owner: render.owner,
            }),
            secret: render.secret,
        }
    }
}

/// How a page goes through the cache: the cache, the secret to splice in, the
/// late context, and the session it is rendered for (tagged on a miss only).
pub struct Rendering<'a> {
    pub templates: Option<&'a Templates>,
    pub secret: Option<Secret>,
    pub late: Option<Box<Slots>>,
    pub owner: Option<chrono::DateTime<chrono::Utc>>,
}

impl<'r> Responder<'r, 'static> for Template {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        // The engine's guard only looks up managed state: it is ready at once.
        let engine = request.guard::<Metadata<'_>>().now_or_never();
        let (Some(templates), Some(Outcome::Success(engine))) =
            (request.rocket().state::<Templates>(), engine)
        else {
            rocket::error!("templates are not loaded");
            return Err(Status::InternalServerError);
        };
        let page = match self.body {
            Body::Plain(context) => {
                let rendered = context.map_err(RenderError::from).and_then(|c| {
                    let (_, html) = engine.render(self.name, c).ok_or(RenderError::Engine)?;
                    Ok(html)
                });
                let rendered = rendered.map(|html| Ok(with_body(ContentType::HTML, html)));
                return rendered.unwrap_or_else(|e| {
                    tailor_session::log_error_chain(&e);
                    Err(Status::InternalServerError)
                });
            }
            Body::Hit(page) => Ok(page),
            Body::Missed(missed) => templates.render_missed(&engine, &self.name, missed),
        };
        let rendered = page.map(|page| match &self.secret {
            Some(secret) if !page.secret_at.is_empty() => {
                Ok(with_body(ContentType::HTML, page.with_secret(secret)))
            }
            _ => Ok(with_body(
                ContentType::HTML,
                Arc::<[u8]>::from(page.html.clone()),
            )),
        });
        match rendered {
            Ok(response) => response,
            Err(e) => {
                tailor_session::log_error_chain(&e);
                Err(Status::InternalServerError)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stateless_tokens_are_spliced_per_action() {
        let p = secret_placeholder();
        let tokens = Arc::new(crate::web::tokens::FormTokens::new(cookie::Key::generate()));
        let page = format!(r#"<input value="{p}|preferences"><input value="{p}|login">"#);
        let out = Rendered::new(page, 0).with_secret(&Secret::Stateless(tokens.clone()));
        let values: Vec<&str> = out
            .split("value=\"")
            .skip(1)
            .filter_map(|v| v.split('"').next())
            .collect();
        assert_eq!(values.len(), 2);
        assert!(tokens.verify(values[0], "preferences") && !tokens.verify(values[0], "login"));
        assert!(tokens.verify(values[1], "login"));
        assert!(!out.contains('|'), "the action ids are consumed: {out}");
    }

    #[test]
    fn the_secret_goes_where_each_placeholder_was() {
        let p = secret_placeholder();
        for (page, expected) in [
            (format!("<a>{p}</a><b>{p}</b>"), "<a>TOKEN</a><b>TOKEN</b>"),
            (p.to_string(), "TOKEN"),
            (format!("{p}{p}"), "TOKENTOKEN"),
            ("no secret here".to_owned(), "no secret here"),
        ] {
            let token = Secret::Token("TOKEN".to_owned());
            assert_eq!(Rendered::new(page, 0).with_secret(&token), expected);
        }
    }
}
