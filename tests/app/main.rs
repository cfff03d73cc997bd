//! Integration tests: the real Rocket instance through `rocket::local::asynchronous`.

mod abuse;
mod accounts;
mod config;
mod consent;
mod data_conformance;
mod decision_events;
mod decision_visitors;
mod decisions;
mod drafts;
mod durable;
mod experiment_periods;
mod experiment_statistics;
mod experiments;
mod languages;
mod lifecycle;
mod operators;
mod ops;
mod pages;
mod personalisation;
mod plugins;
mod preferences;
mod privacy;
mod redis;
mod redis_cluster;
mod render_cache;
mod session;
mod shop;
mod snapshots;
mod store_conformance;
#[path = "../support/mod.rs"]
mod support;
mod tracking;
