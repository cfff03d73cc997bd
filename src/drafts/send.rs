//! Sending a form: the limits per session and per address, validation, the
//! submission (and its conversion) in one transaction, the draft dropped after.

use super::part::{digest, Sent, SentForm};
use super::routes::{save_draft, FormView};
use super::{
    forms, Arc, BTreeMap, ClientKey, Conversion, Db, DraftConfig, DraftLimits, Drafts, FieldError,
    FormOutcome, FormSpec, Limiter, Page, Redirect, SessionData, Status, Submissions, Utc,
};
use crate::web::AppError;

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
    version: u64,
) -> Result<FormOutcome, AppError> {
    let limits = &sending.config.limits;
    let errors = spec.validate(&fields);
    if !errors.is_empty() {
        // Nothing typed is lost: the input is kept as the draft (this save wins);
        // an empty form sent by mistake makes no empty draft.
        let version = if blank(&fields) {
            page.data()
                .and_then(|d| Some(d.part::<Drafts>()?.get(spec.id)?.version))
                .unwrap_or(0)
        } else {
            let saved = save_draft(page, limits, spec, &fields, None).await?;
            saved.as_ref().map_or(0, |d| d.version)
        };
        let mut view = FormView::new(spec, fields, version);
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
        .iter()
        .map(|(k, v)| (k.clone(), v.trim().to_owned()))
        .collect();
    // Claimed in the session first, atomically: of two tabs sending one draft
    // (or one post sent twice), one sends, the other is told.
    let claim = SentForm {
        version,
        digest: digest(spec.id, &trimmed),
        at: Utc::now(),
    };
    let Some(before) = claim_sending(page, spec, &claim).await? else {
        return already_sent(page, limits, spec, &fields, claim.digest).await;
    };
    // Counted before the write (taken back if it does not happen), so parallel
    // posts cannot all pass a count none of them has made yet.
    let keys = sending.limits(page);
    for (i, (key, max)) in keys.iter().enumerate() {
        let counted = sending.limiter.note(key, SUBMISSION_WINDOW).await;
        if let Some(window) = counted.filter(|w| w.count > *max) {
            for (key, _) in &keys[..=i] {
                sending.limiter.refund(key).await;
            }
            release(page, spec, before).await;
            return too_many_sent(page, limits, spec, fields, window).await;
        }
    }
    match record(page, sending, spec, &trimmed).await {
        Ok(id) => {
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
        Err(status) => {
            for (key, _) in &keys {
                sending.limiter.refund(key).await;
            }
            release(page, spec, before).await;
            Err(status)
        }
    }
}

/// Marks `claim` as `spec`'s form sent, unless it was sent already; gives back
/// what was marked before (`Some(None)`: nothing), to put back should the
/// submission not be made.
async fn claim_sending(
    page: &Page<'_>,
    spec: &'static FormSpec,
    claim: &SentForm,
) -> Result<Option<Option<SentForm>>, AppError> {
    let claimed = page
        .session
        .update(|d: &mut SessionData| {
            let sent = d.part_mut::<Sent>();
            if sent.already(spec.id, claim.version, claim.digest, claim.at) {
                None
            } else {
                Some(sent.0.insert(spec.id.to_owned(), claim.clone()))
            }
        })
        .await?;
    Ok(claimed)
}

/// Puts back what was marked sent before a submission that was not made.
async fn release(page: &Page<'_>, spec: &'static FormSpec, before: Option<SentForm>) {
    let put_back = page.session.update(|d: &mut SessionData| {
        let sent = d.part_mut::<Sent>();
        match before.clone() {
            Some(previous) => sent.0.insert(spec.id.to_owned(), previous),
            None => sent.0.remove(spec.id),
        };
    });
    if let Err(e) = put_back.await {
        tailor_session::log_error_chain(&e);
    }
}

/// The submission and its conversion, in one transaction.
async fn record(
    page: &Page<'_>,
    sending: &Sending<'_>,
    spec: &'static FormSpec,
    trimmed: &BTreeMap<String, String>,
) -> Result<i64, AppError> {
    // A sent contact form is a conversion for the campaign report, counted in the
    // submission's transaction. Committed before the draft goes: a failure keeps
    // what was typed.
    let rows = if spec.id == forms::CONTACT.id {
        crate::conversions::rows(page, Conversion::Contact)
    } else {
        crate::conversions::ConversionRows::default()
    };
    let account = page.fact::<crate::accounts::LoggedIn>().map(|l| l.id);
    let id = sending
        .db
        .add_submission(
            spec.id,
            trimmed,
            account,
            Utc::now(),
            &rows.counts,
            &rows.experiments,
        )
        .await?;
    Ok(id)
}

/// This form was sent already (from another tab, or this post came twice):
/// nothing is sent again. What this tab typed, if it says something else, is
/// kept as the draft; the visitor lands where the first sending did.
async fn already_sent(
    page: &Page<'_>,
    limits: &DraftLimits,
    spec: &'static FormSpec,
    fields: &BTreeMap<String, String>,
    sent_digest: u64,
) -> Result<FormOutcome, AppError> {
    let same_words = page
        .data()
        .and_then(|d| d.part::<Sent>()?.0.get(spec.id).map(|s| s.digest))
        == Some(sent_digest);
    let notice = if same_words {
        "flash.already_sent"
    } else {
        save_draft(page, limits, spec, fields, None).await?.ok();
        "flash.already_sent_kept"
    };
    page.session
        .update(|d: &mut SessionData| d.flash("info", notice))
        .await?;
    Ok(FormOutcome::Redirect(Redirect::to(format!(
        "/forms/{}/thanks",
        spec.id
    ))))
}

/// Over a limit of forms sent: the form again with `Retry-After`, nothing typed
/// lost (the input is kept as the draft).
async fn too_many_sent(
    page: &Page<'_>,
    limits: &DraftLimits,
    spec: &'static FormSpec,
    fields: BTreeMap<String, String>,
    window: crate::limits::Window,
) -> Result<FormOutcome, AppError> {
    let saved = save_draft(page, limits, spec, &fields, None).await?;
    let mut view = FormView::new(spec, fields, saved.as_ref().map_or(0, |d| d.version));
    view.problem = Some("too_many_sent");
    Ok(FormOutcome::Wait(crate::web::Wait {
        status: Status::TooManyRequests,
        page: view.render(page),
        retry_after_secs: window.retry_after_secs(),
    }))
}

/// Whether nothing was typed in `fields`.
pub(super) fn blank(fields: &BTreeMap<String, String>) -> bool {
    fields.values().all(|v| v.trim().is_empty())
}
