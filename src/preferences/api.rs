//! `GET/PUT /api/v1/preferences`.

use super::{
    consent, get, put, routes, ApiError, ApiJson, Json, Login, Negotiated, Preferences,
    PreferencesBody, PreferencesPatch, PreferencesView, Session, SessionData, State, Status,
};
use crate::web::AppError;
use consent::{Chooser, ConsentPolicy};

#[get("/api/v1/preferences")]
fn api_get(
    session: Session<'_, SessionData>,
    lang: Negotiated,
    policy: &State<ConsentPolicy>,
) -> Json<PreferencesView> {
    let prefs = session
        .data()
        .and_then(|d| d.part::<Preferences>().cloned())
        .unwrap_or_default();
    Json(PreferencesView::new(&prefs, lang.0, policy))
}

#[put("/api/v1/preferences", data = "<body>")]
async fn api_put(
    session: Session<'_, SessionData>,
    login: Login,
    lang: Negotiated,
    chooser: Chooser<'_>,
    body: ApiJson<PreferencesBody>,
) -> Result<Json<PreferencesView>, AppError> {
    let patch = PreferencesPatch::try_from(body.0).map_err(|e| {
        ApiError::new(Status::UnprocessableEntity, "invalid_value", e.message()).field(e.field)
    })?;
    let prefs = if patch == PreferencesPatch::default() && !session.exists() {
        Preferences::default()
    } else {
        let source = consent::Source::Api;
        chooser
            .choose(&session, login.0.as_ref(), patch, source, lang.0)
            .await?
    };
    Ok(Json(PreferencesView::new(&prefs, lang.0, chooser.policy())))
}

/// The preferences API.
pub(super) fn routes() -> Vec<rocket::Route> {
    routes![api_get, api_put]
}
