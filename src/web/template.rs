//! Page rendering with Tera, compiled once at ignite. The page context is
//! serialised once, straight into Tera's context (rocket_dyn_templates serialises
//! it twice, through figment's value type, which was a third of a page's cost).
//! Templates are `templates/**/*.html.tera`, named without the extension
//! (`base`, `partials/nav`, `forms/contact`), autoescaped as HTML.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use rocket::fairing::AdHoc;
use rocket::http::{ContentType, Status};
use rocket::request::Request;
use rocket::response::{self, Responder};
use serde::Serialize;

/// The compiled templates, as managed state.
pub struct Templates(tera::Tera);

/// A page to render: the template's name and its context.
pub struct Template {
    name: Cow<'static, str>,
    context: Result<tera::Context, tera::Error>,
}

impl Template {
    /// Template `name` with `context` (serialised now, rendered when responding).
    pub fn render(name: impl Into<Cow<'static, str>>, context: impl Serialize) -> Self {
        Template {
            name: name.into(),
            context: tera::Context::from_serialize(context),
        }
    }
}

impl<'r> Responder<'r, 'static> for Template {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        let Some(Templates(tera)) = request.rocket().state::<Templates>() else {
            rocket::error!("templates are not loaded");
            return Err(Status::InternalServerError);
        };
        let rendered = self
            .context
            .and_then(|context| tera.render(&self.name, &context));
        match rendered {
            Ok(html) => (ContentType::HTML, html).respond_to(request),
            Err(e) => {
                crate::session::log_error_chain(&e);
                Err(Status::InternalServerError)
            }
        }
    }
}

fn collect(dir: &Path, root: &Path, out: &mut Vec<(PathBuf, String)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, root, out)?;
        } else if let Some(name) = path.to_str().and_then(|p| p.strip_suffix(".html.tera")) {
            let name = Path::new(name)
                .strip_prefix(root)
                .unwrap_or(Path::new(name));
            out.push((path.clone(), name.to_string_lossy().replace('\\', "/")));
        }
    }
    Ok(())
}

/// Loads and compiles every template of `template_dir` (default: the project's
/// `templates/`); a template that does not compile stops the launch.
pub fn stage() -> AdHoc {
    AdHoc::try_on_ignite("Templates", |rocket| async move {
        let dir: PathBuf = rocket
            .figment()
            .extract_inner::<PathBuf>("template_dir")
            .unwrap_or_else(|_| PathBuf::from(rocket::fs::relative!("templates")));
        let mut files = Vec::new();
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html.tera", ".html"]);
        let loaded = collect(&dir, &dir, &mut files)
            .map_err(|e| e.to_string())
            .and_then(|()| {
                tera.add_template_files(
                    files
                        .iter()
                        .map(|(p, n)| (p, Some(n.as_str())))
                        .collect::<Vec<_>>(),
                )
                .map_err(|e| {
                    let mut text = e.to_string();
                    let mut source = std::error::Error::source(&e);
                    while let Some(cause) = source {
                        text.push_str(&format!(": {cause}"));
                        source = cause.source();
                    }
                    text
                })
            });
        match loaded {
            Ok(()) => Ok(rocket.manage(Templates(tera))),
            Err(e) => {
                rocket::error!("the templates in {} cannot be loaded: {e}", dir.display());
                Err(rocket)
            }
        }
    })
}
