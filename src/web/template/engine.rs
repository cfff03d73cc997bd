//! The engine behind the cache: rocket_dyn_templates' Tera with tailor's `t`
//! function, the purity check, and the stage.

use super::{
    AdHoc, Arc, AtomicU64, ByteWeighter, Ordering, RenderCache, Templates, DEFAULT_CACHE_BYTES,
};
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
