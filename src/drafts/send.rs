//! Sending a form: the limits per session and per address, validation, the
//! submission (and its conversion) in one transaction, the draft dropped after.

use super::routes::{save_draft, FormView};
use super::*;

/// Request guard: what saving or sending a form needs besides the page.
pub(super) struct Sending<'a> {
    db: &'a Db,
    limiter: &'a Limiter,
    client: String,
    pub(super) config: &'a DraftConfig,
}

#[rocket::async_trait]
impl<'r> rocket::request::FromRequest<'r> for Sending<'r> {
    type Error = ();

    async fn from_request(
        request: &'r rocket::Request<'_>,
    ) -> rocket::request::Outcome<Self, Self::Error> {
        let rocket = request.rocket();
        let (Some(db), Some(limiter), Some(config)) = (
            rocket.state::<Db>(),
            rocket.state::<Arc<Limiter>>(),
            rocket.state::<DraftConfig>(),
        ) else {
            return rocket::request::Outcome::Error((Status::InternalServerError, ()));
        };
        rocket::request::Outcome::Success(Sending {
            db,
            limiter,
            client: ClientKey::of(request).0,
            config,
        })
    }
}

impl Sending<'_> {
    /// The limits a submission falls under: this session's and this address's,
    /// each per hour.
    fn limits(&self, page: &Page<'_>) -> [(String, u64); 2] {
        let session = page
            .session
            .id()
            .map(|id| id.to_string())
            .unwrap_or_default();
        [
            (
                format!("submit:session:{session}"),
                self.config.per_session_per_hour,
            ),
            (
                format!("submit:address:{}", self.client),
                self.config.per_address_per_hour,
            ),
        ]
    }
}

/// The window submission limits count in.
const SUBMISSION_WINDOW: std::time::Duration = std::time::Duration::from_secs(3600);

pub(super) async fn submit_action(
    page: &Page<'_>,
    sending: &Sending<'_>,
    spec: &'static FormSpec,
    fields: BTreeMap<String, String>,
) -> Result<FormOutcome, Status> {
    let (limits, db) = (&sending.config.limits, sending.db);
    for (key, max) in sending.limits(page) {
        if let Some(window) = sending.limiter.reached(&key, max).await {
            // Nothing typed is lost: the input is kept as the draft.
            let saved = save_draft(page, limits, spec, &fields, None).await?;
            let mut view = FormView::new(spec, fields, saved.as_ref().map_or(0, |d| d.version));
            view.problem = Some("too_many_sent");
            return Ok(FormOutcome::Wait(crate::web::Wait {
                status: Status::TooManyRequests,
                page: view.render(page),
                retry_after_secs: window.retry_after_secs(),
            }));
        }
    }
    let errors = spec.validate(&fields);
    if !errors.is_empty() {
        // Nothing typed is lost: the input is kept as the draft (this save wins).
        let saved = save_draft(page, limits, spec, &fields, None).await?;
        let mut view = FormView::new(spec, fields, saved.as_ref().map_or(0, |d| d.version));
        view.errors = errors
            .into_iter()
            .map(|e: FieldError| (e.field, e.reason))
            .collect();
        return Ok(FormOutcome::Invalid((
            Status::UnprocessableEntity,
            view.render(page),
        )));
    }
    let trimmed: BTreeMap<String, String> = fields
        .into_iter()
        .map(|(k, v)| (k, v.trim().to_owned()))
        .collect();
    // A sent contact form is a conversion for the campaign report, counted in the
    // submission's transaction. Committed before the draft goes: a failure keeps
    // what was typed.
    let rows = if spec.id == forms::CONTACT.id {
        page.conversion(Conversion::Contact)
    } else {
        crate::web::ConversionRows::default()
    };
    let account = page.fact::<crate::accounts::LoggedIn>().map(|l| l.id);
    let id = db
        .add_submission(
            spec.id,
            &trimmed,
            account,
            Utc::now(),
            &rows.counts,
            &rows.experiments,
        )
        .await?;
    for (key, _) in sending.limits(page) {
        sending.limiter.note(&key, SUBMISSION_WINDOW).await;
    }
    page.session
        .update(|d: &mut SessionData| {
            d.part_mut::<Drafts>().remove(spec.id);
            d.part_mut::<Submissions>().note(id);
        })
        .await?;
    Ok(FormOutcome::Redirect(Redirect::to(format!(
        "/forms/{}/thanks",
        spec.id
    ))))
}
