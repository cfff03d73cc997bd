//! The campaign report is bounded (distinct values per dimension, the rest under
//! `(other)`; the campaigns file's always keep their row) and one campaign is one
//! row whatever its letter case.

use rocket::http::Status;

use crate::support::*;

async fn csv(app: &TestApp) -> String {
    app.get("/admin/campaigns.csv")
        .header(operator())
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap()
}

#[rocket::async_test]
async fn new_campaign_values_past_the_bound_count_under_other() {
    let app = untracked_app_with(|f| with_admin(f).merge(("tracking.campaign_rows", 5))).await;
    for i in 0..40 {
        // Each a new visitor from a new campaign (and source).
        let response = app
            .get(format!("/?utm_campaign=flood-{i}&utm_source=src-{i}"))
            .dispatch()
            .await;
        assert_eq!(response.status(), Status::Ok);
    }
    // A campaign of the campaigns file keeps its row even now.
    app.get("/?utm_campaign=spring-sale&utm_source=news")
        .dispatch()
        .await;
    let report = csv(&app).await;
    let campaigns: Vec<&str> = report
        .lines()
        .filter(|l| l.starts_with("\"first_touch\",\"campaign\""))
        .collect();
    assert!(campaigns.len() <= 5 + 2, "bounded: {report}");
    assert!(
        report.contains("\"first_touch\",\"campaign\",\"(other)\","),
        "{report}"
    );
    assert!(
        report.contains("\"first_touch\",\"campaign\",\"spring-sale\",1,"),
        "{report}"
    );
    let sources = report
        .lines()
        .filter(|l| l.starts_with("\"first_touch\",\"source\""))
        .count();
    assert!(sources <= 6, "every dimension is bounded: {report}");
    // The counts still add up: 41 sessions under first touch.
    let total: u64 = campaigns
        .iter()
        .filter_map(|l| l.split(',').nth(3)?.parse::<u64>().ok())
        .sum();
    assert_eq!(total, 41, "{report}");
}

#[rocket::async_test]
async fn one_campaign_one_row_whatever_its_case() {
    let app = untracked_app_with(with_admin).await;
    app.get("/?utm_campaign=Spring-Sale&utm_source=News")
        .dispatch()
        .await;
    app.get("/?utm_campaign=spring-sale&utm_source=news")
        .dispatch()
        .await;
    app.get("/?utm_campaign=SPRING-SALE&utm_source=NEWS")
        .dispatch()
        .await;
    let report = csv(&app).await;
    let rows: Vec<&str> = report
        .lines()
        .filter(|l| l.starts_with("\"first_touch\",\"campaign\""))
        .collect();
    assert_eq!(
        rows,
        ["\"first_touch\",\"campaign\",\"Spring-Sale\",3,0,0"],
        "{report}"
    );
    // The banner matches without regard to case too.
    let b = Browser::new(&app);
    b.get("/?utm_campaign=SPRING-sale").await;
    let home = b.text("/").await;
    assert!(home.contains("The spring collection is in"), "{home}");
}
