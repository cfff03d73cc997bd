//! The fairing that counts the deferred page views of undecided visitors once
//! they answered 200, and adds the counts to the database every ten seconds (and
//! at shutdown), purging days past their keeping every hour.

use super::{
    Arc, Db, Duration, Fairing, Info, Kind, Orbit, Request, Response, Rocket, Status, Undecided,
    Utc, KEEP_DAYS, PURGE_EVERY, TICK,
};
use crate::tracking::page::Planned;
/// Counts the deferred page views that answered 200 (attached only while
/// `tracking.cookieless_counts` is on).
pub struct Counter;

#[rocket::async_trait]
impl Fairing for Counter {
    fn info(&self) -> Info {
        Info {
            name: "Undecided visitors' counts",
            kind: Kind::Response | Kind::Liftoff | Kind::Shutdown,
        }
    }

    async fn on_response<'r>(&self, request: &'r Request<'_>, response: &mut Response<'r>) {
        if response.status() != Status::Ok {
            return;
        }
        // The undecided visitor's view tracking planned, in the page's facts.
        let planned = crate::web::facts_of(request).and_then(|f| f.get::<Planned>());
        let path = planned.and_then(|p| p.undecided.as_deref());
        if let (Some(path), Some(counts)) = (path, request.rocket().state::<Arc<Undecided>>()) {
            counts.count(request, path);
        }
    }

    async fn on_liftoff(&self, rocket: &Rocket<Orbit>) {
        let (Some(db), Some(counts)) = (
            rocket.state::<Db>().cloned(),
            rocket.state::<Arc<Undecided>>().cloned(),
        ) else {
            return;
        };
        let tick = async move |n: u64| {
            if n.is_multiple_of(PURGE_EVERY) {
                let before = Utc::now().date_naive() - Duration::days(KEEP_DAYS);
                if let Err(e) = db.purge_undecided(before).await {
                    e.report();
                }
            }
            counts.tick(&db, Utc::now()).await;
        };
        rocket::tokio::spawn(crate::ops::every(rocket.shutdown(), TICK, tick));
    }

    async fn on_shutdown(&self, rocket: &Rocket<Orbit>) {
        if let (Some(db), Some(counts)) = (rocket.state::<Db>(), rocket.state::<Arc<Undecided>>()) {
            counts.flush(db).await;
        }
    }
}
