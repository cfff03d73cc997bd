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

/// A rendered page: its text and where the secret placeholder occurs in it
/// (found once, when the page is rendered, not on every request), with the form
/// action that follows it when the page's forms take stateless tokens.
struct Rendered {
    html: Arc<str>,
    secret_at: Vec<SecretAt>,
}

/// One placeholder: where it starts, how many bytes it (and its action suffix)
/// take, and the action id of a `|action` suffix.
struct SecretAt {
    at: usize,
    len: usize,
    action: Option<Box<str>>,
}

/// What replaces the placeholder: the session's CSRF token, or a stateless
/// token for each form's action (a visitor without a session).
#[derive(Clone)]
pub enum Secret {
    Token(String),
    Stateless(Arc<super::tokens::FormTokens>),
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
    fn new(html: String) -> Self {
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
        }
    }

    /// The page with the secret in place of each placeholder.
    fn with_secret(&self, secret: &Secret) -> String {
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
struct ByteWeighter;

impl quick_cache::Weighter<Vec<u8>, Arc<Rendered>> for ByteWeighter {
    fn weight(&self, key: &Vec<u8>, page: &Arc<Rendered>) -> u64 {
        (key.len() + page.html.len() + 40 * page.secret_at.len() + 64) as u64
    }
}

type RenderCache = quick_cache::sync::Cache<Vec<u8>, Arc<Rendered>, ByteWeighter>;

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

/// The Tera function `t(key, lang, ...)`: message `key` (`cart.caption`) in
/// language `lang`, formatted by Fluent with the other arguments (numbers choose
/// the plural form). A pure function of its arguments, so pages stay cacheable.
fn translate(args: &std::collections::HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    use crate::i18n::{fluent::Arg, Language};
    let text = |name: &str| args.get(name).and_then(|v| v.as_str());
    let key = text("key").ok_or("t() needs key=\"section.message\"")?;
    let lang = text("lang")
        .and_then(Language::parse)
        .ok_or("t() needs lang= one of the supported languages")?;
    let named = args
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "key" | "lang"))
        .map(|(name, value)| {
            let arg = match value {
                tera::Value::Number(n) => Arg::Number(n.as_f64().unwrap_or_default()),
                tera::Value::String(s) => Arg::Text(s.as_str().into()),
                other => Arg::Text(other.to_string().into()),
            };
            (name.as_str(), arg)
        });
    Ok(lang.messages().format(key, named).into())
}

/// Tera's functions whose result is not a function of the context.
const IMPURE: [&str; 3] = ["now(", "get_random(", "get_env("];

/// tailor's part of the engine's set-up, run at launch and on every reload:
/// refuses a template that calls an [`IMPURE`] function, counts the load.
fn customise(tera: &mut tera::Tera, loaded: &AtomicU64) -> Result<(), Box<dyn std::error::Error>> {
    tera.autoescape_on(vec![".html.tera", ".html"]);
    tera.register_function("t", translate);
    for template in tera.templates.values() {
        let Some(path) = &template.path else { continue };
        let text = std::fs::read_to_string(path)?;
        if let Some(call) = IMPURE.into_iter().find(|call| text.contains(call)) {
            return Err(format!(
                "{path} calls `{call}`: pages must be a function of their context"
            )
            .into());
        }
    }
    loaded.fetch_add(1, Ordering::AcqRel);
    Ok(())
}

/// The template engine (`rocket_dyn_templates`, Tera) and the render cache. A
/// template that does not compile, or calls a function whose result is not a
/// function of the context, stops the launch. The render cache holds
/// `render_cache_bytes` (default 32 MiB; 0 turns it off).
pub fn stage() -> AdHoc {
    AdHoc::try_on_ignite("Templates", |rocket| async move {
        let bytes = if rocket.figment().contains("render_cache_bytes") {
            match rocket.figment().extract_inner::<u64>("render_cache_bytes") {
                Ok(bytes) => bytes,
                Err(e) => {
                    rocket::error!("render_cache_bytes: {e}");
                    return Err(rocket);
                }
            }
        } else {
            DEFAULT_CACHE_BYTES
        };
        // Pages weigh a few KiB with their key.
        let cache = (bytes > 0).then(|| {
            RenderCache::with_weighter((bytes / 8192).max(16) as usize, bytes, ByteWeighter)
        });
        let loaded = Arc::new(AtomicU64::new(0));
        let counted = loaded.clone();
        let engine = rocket_dyn_templates::Template::try_custom(move |engines| {
            customise(&mut engines.tera, &counted)
        });
        Ok(rocket.attach(engine).manage(Templates {
            cache,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            cached: AtomicU64::new(loaded.load(Ordering::Acquire)),
            loaded,
        }))
    })
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
