//! Rendering a page: the static context of each template and language (computed
//! once), the per-request context, the render cache and the token splice.

use super::{
    secret_placeholder, Arc, Cow, HashMap, HashSet, Language, Mutex, OnceLock, PageContext,
    Rendering, Secret, Serialize, Template, Templates, View, NAV,
};
/// A context for pages rendered when the session could not be loaded.
pub fn fallback_context(lang: Language, path: &str) -> PageContext {
    PageContext::new(lang, path.to_owned())
}

/// The static context of template `name` in `lang`: the navigation and the part
/// of the catalog the template can reach (the sections its file, the templates it
/// extends, includes and imports name as `tr.<section>`). Rendering copies the
/// context, so handing each page only its sections (rather than the whole
/// catalog) matters. Computed once per template and language.
pub(super) fn statics_for(lang: Language, name: &str) -> Arc<tera::Context> {
    type Cache = Mutex<HashMap<(Language, String), Arc<tera::Context>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Cache::default);
    let key = (lang, name.to_owned());
    if let Some(found) = cache.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
        return found.clone();
    }
    let full = lang.catalog();
    let subset = match (template_sections(name), full.as_object()) {
        (Some(sections), Some(all)) => {
            let map = all
                .iter()
                .filter(|(k, _)| sections.contains(k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            serde_json::Value::Object(map)
        }
        _ => full.clone(),
    };
    let mut statics = tera::Context::new();
    statics.insert("tr", &subset);
    statics.insert("nav", &NAV);
    let statics = Arc::new(statics);
    cache
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(key, statics.clone());
    statics
}
/// The catalog sections template `name` and everything it pulls in use; `None`
/// when a file cannot be read or indexes `tr` by a variable (then all sections).
pub(super) fn template_sections(name: &str) -> Option<HashSet<String>> {
    let dir = std::path::Path::new(rocket::fs::relative!("templates"));
    let mut sections = HashSet::new();
    let mut pending = vec![name.to_owned()];
    let mut seen = HashSet::new();
    while let Some(name) = pending.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let text = std::fs::read_to_string(dir.join(format!("{name}.html.tera"))).ok()?;
        if text.contains("tr[") {
            return None;
        }
        for directive in ["{% extends \"", "{% include \"", "{% import \""] {
            for part in text.split(directive).skip(1) {
                pending.extend(part.split('"').next().map(str::to_owned));
            }
        }
        for part in text.split("tr.").skip(1) {
            let section: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            sections.insert(section);
        }
    }
    Some(sections)
}

/// Renders `name` with `page` as `page` and `data` beside it, through the render
/// cache of `templates` (a page of no session's); the CSRF token is spliced in
/// after rendering.
pub fn render_with<T: Serialize>(
    mut page: PageContext,
    name: impl Into<Cow<'static, str>>,
    data: T,
    templates: Option<&Templates>,
) -> Template {
    let secret = page.csrf_token.take().map(Secret::Token);
    render_secret(page, name, data, secret, (templates, None))
}

/// Renders `name`, the forms' tokens (`secret`) spliced in after rendering,
/// through `cache`: the render cache and the tag of the session the page is for.
pub(super) fn render_secret<T: Serialize>(
    mut page: PageContext,
    name: impl Into<Cow<'static, str>>,
    data: T,
    secret: Option<Secret>,
    cache: (Option<&Templates>, Option<chrono::DateTime<chrono::Utc>>),
) -> Template {
    let name = name.into();
    let statics = statics_for(page.lang, &name);
    page.csrf_token = secret.as_ref().map(|_| secret_placeholder().to_owned());
    let lang = page.lang.code();
    // The slots' texts go to the engine on a miss only: the key holds their
    // variant names and the rules' generation, which determine them.
    let late = page.slots.is_set().then(|| Box::new(page.slots.clone()));
    let rendering = Rendering {
        templates: cache.0,
        secret,
        late,
        owner: cache.1,
    };
    Template::cached(name, lang, statics, View { page, data }, rendering)
}
