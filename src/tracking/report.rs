//! The campaign report as the operators read it: rows by model and dimension,
//! and its CSV.

use super::stats::*;
use crate::admin::{csv_cell, csv_line};
use crate::data::Result;

/// The campaign report: its goal columns (the operator's site's goals) and rows.
pub struct Report {
    pub goals: Vec<String>,
    pub rows: Vec<Row>,
}

impl CampaignStats {
    /// Every row, by model, dimension, then most sessions first (what waits in
    /// memory is flushed first, so the report is current), with a column for
    /// each of `declared` goals and any other goal that has conversions.
    ///
    /// # Errors
    /// [`DataError`] when the database fails.
    pub async fn rows(&self, declared: &[String]) -> Result<Report> {
        self.flush().await?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        let mut rows: Vec<Row> = self
            .db
            .counter_rows()
            .await?
            .into_iter()
            .filter_map(|r| {
                let model = ALL_MODELS.into_iter().find(|m| m.code() == r.model)?;
                let (contact, checkout) = (count(r.contact), count(r.checkout));
                Some(Row {
                    model,
                    dimension: DIMENSIONS.into_iter().find(|d| d.code() == r.dimension)?,
                    value: r.label,
                    counts: Counts {
                        sessions: count(r.sessions),
                        contact,
                        checkout,
                    },
                    contact_shown: model.shown(contact),
                    checkout_shown: model.shown(checkout),
                    goals: Vec::new(),
                })
            })
            .collect();
        let stored = self.db.goal_rows().await?;
        let mut goals: Vec<String> = declared.to_vec();
        goals.extend(stored.iter().map(|g| g.goal.clone()));
        goals.sort();
        goals.dedup();
        for row in &mut rows {
            let model = row.model;
            row.goals = vec![model.shown(0); goals.len()];
            let value = row.value.to_lowercase();
            let mine = stored.iter().filter(|g| {
                g.model == model.code() && g.dimension == row.dimension.code() && g.value == value
            });
            for g in mine {
                if let Ok(at) = goals.binary_search(&g.goal) {
                    row.goals[at] = model.shown(count(g.conversions));
                }
            }
        }
        rows.sort_by(|a, b| {
            (a.model, a.dimension)
                .cmp(&(b.model, b.dimension))
                .then_with(|| b.counts.sessions.cmp(&a.counts.sessions))
                .then_with(|| a.value.cmp(&b.value))
        });
        Ok(Report { goals, rows })
    }

    /// The report as CSV, safe to open in a spreadsheet: the rows of `models`.
    ///
    /// # Errors
    /// [`DataError`] when the database fails.
    pub async fn csv(&self, models: &[Model], declared: &[String]) -> Result<String> {
        let report = self.rows(declared).await?;
        let mut header = vec![
            "model".to_owned(),
            "dimension".into(),
            "value".into(),
            "sessions".into(),
            "contact_submissions".into(),
            "checkouts".into(),
        ];
        // Goal names are letters, digits, - and _ (checked at load): no quoting.
        header.extend(report.goals.iter().map(|g| format!("goal_{g}")));
        let mut out = csv_line(&header);
        for row in report.rows {
            if !models.contains(&row.model) {
                continue;
            }
            let cells = [
                csv_cell(row.model.code()),
                csv_cell(row.dimension.code()),
                csv_cell(&row.value),
                row.counts.sessions.to_string(),
                row.contact_shown,
                row.checkout_shown,
            ];
            let mut cells = cells.to_vec();
            cells.extend(row.goals);
            out.push_str(&csv_line(&cells));
        }
        Ok(out)
    }
}
