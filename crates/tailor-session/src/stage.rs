//! [`stage`]: the fairing that manages a [`SessionLayer`](crate::SessionLayer) and
//! runs its sweeper.

use std::sync::Arc;
use std::time::Duration;

use rocket::fairing::AdHoc;
use rocket::{Orbit, Rocket};

use crate::{log_error_chain, SessionConfig, SessionLayer, SessionRecord, SessionStore};

/// Manages a [`SessionLayer`] over `store` and runs its sweeper after liftoff.
pub fn stage<R: SessionRecord>(store: Arc<dyn SessionStore<R>>, config: SessionConfig) -> AdHoc {
    AdHoc::on_ignite("Sessions", move |rocket| async move {
        let every = config.sweep_interval;
        rocket
            .manage(SessionLayer::new(store, config))
            .attach(AdHoc::on_liftoff("Session sweeper", move |rocket| {
                Box::pin(start_sweeper::<R>(rocket, every))
            }))
    })
}

async fn start_sweeper<R: SessionRecord>(rocket: &Rocket<Orbit>, every: Duration) {
    let Some(layer) = rocket.state::<SessionLayer<R>>() else {
        return;
    };
    let store = layer.store.clone();
    let mut shutdown = rocket.shutdown();
    rocket::tokio::spawn(async move {
        let mut interval = rocket::tokio::time::interval(every.max(Duration::from_millis(10)));
        loop {
            rocket::tokio::select! {
                _ = interval.tick() => {
                    if let Err(e) = store.sweep().await {
                        log_error_chain(&e);
                    }
                }
                _ = &mut shutdown => break,
            }
        }
    });
}
