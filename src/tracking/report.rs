//! The campaign report as the operators read it: rows by model and dimension,
//! and its CSV.

use super::stats::*;
use crate::admin::{csv_cell, csv_line};
use crate::data::Result;

impl CampaignStats {
    /// Every row, by model, dimension, then most sessions first (what waits in
    /// memory is flushed first, so the report is current).
    ///
    /// # Errors
    /// [`DataError`] when the database fails.
    pub async fn rows(&self) -> Result<Vec<Row>> {
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
                })
            })
            .collect();
        rows.sort_by(|a, b| {
            (a.model, a.dimension)
                .cmp(&(b.model, b.dimension))
                .then_with(|| b.counts.sessions.cmp(&a.counts.sessions))
                .then_with(|| a.value.cmp(&b.value))
        });
        Ok(rows)
    }

    /// The report as CSV, safe to open in a spreadsheet: the rows of `models`.
    ///
    /// # Errors
    /// [`DataError`] when the database fails.
    pub async fn csv(&self, models: &[Model]) -> Result<String> {
        let mut out =
            String::from("model,dimension,value,sessions,contact_submissions,checkouts\r\n");
        for row in self.rows().await? {
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
            out.push_str(&csv_line(&cells));
        }
        Ok(out)
    }
}
