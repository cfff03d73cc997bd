//! Server-side sessions for Rocket 0.5, generic over the record type.
//!
//! The browser holds one private (AES-256-GCM sealed) cookie with a random
//! [`SessionId`]; the record lives in a [`SessionStore`]: the [`MemoryStore`]
//! (a sharded `DashMap`, bounded in count and bytes, with [`snapshot`]s), or the
//! `RedisStore` (cargo feature `redis`) when several instances share sessions.
//! The [`Session`] request guard opens the cookie and loads the record once per
//! request; handlers read the snapshot with [`Session::data`] and change it only
//! through [`Session::update`], which is atomic per session on every store.
//!
//! The crate knows nothing of what the record holds beyond [`SessionRecord`]:
//! bring your own type, or use the ready [`Values`]. The store contract is a test
//! suite any store can run (cargo feature `testing`: `conformance!`).
//!
//! # Examples
//!
//! ```no_run
//! use std::{sync::Arc, time::Duration};
//!
//! use tailor_session::{MemoryStore, Session, SessionConfig, SessionError, Values};
//!
//! #[rocket::post("/count")]
//! async fn count(session: Session<'_, Values>) -> Result<String, SessionError> {
//!     let n = session
//!         .update(|values| {
//!             let n = values.get::<u64>("count").unwrap_or(0) + 1;
//!             values.insert("count", n);
//!             n
//!         })
//!         .await?;
//!     Ok(n.to_string())
//! }
//!
//! #[rocket::launch]
//! fn rocket() -> _ {
//!     let store = Arc::new(MemoryStore::<Values>::new(Duration::from_secs(1800), 100_000));
//!     rocket::build()
//!         .attach(tailor_session::stage(store, SessionConfig::default()))
//!         .mount("/", rocket::routes![count])
//! }
//! ```

pub mod codec;
mod config;
#[cfg(feature = "testing")]
pub mod conformance;
mod error;
mod guard;
mod id;
mod late;
mod layer;
mod loading;
pub mod memory;
pub mod parts;
#[cfg(feature = "redis")]
pub mod redis;
pub mod snapshot;
mod stage;
pub mod store;
mod values;

use std::time::Duration;

use chrono::{DateTime, Utc};

#[cfg(feature = "redis")]
pub use self::redis::RedisStore;
pub use codec::RecordFormat;
pub use config::SessionConfig;
pub use error::SessionError;
pub use guard::Session;
pub use id::{random_token, InvalidSessionId, SessionId, Token};
pub use late::{commit, update_late};
pub use layer::SessionLayer;
pub use memory::{MemoryStore, Weigher};
pub use parts::{Part, Parts};
pub use stage::stage;
pub use store::{Record, Seen, SessionStore, StoreError};
pub use values::Values;

/// How long a `last_seen` write (and the cookie's Max-Age refresh) is coalesced at
/// most; a tenth of the idle timeout when that is shorter.
pub const TOUCH_INTERVAL: Duration = Duration::from_secs(60);

/// What the session layer needs to know of a record: when it was last used.
pub trait SessionRecord: Record {
    /// The last time a request of this session was recorded.
    fn last_seen(&self) -> DateTime<Utc>;
    /// Records a request at `now`.
    fn touch(&mut self, now: DateTime<Utc>);

    /// Called when the session gets a new id ([`Session::regenerate`]): a record
    /// holding secrets bound to the session (a CSRF token) renews them here, so a
    /// secret seen before a login is worthless after it.
    fn regenerated(&mut self) {}
}

/// Logs an error with its whole `source()` chain; responses only get `Display`.
pub fn log_error_chain(error: &dyn std::error::Error) {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    rocket::error!("{text}");
}
