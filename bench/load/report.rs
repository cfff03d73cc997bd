//! The experiments report at size (issue 25): 10 experiments × 4 variants × 5
//! goals, every cell counted (enough participants for every interval), each
//! experiment in its second version with the first version's figures kept under
//! it. The page is rendered through the real app (local client, operator auth,
//! the database on disk) `renders` times after 5 to warm up; prints the median and
//! the slowest, in milliseconds. Run by `bench/report`.
//!
//!   cargo run --release --example experiments_report -- [renders (default 50)]

use std::time::{Duration, Instant};

use chrono::Utc;
use rocket::http::Header;
use rocket::local::asynchronous::Client;
use tailor::data::epochs::EpochRow;
use tailor::data::experiments::{Arm, Converted, ViewCounts};
use tailor::data::goals::GoalEvent;
use tailor::data::Db;
use tailor::personalisation::Live;

const EXPERIMENTS: usize = 10;
const VARIANTS: [&str; 4] = ["control", "v1", "v2", "v3"];
const GOALS: [&str; 5] = ["g1", "g2", "g3", "g4", "g5"];

fn rules() -> String {
    let mut out = String::new();
    for g in GOALS {
        out.push_str(&format!("[goals.{g}]\n"));
    }
    for e in 0..EXPERIMENTS {
        out.push_str(&format!(
            "[flags.f{e}]\ndefault = \"a\"\n[experiments.e{e}]\nflag = \"f{e}\"\nversion = 2\ngoals = {GOALS:?}\n"
        ));
        for v in VARIANTS {
            let value = if v == "control" {
                String::new()
            } else {
                "value = \"b\"\n".into()
            };
            out.push_str(&format!(
                "[[experiments.e{e}.variants]]\nname = \"{v}\"\nweight = 25\n{value}"
            ));
        }
    }
    out
}

/// Counts for every cell of both versions; the first experiment's split far
/// from its weights (the warning shows), the second's weights changed within
/// its version (an earlier split shows).
async fn seed(db: &Db, live: &Live) {
    let rules = live.current().0;
    let mut participant = 0;
    let days_ago = |d| Utc::now() - chrono::Duration::days(d);
    for (at, (name, e)) in rules.experiments.iter().enumerate() {
        let epoch = i64::from(e.epoch);
        let mut periods = vec![(1, epoch), (2, epoch)];
        db.note_epochs(&[EpochRow::new(name, 1, epoch, e.split(), days_ago(20))])
            .await
            .unwrap();
        if at == 1 {
            let old = "control 50, v1 20, v2 20, v3 10".to_owned();
            db.note_epochs(&[EpochRow::new(name, 2, 12_345, old, days_ago(9))])
                .await
                .unwrap();
            periods.push((2, 12_345));
        }
        db.note_epochs(&[EpochRow::new(name, 2, epoch, e.split(), days_ago(2))])
            .await
            .unwrap();
        for (version, epoch) in periods {
            for (i, v) in VARIANTS.iter().enumerate() {
                let arm = Arm {
                    experiment: name.clone(),
                    version,
                    epoch,
                    variant: (*v).to_owned(),
                };
                let skew = if at == 0 && i == 0 { 300 } else { 0 };
                let n = 1_000 + 10 * i as i64 + skew;
                let counts = ViewCounts {
                    participants: n,
                    exposures: 3 * n,
                    flips: 0,
                };
                db.add_view_counts([(&arm, &counts)]).await.unwrap();
                for goal in GOALS {
                    participant += 1;
                    let converted = [Converted {
                        experiment: name.clone(),
                        version,
                        epoch,
                        variant: (*v).to_owned(),
                        participant,
                        goal: goal.to_owned(),
                    }];
                    let event = GoalEvent {
                        event: &format!("event-{participant}"),
                        goal,
                        at: Utc::now(),
                        experiments: &converted,
                        campaign: &[],
                        credit: None,
                    };
                    db.record_goal(&event).await.unwrap();
                }
            }
        }
    }
}

#[rocket::main]
async fn main() {
    let renders: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(50);
    // SEED_DIR=<dir>: seed that data directory (and its rules.toml) and stop, to
    // look at the page with the server.
    let seed_only = std::env::var_os("SEED_DIR").map(std::path::PathBuf::from);
    let temp = tempfile::tempdir().unwrap();
    let dir = seed_only.as_deref().unwrap_or(temp.path());
    let rules = dir.join("rules.toml");
    std::fs::write(&rules, self::rules()).unwrap();
    let figment = rocket::Config::figment()
        .merge(("secret_key", [7u8; 64].to_vec()))
        .merge(("log_level", "off"))
        .merge(("session.data_dir", dir))
        .merge(("session.cookie_secure", false))
        .merge(("personalisation.file", &rules))
        .merge(("admin.user", "ops"))
        .merge(("admin.password", "bench"));
    let client = Client::untracked(tailor::build(figment)).await.unwrap();
    let (db, live) = (
        client.rocket().state::<Db>().unwrap(),
        client.rocket().state::<std::sync::Arc<Live>>().unwrap(),
    );
    seed(db, live).await;
    if seed_only.is_some() {
        return;
    }
    let auth = {
        use base64::Engine;
        let basic = base64::engine::general_purpose::STANDARD.encode("ops:bench");
        Header::new("Authorization", format!("Basic {basic}"))
    };
    let mut times: Vec<Duration> = Vec::new();
    let mut bytes = 0;
    for i in 0..renders + 5 {
        let start = Instant::now();
        let response = client
            .get("/admin/experiments")
            .header(auth.clone())
            .dispatch()
            .await;
        assert_eq!(response.status().code, 200);
        bytes = response.into_string().await.unwrap().len();
        if i >= 5 {
            times.push(start.elapsed());
        }
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "experiments report: {EXPERIMENTS} experiments x {} variants x {} goals, 2 versions each, {bytes} bytes: median {:.2} ms, slowest {:.2} ms over {renders} renders",
        VARIANTS.len(),
        GOALS.len(),
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1]),
    );
}
