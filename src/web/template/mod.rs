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
//! per-request part, serialised once to JSON. Rendering is a pure function of
//! the two, so the rendered page is cached under the template's name, the
//! variant (the language) and that JSON: a request whose context is the same as
//! an earlier one gets the earlier page without running Tera. The key is the
//! whole context, not a hash of it, so two different contexts never share a page.
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

mod engine;
mod rendered;

pub use engine::stage;
pub use rendered::Secret;
use rendered::{ByteWeighter, RenderCache, Rendered};

/// The render cache and its counters, as managed state (the engine itself is
/// `rocket_dyn_templates`').
pub struct Templates {
    cache: Option<RenderCache>,
    hits: AtomicU64,
    misses: AtomicU64,
    /// How many times the engine has loaded the templates (1, then one more per
    /// reload), and the generation the cached pages were rendered with.
    loaded: Arc<AtomicU64>,
    cached: AtomicU64,
}

impl Templates {
    /// Pages served from the render cache and pages rendered, since launch.
    pub fn cache_counts(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    /// Empties the cache when the engine reloaded the templates since the
    /// cached pages were rendered.
    fn follow_reloads(&self) {
        let loaded = self.loaded.load(Ordering::Acquire);
        if self.cached.swap(loaded, Ordering::AcqRel) != loaded {
            if let Some(cache) = &self.cache {
                cache.clear();
            }
        }
    }

    fn render_keyed(
        &self,
        engine: &Metadata<'_>,
        name: &str,
        keyed: Keyed,
    ) -> Result<Arc<Rendered>, RenderError> {
        let key = keyed.key?;
        if engine.reloading() {
            self.follow_reloads();
        }
        if let Some(found) = self.cache.as_ref().and_then(|c| c.get(&key)) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return Ok(found);
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let mut context = (*keyed.statics).clone().into_json();
        let dynamic: serde_json::Value = serde_json::from_slice(&key[keyed.prefix..])?;
        if let (Some(all), serde_json::Value::Object(dynamic)) = (context.as_object_mut(), dynamic)
        {
            all.extend(dynamic);
            if let Some(late) = &keyed.late {
                all.insert("slots".into(), late.texts());
            }
        }
        let (_, html) = engine
            .render(name.to_owned(), context)
            .ok_or(RenderError::Engine)?;
        let rendered = Arc::new(Rendered::new(html));
        if let Some(cache) = &self.cache {
            cache.insert(key, rendered.clone());
        }
        Ok(rendered)
    }
}

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

/// A cacheable page: the static context, the cache key, the secret to splice in.
struct Keyed {
    statics: Arc<tera::Context>,
    /// Template name, variant and the per-request context as JSON.
    key: Result<Vec<u8>, serde_json::Error>,
    /// Where the JSON starts in `key`.
    prefix: usize,
    secret: Option<Secret>,
    /// What a render needs but the key need not hold (the slots' texts, which
    /// their variant names and the rules' generation in the key determine):
    /// added to the context only on a miss.
    late: Option<Box<Slots>>,
}

enum Body {
    Plain(Result<serde_json::Value, serde_json::Error>),
    Keyed(Keyed),
}

/// A page to render: the template's name and its context.
pub struct Template {
    name: Cow<'static, str>,
    body: Body,
}

impl Template {
    /// Template `name` with `context` (serialised now, rendered when responding),
    /// not cached.
    pub fn render(name: impl Into<Cow<'static, str>>, context: impl Serialize) -> Self {
        Template {
            name: name.into(),
            body: Body::Plain(serde_json::to_value(context)),
        }
    }

    /// Template `name` with `statics` (the same for every render of this template
    /// in `variant`) and `dynamic`, through the render cache. `dynamic` holds
    /// [`secret_placeholder`] where `secret` goes.
    pub fn cached(
        name: impl Into<Cow<'static, str>>,
        variant: &str,
        statics: Arc<tera::Context>,
        dynamic: impl Serialize,
        secret: Option<Secret>,
        late: Option<Box<Slots>>,
    ) -> Self {
        let name = name.into();
        let mut key = Vec::with_capacity(1024);
        key.extend_from_slice(name.as_bytes());
        key.push(0);
        key.extend_from_slice(variant.as_bytes());
        key.push(0);
        let prefix = key.len();
        let key = serde_json::to_writer(&mut key, &dynamic).map(|()| key);
        Template {
            name,
            body: Body::Keyed(Keyed {
                statics,
                key,
                prefix,
                secret,
                late,
            }),
        }
    }
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
        let rendered = match self.body {
            Body::Plain(context) => context.map_err(RenderError::from).and_then(|c| {
                let (_, html) = engine.render(self.name, c).ok_or(RenderError::Engine)?;
                Ok((ContentType::HTML, html).respond_to(request))
            }),
            Body::Keyed(keyed) => {
                let secret = keyed.secret.clone();
                templates
                    .render_keyed(&engine, &self.name, keyed)
                    .map(|page| match secret {
                        Some(secret) if !page.secret_at.is_empty() => {
                            (ContentType::HTML, page.with_secret(&secret)).respond_to(request)
                        }
                        _ => (ContentType::HTML, page.html.clone()).respond_to(request),
                    })
            }
        };
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
        let out = Rendered::new(page).with_secret(&Secret::Stateless(tokens.clone()));
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
            assert_eq!(Rendered::new(page).with_secret(&token), expected);
        }
    }
}
