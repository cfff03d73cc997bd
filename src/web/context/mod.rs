//! The page context every template gets, built once per request by the [`Page`]
//! guard, and the CSRF synchronizer-token check of HTML forms.

mod guard;
mod pieces;
mod slots;
pub use guard::{facts_of, Visitor};
pub use pieces::{ContextPiece, Pieces};
pub use slots::{Choice, SlotView, Slots};
mod render;

use render::render_secret;
pub use render::{fallback_context, render_with};

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

use crate::web::template::{secret_placeholder, Rendering, Secret, Template, Templates};
use crate::web::tokens::FormTokens;
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use serde::Serialize;

use super::hooks::{hooks_of, Facts, PageHook, Prepare};
use crate::i18n::{Language, Negotiated, Timezone};
use crate::record::{Flash, SessionData};
use tailor_session::{Part, Session, SessionError};

/// The layout data of every page (language, theme, zone, token, flash, path) and
/// the features' pieces, each under its own name ([`ContextPiece`]).
#[derive(Serialize)]
pub struct PageContext {
    pub lang: Language,
    /// The theme's code (`light`, `dark`, `system`, `high-contrast`).
    pub theme: &'static str,
    pub timezone: String,
    pub csrf_token: Option<String>,
    pub flash: Option<FlashView>,
    pub path: String,
    /// The visitor has no session and gets none from a page (opt-in mode, before
    /// the choice): forms carry stateless tokens, bound to their action.
    pub stateless_forms: bool,
    /// What the pages' personalised places show (filled by the rules); left out
    /// of the context (and the render cache's key) when the page shows none.
    #[serde(skip_serializing_if = "Slots::is_unset")]
    pub slots: Slots,
    /// What the features put, each as `page.<its name>`.
    #[serde(flatten)]
    pub pieces: Pieces,
}

impl PageContext {
    /// The layout of a page in `lang` at `path`, with no feature's piece yet.
    pub fn new(lang: Language, path: String) -> Self {
        PageContext {
            lang,
            theme: "system",
            timezone: "UTC".into(),
            csrf_token: None,
            flash: None,
            path,
            stateless_forms: false,
            slots: Slots::default(),
            pieces: Pieces::default(),
        }
    }

    /// Puts a feature's piece, replacing one of its type.
    pub fn put<T: ContextPiece>(&mut self, piece: T) {
        self.pieces.put(piece);
    }

    /// The piece of type `T`, if its feature put one.
    pub fn get<T: ContextPiece>(&self) -> Option<&T> {
        self.pieces.get()
    }

    /// The piece of type `T` to change.
    pub fn get_mut<T: ContextPiece>(&mut self) -> Option<&mut T> {
        self.pieces.get_mut()
    }
}

/// A flash message resolved to text in the visitor's language.
#[derive(Serialize)]
pub struct FlashView {
    pub kind: String,
    pub text: &'static str,
}

/// The navigation bar: every page of the site as (path, `nav.*` catalog key).
pub const NAV: [(&str, &str); 9] = [
    ("/", "home"),
    ("/preferences", "preferences"),
    ("/forms/contact", "contact"),
    ("/drafts", "drafts"),
    ("/history", "history"),
    ("/products", "products"),
    ("/cart", "cart"),
    ("/account", "account"),
    ("/privacy", "privacy"),
];

/// The per-request part of a page's context (the catalog and the navigation
/// come from [`statics_for`]).
#[derive(Serialize)]
struct View<T: Serialize> {
    page: PageContext,
    #[serde(flatten)]
    data: T,
}

/// The request guard of every HTML page: the session, the visitor's language and
/// zone, the flash message taken for this page, and what the features' page hooks
/// found ([`Page::fact`]).
pub struct Page<'r> {
    pub session: Session<'r, SessionData>,
    pub lang: Language,
    /// The zone the page shows times in.
    pub zone: Timezone,
    path: String,
    flash: Option<Flash>,
    facts: &'r Facts,
    hooks: &'r [Arc<dyn PageHook>],
    /// Stateless form tokens, when this visitor's forms take them.
    stateless: Option<Stateless>,
    rocket: &'r rocket::Rocket<rocket::Orbit>,
    request: &'r Request<'r>,
}

/// How a visitor without a session (opt-in mode, before the choice) sends forms.
struct Stateless {
    tokens: Arc<FormTokens>,
    /// The id of the action this request posts to.
    action: String,
    /// The request comes from this site: a same-origin `Origin`, or
    /// `Sec-Fetch-Site: same-origin`. A stateless token is accepted only then.
    same_site: bool,
}

impl<'r> Page<'r> {
    /// Managed state of the app (a feature's settings, say).
    pub fn state<T: Send + Sync + 'static>(&self) -> Option<&'r T> {
        self.rocket.state::<T>()
    }

    /// The request this page answers.
    pub fn request(&self) -> &'r Request<'r> {
        self.request
    }

    /// Everything the page hooks found for this request.
    pub fn facts(&self) -> &Facts {
        self.facts
    }

