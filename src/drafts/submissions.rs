//! Submitted forms for operators: `/admin/submissions` (newest first, 50 a page)
//! and `/admin/submissions.csv` (all of them, one column per declared field), read
//! from the database; and the daily purge of submissions past
//! `drafts.submissions_retention_days`.

use crate::web::AppError;
use std::time::Duration;

use chrono::Utc;
use rocket::fairing::{Fairing, Info, Kind};
use rocket::response::stream::TextStream;
use rocket::{get, Orbit, Rocket, Route, State};
use serde::Serialize;

use super::FORMS;
use crate::admin::{csv_cell, csv_download, csv_line, Admin, Csv, Paging, CSV_BATCH, PAGE_SIZE};
use crate::data::submissions::Submission;
use crate::data::Db;
use crate::i18n::local_time;
use crate::web::template::Template;
use crate::web::Page;

#[derive(Serialize)]
struct SubmissionsView {
    submissions: Vec<SubmissionRow>,
    paging: Paging,
}

#[derive(Serialize)]
struct SubmissionRow {
    id: i64,
    form: String,
    submitted_at: String,
    logged_in: bool,
    fields: Vec<(String, String)>,
}

#[get("/admin/submissions?<page>")]
async fn admin_submissions(
    _admin: Admin,
    page: Option<&str>,
    view: Page<'_>,
    db: &State<Db>,
) -> Result<Template, AppError> {
    let zone = view.zone;
    let paging = Paging::new(page, db.submission_count().await?);
    let rows = db
        .submissions_page(paging.offset(), PAGE_SIZE)
        .await?
        .into_iter()
        .map(|s| SubmissionRow {
            id: s.id,
            form: s.form,
            submitted_at: local_time(s.created_at, zone),
            logged_in: s.account_id.is_some(),
            fields: s.fields.into_iter().collect(),
        })
        .collect();
    let view_data = SubmissionsView {
        submissions: rows,
        paging,
    };
    Ok(view.render("admin/submissions", view_data))
}

/// Every field name any declared form has, in declaration order, once.
fn field_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for field in FORMS.iter().flat_map(|f| f.fields.iter()) {
        if !names.contains(&field.name) {
            names.push(field.name);
        }
    }
    names
}

fn csv_row(s: &Submission, names: &[&str]) -> String {
    let mut cells = vec![
        s.id.to_string(),
        csv_cell(&s.form),
        csv_cell(&s.created_at.to_rfc3339()),
        csv_cell(if s.account_id.is_some() { "yes" } else { "no" }),
    ];
    cells.extend(
        names
            .iter()
            .map(|n| csv_cell(s.fields.get(*n).map_or("", String::as_str))),
    );
    csv_line(&cells)
}

#[get("/admin/submissions.csv")]
async fn admin_submissions_csv(
    _admin: Admin,
    db: &State<Db>,
) -> Result<Csv<TextStream![String]>, AppError> {
    let db = db.inner().clone();
    let read = move |before| {
        let db = db.clone();
        async move { db.submissions_before(before, CSV_BATCH).await }
    };
    let names = field_names();
    let mut header = vec!["id", "form", "submitted_at", "logged_in"];
    header.extend(names.iter().copied());
    let line = move |s: &Submission| (s.id, csv_row(s, &names));
    csv_download("tailor-submissions.csv", &header, read, line).await
}

/// The operators' submission pages.
pub fn routes() -> Vec<Route> {
    rocket::routes![admin_submissions, admin_submissions_csv]
}

/// Deletes submissions past their retention once a day (and once at liftoff).
pub struct Purge {
    pub db: Db,
    pub retention_days: u32,
}

const PURGE_EVERY: Duration = Duration::from_secs(24 * 3600);

impl Purge {
    async fn run(db: &Db, retention_days: u32) {
        let cutoff = Utc::now() - chrono::Duration::days(i64::from(retention_days));
        match db.purge_submissions(cutoff).await {
            Ok(0) => {}
            Ok(n) => rocket::info!("purged {n} submissions older than {retention_days} days"),
            Err(e) => e.report(),
        }
    }
}

#[rocket::async_trait]
impl Fairing for Purge {
    fn info(&self) -> Info {
        Info {
            name: "Submission retention",
            kind: Kind::Liftoff,
        }
    }

    async fn on_liftoff(&self, rocket: &Rocket<Orbit>) {
        let (db, days) = (self.db.clone(), self.retention_days);
        let tick = async move |_| Purge::run(&db, days).await;
        rocket::tokio::spawn(crate::ops::every(rocket.shutdown(), PURGE_EVERY, tick));
    }
}
