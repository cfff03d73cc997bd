//! CSV downloads of the operators' reports: safe cells (no formulas), lines,
//! and a whole table streamed a batch at a time.

use super::Request;
use crate::web::AppError;
/// One CSV cell: quoted, quotes doubled, and a leading `= + - @` (or tab or CR),
/// which spreadsheets would run as a formula, neutralised with a `'`.
pub fn csv_cell(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

/// One CSV line (with its CRLF) of already-quoted or numeric cells.
pub fn csv_line(cells: &[String]) -> String {
    let mut line = cells.join(",");
    line.push_str("\r\n");
    line
}

/// A CSV download: `body` (a string or a stream of lines) as `text/csv`, saved as
/// `filename`.
pub struct Csv<B> {
    pub filename: &'static str,
    pub body: B,
}

impl<'r, 'o: 'r, B: rocket::response::Responder<'r, 'o>> rocket::response::Responder<'r, 'o>
    for Csv<B>
{
    fn respond_to(self, request: &'r Request<'_>) -> rocket::response::Result<'o> {
        rocket::Response::build_from(self.body.respond_to(request)?)
            .raw_header("Content-Type", "text/csv; charset=utf-8")
            .raw_header(
                "Content-Disposition",
                format!("attachment; filename=\"{}\"", self.filename),
            )
            .ok()
    }
}

/// Rows read from the database per batch of a CSV download.
pub const CSV_BATCH: i64 = 500;

/// A CSV download of a whole table, newest first, read a batch at a time so memory
/// stays flat: `read(before)` gives at most [`CSV_BATCH`] rows with an id below
/// `before` (all when `None`), newest first; `line` turns a row into its id and
/// its CSV line. The first batch is read before answering, so a database that is
/// down gets a 503 rather than a truncated file (a failure later ends the file
/// early, and is logged).
///
/// # Errors
/// 503 when the first batch cannot be read.
pub async fn csv_download<T, F, Fut, L>(
    filename: &'static str,
    header: &[&str],
    read: F,
    line: L,
) -> Result<Csv<rocket::response::stream::TextStream![String]>, AppError>
where
    T: Send + 'static,
    F: Fn(Option<i64>) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = crate::data::Result<Vec<T>>> + Send,
    L: Fn(&T) -> (i64, String) + Send + 'static,
{
    let first = read(None).await?;
    let header = csv_line(&header.iter().map(|h| csv_cell(h)).collect::<Vec<_>>());
    let body = rocket::response::stream::TextStream! {
        yield header;
        let mut batch = first;
        while !batch.is_empty() {
            let mut last = None;
            for row in &batch {
                let (id, text) = line(row);
                last = Some(id);
                yield text;
            }
            if (batch.len() as i64) < CSV_BATCH {
                break;
            }
            batch = match read(last).await {
                Ok(next) => next,
                Err(e) => {
                    e.report();
                    break;
                }
            };
        }
    };
    Ok(Csv { filename, body })
}
