//! Forgets what decisions keep past its use, every hour (and at liftoff): the
//! subjects unseen for `decisions.subject_idle_days` with their assignments, the
//! conversion ids older than that (a repeat after it counts again), and the
//! campaign credits of days before yesterday (a session's credit is per day).

use std::time::Duration;

use chrono::Utc;
use rocket::fairing::{Fairing, Info, Kind};
use rocket::{Orbit, Rocket};

use crate::data::Db;

const PURGE_EVERY: Duration = Duration::from_secs(3600);

pub struct Purge {
    pub idle_days: u64,
}

async fn run(db: &Db, idle_days: u64) {
    let now = Utc::now();
    let idle = now
        - chrono::Duration::days(
            i64::try_from(idle_days)
                .unwrap_or(i64::MAX / 2)
                .min(100_000),
        );
    let subjects = db.purge_subjects(idle).await;
    let events = db
        .purge_goal_events(idle, now - chrono::Duration::days(2))
        .await;
    for done in [subjects, events] {
        match done {
            Ok(0) => {}
            Ok(n) => rocket::info!("decisions: purged {n} rows past their keeping"),
            Err(e) => e.report(),
        }
    }
}

#[rocket::async_trait]
impl Fairing for Purge {
    fn info(&self) -> Info {
        Info {
            name: "Decisions retention",
            kind: Kind::Liftoff,
        }
    }

    async fn on_liftoff(&self, rocket: &Rocket<Orbit>) {
        let Some(db) = rocket.state::<Db>().cloned() else {
            return;
        };
        let idle_days = self.idle_days;
        let tick = async move |_| run(&db, idle_days).await;
        rocket::tokio::spawn(crate::ops::every(rocket.shutdown(), PURGE_EVERY, tick));
    }
}
