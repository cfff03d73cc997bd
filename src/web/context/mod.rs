//! The page context every template gets, built once per request by the [`Page`]
//! guard, and the CSRF synchronizer-token check of HTML forms.

mod render;

use render::render_secret;
pub use render::{fallback_context, render_with};

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

use crate::web::template::{secret_placeholder, Secret, Template};
use crate::web::tokens::FormTokens;
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use serde::Serialize;

use crate::accounts::{LoggedIn, Login};
use crate::cart::Cart;
use crate::drafts::{self, DraftConfig};
use crate::i18n::{Language, Negotiated};
use crate::preferences::{Preferences, Theme};
use crate::record::{Flash, SessionData};
use crate::tracking::{self, ConsentView};
use tailor_session::{Session, SessionError};

/// The layout data of every page: language, theme, translations, user, token, flash.
#[derive(Serialize)]
pub struct PageContext {
    pub lang: Language,
    pub theme: Theme,
    pub timezone: String,
    pub display_name: Option<String>,
    pub csrf_token: Option<String>,
    pub flash: Option<FlashView>,
    pub path: String,
    /// The opt-in consent banner, when the visitor has not chosen yet.
    pub consent: Option<ConsentView>,
    /// The logged-in user's name.
    pub user: Option<String>,
    /// Units in the cart, for the navigation bar.
    pub cart_count: u32,
    /// The visitor has no session and gets none from a page (opt-in mode, before
    /// the choice): forms carry stateless tokens, bound to their action.
    pub stateless_forms: bool,
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
/// the flash message taken for this page.
pub struct Page<'r> {
    pub session: Session<'r, SessionData>,
    pub lang: Language,
    path: String,
    flash: Option<Flash>,
    tracking_allowed: bool,
    consent: Option<ConsentView>,
    login: Option<LoggedIn>,
    /// Stateless form tokens, when this visitor's forms take them.
    stateless: Option<Stateless>,
    rocket: &'r rocket::Rocket<rocket::Orbit>,
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

    /// Whether this visitor may be tracked on this request (preference, consent
    /// mode, GPC and DNT all considered).
    pub fn tracking_allowed(&self) -> bool {
        self.tracking_allowed
    }

    /// The logged-in user's name.
    pub fn user(&self) -> Option<String> {
        self.login.as_ref().map(|l| l.account.username.clone())
    }

    /// The session's login, checked for this request (lifetimes, account, epoch).
    pub fn login(&self) -> Option<&LoggedIn> {
        self.login.as_ref()
    }

    /// The visitor's cart: the account's while logged in, else the session's.
    pub fn cart(&self) -> Cart {
        match &self.login {
            Some(login) => login.account.cart.clone(),
            None => self
                .data()
                .and_then(|d| d.part::<Cart>().cloned())
                .unwrap_or_default(),
        }
    }

    /// The session record, if the visitor has one.
    pub fn data(&self) -> Option<Arc<SessionData>> {
        self.session.data()
    }

    /// The visitor's preferences (defaults for a new visitor).
    pub fn preferences(&self) -> Preferences {
        self.data()
            .and_then(|d| d.part::<Preferences>().cloned())
            .unwrap_or_default()
    }

    /// The context for templates.
    pub fn context(&self) -> PageContext {
        let data = self.data();
        let prefs = data
            .as_ref()
            .and_then(|d| d.part::<Preferences>().cloned())
            .unwrap_or_default();
        PageContext {
            lang: self.lang,
            theme: prefs.theme,
            timezone: prefs.timezone.name().to_owned(),
            display_name: prefs
                .display_name
                .map(|n| n.as_str().to_owned())
                .or_else(|| self.user()),
            user: self.user(),
            cart_count: match &self.login {
                Some(login) => login.account.cart.count(),
                None => data
                    .as_ref()
                    .and_then(|d| d.part::<Cart>())
                    .map_or(0, Cart::count),
            },
            csrf_token: data.map(|d| d.csrf_token.to_string()),
            flash: self.flash.as_ref().map(|f| FlashView {
                kind: f.kind.clone(),
                text: self.lang.text(&f.key),
            }),
            path: self.path.clone(),
            consent: self.consent.clone(),
            stateless_forms: self.stateless.is_some(),
        }
    }

