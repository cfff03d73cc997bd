//! The preferences page: `GET/POST /preferences`, HTML without JavaScript.

use super::{
    consent, get, parse_language, parse_theme, parse_timezone, post, routes, uri, BTreeMap,
    DisplayName, FieldError, Form, FormOutcome, FromForm, Language, Page, Preferences,
    PreferencesPatch, Redirect, Serialize, SessionData, State, Status, Theme,
};
use crate::web::AppError;
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
            consent: None,
        })
    }
}

/// The value of a valid field; an invalid one's error goes to `errors`.
fn keep<T>(result: Result<T, FieldError>, errors: &mut Vec<FieldError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

#[derive(Serialize)]
struct FormView {
    values: FormValues,
    errors: BTreeMap<String, &'static str>,
    themes: Vec<&'static str>,
    languages: Vec<&'static str>,
    timezones: Vec<super::zones::ZoneGroup>,
    /// The browser's privacy signals: with one, nothing is recorded whatever the
    /// tracking box says, and the page says so beside it.
    signals: crate::web::PrivacySignals,
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
    fn from_prefs(prefs: &Preferences, policy: &consent::ConsentPolicy) -> Self {
        FormValues {
            theme: prefs.theme.code().into(),
            language: prefs.language.map(|l| l.code().into()).unwrap_or_default(),
            timezone: prefs.timezone.name().into(),
            tracking: prefs.tracking_on(policy),
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

fn form_view(page: &Page<'_>, values: FormValues, errors: &[FieldError]) -> FormView {
    FormView {
        timezones: super::zones::zone_groups(page.lang, &values.timezone),
        values,
        errors: errors.iter().map(|e| (e.field.clone(), e.reason)).collect(),
        themes: Theme::ALL.iter().map(|t| t.code()).collect(),
        languages: Language::ALL.iter().map(|l| l.code()).collect(),
        signals: crate::web::PrivacySignals::of(page.request()),
    }
}

#[get("/preferences")]
async fn show(
    page: Page<'_>,
    policy: &State<consent::ConsentPolicy>,
) -> Result<crate::web::template::Template, AppError> {
    page.ensure_session().await?;
    let values = FormValues::from_prefs(&page.part_or_default::<Preferences>(), policy);
    Ok(page.render("preferences", form_view(&page, values, &[])))
}

#[post("/preferences", data = "<form>")]
async fn save(
    page: Page<'_>,
    form: Form<PreferencesForm>,
    chooser: consent::Chooser<'_>,
) -> Result<FormOutcome, AppError> {
    page.check_csrf(form.csrf_token.as_deref())?;
    match form.patch() {
        Ok(patch) => {
            let login = page.fact::<crate::accounts::LoggedIn>();
            let source = consent::Source::PreferencesPage;
            chooser
                .choose(&page.session, login, patch, source, page.lang)
                .await?;
            page.session
                .update(|data: &mut SessionData| data.flash("success", "flash.preferences_saved"))
                .await?;
            Ok(FormOutcome::Redirect(Redirect::to(uri!("/preferences"))))
        }
        Err(errors) => {
            let view = form_view(&page, FormValues::from_form(&form), &errors);
            Ok(FormOutcome::Invalid((
                Status::UnprocessableEntity,
                page.render("preferences", view),
            )))
        }
    }
}

/// The preferences page.
pub(super) fn routes() -> Vec<rocket::Route> {
    routes![show, save]
}
