//! The [`Login`] request guard (this request's login, checked once) and
//! [`Unavailable`], how a request fails when a store or the database is away.

use super::{
    Accounts, DataError, FromRequest, LoggedIn, Outcome, Request, Session, SessionData,
    SessionError, Status,
};
/// A session or data operation this request needed failed: 503 when a store or
/// the database is away, 409 when the session ended while the request ran.
#[derive(Debug)]
pub struct Unavailable(pub Status);

impl From<SessionError> for Unavailable {
    fn from(e: SessionError) -> Self {
        Unavailable(e.status())
    }
}

impl From<DataError> for Unavailable {
    fn from(e: DataError) -> Self {
        e.report();
        Unavailable(Status::ServiceUnavailable)
    }
}

impl From<Unavailable> for Status {
    fn from(failure: Unavailable) -> Status {
        failure.0
    }
}

impl From<Unavailable> for crate::web::ApiError {
    fn from(failure: Unavailable) -> Self {
        crate::web::ApiError::from_status(failure.0)
    }
}

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
                        LoginSlot(accounts.resolve(&session).await.map_err(|e| e.0))
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
