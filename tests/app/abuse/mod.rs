//! The adversarial suite: one module per point of the hardening issue, each
//! driving a real Rocket instance (or real processes, or the real Redis) the way
//! an attacker would.

mod cache_owner;
mod campaigns;
mod challenge;
mod csrf;
mod data_files;
mod flood;
mod globs;
mod hashing;
mod hsts;
mod legacy_import;
mod login_limits;
mod method_override;
mod metrics;
mod names;
mod opt_in;
mod parallel_guesses;
mod paths;
mod registrations;
mod return_path;
mod secrets;
mod slot_names;
mod submissions;
mod write_order;
