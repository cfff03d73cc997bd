//! `/admin/experiments` and its CSV (operator auth, as the campaign report).

use crate::web::AppError;
use std::sync::Arc;

use rocket::{get, Route, State};
use serde::Serialize;

use crate::i18n::Language;
use crate::personalisation::rules::{Method, Rules};

use super::report::{csv, report, ExperimentReport, VariantReport};
use super::stats::ViewStats;
use crate::admin::{Admin, Csv};
use crate::personalisation::Live;
use crate::web::template::Template;
use crate::web::Page;

/// A rate or a difference as the page shows it: percent, one decimal.
fn percent(x: f64, lang: Language) -> String {
    crate::i18n::decimal(&format!("{:.1}", x * 100.0), lang)
}

/// A bar of an experiment's chart (the shared chart partial's shape).
#[derive(Serialize)]
struct Bar {
    label: String,
    value: String,
    y: u32,
    width: u32,
}

#[derive(Serialize)]
struct Chart {
    goal: String,
    /// The goal's name in the page's language.
    label: String,
    height: u32,
    bars: Vec<Bar>,
}

/// Each goal's conversion rate by variant, as bars scaled to the highest.
fn charts(e: &ExperimentReport, lang: Language, rules: &Rules) -> Vec<Chart> {
    (0..e.goals.len())
        .filter_map(|g| {
            let rates: Vec<(String, f64)> = e
                .variants
                .iter()
                .map(|v| (v.variant.clone(), v.goals[g].rate))
                .collect();
            let max = rates.iter().map(|(_, r)| *r).fold(0.0, f64::max);
            (max > 0.0).then(|| Chart {
                goal: e.goals[g].clone(),
                label: rules.goal_label(&e.goals[g], lang),
                height: rates.len() as u32 * 34,
                bars: rates
                    .into_iter()
                    .enumerate()
                    .map(|(i, (label, rate))| Bar {
                        label,
                        value: format!("{}\u{a0}%", percent(rate, lang)),
                        y: i as u32 * 34,
                        width: ((rate / max) * 360.0).max(2.0) as u32,
                    })
                    .collect(),
            })
        })
        .collect()
}

/// A goal's cells as text.
#[derive(Serialize)]
struct Cells {
    /// The goal's name in the page's language.
    label: String,
    conversions: u64,
    rate: String,
    diff: Option<(String, String, String)>,
    enough_data: bool,
}

#[derive(Serialize)]
struct VariantView {
    variant: String,
    participants: u64,
    exposures: u64,
    current: bool,
    goals: Vec<Cells>,
}

#[derive(Serialize)]
struct ExperimentView {
    experiment: String,
    slot: Option<String>,
    flag: Option<String>,
    /// Each goal's name in the page's language.
    goals: Vec<String>,
    variants: Vec<VariantView>,
    charts: Vec<Chart>,
    method: Method,
    planned: u64,
    /// The split check's p-value as text (`= 0.41`, `< 0.0001`).
    srm_p: Option<String>,
    srm: bool,
    status: &'static str,
    winner: Option<String>,
    version: i64,
    /// The day (UTC) the weights last changed within the version.
    changed_on: Option<String>,
    flips: u64,
    earlier: Vec<EarlierView>,
}

/// A p-value as the page shows it, with its relation: `= 0.41`, `= 0.0006`,
/// `< 0.0001`.
fn p_value(p: f64, lang: Language) -> String {
    let text = match p {
        p if p >= 0.01 => format!("= {p:.2}"),
        p if p >= 0.0001 => format!("= {p:.4}"),
        _ => "< 0.0001".to_owned(),
    };
    crate::i18n::decimal(&text, lang)
}

/// A variant's figures as text.
fn variant_view(v: VariantReport, lang: Language, rules: &Rules) -> VariantView {
    // The sign of the rounded figure: a difference of -0.01 points reads +0.0.
    let signed = |x: f64| {
        let x = if (x * 1000.0).round() == 0.0 { 0.0 } else { x };
        format!("{}{}", if x >= 0.0 { "+" } else { "" }, percent(x, lang))
    };
    VariantView {
        goals: v
            .goals
            .iter()
            .map(|g| Cells {
                label: rules.goal_label(&g.goal, lang),
                conversions: g.conversions,
                rate: percent(g.rate, lang),
                diff: g
                    .diff
                    .map(|d| (signed(d.estimate), signed(d.low), signed(d.high))),
                enough_data: g.enough_data,
            })
            .collect(),
        variant: v.variant,
        participants: v.participants,
        exposures: v.exposures,
        current: v.current,
    }
}

/// An earlier split or version, as the page shows it under the current one.
#[derive(Serialize)]
struct EarlierView {
    version: i64,
    weights: Option<String>,
    since: Option<String>,
    variants: Vec<VariantView>,
}

fn view(e: ExperimentReport, lang: Language, rules: &Rules) -> ExperimentView {
    let charts = charts(&e, lang, rules);
    let day = |at: chrono::DateTime<chrono::Utc>| lang.date(at.date_naive());
    ExperimentView {
        earlier: e
            .earlier
            .into_iter()
            .map(|p| EarlierView {
                version: p.version,
                weights: p.weights,
                since: p.since.map(day),
                variants: p
                    .variants
                    .into_iter()
                    .map(|v| variant_view(v, lang, rules))
                    .collect(),
            })
            .collect(),
        version: e.version,
        changed_on: e.changed_on.map(day),
        flips: e.flips,
        variants: e
            .variants
            .into_iter()
            .map(|v| variant_view(v, lang, rules))
            .collect(),
        experiment: e.experiment,
        slot: e.slot,
        flag: e.flag,
        goals: e.goals.iter().map(|g| rules.goal_label(g, lang)).collect(),
        charts,
        method: e.method,
        planned: e.planned_participants,
        srm_p: e.srm_p.map(|p| p_value(p, lang)),
        srm: e.srm,
        status: e.status,
        winner: e.winner,
    }
}

/// The report, with what waits in memory written first.
async fn current(stats: &ViewStats, live: &Live) -> Result<Vec<ExperimentReport>, AppError> {
    stats.flush().await?;
    let rules = live.current().0;
    stats
        .db
        .note_epochs(&super::stats::epoch_rows(&rules))
        .await?;
    let rows = stats.db.experiment_rows().await?;
    let epochs = stats.db.experiment_epochs().await?;
    Ok(report(&rows, &epochs, &rules))
}

#[derive(Serialize)]
struct ExperimentsView {
    experiments: Vec<ExperimentView>,
    enough: u64,
}

#[get("/admin/experiments")]
async fn admin_experiments(
    _admin: Admin,
    page: Page<'_>,
    stats: &State<Arc<ViewStats>>,
    live: &State<Arc<Live>>,
) -> Result<Template, AppError> {
    let lang = page.lang;
    let rules = live.current().0;
    let experiments = current(stats, live)
        .await?
        .into_iter()
        .map(|e| view(e, lang, &rules))
        .collect();
    let enough = super::report::ENOUGH;
    Ok(page.render(
        "admin/experiments",
        ExperimentsView {
            experiments,
            enough,
        },
    ))
}

#[get("/admin/experiments.csv")]
async fn admin_experiments_csv(
    _admin: Admin,
    stats: &State<Arc<ViewStats>>,
    live: &State<Arc<Live>>,
) -> Result<Csv<String>, AppError> {
    Ok(Csv {
        filename: "tailor-experiments.csv",
        body: csv(&current(stats, live).await?),
    })
}

/// The report's routes.
pub fn routes() -> Vec<Route> {
    rocket::routes![admin_experiments, admin_experiments_csv]
}
