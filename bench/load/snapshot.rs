//! The session snapshot in each record form: size, save and load time for N
//! sessions as a page-viewing visitor leaves them (preferences, a cart of 5 lines,
//! 100 visits, a campaign touch). Built and run by `bench/snapshot`:
//!
//!   cargo run --release --example snapshot_size -- [sessions (default 100000)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use tailor::cart::{Cart, CartLine};
use tailor::preferences::{Preferences, Theme};
use tailor::record::SessionData;
use tailor::tracking::{Campaigns, Touch, Visit, Visits};
use tailor_session::snapshot::Snapshots;
use tailor_session::{MemoryStore, RecordFormat, SessionId};

fn session(i: usize) -> SessionData {
    let mut data = SessionData::default();
    data.part_mut::<Preferences>().theme = Theme::Dark;
    let now = chrono::Utc::now();
    for v in 0..100 {
        data.part_mut::<Visits>().push(Visit {
            path: format!("/products/item-{}", (i + v) % 40).into(),
            at: now - chrono::Duration::seconds(v as i64 * 30),
            referrer: (v == 0).then(|| "https://news.example.com".into()),
        });
    }
    for p in [
        "oxford-shirt",
        "silk-tie",
        "cufflinks",
        "chinos",
        "overcoat",
    ] {
        data.part_mut::<Cart>().lines.push(CartLine {
            product: p.into(),
            quantity: 2,
        });
    }
    let touch = Touch {
        source: Some("newsletter".into()),
        campaign: Some("spring-sale".into()),
        ..Touch::default()
    };
    data.part_mut::<Campaigns>().record(touch, 10);
    data
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    tailor::record::register_parts();
    tailor::tracking::part::register();
    tailor::cart::part::register();
    tailor::preferences::part::register();
    let idle = Duration::from_secs(3600);
    let store = Arc::new(MemoryStore::<SessionData>::new(idle, n * 2));
    let sessions = (0..n)
        .map(|i| (SessionId::generate(), Duration::ZERO, session(i)))
        .collect();
    store.import(sessions);
    let dir = std::env::temp_dir().join(format!("tailor-snapshot-{}", std::process::id()));
    println!("{n} sessions of 100 visits, 5 cart lines, a touch and preferences:");
    println!("| form | bytes | bytes / session | save (s) | load (s) |");
    println!("|---|---:|---:|---:|---:|");
    for format in [RecordFormat::Json, RecordFormat::Binary] {
        let path = dir.join(format!("{format:?}.snapshot"));
        let snapshots = Snapshots::new(store.clone(), &path, None).with_format(format);
        let started = Instant::now();
        snapshots.save().expect("the snapshot is written");
        let saved = started.elapsed();
        let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let fresh = Arc::new(MemoryStore::<SessionData>::new(idle, n * 2));
        let started = Instant::now();
        let loaded = Snapshots::new(fresh, &path, None).load();
        let load = started.elapsed();
        assert_eq!(loaded, n, "every session is read back");
        println!(
            "| {format:?} | {bytes} | {} | {:.2} | {:.2} |",
            bytes / n as u64,
            saved.as_secs_f64(),
            load.as_secs_f64()
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}
