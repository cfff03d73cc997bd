//! The operators' campaign report: `/admin/campaigns` and its CSV.

use crate::web::AppError;
use std::sync::Arc;

use rocket::http::Status;
use rocket::{get, Route, State};
use serde::Serialize;

use super::chart::{chart, Chart};
use super::stats::{CampaignStats, Dimension, Model, Row, DIMENSIONS, MODELS};
use super::undecided::{self, Undecided, UndecidedReport};
use crate::admin::{Admin, Csv};
use crate::data::Db;
use crate::personalisation::rules::Rules;
use crate::personalisation::Live;
use crate::web::template::Template;
use crate::web::Page;

#[derive(Serialize)]
struct Table {
    dimension: &'static str,
    rows: Vec<Row>,
}

/// The tables of one attribution model.
#[derive(Serialize)]
struct Section {
    model: &'static str,
    tables: Vec<Table>,
}

#[derive(Serialize)]
struct CampaignsView {
    sections: Vec<Section>,
    /// The operator's site's goals, by their titles, in the rows' goal order.
    goals: Vec<String>,
    chart: Option<Chart>,
    conversions_chart: Option<Chart>,
    /// The model chosen with `?model=` (none: first and last touch).
    model: Option<&'static str>,
    /// The model the charts show (the chosen one, else last touch).
    charted: &'static str,
    /// The unknown model asked for, as asked (cut to 40 characters; the page
    /// answers 400 and says so in its language).
    bad_model: Option<String>,
    /// The CSV's link, for the same model.
    csv: String,
    /// The visitors who have not chosen yet, estimated (while counted): the last
    /// 30 days and their most viewed paths.
    undecided: Option<UndecidedReport>,
}

/// The goals the rules file declares, by name.
fn declared(rules: &Rules) -> Vec<String> {
    rules.goals.keys().cloned().collect()
}

/// The models `?model=` selects: the named one, or first and last touch (no
/// model, or an empty one); an unknown name is an error naming the allowed ones.
fn models(model: Option<&str>) -> Result<Vec<Model>, String> {
    match model.filter(|m| !m.is_empty()) {
        None => Ok(MODELS.to_vec()),
        Some(name) => Model::parse(name).map(|m| vec![m]).ok_or_else(|| {
            format!(
                "unknown model {name:?}: use first_touch (or first), last_touch (or last), linear or position"
            )
        }),
    }
}

#[get("/admin/campaigns?<model>")]
async fn admin_campaigns(
    _admin: Admin,
    model: Option<&str>,
    page: Page<'_>,
    stats: &State<Arc<CampaignStats>>,
    live: &State<Arc<Live>>,
) -> Result<(Status, Template), AppError> {
    let rules = live.current().0;
    let report = stats.rows(&declared(&rules)).await?;
    let rows = report.rows;
    let (status, chosen, bad_model) = match models(model) {
        Ok(chosen) => (Status::Ok, chosen, None),
        Err(_) => {
            let asked = model.unwrap_or_default().chars().take(40).collect();
            (Status::BadRequest, MODELS.to_vec(), Some(asked))
        }
    };
    let mut view = campaigns_view(&rows, &chosen);
    view.bad_model = bad_model;
    if let (Some(_), Some(db)) = (page.state::<Arc<Undecided>>(), page.state::<Db>()) {
        view.undecided = Some(undecided::report(db, 30).await?);
    }
    localise(&mut view, &report.goals, &rules, page.lang);
    Ok((status, page.render("admin/campaigns", view)))
}

/// The goals' titles and the fractional conversions in `lang` (the CSV keeps
/// `0.33`).
fn localise(
    view: &mut CampaignsView,
    goals: &[String],
    rules: &Rules,
    lang: crate::i18n::Language,
) {
    view.goals = goals.iter().map(|g| rules.goal_label(g, lang)).collect();
    let rows = view
        .sections
        .iter_mut()
        .flat_map(|s| s.tables.iter_mut())
        .flat_map(|t| t.rows.iter_mut());
    for row in rows {
        row.contact_shown = crate::i18n::decimal(&row.contact_shown, lang);
        row.checkout_shown = crate::i18n::decimal(&row.checkout_shown, lang);
        for goal in &mut row.goals {
            *goal = crate::i18n::decimal(goal, lang);
        }
    }
}

/// The report's page: a section per attribution model, a table per dimension,
/// and charts of the top campaigns' sessions and conversions (last touch, or
/// the one model chosen).
fn campaigns_view(rows: &[Row], models: &[Model]) -> CampaignsView {
    let select = |m: Model, d: Dimension| {
        rows.iter()
            .filter(move |r| r.model == m && r.dimension == d)
    };
    let one = (models.len() == 1).then(|| models[0]);
    let sections = models
        .iter()
        .map(|&m| Section {
            model: m.code(),
            tables: DIMENSIONS
                .iter()
                .map(|&d| Table {
                    dimension: d.code(),
                    rows: select(m, d).cloned().collect(),
                })
                .collect(),
        })
        .collect();
    let charted = one.unwrap_or(Model::LastTouch);
    let top: Vec<&Row> = select(charted, Dimension::Campaign).take(10).collect();
    let whole = |n: u64| {
        if charted.fractional() {
            (n + 500) / 1000
        } else {
            n
        }
    };
    let sessions = top
        .iter()
        .map(|r| (r.value.clone(), r.counts.sessions))
        .collect();
    let conversions = top
        .iter()
        .map(|r| (r.value.clone(), whole(r.counts.contact + r.counts.checkout)))
        .collect();
    let model = one.map(Model::code);
    CampaignsView {
        sections,
        goals: Vec::new(),
        chart: chart(sessions),
        conversions_chart: chart(conversions),
        model,
        charted: charted.code(),
        bad_model: None,
        undecided: None,
        csv: match model {
            Some(m) => format!("/admin/campaigns.csv?model={m}"),
            None => "/admin/campaigns.csv".to_owned(),
        },
    }
}

#[get("/admin/campaigns.csv?<model>")]
async fn admin_campaigns_csv(
    _admin: Admin,
    model: Option<&str>,
    stats: &State<Arc<CampaignStats>>,
    live: &State<Arc<Live>>,
) -> Result<Csv<String>, (Status, String)> {
    let chosen = models(model).map_err(|message| (Status::BadRequest, message))?;
    let body = stats
        .csv(&chosen, &declared(&live.current().0))
        .await
        .map_err(|e| {
            e.report();
            (Status::ServiceUnavailable, String::new())
        })?;
    Ok(Csv {
        filename: "tailor-campaigns.csv",
        body,
    })
}

/// The report's routes.
pub fn routes() -> Vec<Route> {
    rocket::routes![admin_campaigns, admin_campaigns_csv]
}
