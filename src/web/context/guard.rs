//! The [`Page`] guard: the session, the language, the page hooks' preparation and
//! the page's one housekeeping write (or a new visitor's session, begun).

use super::{
    Arc, Facts, FormTokens, FromRequest, Language, Negotiated, Outcome, Page, Prepare, Request,
    Session, SessionData, SessionError, Stateless, Status, Timezone,
};
use crate::web::hooks::{hooks_of, PageHook};
/// What the page hooks found before a page (or a [`Visitor`] request).
struct Prepared {
    lang: Language,
    zone: Timezone,
    needs_session: bool,
    stateless: bool,
    facts: Facts,
}

/// Runs every page hook's preparation for `request`.
async fn prepare(
    request: &Request<'_>,
    session: &Session<'_, SessionData>,
) -> Result<Prepared, (Status, SessionError)> {
    let Outcome::Success(Negotiated(negotiated)) = Negotiated::from_request(request).await else {
        let e = tailor_session::StoreError::Backend("no language".into());
        return Err((Status::InternalServerError, SessionError::Store(e)));
    };
    let hooks = hooks_of::<dyn PageHook>(request.rocket());
    let mut prepare = Prepare {
        session,
        lang: negotiated,
        zone: Timezone::default(),
        needs_session: false,
        stateless: false,
        facts: Facts::default(),
    };
    for hook in hooks {
        if hook.is_async(request, &prepare) {
            hook.prepare_async(request, &mut prepare).await?;
        } else {
            hook.prepare(request, &mut prepare)?;
        }
    }
    Ok(Prepared {
        lang: prepare.lang,
        zone: prepare.zone,
        needs_session: prepare.needs_session,
        stateless: prepare.stateless,
        facts: prepare.facts,
    })
}

/// Request guard of a JSON route that wants what the page hooks find (the login,
/// the language, what the rules decide) without being a page: nothing is written,
/// no visit recorded.
pub struct Visitor<'r> {
    pub request: &'r Request<'r>,
    pub session: Session<'r, SessionData>,
    pub lang: Language,
    pub facts: Facts,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Visitor<'r> {
    type Error = SessionError;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let session = match Session::<SessionData>::from_request(request).await {
            Outcome::Success(s) => s,
            Outcome::Error(e) => return Outcome::Error(e),
            Outcome::Forward(s) => return Outcome::Forward(s),
        };
        match prepare(request, &session).await {
            Ok(prepared) => Outcome::Success(Visitor {
                request,
                session,
                lang: prepared.lang,
                facts: prepared.facts,
            }),
            Err(e) => Outcome::Error(e),
        }
    }
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
        let hooks = hooks_of::<dyn PageHook>(request.rocket());
        let Prepared {
            lang,
            zone,
            needs_session,
            stateless,
            mut facts,
        } = match prepare(request, &session).await {
            Ok(prepared) => prepared,
            Err(e) => return Outcome::Error(e),
        };
        // Housekeeping in one write, only when there is some: the hooks' share
        // (drafts past their age dropped), and a flash shown once. The session a
        // new visitor's view needs is begun, not written: it is stored after the
        // response, with the view if it is recorded, in one write.
        let data = session.data();
        let housekeep = |d: &mut SessionData| {
            for hook in hooks {
                hook.housekeep(request, d, &facts);
            }
            d.take_flash()
        };
        let mut flash = None;
        match &data {
            Some(d) if d.has_flash() || hooks.iter().any(|h| h.needs_write(request, d, &facts)) => {
                match session.update(housekeep).await {
                    Ok(taken) => flash = taken,
                    Err(e) => return Outcome::Error((e.status(), e)),
                }
            }
            None if needs_session => flash = session.begin(housekeep).flatten(),
            _ => {}
        }
        if let Some(id) = session.id() {
            for hook in hooks {
                hook.after(request, &id, &mut facts);
            }
        }
        let stateless = match request.rocket().state::<Arc<FormTokens>>() {
            Some(tokens) if stateless && !session.exists() => Some(Stateless {
                tokens: tokens.clone(),
                action: crate::web::tokens::action_id(request.uri().path().as_str()),
                same_site: same_site(request),
            }),
            _ => None,
        };
        let path = request.uri().path().to_string();
        // Kept for the rest of the request: the response fairings read them.
        let facts = request
            .local_cache(|| RequestFacts(std::sync::OnceLock::new()))
            .0
            .get_or_init(|| facts);
        Outcome::Success(Page {
            session,
            lang,
            zone,
            path,
            flash,
            facts,
            hooks,
            stateless,
            rocket: request.rocket(),
            request,
        })
    }
}

/// The facts of this request's page, once its guard has run.
struct RequestFacts(std::sync::OnceLock<Facts>);

/// What the page hooks found for this request's page (none before its guard
/// ran, or for a request that is not a page): for the response fairings (the
/// visit recorder), the one request-local store of what the hooks decided.
pub fn facts_of<'r>(request: &'r Request<'_>) -> Option<&'r Facts> {
    request
        .local_cache(|| RequestFacts(std::sync::OnceLock::new()))
        .0
        .get()
}

/// Whether a request comes from a page of this site: its `Origin` is this
/// server's, or the browser says `Sec-Fetch-Site: same-origin`.
pub(super) fn same_site(request: &Request<'_>) -> bool {
    let origin_ok =
        crate::http::header(request, "Origin").is_some() && crate::web::api::same_origin(request);
    let fetch_ok = crate::http::header(request, "Sec-Fetch-Site")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("same-origin"));
    origin_ok || fetch_ok
}
