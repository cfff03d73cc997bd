//! The [`Page`] guard: the session, the language, the page hooks' preparation and
//! the page's one housekeeping write.

use super::*;

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
        let hooks = request
            .rocket()
            .state::<PageHooks>()
            .map_or(&[][..], PageHooks::all);
        let mut prepare = Prepare {
            session: &session,
            lang: negotiated,
            zone: Timezone::default(),
            needs_session: false,
            stateless: false,
            facts: Facts::default(),
        };
        for hook in hooks {
            let prepared = if hook.is_async(&prepare) {
                hook.prepare_async(request, &mut prepare).await
            } else {
                hook.prepare(request, &mut prepare)
            };
            if let Err(e) = prepared {
                return Outcome::Error(e);
            }
        }
        let Prepare {
            lang,
            zone,
            needs_session,
            stateless,
            mut facts,
            ..
        } = prepare;
        // Housekeeping in one write, only when there is some: the session a page
        // view needs, the hooks' share (drafts past their age dropped), and a
        // flash shown once.
        let data = session.data();
        let must_write = match &data {
            Some(d) => d.has_flash() || hooks.iter().any(|h| h.needs_write(request, d)),
            None => needs_session,
        };
        let mut flash = None;
        if must_write {
            let taken = session.update(|d: &mut SessionData| {
                for hook in hooks {
                    hook.housekeep(request, d);
                }
                d.take_flash()
            });
            match taken.await {
                Ok(taken) => flash = taken,
                Err(e) => return Outcome::Error((e.status(), e)),
            }
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
        })
    }
}

/// Whether a request comes from a page of this site: its `Origin` is this
/// server's, or the browser says `Sec-Fetch-Site: same-origin`.
fn same_site(request: &Request<'_>) -> bool {
    let origin_ok =
        request.headers().get_one("Origin").is_some() && crate::web::api::same_origin(request);
    let fetch_ok = request
        .headers()
        .get_one("Sec-Fetch-Site")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("same-origin"));
    origin_ok || fetch_ok
}
