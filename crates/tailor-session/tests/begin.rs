//! A session begun in memory (`Session::begin`) is stored once: by the
//! request's first update, by a late update after the response, or by `commit`,
//! and only when the response sends its cookie.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rocket::fairing::AdHoc;
use rocket::http::Status;
use rocket::local::asynchronous::Client;
use rocket::{get, routes, State};
use tailor_session::{MemoryStore, Session, SessionConfig, SessionId, SessionStore, Values};

/// The id of the session the last `/begin` began, for the late writer.
#[derive(Default)]
struct Began(Mutex<Option<SessionId>>);

/// Begins a session holding `begun`; `then` says what follows. Answers what the
/// request reads as its session.
#[get("/begin/<then>")]
async fn begin(
    session: Session<'_, Values>,
    then: &str,
    began: &State<Began>,
) -> Result<String, Status> {
    session.begin(|v| v.insert("begun", true));
    *began.0.lock().unwrap() = session.id();
    let seen = session.data().and_then(|v| v.get::<bool>("begun"));
    match then {
        "update" => session
            .update(|v| v.insert("updated", true))
            .await
            .map_err(|e| e.status())?,
        "destroy" => session.destroy().await.map_err(|e| e.status())?,
        "fail" => return Err(Status::NotFound),
        _ => {}
    }
    Ok(format!("{seen:?}"))
}

/// The keys of the visitor's stored session, and how many sessions are stored.
#[get("/read")]
async fn read(session: Session<'_, Values>, store: &State<Arc<MemoryStore<Values>>>) -> String {
    let keys = session.data().map(|v| {
        ["begun", "updated", "late"]
            .into_iter()
            .filter(|k| v.get::<bool>(k).is_some())
            .collect::<Vec<_>>()
            .join(",")
    });
    format!(
        "{} {}",
        keys.unwrap_or_default(),
        store.count().await.unwrap()
    )
}

async fn client() -> Client {
    let store = Arc::new(MemoryStore::<Values>::new(Duration::from_secs(60), 1_000));
    // A response fairing writing late, as a visit recorder does, on `?late`.
    let late = AdHoc::on_response("Late write", |request, _| {
        Box::pin(async move {
            let id = request
                .rocket()
                .state::<Began>()
                .and_then(|b| b.0.lock().unwrap().clone());
            if let (Some(id), Some(_)) = (id, request.uri().query()) {
                let mut change = |v: &mut Values| v.insert("late", true);
                tailor_session::update_late(request, &id, &mut change)
                    .await
                    .unwrap();
            }
        })
    });
    let store_dyn: Arc<dyn SessionStore<Values>> = store.clone();
    let rocket = rocket::build()
        .attach(tailor_session::stage(store_dyn, SessionConfig::default()))
        .manage(store)
        .manage(Began::default())
        .mount("/", routes![begin, read])
        .attach(late)
        .attach(tailor_session::commit::<Values>());
    Client::tracked(rocket).await.unwrap()
}

async fn text(client: &Client, path: &str) -> (Status, String) {
    let response = client.get(path).dispatch().await;
    (
        response.status(),
        response.into_string().await.unwrap_or_default(),
    )
}

#[rocket::async_test]
async fn a_begun_session_is_read_at_once_and_stored_after_the_response() {
    let browser = client().await;
    assert_eq!(
        text(&browser, "/begin/nothing").await,
        (Status::Ok, "Some(true)".into())
    );
    assert_eq!(text(&browser, "/read").await.1, "begun 1");
}

#[rocket::async_test]
async fn an_update_in_the_request_stores_the_begun_record_with_its_change() {
    let browser = client().await;
    text(&browser, "/begin/update").await;
    assert_eq!(text(&browser, "/read").await.1, "begun,updated 1");
}

#[rocket::async_test]
async fn a_late_update_stores_the_begun_record_with_its_change() {
    let browser = client().await;
    text(&browser, "/begin/nothing?late").await;
    assert_eq!(text(&browser, "/read").await.1, "begun,late 1");
}

#[rocket::async_test]
async fn a_destroyed_or_failed_begun_session_is_never_stored() {
    let browser = client().await;
    text(&browser, "/begin/destroy").await;
    assert_eq!(text(&browser, "/read").await.1, " 0");
    // The catcher's answer drops the cookie: nobody could reach the record.
    assert_eq!(text(&browser, "/begin/fail").await.0, Status::NotFound);
    assert_eq!(text(&browser, "/read").await.1, " 0");
}

#[rocket::async_test]
async fn begin_changes_nothing_for_a_visitor_with_a_session() {
    let browser = client().await;
    text(&browser, "/begin/update").await;
    // The second begin finds the session: nothing begun, the record as stored.
    text(&browser, "/begin/nothing").await;
    assert_eq!(text(&browser, "/read").await.1, "begun,updated 1");
}
