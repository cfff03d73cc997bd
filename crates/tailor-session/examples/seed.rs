//! The seed's express-session example on Rocket: `cargo run -p tailor-session --example seed`.
use std::{sync::Arc, time::Duration};

use rocket::{get, launch, routes};
use tailor_session::{MemoryStore, Session, SessionConfig, SessionError, Values};

#[get("/")]
async fn set_name(session: Session<'_, Values>) -> Result<&'static str, SessionError> {
    session
        .update(|values| values.insert("name", "John"))
        .await?;
    Ok("Session stored")
}

#[get("/getName")]
fn get_name(session: Session<'_, Values>) -> String {
    match session
        .data()
        .and_then(|values| values.get::<String>("name"))
    {
        Some(name) => format!("The name is {name}"),
        None => "No name stored".into(),
    }
}

#[launch]
pub fn rocket() -> _ {
    let store = Arc::new(MemoryStore::<Values>::new(
        Duration::from_secs(1800),
        100_000,
    ));
    let sessions = tailor_session::stage(store, SessionConfig::default());
    rocket::build()
        .attach(sessions)
        .mount("/", routes![set_name, get_name])
}
