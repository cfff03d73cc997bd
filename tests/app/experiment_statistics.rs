//! Experiments you can trust, as the operator reads them: the sample-ratio
//! check on the report and in its CSV, the interval's method and its label, in
//! each language; paused and stopped experiments. (The intervals themselves are proved by simulation in
//! `src/experiments/inference/tests.rs`.)

use rocket::http::Status;
use serde_json::json;
use tailor::data::experiments::{Arm, ViewCounts};
use tailor::data::Db;
use tailor::personalisation::Live;

use crate::experiments::{app_with_rules, counts, even, hero, send_contact, BOLD};
use crate::support::*;

/// Adds `participants` to `variant` of `hero-copy`, as page views would.
async fn participants(app: &TestApp, variant: &str, participants: i64) {
    let db = app.rocket().state::<Db>().expect("the database");
    let rules = app
        .rocket()
        .state::<std::sync::Arc<Live>>()
        .expect("the rules")
        .current()
        .0;
    let experiment = &rules.experiments["hero-copy"];
    let key = Arm {
        experiment: "hero-copy".to_owned(),
        version: i64::from(experiment.version),
        epoch: i64::from(experiment.epoch),
        variant: variant.to_owned(),
    };
    let counts = ViewCounts {
        participants,
        exposures: participants,
        flips: 0,
    };
    db.add_view_counts([(&key, &counts)]).await.unwrap();
}

/// The experiments report in `lang`.
async fn page(app: &TestApp, lang: &'static str) -> String {
    app.get("/admin/experiments")
        .header(operator())
        .header(accept_language(lang))
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap()
}

#[rocket::async_test]
async fn a_split_far_from_the_weights_is_flagged_on_the_report_and_in_the_csv() {
    let (app, _) = app_with_rules(&even()).await;
    participants(&app, "control", 5_200).await;
    participants(&app, "bold", 4_800).await;
    let en = page(&app, "en").await;
    assert!(
        en.contains(
            "The split does not match the weights (p &lt; 0.0001): do not trust these results."
        ),
        "{en}"
    );
    assert!(en.contains("Common causes"), "{en}");
    let es = page(&app, "es").await;
    assert!(es.contains("no confíe en estos resultados"), "{es}");
    let fr = page(&app, "fr").await;
    assert!(fr.contains("ne vous fiez pas à ces résultats"), "{fr}");
    let csv = admin_text(&app, "/admin/experiments.csv").await;
    let rows: Vec<&str> = csv
        .lines()
        .filter(|l| l.starts_with("\"hero-copy\""))
        .collect();
    assert_eq!(rows.len(), 4, "two variants, two goals: {csv}");
    for row in rows {
        assert!(row.ends_with(",sequential,0.000063,1"), "{row}");
    }
}

#[rocket::async_test]
async fn a_split_within_chance_is_not_flagged() {
    for (control, bold, p) in [(5_100, 4_900, "= 0.05"), (505, 495, "= 0.75")] {
        let (app, _) = app_with_rules(&even()).await;
        participants(&app, "control", control).await;
        participants(&app, "bold", bold).await;
        let en = page(&app, "en").await;
        assert!(!en.contains("do not trust"), "{control}/{bold}: {en}");
        assert!(
            en.contains(&format!("The split matches the weights (p {p}).")),
            "{control}/{bold}: {en}"
        );
    }
    // Too few to tell: said, not flagged.
    let (app, _) = app_with_rules(&even()).await;
    participants(&app, "control", 3).await;
    let en = page(&app, "en").await;
    assert!(
        en.contains("once each variant expects 5 participants"),
        "{en}"
    );
    let csv = admin_text(&app, "/admin/experiments.csv").await;
    assert!(csv.contains(",sequential,,1\r\n"), "{csv}");
}

