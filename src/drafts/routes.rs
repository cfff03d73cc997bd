//! The form pages (`/forms/<form>`: show, save a draft, submit, thanks) and the
//! drafts list (`/drafts`, discard), HTML without JavaScript.

use super::send::{submit_action, Sending};
use super::{
    drafts_as, get, local_time, model, post, routes, BTreeMap, Draft, DraftInfo, DraftLimits,
    Drafts, Form, FormOutcome, FormSpec, HashMap, Page, Redirect, SaveError, Sent, Serialize,
    SessionData, SessionError, Status, Template, Utc,
};
use crate::web::AppError;

#[derive(Serialize)]
pub(super) struct FormView {
    form: &'static FormSpec,
    values: BTreeMap<String, String>,
    pub(super) errors: BTreeMap<String, &'static str>,
    /// The version the page's next save is based on.
    version: u64,
    /// The saved draft this page was filled from.
    draft: Option<DraftInfo>,
    /// A newer draft saved elsewhere, when a save conflicted.
    conflict: Option<DraftInfo>,
    /// `too_large` or `too_many` when a save was refused.
    pub(super) problem: Option<&'static str>,
    /// The visitor's zone's abbreviation now (`CET`), for the times the page's
    /// script writes in the server's format.
    zone_label: String,
}

impl FormView {
    pub(super) fn new(
        form: &'static FormSpec,
        values: BTreeMap<String, String>,
        version: u64,
    ) -> Self {
        FormView {
            form,
            values,
            errors: BTreeMap::new(),
            version,
            draft: None,
            conflict: None,
            problem: None,
            zone_label: String::new(),
        }
    }

    pub(super) fn render(mut self, page: &Page<'_>) -> Template {
        let now = local_time(Utc::now(), page.zone);
        self.zone_label = now.rsplit(' ').next().unwrap_or_default().to_owned();
        let name = format!("forms/{}", self.form.id);
        page.render(name, self)
    }
}

fn find(form: &str) -> Result<&'static FormSpec, AppError> {
    FormSpec::find(form).ok_or(AppError::Refused(Status::NotFound))
}

#[get("/forms/<form>")]
async fn show(page: Page<'_>, form: &str) -> Result<Template, AppError> {
    let spec = find(form)?;
    page.ensure_session().await?;
    let data = page.data();
    let draft = data.as_ref().and_then(|d| d.part::<Drafts>()?.get(spec.id));
    let mut view = FormView::new(
        spec,
        draft.map(|d| d.fields.clone()).unwrap_or_default(),
        draft.map_or(0, |d| d.version),
    );
    view.draft = draft.map(|d| DraftInfo::new(spec.id, d, &page, page.zone));
    Ok(view.render(&page))
}

/// The submitted fields of `form`, without the control fields; unknown names are dropped.
fn form_fields(spec: &FormSpec, posted: &HashMap<String, String>) -> BTreeMap<String, String> {
    spec.fields
        .iter()
        .filter_map(|f| posted.get(f.name).map(|v| (f.name.to_owned(), v.clone())))
        .collect()
}

/// Saves a draft atomically in the session.
pub(super) async fn save_draft(
    page: &Page<'_>,
    limits: &DraftLimits,
    spec: &'static FormSpec,
    fields: &BTreeMap<String, String>,
    version: Option<u64>,
) -> Result<Result<Draft, SaveError>, SessionError> {
    let now = Utc::now();
    page.session
        .update(|data: &mut SessionData| {
            let floor = data.part::<Sent>().map_or(0, |s| s.floor(spec.id));
            let drafts = data.part_mut::<Drafts>();
            model::save(drafts, spec, fields, version, limits, now, floor)
        })
        .await
}

#[post("/forms/<form>", data = "<posted>")]
async fn post_form(
    page: Page<'_>,
    form: &str,
    posted: Form<HashMap<String, String>>,
    sending: Sending<'_>,
) -> Result<FormOutcome, AppError> {
    let spec = find(form)?;
    let fields = form_fields(spec, &posted);
    if let Err(refused) = page.check_csrf(posted.get("csrf_token").map(String::as_str)) {
        keep_stale_input(&page, &sending.config.limits, spec, &fields).await;
        return Err(refused.into());
    }
    let version = posted.get("version").and_then(|v| v.parse().ok());
    let action = posted.get("action").map(String::as_str).unwrap_or("submit");
    match action {
        "save" => save_action(&page, &sending.config.limits, spec, fields, version).await,
        "submit" => submit_action(&page, &sending, spec, fields, version.unwrap_or(0)).await,
        _ => Err(Status::UnprocessableEntity.into()),
    }
}

