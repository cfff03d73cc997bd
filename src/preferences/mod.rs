//! Preferences: theme, language, time zone, tracking consent and the name to greet
//! the visitor with. Pages `GET/POST /preferences`, API `GET/PUT /api/v1/preferences`.

mod login;
mod model;
mod page;
pub mod part;
mod privacy;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use rocket::fairing::AdHoc;
use rocket::form::{Form, FromForm};
use rocket::http::Status;
use rocket::response::Redirect;
use rocket::serde::json::Json;
use rocket::{get, post, put, routes, uri, State};
use serde::Serialize;

pub use model::*;

use crate::accounts::{Accounts, LoggedIn, Login, Unavailable};
use crate::i18n::{Language, Negotiated};
use crate::record::SessionData;
use crate::web::{ApiError, ApiJson, FormOutcome, Page};
use tailor_session::Session;

/// The preferences as the API shows them: the effective language, and where it came from.
#[derive(Serialize)]
pub struct PreferencesView {
    pub theme: Theme,
    pub language: Language,
    /// `chosen` when saved, `negotiated` when taken from `Accept-Language`.
    pub language_source: &'static str,
    pub timezone: Timezone,
    pub tracking: bool,
    pub display_name: Option<DisplayName>,
}

impl PreferencesView {
    pub fn new(prefs: &Preferences, negotiated: Language, tracking: TrackingDefault) -> Self {
        PreferencesView {
            theme: prefs.theme,
            language: prefs.language.unwrap_or(negotiated),
            language_source: if prefs.language.is_some() {
                "chosen"
            } else {
                "negotiated"
            },
            timezone: prefs.timezone,
            tracking: prefs.tracking.unwrap_or(tracking.0),
            display_name: prefs.display_name.clone(),
        }
    }
}

/// The HTML form; every field optional so that a missing one is a 422 beside the
/// field, not a parse failure.
#[derive(FromForm, Default)]
struct PreferencesForm {
    csrf_token: Option<String>,
    theme: Option<String>,
    language: Option<String>,
    timezone: Option<String>,
    tracking: Option<String>,
    display_name: Option<String>,
}

impl PreferencesForm {
    /// Validates every field; all errors at once, for the form to show beside each.
    fn patch(&self) -> Result<PreferencesPatch, Vec<FieldError>> {
        let mut errors = Vec::new();
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let theme = keep(parse_theme(&text(&self.theme)), &mut errors);
        let language = match text(&self.language).as_str() {
            "" => Some(None),
            tag => keep(parse_language(tag).map(Some), &mut errors),
        };
        let timezone = keep(parse_timezone(&text(&self.timezone)), &mut errors);
        let display_name = keep(DisplayName::parse(&text(&self.display_name)), &mut errors);
        let tracking = matches!(self.tracking.as_deref(), Some("on" | "true"));
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(PreferencesPatch {
            theme,
            language,
            timezone,
            tracking: Some(tracking),
            display_name,
        })
    }
}

/// The value of a valid field; an invalid one's error goes to `errors`.
fn keep<T>(result: Result<T, FieldError>, errors: &mut Vec<FieldError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

#[derive(Serialize)]
struct FormView<'a> {
    values: FormValues,
    errors: BTreeMap<String, &'static str>,
    themes: Vec<&'static str>,
    languages: Vec<&'static str>,
    timezones: &'a [&'static str],
}

#[derive(Serialize)]
struct FormValues {
    theme: String,
    language: String,
    timezone: String,
    tracking: bool,
    display_name: String,
}

impl FormValues {
    fn from_prefs(prefs: &Preferences, tracking: TrackingDefault) -> Self {
        FormValues {
            theme: prefs.theme.code().into(),
            language: prefs.language.map(|l| l.code().into()).unwrap_or_default(),
            timezone: prefs.timezone.name().into(),
            tracking: prefs.tracking.unwrap_or(tracking.0),
            display_name: prefs
                .display_name
                .as_ref()
                .map(|n| n.as_str().into())
                .unwrap_or_default(),
        }
    }

    fn from_form(form: &PreferencesForm) -> Self {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        FormValues {
            theme: text(&form.theme),
            language: text(&form.language),
            timezone: text(&form.timezone),
            tracking: matches!(form.tracking.as_deref(), Some("on" | "true")),
            display_name: text(&form.display_name),
        }
    }
}

/// Every IANA zone name chrono-tz knows, sorted.
pub fn timezone_names() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names: Vec<&'static str> =
            chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
        names.sort_unstable();
        names
    })
}