    /// What a page hook found for this request (the login, say).
    pub fn fact<T: std::any::Any + Send + Sync>(&self) -> Option<&T> {
        self.facts.get()
    }

    /// What the page at `path` is called, in this page's language: a feature's
    /// title for it ([`crate::web::PageTitle`]), else the navigation's name, else
    /// the path itself.
    pub fn title_of(&self, path: &str) -> String {
        let titles = hooks_of::<dyn crate::web::PageTitle>(self.rocket);
        titles
            .iter()
            .find_map(|t| t.title(path, self.lang))
            .or_else(|| {
                NAV.iter()
                    .find(|(p, _)| *p == path)
                    .map(|(_, key)| self.lang.text(&format!("nav.{key}")).to_owned())
            })
            .unwrap_or_else(|| path.to_owned())
    }

    /// The session record, if the visitor has one.
    pub fn data(&self) -> Option<Arc<SessionData>> {
        self.session.data()
    }

    /// The application this page is served by.
    pub fn rocket(&self) -> &'r rocket::Rocket<rocket::Orbit> {
        self.rocket
    }

    /// Part `T` of the session record, or its default.
    pub fn part_or_default<T: Part>(&self) -> T {
        self.data()
            .and_then(|d| d.part::<T>().cloned())
            .unwrap_or_default()
    }

    /// The context for templates: the layout's fields, each feature's filled in by
    /// its page hook.
    pub fn context(&self) -> PageContext {
        let data = self.data();
        let mut layout = PageContext::new(self.lang, self.path.clone());
        layout.timezone = self.zone.name().to_owned();
        layout.csrf_token = data.as_ref().map(|d| d.csrf_token.to_string());
        layout.flash = self.flash.as_ref().map(|f| FlashView {
            kind: f.kind.clone(),
            text: self.lang.text(&f.key),
        });
        layout.stateless_forms = self.stateless.is_some();
        for hook in self.hooks {
            hook.layout(self.facts, data.as_deref(), &mut layout);
        }
        layout
    }

    /// Renders template `name` with the page context as `page` and `data` beside it.
    pub fn render<T: Serialize>(&self, name: impl Into<Cow<'static, str>>, data: T) -> Template {
        let mut context = self.context();
        let secret = match &self.stateless {
            Some(stateless) => Some(Secret::Stateless(stateless.tokens.clone())),
            None => context.csrf_token.take().map(Secret::Token),
        };
        let owner = self.data().map(|d| d.created_at);
        let cache = (self.state::<Templates>(), owner);
        render_secret(context, name, data, secret, cache)
    }

    /// Makes sure the visitor has a session, so a form can carry a CSRF token bound
    /// to it; not for a visitor whose forms take stateless tokens (nothing is
    /// stored before their choice).
    ///
    /// # Errors
    /// [`SessionError`] when the store fails.
    pub async fn ensure_session(&self) -> Result<(), SessionError> {
        if !self.session.exists() && self.stateless.is_none() {
            self.session.update(|_| ()).await?;
        }
        Ok(())
    }

    /// Checks a submitted CSRF token: the session's (in constant time) when the
    /// visitor has a session; without one, a live stateless token for this very
    /// action, from this site.
    ///
    /// # Errors
    /// 403 when the token is missing or wrong, or the request is not one a
    /// stateless token may vouch for.
    ///
    /// A form from a page of this site whose token is simply out of date (opened
    /// before a login or logout in another tab) is noted as a [`StaleForm`]: the
    /// 403 becomes a 303 back to the page it came from, with a notice.
    pub fn check_csrf(&self, token: Option<&str>) -> Result<(), Status> {
        match (self.data(), token, &self.stateless) {
            (Some(data), Some(given), _) if data.csrf_token.matches(given) => Ok(()),
            (None, Some(given), Some(stateless))
                if stateless.same_site && stateless.tokens.verify(given, &stateless.action) =>
            {
                Ok(())
            }
            _ => {
                // Not for a visitor without a session whose forms take stateless
                // tokens: theirs are bound to one form, not to a session that
                // changed.
                let session_bound = self.stateless.is_none() || self.session.exists();
                if session_bound && guard::same_site(self.request) {
                    let back =
                        crate::web::referring_path(self.request).unwrap_or_else(|| "/".to_owned());
                    let notice = "flash.form_stale";
                    crate::web::note_stale(self.request, crate::web::StaleForm { back, notice });
                }
                Err(Status::Forbidden)
            }
        }
    }

    /// Leaves a notice (`flash`, a catalog key) for the visitor's next page,
    /// starting a session if need be, but not for a visitor whose forms take
    /// stateless tokens (nothing is stored before their choice). Best effort: a
    /// store failure only loses the notice.
    pub async fn notice(&self, kind: &str, flash: &str) {
        if self.stateless.is_some() && !self.session.exists() {
            return;
        }
        if let Err(e) = self
            .session
            .update(|d: &mut SessionData| d.flash(kind, flash))
            .await
        {
            tailor_session::log_error_chain(&e);
        }
    }
}