/// A form from this site sent with an out-of-date token (opened before a login
/// or logout in another tab): what it holds becomes the form's draft (when it
/// holds anything), and the notice back on the form says so.
async fn keep_stale_input(
    page: &Page<'_>,
    limits: &DraftLimits,
    spec: &'static FormSpec,
    fields: &BTreeMap<String, String>,
) {
    if crate::web::stale(page.request()).is_none() || super::send::blank(fields) {
        return;
    }
    if let Ok(Ok(_)) = save_draft(page, limits, spec, fields, None).await {
        let stale = crate::web::StaleForm {
            back: format!("/forms/{}", spec.id),
            notice: "flash.form_stale_kept",
        };
        crate::web::note_stale(page.request(), stale);
    }
}

async fn save_action(
    page: &Page<'_>,
    limits: &DraftLimits,
    spec: &'static FormSpec,
    fields: BTreeMap<String, String>,
    version: Option<u64>,
) -> Result<FormOutcome, AppError> {
    let zone = page.zone;
    let has_draft = page.data().is_some_and(|d| {
        d.part::<Drafts>()
            .is_some_and(|all| all.contains_key(spec.id))
    });
    if super::send::blank(&fields) && !has_draft {
        // Nothing typed and no draft to change: nothing to save.
        let status = Status::UnprocessableEntity;
        return refused(page, spec, fields, version, "nothing_to_save", status);
    }
    match save_draft(page, limits, spec, &fields, version).await? {
        Ok(_) => {
            page.session
                .update(|d: &mut SessionData| d.flash("success", "flash.draft_saved"))
                .await?;
            Ok(FormOutcome::Redirect(Redirect::to(format!(
                "/forms/{}",
                spec.id
            ))))
        }
        Err(SaveError::Conflict(current)) => {
            // Keep what this tab typed; saving again overwrites the newer draft.
            let mut view = FormView::new(spec, fields, current.as_ref().map_or(0, |d| d.version));
            view.conflict = current.map(|d| DraftInfo::new(spec.id, &d, page, zone));
            Ok(FormOutcome::Invalid((Status::Conflict, view.render(page))))
        }
        Err(SaveError::TooLarge) => refused(
            page,
            spec,
            fields,
            version,
            "too_large",
            Status::PayloadTooLarge,
        ),
        Err(SaveError::TooMany) => refused(
            page,
            spec,
            fields,
            version,
            "too_many",
            Status::UnprocessableEntity,
        ),
    }
}

fn refused(
    page: &Page<'_>,
    spec: &'static FormSpec,
    fields: BTreeMap<String, String>,
    version: Option<u64>,
    problem: &'static str,
    status: Status,
) -> Result<FormOutcome, AppError> {
    let mut view = FormView::new(spec, fields, version.unwrap_or(0));
    view.problem = Some(problem);
    Ok(FormOutcome::Invalid((status, view.render(page))))
}

#[derive(Serialize)]
struct ThanksView {
    form: &'static str,
}

#[get("/forms/<form>/thanks")]
fn thanks(page: Page<'_>, form: &str) -> Result<Template, AppError> {
    let spec = find(form)?;
    Ok(page.render("forms/thanks", ThanksView { form: spec.id }))
}

#[derive(Serialize)]
struct DraftsView {
    drafts: Vec<DraftInfo>,
}

#[get("/drafts")]
async fn list(page: Page<'_>) -> Result<Template, AppError> {
    let drafts = drafts_as(&page, DraftInfo::new);
    if !drafts.is_empty() {
        page.ensure_session().await?;
    }
    Ok(page.render("drafts", DraftsView { drafts }))
}

#[derive(rocket::FromForm)]
struct DiscardForm {
    csrf_token: Option<String>,
    /// Where to go next: `form` (the form page), `home`, or the drafts list.
    next: Option<String>,
}

#[post("/drafts/<form>/discard", data = "<posted>")]
async fn discard(
    page: Page<'_>,
    form: &str,
    posted: Form<DiscardForm>,
) -> Result<Redirect, AppError> {
    let spec = find(form)?;
    page.check_csrf(posted.csrf_token.as_deref())?;
    page.session
        .update(|d: &mut SessionData| {
            if d.part_mut::<Drafts>().remove(spec.id).is_some() {
                d.flash("success", "flash.draft_discarded");
            }
        })
        .await?;
    let next = match posted.next.as_deref() {
        Some("form") => format!("/forms/{}", spec.id),
        Some("home") => "/".to_owned(),
        _ => "/drafts".to_owned(),
    };
    Ok(Redirect::to(next))
}

/// The form pages and the drafts list.
pub(super) fn routes() -> Vec<rocket::Route> {
    routes![show, post_form, thanks, list, discard]
}
