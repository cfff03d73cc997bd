//! Small horizontal bar charts, drawn on the server as SVG (no script).

use serde::Serialize;

use super::model;

/// One bar of a server-rendered SVG chart; geometry in SVG units.
#[derive(Serialize)]
pub struct Bar {
    pub label: String,
    pub value: u64,
    pub y: u32,
    pub width: u32,
}

/// A horizontal bar chart: labels left, bars right, values at the bar ends.
#[derive(Serialize)]
pub struct Chart {
    pub height: u32,
    pub bars: Vec<Bar>,
}

const BAR_PITCH: u32 = 34;
const BAR_MAX_WIDTH: u32 = 360;

/// Lays out `items` (label, value) as bars scaled to the largest value.
pub fn chart(items: Vec<(String, u64)>) -> Option<Chart> {
    let max = items.iter().map(|(_, v)| *v).max().filter(|m| *m > 0)?;
    let bars = items
        .into_iter()
        .enumerate()
        .map(|(i, (label, value))| Bar {
            label: model::cap(&label, 40),
            value,
            y: i as u32 * BAR_PITCH,
            width: ((value * u64::from(BAR_MAX_WIDTH)) / max).max(2) as u32,
        })
        .collect::<Vec<_>>();
    Some(Chart {
        height: bars.len() as u32 * BAR_PITCH,
        bars,
    })
}
