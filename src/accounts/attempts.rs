//! Failed logins counted against the account, the client address and the
//! browser's device cookie ([`Attempt`], the fixed windows of `limits`).

use super::*;

impl Accounts {
    fn window(&self) -> StdDuration {
        StdDuration::from_secs(self.settings.failure_window_secs)
    }

    /// The limits a password check of `username` from `address` falls under: the
    /// device's own when this browser's device cookie is of that account (failures
    /// elsewhere do not lock it out), else the account's and the address's.
    pub fn attempt(&self, username: &str, address: &str, device: Option<String>) -> Attempt {
        let per_account = self.settings.max_failures as u64;
        let limits = match device {
            Some(nonce) => vec![(format!("login:device:{nonce}"), per_account)],
            None => vec![
                (
                    format!("login:account:{}", data::accounts::username_key(username)),
                    per_account,
                ),
                (
                    format!("login:address:{address}"),
                    self.settings.max_address_failures as u64,
                ),
            ],
        };
        Attempt { limits }
    }

    /// The limits that apply to a registration from `address`: the address's.
    pub fn registration(&self, address: &str) -> Attempt {
        Attempt {
            limits: vec![(
                format!("login:address:{address}"),
                self.settings.max_address_failures as u64,
            )],
        }
    }

    /// Whether `attempt` is locked out: the window to wait for when it is.
    pub async fn locked(&self, attempt: &Attempt) -> Option<Window> {
        let mut longest: Option<Window> = None;
        for (key, max) in &attempt.limits {
            if let Some(w) = self.limiter.reached(key, *max).await {
                if longest.is_none_or(|l| w.resets_in > l.resets_in) {
                    longest = Some(w);
                }
            }
        }
        longest
    }

    /// Counts a failure of `attempt` against each of its limits.
    pub async fn failed(&self, attempt: &Attempt) {
        for (key, _) in &attempt.limits {
            self.limiter.note(key, self.window()).await;
        }
    }
}
