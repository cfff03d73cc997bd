//! The limits a password check falls under ([`Attempt`], the fixed windows of
//! `limits`): failed logins counted against the account, the client address and
//! the browser's device cookie; registrations counted against the address.
//!
//! An attempt is counted **before** its password is hashed ([`Accounts::begin`]),
//! atomically, so parallel guesses cannot all pass a check made before any of
//! them was counted; one that succeeds (or never ran) is taken back
//! ([`Accounts::refund`]).

use super::{data, Accounts, StdDuration, Window};
/// One window an attempt counts in.
struct Limit {
    key: String,
    max: u64,
    window: StdDuration,
    /// Whether a successful attempt is taken back (failures only), or stays
    /// counted (registrations).
    failures_only: bool,
}

/// Who is trying a password, as the limits see them: a browser with a device
/// cookie of the account, or an account name from an address; or a
/// registration from an address.
pub struct Attempt {
    limits: Vec<Limit>,
    /// The browser holds a device cookie of the account: its hash runs on the
    /// pool's reserved lane ([`crate::hashing::Lane::Trusted`]).
    pub trusted: bool,
}

impl Accounts {
    fn window(&self) -> StdDuration {
        StdDuration::from_secs(self.settings.failure_window_secs)
    }

    fn failures(&self, key: String, max: usize) -> Limit {
        Limit {
            key,
            max: max as u64,
            window: self.window(),
            failures_only: true,
        }
    }

    /// The limits a password check of `username` from `address` falls under: the
    /// device's own when this browser's device cookie is of that account (failures
    /// elsewhere do not lock it out), else the account's and the address's.
    pub fn attempt(&self, username: &str, address: &str, device: Option<String>) -> Attempt {
        let per_account = self.settings.max_failures;
        let trusted = device.is_some();
        let limits = match device {
            Some(nonce) => vec![self.failures(format!("login:device:{nonce}"), per_account)],
            None => vec![
                self.failures(
                    format!("login:account:{}", data::accounts::username_key(username)),
                    per_account,
                ),
                self.failures(
                    format!("login:address:{address}"),
                    self.settings.max_address_failures,
                ),
            ],
        };
        Attempt { limits, trusted }
    }

    /// The limits of a registration from `address`: its own per hour (every
    /// registration counts, made or not), and the address's failed logins
    /// (which a taken name adds to).
    pub fn registration(&self, address: &str) -> Attempt {
        let per_hour = Limit {
            key: format!("register:address:{address}"),
            max: self.settings.registrations_per_address_per_hour as u64,
            window: StdDuration::from_secs(3600),
            failures_only: false,
        };
        let failures = self.failures(
            format!("login:address:{address}"),
            self.settings.max_address_failures,
        );
        Attempt {
            limits: vec![per_hour, failures],
            trusted: false,
        }
    }

    /// Counts `attempt` in each of its windows, before the password is hashed.
    /// Refused, with the longest window to wait, when one is over its limit: it
    /// is then taken back everywhere (a refusal counts as no attempt).
    ///
    /// # Errors
    /// The window to wait when the attempt is refused.
    pub async fn begin(&self, attempt: &Attempt) -> Result<(), Window> {
        let mut over: Option<Window> = None;
        for limit in &attempt.limits {
            let Some(w) = self.limiter.note(&limit.key, limit.window).await else {
                continue;
            };
            if w.count > limit.max && over.is_none_or(|o| w.resets_in > o.resets_in) {
                over = Some(w);
            }
        }
        match over {
            Some(window) => {
                self.take_back(attempt, false).await;
                Err(window)
            }
            None => Ok(()),
        }
    }

    /// Takes back a begun attempt whose password was right: its failure
    /// windows forget it (a registration's own window keeps it).
    pub async fn refund(&self, attempt: &Attempt) {
        self.take_back(attempt, true).await;
    }

    /// Takes back a begun attempt that never ran (the hashing pool was full).
    pub async fn cancel(&self, attempt: &Attempt) {
        self.take_back(attempt, false).await;
    }

    async fn take_back(&self, attempt: &Attempt, failures_only: bool) {
        for limit in &attempt.limits {
            if limit.failures_only || !failures_only {
                self.limiter.refund(&limit.key).await;
            }
        }
    }
}

impl Attempt {
    /// The lane of the hashing pool this attempt's check runs on.
    pub fn lane(&self) -> crate::hashing::Lane {
        if self.trusted {
            crate::hashing::Lane::Trusted
        } else {
            crate::hashing::Lane::Common
        }
    }
}
