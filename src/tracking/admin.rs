//! The operators' campaign report: `/admin/campaigns` and its CSV.

use std::sync::Arc;

use rocket::http::Status;
use rocket::{get, Route, State};
use serde::Serialize;

use super::chart::{chart, Chart};
use super::stats::{CampaignStats, Dimension, Model, Row, DIMENSIONS, MODELS};
use crate::admin::{Admin, Csv};
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
    chart: Option<Chart>,
    conversions_chart: Option<Chart>,
}

#[get("/admin/campaigns")]
async fn admin_campaigns(
    _admin: Admin,
    page: Page<'_>,
    stats: &State<Arc<CampaignStats>>,
) -> Result<Template, Status> {
    let rows = stats.rows().await?;
    Ok(page.render("admin/campaigns", campaigns_view(&rows)))
}

/// The report's page: a section per attribution model, a table per dimension,
/// and charts of the top campaigns' sessions and conversions (last touch).
fn campaigns_view(rows: &[Row]) -> CampaignsView {
    let select = |m: Model, d: Dimension| {
        rows.iter()
            .filter(move |r| r.model == m && r.dimension == d)
    };
    let sections = MODELS
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
    let top: Vec<&Row> = select(Model::LastTouch, Dimension::Campaign)
        .take(10)
        .collect();
    let sessions = top
        .iter()
        .map(|r| (r.value.clone(), r.counts.sessions))
        .collect();
    let conversions = top
        .iter()
        .map(|r| (r.value.clone(), r.counts.contact + r.counts.checkout))
        .collect();
    CampaignsView {
        sections,
        chart: chart(sessions),
        conversions_chart: chart(conversions),
    }
}

#[get("/admin/campaigns.csv")]
async fn admin_campaigns_csv(
    _admin: Admin,
    stats: &State<Arc<CampaignStats>>,
) -> Result<Csv<String>, Status> {
    Ok(Csv {
        filename: "tailor-campaigns.csv",
        body: stats.csv().await?,
    })
}

/// The report's routes.
pub fn routes() -> Vec<Route> {
    rocket::routes![admin_campaigns, admin_campaigns_csv]
}
