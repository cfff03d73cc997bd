//! The [`Login`] request guard: this request's login, checked once.

use super::{Accounts, FromRequest, LoggedIn, Outcome, Request, Session, SessionData, Status};
/// Request guard: this request's login, checked once per request ([`Accounts::resolve`]).
/// Fails with 503 when the session store or the database cannot answer.
#[derive(Clone, Debug)]
pub struct Login(pub Option<LoggedIn>);

struct LoginSlot(Result<Option<LoggedIn>, Status>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Login {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let slot = request
            .local_cache_async(async {
                let Some(accounts) = request.rocket().state::<Accounts>() else {
                    return LoginSlot(Ok(None));
                };
                match Session::<SessionData>::from_request(request).await {
                    Outcome::Success(session) => {
                        LoginSlot(accounts.resolve(&session).await.map_err(|e| {
                            e.log();
                            e.status()
                        }))
                    }
                    _ => LoginSlot(Err(Status::ServiceUnavailable)),
                }
            })
            .await;
        match &slot.0 {
            Ok(login) => Outcome::Success(Login(login.clone())),
            Err(status) => Outcome::Error((*status, ())),
        }
    }
}
