//! The rules in force, and their reloading: when the file changes (checked every
//! two seconds) or on `SIGHUP`. A valid change applies to the next request; an
//! invalid one is logged and refused, and the rules in force stay.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, SystemTime};

use rocket::fairing::{Fairing, Info, Kind};
use rocket::{Orbit, Rocket};

use super::condition::FactSpec;
use super::rules::{self, Rules};

/// How often the file's modification time is checked.
const CHECK_EVERY: Duration = Duration::from_secs(2);

/// The rules in force and their generation (bumped by every reload that
/// changed them).
pub struct Live {
    path: PathBuf,
    rules: RwLock<(Arc<Rules>, u64)>,
    modified: RwLock<Option<SystemTime>>,
    generation: AtomicU64,
    /// The facts the features offer (set once every feature has attached): a
    /// reload whose conditions name another is refused.
    known: OnceLock<Vec<FactSpec>>,
}

/// The file's rules: none when it does not exist.
fn read(path: &PathBuf) -> Result<(Rules, Option<SystemTime>), String> {
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
    match std::fs::read_to_string(path) {
        Ok(text) => Ok((rules::parse(&text)?, modified)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((Rules::default(), None)),
        Err(e) => Err(e.to_string()),
    }
}

impl Live {
    /// The rules of the file at `path` (none when it does not exist).
    ///
    /// # Errors
    /// What is wrong with the file, naming the item.
    pub fn load(path: PathBuf) -> Result<Live, String> {
        let (rules, modified) = read(&path)?;
        Ok(Live {
            path,
            rules: RwLock::new((Arc::new(rules), 1)),
            modified: RwLock::new(modified),
            generation: AtomicU64::new(1),
            known: OnceLock::new(),
        })
    }

    /// Checks the rules in force against the facts the features offer, and keeps
    /// them for checking every reload.
    ///
    /// # Errors
    /// A condition on a fact no feature offers, or one that does not suit it.
    pub fn know(&self, offered: Vec<FactSpec>) -> Result<(), String> {
        let (rules, _) = self.current();
        rules
            .check_facts(&offered)
            .map_err(|e| format!("{}: {e}", self.path.display()))?;
        // Set once, at launch.
        let _ = self.known.set(offered);
        Ok(())
    }

    /// The rules in force and their generation.
    pub fn current(&self) -> (Arc<Rules>, u64) {
        let guard = self.rules.read().unwrap_or_else(|e| e.into_inner());
        (guard.0.clone(), guard.1)
    }

    /// Reads the file again; `force` even when its time has not changed. Returns
    /// whether the rules changed.
    pub fn reload(&self, force: bool) -> bool {
        let modified = std::fs::metadata(&self.path)
            .and_then(|m| m.modified())
            .ok();
        let known = *self.modified.read().unwrap_or_else(|e| e.into_inner());
        if !force && modified == known {
            return false;
        }
        *self.modified.write().unwrap_or_else(|e| e.into_inner()) = modified;
        let checked = read(&self.path).and_then(|(rules, modified)| {
            if let Some(known) = self.known.get() {
                rules.check_facts(known)?;
            }
            Ok((rules, modified))
        });
        match checked {
            Ok((rules, _)) => {
                let (old, _) = self.current();
                if *old == rules {
                    return false;
                }
                let generation = self.generation.fetch_add(1, Ordering::Relaxed) + 1;
                *self.rules.write().unwrap_or_else(|e| e.into_inner()) =
                    (Arc::new(rules), generation);
                rocket::info!(
                    "personalisation: {} reloaded (generation {generation})",
                    self.path.display()
                );
                true
            }
            Err(e) => {
                let message = format!(
                    "personalisation: {} not reloaded, the rules in force stay: {e}",
                    self.path.display()
                );
                eprintln!("{message}");
                rocket::error!("{message}");
                false
            }
        }
    }
}

/// Watches the rules file (its time, every two seconds) and `SIGHUP`.
pub struct Reloader;

#[rocket::async_trait]
impl Fairing for Reloader {
    fn info(&self) -> Info {
        Info {
            name: "Personalisation rules reloader",
            kind: Kind::Liftoff,
        }
    }

    async fn on_liftoff(&self, rocket: &Rocket<Orbit>) {
        let Some(live) = rocket.state::<Arc<Live>>().cloned() else {
            return;
        };
        let mut shutdown = rocket.shutdown();
        rocket::tokio::spawn(async move {
            #[cfg(unix)]
            let mut hangup = rocket::tokio::signal::unix::signal(
                rocket::tokio::signal::unix::SignalKind::hangup(),
            )
            .ok();
            let mut tick = rocket::tokio::time::interval(CHECK_EVERY);
            loop {
                #[cfg(unix)]
                let hup = async {
                    match hangup.as_mut() {
                        Some(h) => {
                            h.recv().await;
                        }
                        None => std::future::pending::<()>().await,
                    }
                };
                #[cfg(not(unix))]
                let hup = std::future::pending::<()>();
                rocket::tokio::select! {
                    _ = tick.tick() => { live.reload(false); }
                    _ = hup => { live.reload(true); }
                    _ = &mut shutdown => break,
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::Live;
    use crate::personalisation::{FactKind, FactSpec};

    const CART: FactSpec = FactSpec {
        name: "cart_items",
        kind: FactKind::Count,
    };

    #[test]
    fn a_reload_naming_a_fact_nobody_offers_is_refused_and_the_rules_stay() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rules.toml");
        let good = "[segments.shopper]\nwhen = { cart_items = { min = 1 } }\n";
        std::fs::write(&path, good).unwrap();
        let live = Live::load(path.clone()).unwrap();
        live.know(vec![CART]).unwrap();
        let (before, generation) = live.current();

        std::fs::write(
            &path,
            "[segments.wisher]\nwhen = { wishlist = { min = 1 } }\n",
        )
        .unwrap();
        assert!(!live.reload(true), "refused");
        let (after, same) = live.current();
        assert_eq!(
            (after, same),
            (before, generation),
            "the rules in force stay"
        );

        let wrong = Live::load(path).unwrap();
        let e = wrong.know(vec![CART]).unwrap_err();
        assert!(
            e.contains("rules.toml") && e.contains("unknown condition \"wishlist\""),
            "{e}"
        );
    }
}
