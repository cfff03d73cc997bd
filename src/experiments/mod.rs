//! Experiments: sticky random variants of a personalisation slot, with a report
//! (`docs/experiments.md`). The rules file says what
//! each experiment is; this feature assigns visitors, keeps the assignments in
//! the session and the account, counts participants, exposures and
//! conversions, and shows the report.
//!
//! A listener: it reads personalisation's decision and registers on the page,
//! conversion, login and privacy hooks. Decisions (the operator's own site)
//! draws and counts with its pieces ([`draw`], [`Assignments`], [`ViewStats`]).

mod admin;
mod assign;
mod inference;
mod page;
pub mod part;
mod periods;
mod plan;
mod plugs;
pub mod report;
mod stats;
mod who;

use std::sync::Arc;

use rocket::fairing::AdHoc;

pub use assign::draw;
pub use part::{Assigned, Assignments, Stored};
pub use stats::{ArmRef, ViewStats};
pub use who::bot_agent;

use crate::data::Db;

/// Experiments: the hooks, the counters and their flushing, the report.
pub fn stage() -> AdHoc {
    // Before any record is read (snapshots load at ignite).
    part::register();
    AdHoc::try_on_ignite("Experiments", |rocket| async move {
        let Some(db) = crate::config::shared::<Db>(&rocket, "the database") else {
            return Err(rocket);
        };
        let stats = Arc::new(ViewStats::new(db));
        crate::web::add_page_hook(&rocket, page::ExperimentsHook);
        crate::conversions::add_conversion_hook(&rocket, plugs::ExperimentConversions);
        crate::accounts::add_account_hook(
            &rocket,
            crate::accounts::LoginPhase::Follow,
            plugs::AssignmentsAtLogin,
        );
        crate::privacy::add_privacy_hook(&rocket, plugs::AssignmentRights);
        Ok(rocket
            .manage(stats.clone())
            .attach(stats::Flusher(stats))
            .mount("/", admin::routes()))
    })
}