    /// Renders template `name` with the page context as `page` and `data` beside it.
    pub fn render<T: Serialize>(&self, name: impl Into<Cow<'static, str>>, data: T) -> Template {
        match &self.stateless {
            Some(stateless) => {
                let secret = Secret::Stateless(stateless.tokens.clone());
                render_secret(self.context(), name, data, Some(secret))
            }
            None => render_with(self.context(), name, data),
        }
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
    pub fn check_csrf(&self, token: Option<&str>) -> Result<(), Status> {
        match (self.data(), token, &self.stateless) {
            (Some(data), Some(given), _) if data.csrf_token.matches(given) => Ok(()),
            (None, Some(given), Some(stateless))
                if stateless.same_site && stateless.tokens.verify(given, &stateless.action) =>
            {
                Ok(())
            }
            _ => Err(Status::Forbidden),
        }
    }
}

/// The language of the page: the saved choice, else `Accept-Language`, else `en`.
fn page_language(data: Option<&SessionData>, negotiated: Language) -> Language {
    data.and_then(|d| d.part::<Preferences>()?.language)
        .unwrap_or(negotiated)
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Page<'r> {
    type Error = SessionError;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let session = match Session::<SessionData>::from_request(request).await {
            Outcome::Success(s) => s,
            Outcome::Error(e) => return Outcome::Error(e),
            Outcome::Forward(s) => return Outcome::Forward(s),
        };
        let Outcome::Success(Negotiated(negotiated)) = Negotiated::from_request(request).await
        else {
            return Outcome::Forward(Status::InternalServerError);
        };
        // A login past its lifetime, or of an account that is gone or moved its
        // epoch, ends here (new id, user cleared, the visitor told).
        let login = match Login::from_request(request).await {
            Outcome::Success(Login(login)) => login,
            Outcome::Error((Status::Conflict, ())) => {
                return Outcome::Error((Status::Conflict, SessionError::Gone));
            }
            _ => {
                let e =
                    tailor_session::StoreError::Backend("the login could not be checked".into());
                return Outcome::Error((Status::ServiceUnavailable, SessionError::Store(e)));
            }
        };
        let data = session.data();
        let lang = page_language(data.as_deref(), negotiated);
        let plan = tracking::plan(request, data.as_deref());
        // Housekeeping in one write, only when there is some: the session a page view
        // needs (to record it, or for the consent banner's token), drafts past their
        // age dropped (and the visitor told), and a flash shown once.
        let limits = request.rocket().state::<DraftConfig>().map(|c| &c.limits);
        let expired = |d: &SessionData| limits.is_some_and(|l| drafts::has_expired(d, l));
        let must_write = match &data {
            Some(d) => d.has_flash() || expired(d),
            None => plan.needs_session,
        };
        let mut flash = None;
        if must_write {
            let taken = session.update(|d: &mut SessionData| {
                if limits.is_some_and(|l| drafts::expire(d, l)) {
                    d.flash("info", "flash.draft_expired");
                }
                d.take_flash()
            });
            match taken.await {
                Ok(taken) => flash = taken,
                Err(e) => return Outcome::Error((e.status(), e)),
            }
        }
        if let (Some(pending), Some(id)) = (plan.pending, session.id()) {
            tracking::defer(request, id, pending);
        }
        let stateless = match request.rocket().state::<Arc<FormTokens>>() {
            Some(tokens) if plan.stateless && !session.exists() => Some(Stateless {
                tokens: tokens.clone(),
                action: super::tokens::action_id(request.uri().path().as_str()),
                same_site: same_site(request),
            }),
            _ => None,
        };
        let path = request.uri().path().to_string();
        Outcome::Success(Page {
            session,
            lang,
            path,
            flash,
            tracking_allowed: plan.allowed,
            consent: plan.consent,
            login,
            stateless,
            rocket: request.rocket(),
        })
    }
}

/// Whether a request comes from a page of this site: its `Origin` is this
/// server's, or the browser says `Sec-Fetch-Site: same-origin`.
fn same_site(request: &Request<'_>) -> bool {
    let origin_ok =
        request.headers().get_one("Origin").is_some() && super::api::same_origin(request);
    let fetch_ok = request
        .headers()
        .get_one("Sec-Fetch-Site")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("same-origin"));
    origin_ok || fetch_ok
}