fn form_view(values: FormValues, errors: &[FieldError]) -> FormView<'static> {
    FormView {
        values,
        errors: errors.iter().map(|e| (e.field.clone(), e.reason)).collect(),
        themes: Theme::ALL.iter().map(|t| t.code()).collect(),
        languages: Language::ALL.iter().map(|l| l.code()).collect(),
        timezones: timezone_names(),
    }
}

#[get("/preferences")]
async fn show(
    page: Page<'_>,
    tracking: &State<TrackingDefault>,
) -> Result<crate::web::template::Template, Status> {
    page.ensure_session().await?;
    let values = FormValues::from_prefs(&page.part_or_default::<Preferences>(), **tracking);
    Ok(page.render("preferences", form_view(values, &[])))
}

#[post("/preferences", data = "<form>")]
async fn save(
    page: Page<'_>,
    form: Form<PreferencesForm>,
    accounts: &State<Accounts>,
) -> Result<FormOutcome, Status> {
    page.check_csrf(form.csrf_token.as_deref())?;
    match form.patch() {
        Ok(patch) => {
            change(
                &page.session,
                page.fact::<crate::accounts::LoggedIn>(),
                accounts,
                &patch,
            )
            .await?;
            page.session
                .update(|data: &mut SessionData| data.flash("success", "flash.preferences_saved"))
                .await?;
            Ok(FormOutcome::Redirect(Redirect::to(uri!("/preferences"))))
        }
        Err(errors) => {
            let view = form_view(FormValues::from_form(&form), &errors);
            Ok(FormOutcome::Invalid((
                Status::UnprocessableEntity,
                page.render("preferences", view),
            )))
        }
    }
}

/// Applies `patch` to the visitor's preferences (the account's while logged in,
/// mirrored in the session; else the session's) and returns them.
async fn change(
    session: &Session<'_, SessionData>,
    login: Option<&LoggedIn>,
    accounts: &Accounts,
    patch: &PreferencesPatch,
) -> Result<Preferences, Unavailable> {
    if let Some(login) = login {
        // Boxed: the database's future is large, and most visitors never await it;
        // inline, every handler's future (copied on each request) would carry it.
        let changed = Box::pin(accounts.change_preferences(
            session,
            login.id,
            |p: &mut Preferences| patch.apply(p),
        ));
        if let Some(prefs) = changed.await? {
            return Ok(prefs);
        }
    }
    let prefs = session
        .update(|data: &mut SessionData| {
            patch.apply(data.part_mut::<Preferences>());
            data.part_or_default::<Preferences>()
        })
        .await?;
    Ok(prefs)
}

#[get("/api/v1/preferences")]
fn api_get(
    session: Session<'_, SessionData>,
    lang: Negotiated,
    tracking: &State<TrackingDefault>,
) -> Json<PreferencesView> {
    let prefs = session
        .data()
        .and_then(|d| d.part::<Preferences>().cloned())
        .unwrap_or_default();
    Json(PreferencesView::new(&prefs, lang.0, **tracking))
}

#[put("/api/v1/preferences", data = "<body>")]
async fn api_put(
    session: Session<'_, SessionData>,
    login: Login,
    lang: Negotiated,
    tracking: &State<TrackingDefault>,
    accounts: &State<Accounts>,
    body: ApiJson<PreferencesBody>,
) -> Result<Json<PreferencesView>, ApiError> {
    let patch = PreferencesPatch::try_from(body.0).map_err(|e| {
        ApiError::new(Status::UnprocessableEntity, "invalid_value", e.message()).field(e.field)
    })?;
    let prefs = if patch == PreferencesPatch::default() && !session.exists() {
        Preferences::default()
    } else {
        change(&session, login.0.as_ref(), accounts, &patch).await?
    };
    Ok(Json(PreferencesView::new(&prefs, lang.0, **tracking)))
}

/// The preference pages and API.
pub fn stage() -> AdHoc {
    // Before any record is read (snapshots load at ignite).
    part::register();
    AdHoc::on_ignite("Preferences", |rocket| async {
        crate::web::add_page_hook(&rocket, page::PreferencesHook);
        crate::privacy::add_privacy_hook(&rocket, privacy::PreferenceRights);
        // After the cart's, which may undo the login.
        crate::accounts::add_account_hook(&rocket, 10, login::PreferencesAtLogin);
        rocket.mount("/", routes![show, save, api_get, api_put])
    })
}