#[rocket::async_test]
async fn the_report_names_the_method_and_what_it_is_valid_for() {
    let (app, _) = app_with_rules(&even()).await;
    let en = page(&app, "en").await;
    assert!(
        en.contains("Always-valid interval (a confidence sequence)")
            && en.contains("Tuned for 10000 participants"),
        "{en}"
    );
    let fixed = even().replace(
        "goals = [\"contact\", \"checkout\"]",
        "goals = [\"contact\", \"checkout\"]\nmethod = \"fixed\"\nplanned_participants = 4000",
    );
    let (app, _) = app_with_rules(&fixed).await;
    participants(&app, "control", 150).await;
    participants(&app, "bold", 150).await;
    let en = page(&app, "en").await;
    assert!(
        en.contains("valid only when read once, at the planned size (4000 participants)"),
        "{en}"
    );
    let es = page(&app, "es").await;
    assert!(es.contains("válido solo si se lee una vez"), "{es}");
    let csv = admin_text(&app, "/admin/experiments.csv").await;
    let bold: Vec<&str> = csv
        .lines()
        .filter(|l| l.starts_with("\"hero-copy\",\"bold\""))
        .collect();
    assert_eq!(bold.len(), 2, "{csv}");
    for row in bold {
        // 0 of 150 against 0 of 150: a difference of 0, its interval shown.
        assert!(row.contains(",0.0000,0.0000,0.0000,true,fixed,"), "{row}");
    }
}

/// `rules` with `keys` added to the experiment (after its goals).
fn with_keys(rules: &str, keys: &str) -> String {
    let goals = "goals = [\"contact\", \"checkout\"]";
    rules.replace(goals, &format!("{goals}\n{keys}"))
}

/// Writes `rules` and waits until the report says `paused` is the experiment's
/// state (asking no visitor's page, which would count one).
async fn reload(app: &TestApp, path: &std::path::Path, rules: &str, paused: bool) {
    std::thread::sleep(std::time::Duration::from_millis(1100)); // a newer modification time
    std::fs::write(path, rules).unwrap();
    for _ in 0..60 {
        if page(app, "en").await.contains("Paused: nobody new") == paused {
            return;
        }
        rocket::tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the new rules never applied");
}

#[rocket::async_test]
async fn a_paused_experiment_shows_control_counts_nothing_and_resumes_as_it_was() {
    let (app, path) = app_with_rules(BOLD).await;
    let b = Browser::new(&app);
    assert_eq!(hero(&b.text("/").await), "bold");
    reload(&app, &path, &with_keys(BOLD, "status = \"paused\""), true).await;
    let before = counts(&app, "bold", "contact").await;
    assert_eq!(
        hero(&b.text("/").await),
        "default",
        "everybody sees control"
    );
    let api = b.json("/api/v1/personalisation").await;
    assert_eq!(api["experiments"], json!({}), "{api}");
    assert_eq!(send_contact(&b).await, Status::SeeOther);
    let newcomer = Browser::new(&app);
    assert_eq!(hero(&newcomer.text("/").await), "default");
    assert_eq!(
        counts(&app, "bold", "contact").await,
        before,
        "nothing counted"
    );
    assert_eq!(
        counts(&app, "control", "contact").await.0,
        0,
        "nobody new assigned"
    );
    let page = page(&app, "en").await;
    assert!(page.contains("Paused: nobody new takes part"), "{page}");
    // Running again: the same assignment, counted again.
    reload(&app, &path, BOLD, false).await;
    assert_eq!(hero(&b.text("/").await), "bold", "the assignment was kept");
    let (participants, exposures, _) = counts(&app, "bold", "contact").await;
    assert_eq!(participants, before.0, "not a new participant");
    assert!(exposures > before.1, "exposures count again");
}

#[rocket::async_test]
async fn a_stopped_experiment_shows_its_winner_to_everybody_and_counts_nothing() {
    let stopped = with_keys(&even(), "status = \"stopped\"\nwinner = \"bold\"");
    let (app, _) = app_with_rules(&stopped).await;
    for _ in 0..20 {
        let b = Browser::new(&app);
        assert_eq!(hero(&b.text("/").await), "bold");
        let api = b.json("/api/v1/personalisation").await;
        assert_eq!(api["experiments"], json!({}), "{api}");
        assert_eq!(api["slots"]["home.hero"], "bold", "{api}");
        assert_eq!(send_contact(&b).await, Status::SeeOther);
    }
    assert_eq!(counts(&app, "bold", "contact").await, (0, 0, 0));
    assert_eq!(counts(&app, "control", "contact").await, (0, 0, 0));
    let page = page(&app, "en").await;
    assert!(page.contains("Stopped: everybody sees bold"), "{page}");
    // A winner that is control: the slot as without the experiment.
    let control = with_keys(&even(), "status = \"stopped\"\nwinner = \"control\"");
    let (app, _) = app_with_rules(&control).await;
    assert_eq!(hero(&Browser::new(&app).text("/").await), "default");
}
