//! `GET/PUT /api/v1/preferences`.

use super::*;

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

/// The preferences API.
pub(super) fn routes() -> Vec<rocket::Route> {
    routes![api_get, api_put]
}
